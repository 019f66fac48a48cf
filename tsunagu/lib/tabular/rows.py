"""The small parsers every importer shares: one cell at a time, each failure a problem.

An importer's cell parsers raise `Bad` with a message for staff; `attempt` records it at the
cell's row and column and returns FAILED, so that a row goes on being read and every problem
in it is reported at once.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.db.models import Choices
from openpyxl.utils import get_column_letter

from tsunagu.lib.jtext import normalize

from .problems import Problems


class Bad(ValueError):
    """A cell that cannot be imported; the message is meant for staff."""


# What `attempt` returns once it has recorded a problem; compare with `is`.
FAILED = object()


def attempt(
    problems: Problems,
    row: int,
    column: str,
    parse: Callable,
    *args: Any,
    errors: tuple[type[Exception], ...] = (),
) -> Any:
    """parse(*args), or record its message at (row, column) and return FAILED.

    `Bad` is always caught; `errors` adds exception types whose message is also for staff
    (WarekiError, ScheduleError …).
    """
    catch: tuple[type[Exception], ...] = (Bad, *errors)
    try:
        return parse(*args)
    except catch as error:
        problems.add(row, column, str(error))
        return FAILED


def choice(
    choices: type[Choices], label: str, text: str, *, default: Any = None, required: bool = False
) -> Any:
    """The value of a label (対面) or a value (in_person) of a TextChoices.

    An empty cell gives `default`, or is refused when `required`.
    """
    s = normalize(text)
    if not s:
        if required:
            raise Bad(f"{label}が空欄です。")
        return default
    for value, name in choices.choices:
        if s in (value, name):
            return value
    allowed = "、".join(choices.labels)
    raise Bad(f"{label}「{s}」は使えません。{allowed} のいずれかを入力してください。")


def header_index(table: Sequence[Sequence[str]], is_header: Callable[[list[str]], bool]) -> int:
    """The first row that `is_header` accepts (its cells normalized), else the first row.

    A title line may sit above the header, as in published and exported tables.
    """
    for i, cells in enumerate(table):
        if is_header([normalize(text) for text in cells]):
            return i
    return 0


def header_columns(table: Sequence[Sequence[str]], h: int, names: Iterable[str]) -> dict[str, int]:
    """Where each of `names` stands in the header row `h` (its cells normalized); names the
    header does not have are left out."""
    header = [normalize(text) for text in (table[h] if table else [])]
    return {name: header.index(name) for name in names if name in header}


def rows_below(table: Sequence[Sequence[str]], h: int) -> Iterator[tuple[int, Sequence[str]]]:
    """(row number as the spreadsheet counts it, cells) of each non-blank row below the header
    row `h`."""
    for i in range(h + 1, len(table)):
        if not is_blank(table[i]):
            yield i + 1, table[i]


def cell(cells: Sequence[str], index: int | None) -> str:
    """The text at `index`, or "" past the end of a short row or for a missing column."""
    return cells[index] if index is not None and index < len(cells) else ""


def column_name(header: Sequence[str], index: int) -> str:
    """The header's text for a column, or its letter (A, B …) where the header is empty."""
    return cell(header, index).strip() or get_column_letter(index + 1)


def is_blank(cells: Sequence[str]) -> bool:
    return not any(text.strip() for text in cells)
