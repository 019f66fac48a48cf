"""Problems found in an upload, kept in a bounded list that still counts them all."""

from collections.abc import Iterable
from dataclasses import dataclass

# How many problems a page lists; the count above the list is always the total.
MAX_SHOWN = 200
# How many are kept in memory: enough to sort and show the first MAX_SHOWN, never the
# millions a hostile file could produce.
MAX_KEPT = 1000


@dataclass
class ImportProblem:
    row: int  # 1-based, header row included, as the spreadsheet shows it
    column: str  # the header text, or the column letter when the header is empty
    message: str

    def __str__(self) -> str:
        return f"{self.row}行目「{self.column}」列: {self.message}"


class Problems(list):
    """A list of ImportProblem that keeps the first MAX_KEPT and counts every one in `total`."""

    def __init__(self, problems: Iterable[ImportProblem] = ()) -> None:
        super().__init__()
        self.total = 0
        for problem in problems:
            self.append(problem)

    def append(self, problem: ImportProblem) -> None:
        self.total += 1
        if len(self) < MAX_KEPT:
            super().append(problem)

    def extend(self, problems: Iterable[ImportProblem]) -> None:
        for problem in problems:
            self.append(problem)

    def add(self, row: int, column: str, message: str) -> None:
        self.append(ImportProblem(row, column, message))

    @property
    def shown(self) -> list[ImportProblem]:
        return self[:MAX_SHOWN]

    @property
    def not_shown(self) -> int:
        """How many exist beyond those `shown`."""
        return self.total - len(self.shown)
