"""The spreadsheet of the schedule keeps the 予定 mark the page shows (issue 16)."""

import datetime

from tsunagu.reports import exports
from tsunagu.reports.meetings import Cell


def test_it_marks_dates_not_yet_held_in_the_export_text(municipality):
    cell = Cell(
        dates=[
            (datetime.date(2026, 5, 7), "in_person", "held"),
            (datetime.date(2026, 6, 4), "hybrid", "planned"),
            (datetime.date(2026, 7, 2), "in_person", "postponed"),
        ],
        held=1,
        scheduled=2,
    )
    assert exports.cell_text(cell).split("\n") == [
        "5月7日",
        "6月4日（一部オンライン）（予定）",
        "7月2日（延期）",
    ]
