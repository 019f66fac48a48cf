"""The two screening rules over parsed benefit rows.

- the plans whose count of 訪問介護 生活援助中心型 visits is at or above the threshold for the
  person's 要介護度 (the 2018 rule: such plans must be submitted and may be reviewed), and
- the 居宅介護支援事業所 that meet the 2021 rule: over their plans, total cost at or above 70%
  of the 区分支給限度基準額 and 訪問介護 at or above 60% of the total cost.

Pure computation: nothing here reads files or writes to the database.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from tsunagu.lib.wareki import iso_month

from ..choices import LIFE_SUPPORT_THRESHOLDS, OFFICE_HOME_HELP_RATIO, OFFICE_LIMIT_RATIO, CareLevel
from .parsing import HOME_HELP, BenefitRow

# Fractions of the constants' decimal text: 0.70 is exactly 7/10 here, so that comparisons are
# exact. With floats, 0.7 * 167650 is 117354.99999999999 and an office at exactly 70% of a
# 要介護1 limit would be judged by a rounding error.
_LIMIT_RATIO = Fraction(str(OFFICE_LIMIT_RATIO))
_HOME_HELP_RATIO = Fraction(str(OFFICE_HOME_HELP_RATIO))

# The 2021 rule is about 居宅サービス計画, which are made for 要介護1–5 only; plans for 要支援
# and 事業対象者 are 介護予防 plans (the 地域包括支援センター's, even when an office is
# entrusted with them) and neither count towards an office's ratios nor have a visit threshold.
_CARE_LEVELS = frozenset(LIFE_SUPPORT_THRESHOLDS)


@dataclass(frozen=True)
class FlaggedPlan:
    office_number: str
    office_name: str
    user_number: str
    care_level: str  # the label, 要介護1
    month: str  # YYYY-MM
    life_support_count: int
    threshold: int


@dataclass(frozen=True)
class FlaggedOffice:
    office_number: str
    office_name: str
    plan_count: int
    total_cost: int
    limit_total: int
    home_help_cost: int
    limit_ratio: float  # rounded to 3 decimals, for showing only; the rule uses exact values
    home_help_ratio: float


@dataclass(frozen=True)
class ScreeningResult:
    month: date | None  # the month asked for; None: every month in the file
    months: tuple[date, ...]  # the months of the rows that counted
    plans: list[FlaggedPlan]
    offices: list[FlaggedOffice]
    plans_checked: int
    offices_checked: int  # offices with at least one 要介護 plan, which the 2021 rule weighs


# --- Screening -------------------------------------------------------------------------------


@dataclass
class _Plan:
    office_number: str
    office_name: str
    user_number: str
    care_level: CareLevel
    month: date
    life_support: int = 0
    total_cost: int = 0
    home_help_cost: int = 0
    limit: int = 0


def screen(rows: list[BenefitRow], *, month: date | None) -> ScreeningResult:
    """The plans at or above their threshold and the offices meeting the 2021 rule.

    With `month`, only that month's rows count: a file may hold several months and staff
    screen one at a time. Without it, each plan is still one user-month, and an office's
    ratios are taken over all its plans in the file.
    """
    if month is not None:
        month = month.replace(day=1)
        rows = [r for r in rows if r.month == month]

    plans: dict[tuple, _Plan] = {}
    for r in rows:
        key = (r.office_number, r.user_number, r.month)
        plan = plans.get(key)
        if plan is None:
            plan = plans[key] = _Plan(
                r.office_number, r.office_name, r.user_number, r.care_level, r.month
            )
        plan.office_name = plan.office_name or r.office_name
        plan.total_cost += r.cost
        # Parsing rejects files whose lines disagree; the largest limit is the user's.
        plan.limit = max(plan.limit, r.limit)
        if r.service == HOME_HELP:
            # Only 生活援助中心型 counts; 身体介護 (with or without 生活援助 added) never does.
            plan.life_support += r.life_support
            plan.home_help_cost += r.cost

    flagged = []
    for plan in plans.values():
        threshold = LIFE_SUPPORT_THRESHOLDS.get(plan.care_level)
        if threshold is not None and plan.life_support >= threshold:
            flagged.append(
                FlaggedPlan(
                    office_number=plan.office_number,
                    office_name=plan.office_name,
                    user_number=plan.user_number,
                    care_level=plan.care_level.label,
                    month=iso_month(plan.month),
                    life_support_count=plan.life_support,
                    threshold=threshold,
                )
            )
    flagged.sort(key=lambda p: (p.office_number, p.user_number, p.month))

    by_office: dict[str, list[_Plan]] = defaultdict(list)
    for plan in plans.values():
        if plan.care_level in _CARE_LEVELS:
            by_office[plan.office_number].append(plan)
    offices = []
    for number in sorted(by_office):
        office = _office(number, by_office[number])
        if office is not None:
            offices.append(office)

    return ScreeningResult(
        month=month,
        months=tuple(sorted({r.month for r in rows})),
        plans=flagged,
        offices=offices,
        plans_checked=len(plans),
        offices_checked=len(by_office),
    )


def _office(number, plans) -> FlaggedOffice | None:
    """The office if its plans meet the 2021 rule, compared in whole yen (no rounding)."""
    total = sum(p.total_cost for p in plans)
    limit = sum(p.limit for p in plans)
    home_help = sum(p.home_help_cost for p in plans)
    if total == 0:
        return None  # No service at all: nothing for the rule to weigh.
    meets_limit = total * _LIMIT_RATIO.denominator >= limit * _LIMIT_RATIO.numerator
    meets_home_help = home_help * _HOME_HELP_RATIO.denominator >= total * _HOME_HELP_RATIO.numerator
    if not (meets_limit and meets_home_help):
        return None
    name = next((p.office_name for p in plans if p.office_name), "")
    return FlaggedOffice(
        office_number=number,
        office_name=name,
        plan_count=len(plans),
        total_cost=total,
        limit_total=limit,
        home_help_cost=home_help,
        limit_ratio=_rounded(total, limit),
        home_help_ratio=_rounded(home_help, total),
    )


def _rounded(numerator: int, denominator: int) -> float:
    # Half up in integers: round() on a float would turn 0.6995 (stored as 0.69949…) into 0.699.
    return (numerator * 2000 + denominator) // (2 * denominator) / 1000
