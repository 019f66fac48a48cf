"""Spreadsheets in and out: one toolkit for every import and every export.

- reading.py: a .csv/.tsv/.xlsx upload as rows of text, read as a stream with limits checked
  while reading (file size, rows, columns, cell length, total cells), hostile files refused.
- problems.py: what is wrong with an upload, by row and column as the spreadsheet numbers them.
- rows.py: the small parsers every importer shares (a cell, a choice, the header row).
- staging.py: an upload kept in a temporary file between the preview and the confirm step.
- writing.py: CSV and XLSX out, with every text cell that a spreadsheet would run as a
  formula written as text.

Messages are Japanese: staff read them as they are.
"""

from .problems import MAX_SHOWN, ImportProblem, Problems
from .reading import DEFAULT_LIMITS, Limits, TooLarge, UnreadableFile, read_table
from .rows import (
    FAILED,
    Bad,
    attempt,
    cell,
    choice,
    column_name,
    header_columns,
    header_index,
    is_blank,
    rows_below,
)
from .staging import Staged, discard, keep_as, stage, staged
from .writing import XlsxBook, csv_bytes, csv_lines, neutralise

__all__ = [
    "DEFAULT_LIMITS",
    "FAILED",
    "MAX_SHOWN",
    "Bad",
    "ImportProblem",
    "Limits",
    "Problems",
    "Staged",
    "TooLarge",
    "UnreadableFile",
    "XlsxBook",
    "attempt",
    "cell",
    "choice",
    "column_name",
    "csv_bytes",
    "csv_lines",
    "discard",
    "header_columns",
    "header_index",
    "is_blank",
    "rows_below",
    "keep_as",
    "neutralise",
    "read_table",
    "stage",
    "staged",
]
