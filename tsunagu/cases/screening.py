"""Screening monthly benefit data for care plans the municipality must review (DOMAIN.md §4).

A 市職員 uploads one month (or several) of benefit data, one row per service line of one user
at one 居宅介護支援事業所, and gets:

- the plans whose count of 訪問介護 生活援助中心型 visits is at or above the threshold for the
  person's 要介護度 (the 2018 rule: such plans must be submitted and may be reviewed), and
- the 居宅介護支援事業所 that meet the 2021 rule: over their plans, total cost at or above 70%
  of the 区分支給限度基準額 and 訪問介護 at or above 60% of the total cost.

Everything here is pure: parsing returns the rows it understood and every problem it found
(messages in Japanese, rows and columns as the spreadsheet shows them, like
meetings/importing.py), and screening only computes. A later step turns flagged plans into cases.
"""

import io
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from openpyxl import Workbook
from openpyxl.styles import Font

from tsunagu.lib.jtext import normalize
from tsunagu.lib.wareki import WarekiError, era_year, parse_date
from tsunagu.meetings.importing import ImportProblem, UnreadableFile, read_table

from .choices import LIFE_SUPPORT_THRESHOLDS, OFFICE_HOME_HELP_RATIO, OFFICE_LIMIT_RATIO, CareLevel

__all__ = [
    "COLUMNS",
    "BenefitRow",
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

OFFICE_NUMBER = "事業所番号"
OFFICE_NAME = "事業所名"
USER_NUMBER = "利用者番号"
CARE_LEVEL = "要介護度"
MONTH = "サービス提供年月"
SERVICE = "サービス種類"
LIFE_SUPPORT = "生活援助回数"
BODY_CARE = "身体介護回数"
COST = "費用額（円）"
LIMIT = "区分支給限度基準額（円）"

# In the order of the template (and of the sample file). All are required.
COLUMNS = (
    OFFICE_NUMBER,
    OFFICE_NAME,
    USER_NUMBER,
    CARE_LEVEL,
    MONTH,
    SERVICE,
    LIFE_SUPPORT,
    BODY_CARE,
    COST,
    LIMIT,
)

# The one service whose 生活援助中心型 visits the 2018 rule counts and whose cost the 2021
# rule weighs.
HOME_HELP = "訪問介護"

# Fractions of the constants' decimal text: 0.70 is exactly 7/10 here, so that comparisons are
# exact. With floats, 0.7 * 167650 is 117354.99999999999 and an office at exactly 70% of a
# 要介護1 limit would be judged by a rounding error.
_LIMIT_RATIO = Fraction(str(OFFICE_LIMIT_RATIO))
_HOME_HELP_RATIO = Fraction(str(OFFICE_HOME_HELP_RATIO))

# The 2021 rule is about 居宅サービス計画, which are made for 要介護1–5 only; plans for 要支援
# and 事業対象者 are 介護予防 plans (the 地域包括支援センター's, even when an office is
# entrusted with them) and neither count towards an office's ratios nor have a visit threshold.
_CARE_LEVELS = frozenset(LIFE_SUPPORT_THRESHOLDS)


class MonthError(ValueError):
    """Text that is not a year and month; the message is meant for staff."""


class _Bad(ValueError):
    """A cell that cannot be read; the message is meant for staff."""


@dataclass(frozen=True)
class BenefitRow:
    """One service line of one user in one month, under the office that made the plan."""

    row: int  # 1-based, header row included, as the spreadsheet shows it
    office_number: str
    office_name: str
    user_number: str
    care_level: CareLevel
    month: date  # the first of the month
    service: str
    life_support: int  # 生活援助中心型 visits; 生活援助 added onto 身体介護 is not in it
    body_care: int  # 身体介護中心型 visits; read and checked, never counted by the rules
    cost: int  # 円
    limit: int  # 円, the user's 区分支給限度基準額 for the month


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


# --- Months ----------------------------------------------------------------------------------

_MONTH_EXAMPLES = "2021-10、2021/10、202110、R3.10、令和3年10月 のように入力してください。"
# Dash look-alikes that Japanese IMEs produce and NFKC leaves alone (as in lib/wareki.py).
_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−ー", "-"))
# A year (Western, or an era and its year) and a month. The era itself is checked by
# parse_date, which knows the eras, once a day has been added.
_YEAR_MONTH = re.compile(
    r"(?:\d{4}|\D{1,2}(?:\d{1,3}|元))"
    r"(?:(?P<sep>[-/.])(?P<month>\d{1,2})|年(?P<kanji_month>\d{1,2})月)"
)


def parse_month(text: str) -> date:
    """The first day of the month that 2021-10, 2021/10, 202110, R3.10 or 令和3年10月 name.

    A whole date (2021-10-01, as an Excel date cell reads) names its month too.
    """
    shown = normalize(text)  # Messages quote what staff typed, not what it was read as.
    s = re.sub(r"\s+", "", shown).translate(_DASHES).upper()
    if not s:
        raise MonthError("年月が空欄です。")
    if re.fullmatch(r"\d{6}", s):  # 202110, as 国保連 files write it
        s = f"{s[:4]}-{s[4:]}"
    m = _YEAR_MONTH.fullmatch(s)
    if m is None:
        try:
            day = parse_date(s)
        except WarekiError:
            raise MonthError(f"「{shown}」を年月として読めません。{_MONTH_EXAMPLES}") from None
        return day.replace(day=1)
    if not 1 <= int(m["month"] or m["kanji_month"]) <= 12:
        raise MonthError(f"「{shown}」は存在しない年月です。月は1〜12で入力してください。")
    # parse_date knows the eras (R0, 平成33 …): ask it about the first of the month.
    with_day = f"{s}1日" if m["kanji_month"] else f"{s}{m['sep']}1"
    try:
        return parse_date(with_day)
    except WarekiError as e:
        raise MonthError(f"「{shown}」は存在しない年月です（{e}）") from None


def format_month(month: date) -> str:
    """令和3年10月, as staff read months."""
    try:
        era, n = era_year(month)
    except WarekiError:
        return f"{month.year}年{month.month}月"
    return f"{era}{'元' if n == 1 else n}年{month.month}月"


def _iso_month(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


# --- Care levels -----------------------------------------------------------------------------

_KANJI_DIGITS = str.maketrans("一二三四五", "12345")
_LEVEL_ALIASES = {
    "自立": CareLevel.INDEPENDENT,
    "非該当": CareLevel.INDEPENDENT,
    "事業対象者": CareLevel.PROGRAM,
    "総合事業対象者": CareLevel.PROGRAM,
}
_LEVEL_EXAMPLES = "要介護1〜5、要支援1・2、事業対象者、自立 のいずれかを入力してください。"


def parse_care_level(text: str) -> CareLevel:
    """要介護1, 介護1, 要介護１, 要介護一 and the like; also 要支援1–2, 事業対象者, 自立.

    Raises ValueError with a message for staff.
    """
    s = re.sub(r"\s+", "", normalize(text)).translate(_KANJI_DIGITS)
    if not s:
        raise _Bad("要介護度が空欄です。")
    if s in _LEVEL_ALIASES:
        return _LEVEL_ALIASES[s]
    # Exports shorten 要介護1 to 介護1 and 要支援1 to 支援1.
    m = re.fullmatch(r"要?(介護|支援)(\d)", s)
    if m:
        value = f"{'care' if m[1] == '介護' else 'support'}_{m[2]}"
        if value in CareLevel.values:
            return CareLevel(value)
    if s in CareLevel.values:
        return CareLevel(s)
    raise _Bad(f"要介護度「{s}」は使えません。{_LEVEL_EXAMPLES}")


# --- Parsing ---------------------------------------------------------------------------------

# A unit written after a header: 費用額（円）, 費用額 (円) and 費用額 all name the same column.
_HEADER_UNIT = re.compile(r"\((?:円|回)\)$")


def _header_key(text: str) -> str:
    return _HEADER_UNIT.sub("", re.sub(r"\s+", "", normalize(text)))


_KEYS = {_header_key(name): name for name in COLUMNS}


def parse_benefit_data(table: list[list[str]]) -> tuple[list[BenefitRow], list[ImportProblem]]:
    """The rows of a benefit-data table (see `read_table`) and every problem found in them.

    Use the rows only if there are no problems: a plan missing one of its rows could escape
    the rules, so a file is screened whole or not at all.
    """
    problems: list[ImportProblem] = []
    h = _header_index(table)
    header = table[h] if table else []
    columns: dict[str, int] = {}  # canonical name -> index
    titles: dict[str, str] = {}  # canonical name -> the header as the file writes it
    for index, text in enumerate(header):
        name = _KEYS.get(_header_key(text))
        if name is None:
            continue  # Other columns (備考 …) may be there; they are not read.
        if name in columns:
            problems.append(
                ImportProblem(h + 1, text.strip(), f"見出しが「{name}」の列が2つあります。")
            )
            continue
        columns[name] = index
        titles[name] = text.strip()
    missing = [name for name in COLUMNS if name not in columns]
    if missing:
        problems.append(
            ImportProblem(
                h + 1,
                "、".join(missing),
                "見出しに"
                + "".join(f"「{name}」" for name in missing)
                + "の列がありません。見出しの行には "
                + "、".join(COLUMNS)
                + " を置いてください。",
            )
        )
    if problems:
        return [], problems

    rows: list[BenefitRow] = []
    for i in range(h + 1, len(table)):
        cells = table[i]
        if not any(text.strip() for text in cells):
            continue
        row = _parse_row(i + 1, cells, columns, titles, problems)
        if row is not None:
            rows.append(row)
    if not rows and not problems:
        problems.append(ImportProblem(h + 2, titles[USER_NUMBER], "データの行がありません。"))
    _check_plans(rows, titles, problems)
    problems.sort(key=lambda p: p.row)  # Stable: the columns of a row keep their order.
    return rows, problems


def _header_index(table) -> int:
    # A title line may sit above the header, as in exported reports.
    for i, cells in enumerate(table):
        if _header_key(USER_NUMBER) in {_header_key(text) for text in cells}:
            return i
    return 0


_FAILED = object()


def _parse_row(row, cells, columns, titles, problems) -> BenefitRow | None:
    def value(name):
        index = columns[name]
        return cells[index] if index < len(cells) else ""

    def attempt(name, parse, *args):
        try:
            return parse(value(name), *args)
        except (_Bad, MonthError) as e:
            problems.append(ImportProblem(row, titles[name], str(e)))
            return _FAILED

    office = attempt(OFFICE_NUMBER, _office_number)
    office_name = normalize(value(OFFICE_NAME))
    user = attempt(USER_NUMBER, _user_number)
    level = attempt(CARE_LEVEL, parse_care_level)
    month = attempt(MONTH, _month)
    service = attempt(SERVICE, _service)
    life = attempt(LIFE_SUPPORT, _count, LIFE_SUPPORT)
    body = attempt(BODY_CARE, _count, BODY_CARE)
    cost = attempt(COST, _yen, "費用額", 0)
    limit = attempt(LIMIT, _yen, "区分支給限度基準額", 1)
    misplaced = False
    if service is not _FAILED and service != HOME_HELP:
        # Visits belong to 訪問介護. A count on another line is more likely a mistyped
        # サービス種類 than nothing; ignoring it could hide a plan above the threshold.
        for name, count in ((LIFE_SUPPORT, life), (BODY_CARE, body)):
            if count is not _FAILED and count > 0:
                misplaced = True
                problems.append(
                    ImportProblem(
                        row,
                        titles[name],
                        f"{name}は{HOME_HELP}の行にだけ入力できます"
                        f"（この行のサービス種類は「{service}」）。",
                    )
                )
    values = (office, user, level, month, service, life, body, cost, limit)
    if misplaced or any(v is _FAILED for v in values):
        return None
    return BenefitRow(
        row, office, office_name, user, level, month, service, life, body, cost, limit
    )


def _office_number(text) -> str:
    s = re.sub(r"\s+", "", normalize(text))
    if not s:
        raise _Bad("事業所番号が空欄です。")
    # Excel turns 0112345678 (北海道's offices start with 01) into the number 112345678.
    if s.isascii() and s.isdigit() and len(s) == 9:
        s = "0" + s
    if not (s.isascii() and s.isdigit() and len(s) == 10):
        raise _Bad(f"事業所番号「{s}」は10桁の数字で入力してください。")
    return s


def _user_number(text) -> str:
    s = normalize(text)
    if not s:
        raise _Bad("利用者番号が空欄です。")
    return s


def _month(text) -> date:
    if not normalize(text):
        raise _Bad("サービス提供年月が空欄です。")
    try:
        return parse_month(text)
    except MonthError as e:
        raise _Bad(f"サービス提供年月{e}") from None


def _service(text) -> str:
    s = normalize(text)
    if not s:
        raise _Bad("サービス種類が空欄です。")
    return s


# 12345 or 12,345; a trailing unit (円, 回) and a leading ¥ are allowed, as Excel formats them.
_NUMBER = re.compile(r"[¥\\]?(?P<sign>-)?(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?:円|回)?")


def _integer(text, label, minimum) -> int:
    s = re.sub(r"\s+", "", normalize(text)).translate(_DASHES).replace("▲", "-")
    m = _NUMBER.fullmatch(s)
    if m is None:
        raise _Bad(f"{label}「{s}」は{minimum}以上の整数で入力してください。")
    n = int(m["digits"].replace(",", ""))
    if m["sign"] and n:
        raise _Bad(f"{label}「{s}」はマイナスです。{minimum}以上の整数で入力してください。")
    if n < minimum:
        raise _Bad(f"{label}「{s}」は{minimum}以上の整数で入力してください。")
    return n


def _count(text, label) -> int:
    if not normalize(text):
        return 0  # An empty count means no such visits.
    return _integer(text, label, 0)


def _yen(text, label, minimum) -> int:
    if not normalize(text):
        raise _Bad(f"{label}が空欄です。")
    return _integer(text, label, minimum)


def _check_plans(rows, titles, problems):
    """The limit and the level belong to the user and month, so every line must agree."""
    first: dict[tuple, BenefitRow] = {}
    for r in rows:
        key = (r.office_number, r.user_number, r.month)
        earlier = first.setdefault(key, r)
        if earlier is r:
            continue
        if r.limit != earlier.limit:
            problems.append(
                ImportProblem(
                    r.row,
                    titles[LIMIT],
                    f"区分支給限度基準額「{r.limit:,}」が、同じ利用者・同じ月の"
                    f"{earlier.row}行目（{earlier.limit:,}円）と異なります。",
                )
            )
        if r.care_level != earlier.care_level:
            problems.append(
                ImportProblem(
                    r.row,
                    titles[CARE_LEVEL],
                    f"要介護度「{r.care_level.label}」が、同じ利用者・同じ月の"
                    f"{earlier.row}行目（{earlier.care_level.label}）と異なります。",
                )
            )


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
                    month=_iso_month(plan.month),
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


# --- Output ----------------------------------------------------------------------------------


def result_month(result: ScreeningResult) -> date | None:
    """The month screened: the one asked for, or the file's only month."""
    if result.month is not None:
        return result.month
    return result.months[0] if len(result.months) == 1 else None


def to_json_dict(result: ScreeningResult) -> dict:
    month = result_month(result)
    return {
        "month": _iso_month(month) if month else None,
        "plans": [
            {
                "user_number": p.user_number,
                "office_number": p.office_number,
                "care_level": p.care_level,
                "life_support_count": p.life_support_count,
                "threshold": p.threshold,
            }
            for p in result.plans
        ],
        "offices": [
            {
                "office_number": o.office_number,
                "office_name": o.office_name,
                "plans": o.plan_count,
                "total_cost": o.total_cost,
                "limit_total": o.limit_total,
                "home_help_cost": o.home_help_cost,
                "limit_ratio": o.limit_ratio,
                "home_help_ratio": o.home_help_ratio,
            }
            for o in result.offices
        ],
    }


PLAN_SHEET = "届出対象のケアプラン"
OFFICE_SHEET = "対象の居宅介護支援事業所"
PLAN_HEADERS = (
    "事業所番号",
    "事業所名",
    "利用者番号",
    "要介護度",
    "サービス提供年月",
    "生活援助回数",
    "基準回数",
)
OFFICE_HEADERS = (
    "事業所番号",
    "事業所名",
    "ケアプラン数",
    "費用額合計（円）",
    "区分支給限度基準額合計（円）",
    "訪問介護の費用額（円）",
    "限度額に占める割合",
    "訪問介護の割合",
)


def _period(result: ScreeningResult) -> str:
    month = result_month(result)
    if month is not None:
        return format_month(month)
    if result.months:
        return f"{format_month(result.months[0])}〜{format_month(result.months[-1])}"
    return "該当月なし"


def to_xlsx(result: ScreeningResult) -> bytes:
    """Two sheets, each a title line, a header line and one line per flagged plan or office."""
    workbook = Workbook()
    plans = workbook.active
    plans.title = PLAN_SHEET
    period = _period(result)
    _start_sheet(
        plans,
        f"生活援助中心型の訪問回数が基準回数以上のケアプラン（{period}）",
        PLAN_HEADERS,
    )
    for p in result.plans:
        plans.append(
            [
                p.office_number,  # Text: Excel would drop a leading 0.
                p.office_name,
                p.user_number,
                p.care_level,
                p.month,
                p.life_support_count,
                p.threshold,
            ]
        )
    _widths(plans, (14, 30, 14, 10, 16, 12, 10))

    offices = workbook.create_sheet(OFFICE_SHEET)
    _start_sheet(
        offices,
        f"区分支給限度基準額の7割以上かつ訪問介護が6割以上の居宅介護支援事業所（{period}）",
        OFFICE_HEADERS,
    )
    for o in result.offices:
        offices.append(
            [
                o.office_number,
                o.office_name,
                o.plan_count,
                o.total_cost,
                o.limit_total,
                o.home_help_cost,
                o.limit_ratio,
                o.home_help_ratio,
            ]
        )
        for cell in offices[offices.max_row][3:6]:
            cell.number_format = "#,##0"
        for cell in offices[offices.max_row][6:8]:
            cell.number_format = "0.0%"
    _widths(offices, (14, 30, 12, 16, 24, 20, 18, 14))

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _start_sheet(sheet, title, headers):
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(headers))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A3"


def _widths(sheet, widths):
    for column, width in zip("ABCDEFGH", widths, strict=False):
        sheet.column_dimensions[column].width = width
