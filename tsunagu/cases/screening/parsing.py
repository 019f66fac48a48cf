"""Reading monthly benefit data: one row per service line of one user at one 居宅介護支援事業所.

Parsing returns the rows it understood and every problem it found (messages in Japanese, rows
and columns as the spreadsheet shows them), using the shared import toolkit (lib/tabular).
"""

import functools
import re
from dataclasses import dataclass
from datetime import date

from tsunagu.lib.jtext import DASHES_TO_HYPHEN, KANJI_DIGITS, normalize, squeeze
from tsunagu.lib.tabular import (
    FAILED,
    Bad,
    ImportProblem,
    Limits,
    Problems,
    attempt,
    header_index,
    rows_below,
)
from tsunagu.lib.wareki import MonthError, parse_month

from ..choices import CareLevel

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

# A month of a city's benefit data is far longer than the lists staff type (one to three
# service lines per user: some 25,000 lines for a city of 200,000), so it has limits of its
# own; a larger city screens its data in parts (by office number). Reading 60,000 lines takes
# seconds as CSV and about half a minute as XLSX (bench/hostile_uploads.py).
LIMITS = Limits(
    max_bytes=10 * 1024 * 1024,
    max_rows=60_000,
    max_columns=50,
    max_cell_chars=200,
    max_cells=700_000,
    max_chars=12_000_000,
)

# The one service whose 生活援助中心型 visits the 2018 rule counts and whose cost the 2021
# rule weighs.
HOME_HELP = "訪問介護"


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


# --- Care levels -----------------------------------------------------------------------------

_LEVEL_ALIASES = {
    "自立": CareLevel.INDEPENDENT,
    "非該当": CareLevel.INDEPENDENT,
    "事業対象者": CareLevel.PROGRAM,
    "総合事業対象者": CareLevel.PROGRAM,
}
_LEVEL_VALUES = frozenset(CareLevel.values)
_LEVEL_EXAMPLES = "要介護1〜5、要支援1・2、事業対象者、自立 のいずれかを入力してください。"


# A month of data repeats the same few levels and months tens of thousands of times: each is
# read once (failures are not cached, so every bad cell is still reported).
@functools.lru_cache(maxsize=256)
def parse_care_level(text: str) -> CareLevel:
    """要介護1, 介護1, 要介護１, 要介護一 and the like; also 要支援1–2, 事業対象者, 自立.

    Raises ValueError with a message for staff.
    """
    s = squeeze(text).translate(KANJI_DIGITS)
    if not s:
        raise Bad("要介護度が空欄です。")
    if s in _LEVEL_ALIASES:
        return _LEVEL_ALIASES[s]
    # Exports shorten 要介護1 to 介護1 and 要支援1 to 支援1.
    m = re.fullmatch(r"要?(介護|支援)(\d)", s)
    if m:
        value = f"{'care' if m[1] == '介護' else 'support'}_{m[2]}"
        if value in _LEVEL_VALUES:
            return CareLevel(value)
    if s in _LEVEL_VALUES:
        return CareLevel(s)
    raise Bad(f"要介護度「{s}」は使えません。{_LEVEL_EXAMPLES}")


# --- Parsing ---------------------------------------------------------------------------------

# A unit written after a header: 費用額（円）, 費用額 (円) and 費用額 all name the same column.
_HEADER_UNIT = re.compile(r"\((?:円|回)\)$")


def _header_key(text: str) -> str:
    return _HEADER_UNIT.sub("", squeeze(text))


_KEYS = {_header_key(name): name for name in COLUMNS}


def parse_benefit_data(table: list[list[str]]) -> tuple[list[BenefitRow], Problems]:
    """The rows of a benefit-data table (see `read_table`) and every problem found in them.

    Use the rows only if there are no problems: a plan missing one of its rows could escape
    the rules, so a file is screened whole or not at all.
    """
    problems = Problems()
    # A title line may sit above the header, as in exported reports.
    user_key = _header_key(USER_NUMBER)
    h = header_index(table, lambda cells: user_key in {_header_key(text) for text in cells})
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
    for number, cells in rows_below(table, h):
        row = _parse_row(number, cells, columns, titles, problems)
        if row is not None:
            rows.append(row)
    if not rows and not problems:
        problems.append(ImportProblem(h + 2, titles[USER_NUMBER], "データの行がありません。"))
    _check_plans(rows, titles, problems)
    problems.sort(key=lambda p: p.row)  # Stable: the columns of a row keep their order.
    return rows, problems


def _parse_row(row, cells, columns, titles, problems) -> BenefitRow | None:
    def value(name):
        index = columns[name]
        return cells[index] if index < len(cells) else ""

    def read(name, parse, *args):
        return attempt(problems, row, titles[name], parse, value(name), *args)

    office = read(OFFICE_NUMBER, _office_number)
    office_name = normalize(value(OFFICE_NAME))
    user = read(USER_NUMBER, _user_number)
    level = read(CARE_LEVEL, parse_care_level)
    month = read(MONTH, _month)
    service = read(SERVICE, _service)
    life = read(LIFE_SUPPORT, _count, LIFE_SUPPORT)
    body = read(BODY_CARE, _count, BODY_CARE)
    cost = read(COST, _yen, "費用額", 0)
    limit = read(LIMIT, _yen, "区分支給限度基準額", 1)
    misplaced = False
    if service is not FAILED and service != HOME_HELP:
        # Visits belong to 訪問介護. A count on another line is more likely a mistyped
        # サービス種類 than nothing; ignoring it could hide a plan above the threshold.
        for name, count in ((LIFE_SUPPORT, life), (BODY_CARE, body)):
            if count is not FAILED and count > 0:
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
    if misplaced or any(v is FAILED for v in values):
        return None
    return BenefitRow(
        row, office, office_name, user, level, month, service, life, body, cost, limit
    )


def _office_number(text) -> str:
    s = squeeze(text)
    if not s:
        raise Bad("事業所番号が空欄です。")
    # Excel turns 0112345678 (北海道's offices start with 01) into the number 112345678.
    if s.isascii() and s.isdigit() and len(s) == 9:
        s = "0" + s
    if not (s.isascii() and s.isdigit() and len(s) == 10):
        raise Bad(f"事業所番号「{s}」は10桁の数字で入力してください。")
    return s


def _user_number(text) -> str:
    s = normalize(text)
    if not s:
        raise Bad("利用者番号が空欄です。")
    return s


@functools.lru_cache(maxsize=256)
def _month(text) -> date:
    if not normalize(text):
        raise Bad("サービス提供年月が空欄です。")
    try:
        return parse_month(text)
    except MonthError as e:
        raise Bad(f"サービス提供年月{e}") from None


def _service(text) -> str:
    s = normalize(text)
    if not s:
        raise Bad("サービス種類が空欄です。")
    return s


# 12345 or 12,345; a trailing unit (円, 回) and a leading ¥ are allowed, as Excel formats them.
_NUMBER = re.compile(r"[¥\\]?(?P<sign>-)?(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?:円|回)?")


def _integer(text, label, minimum) -> int:
    s = squeeze(text).translate(DASHES_TO_HYPHEN).replace("▲", "-")
    m = _NUMBER.fullmatch(s)
    if m is None:
        raise Bad(f"{label}「{s}」は{minimum}以上の整数で入力してください。")
    n = int(m["digits"].replace(",", ""))
    if m["sign"] and n:
        raise Bad(f"{label}「{s}」はマイナスです。{minimum}以上の整数で入力してください。")
    if n < minimum:
        raise Bad(f"{label}「{s}」は{minimum}以上の整数で入力してください。")
    return n


def _count(text, label) -> int:
    if not normalize(text):
        return 0  # An empty count means no such visits.
    return _integer(text, label, 0)


def _yen(text, label, minimum) -> int:
    if not normalize(text):
        raise Bad(f"{label}が空欄です。")
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
