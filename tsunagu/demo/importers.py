"""The demo's only contact with the importers: one adapter per importer.

The demo's meetings, resources and benefit data are files in the importers' own formats, read
and saved by the same code as an upload (with every check and the audit entry). Should an
importer's entry points change, the change is one line here.
"""

import datetime
from pathlib import Path

from tsunagu.cases import screening
from tsunagu.meetings import importing as meeting_import
from tsunagu.resources import importing as resource_import


class DemoDataError(ValueError):
    """A demo file that its importer refuses; the message lists every problem."""


def _refuse(path: Path, problems) -> None:
    if problems:
        lines = "\n".join(str(problem) for problem in problems)
        raise DemoDataError(f"{path.name}:\n{lines}")


def import_schedule(path: Path, *, municipality, fiscal_year: int, by, matrix: bool) -> int:
    """The meetings of a schedule, in the matrix a city publishes or in the long form."""
    table = meeting_import.read_table(path.read_bytes(), path.name)
    parse = meeting_import.parse_matrix if matrix else meeting_import.parse_long
    result = parse(table, municipality=municipality, fiscal_year=fiscal_year)
    _refuse(path, result.problems)
    return meeting_import.import_meetings(
        result, municipality=municipality, by=by, source=path.name
    )


def import_resources(path: Path, *, municipality, by, moved_by: datetime.timedelta) -> int:
    """The resources of a directory export; dates of last confirmation moved by `moved_by`."""
    table = resource_import.read_table(path.read_bytes(), path.name)
    result = resource_import.parse_resources(table, municipality=municipality)
    _refuse(path, result.problems)
    for row in result.rows:
        if row.resource.last_confirmed_on is not None:
            row.resource.last_confirmed_on += moved_by
    return resource_import.import_resources(
        result, municipality=municipality, by=by, source=path.name
    )


def screen_benefit_data(path: Path) -> list:
    """The plans a month of benefit data flags for their count of 生活援助 visits."""
    table = screening.read_table(path.read_bytes(), path.name)
    rows, problems = screening.parse_benefit_data(table)
    _refuse(path, problems)
    return screening.screen(rows, month=None).plans
