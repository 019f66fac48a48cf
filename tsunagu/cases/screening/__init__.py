"""Screening monthly benefit data for care plans the municipality must review.

A 市職員 uploads one month (or several) of benefit data, one row per service line of one user
at one 居宅介護支援事業所, and gets the plans at or above the 生活援助 visit threshold and the
offices meeting the 2021 rule. One module per concern:

- parsing.py: the benefit-data columns, read through the shared import toolkit (lib/tabular);
- rules.py: the two rules, pure computation;
- export.py: the result as JSON and XLSX.

A later step (screening_views) turns flagged plans into cases.
"""

from tsunagu.lib.tabular import ImportProblem, UnreadableFile, read_table
from tsunagu.lib.wareki import MonthError, format_month, parse_month

from .export import OFFICE_SHEET, PLAN_SHEET, result_month, to_json_dict, to_xlsx
from .parsing import COLUMNS, LIMITS, BenefitRow, parse_benefit_data, parse_care_level
from .rules import FlaggedOffice, FlaggedPlan, ScreeningResult, screen

__all__ = [
    "COLUMNS",
    "BenefitRow",
    "LIMITS",
    "FlaggedOffice",
    "FlaggedPlan",
    "ImportProblem",
    "MonthError",
    "OFFICE_SHEET",
    "PLAN_SHEET",
    "ScreeningResult",
    "UnreadableFile",
    "format_month",
    "parse_benefit_data",
    "parse_care_level",
    "parse_month",
    "read_table",
    "result_month",
    "screen",
    "to_json_dict",
    "to_xlsx",
]
