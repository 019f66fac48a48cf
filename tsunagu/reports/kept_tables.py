"""The schedule matrix's table as the page shows it, kept while nothing it shows changed.

Building the table of a 350-center city reads every meeting of the 年度 (about 6,400 rows)
and writes about 670 KB of HTML: three to four times the database's own time for those rows.
The kept table is checked with one index-only query (meetings.schedule_changes.version(),
counted by database triggers, so no way of changing a meeting is missed) and is built again
only after a change. Each web process keeps its own few tables (about 0.7 MB each).
"""

import threading
from collections import OrderedDict

from django.template.loader import render_to_string

from tsunagu.meetings import schedule_changes

from .meetings import schedule_matrix

KEPT_TABLES = 8  # per process: a few periods of a few municipalities
_kept: OrderedDict = OrderedDict()  # (municipality, start, end, 年度) → (version, html)
_lock = threading.Lock()  # the development server answers in threads


def schedule_table(member, start, end, fiscal_year: int | None) -> str:
    """The table body of the 開催状況 page (reports/_matrix_table.html) for the period."""
    if not member.may("meetings.view_all"):
        # A kept table is shared by everyone who sees all of the municipality's meetings.
        return _render(member, start, end, fiscal_year)
    key = (member.municipality_id, start, end, fiscal_year)
    # Read before the table is built: a change committed meanwhile makes the next view
    # build it again, never the other way round.
    current = schedule_changes.version(member.municipality_id)
    with _lock:
        kept = _kept.get(key)
        if kept is not None and kept[0] == current:
            _kept.move_to_end(key)
            return kept[1]
    html = _render(member, start, end, fiscal_year)
    with _lock:
        _kept[key] = (current, html)
        _kept.move_to_end(key)
        while len(_kept) > KEPT_TABLES:
            _kept.popitem(last=False)
    return html


def forget() -> None:
    """Drop every kept table (tests: ids, and so versions, repeat after a rollback)."""
    with _lock:
        _kept.clear()


def _render(member, start, end, fiscal_year) -> str:
    matrix = schedule_matrix(member, start, end, fiscal_year=fiscal_year)
    return render_to_string(
        "reports/_matrix_table.html",
        {"matrix": matrix, "rows": list(matrix.rows()), "totals": matrix.column_totals()},
    )
