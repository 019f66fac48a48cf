"""Japanese era (和暦) dates: display formats and parsing of what staff type.

Municipal staff read and write dates in 和暦, so dates shown in or accepted from the UI go
through this module. Error messages are shown to staff as they are, hence Japanese.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from .jtext import DASHES_TO_HYPHEN


class WarekiError(ValueError):
    """Input could not be read as a date or 年度; the message is meant for staff."""


@dataclass(frozen=True)
class _Era:
    name: str  # "令和"
    initial: str  # "R"
    start: date

    @property
    def abbreviation(self) -> str:
        return self.name[0]


# Oldest first: the era of a date is the last one that started on or before it.
_ERAS: tuple[_Era, ...] = (
    _Era("明治", "M", date(1868, 10, 23)),
    _Era("大正", "T", date(1912, 7, 30)),
    _Era("昭和", "S", date(1926, 12, 25)),
    _Era("平成", "H", date(1989, 1, 8)),
    _Era("令和", "R", date(2019, 5, 1)),
)

# Every way staff name an era; fiscal.py uses it too so both modules accept the same tokens.
_ERA_TOKEN = "|".join(
    [e.name for e in _ERAS] + [e.abbreviation for e in _ERAS] + [e.initial for e in _ERAS]
)

_UNREADABLE = (
    "日付として読めません。2021-06-01、2021/6/1、R3.6.1、令和3年6月1日 のように入力してください。"
)

# Separators are checked for consistency after matching (see _separators_agree).
_TAIL = (
    r"(?P<sep1>[年./-])(?P<month>\d{1,2})(?P<sep2>[月./-])(?P<day>\d{1,2})(?P<sep3>日?)"
    r"(?:\([月火水木金土日](?:曜日?)?\))?"  # Weekdays copied from calendars are ignored.
)
# Western years need four digits: "21/6/1" is far more likely a slip for 2021 than year 21.
_WESTERN_RE = re.compile(r"(?P<year>\d{4})" + _TAIL)
_ERA_RE = re.compile(rf"(?P<era>{_ERA_TOKEN})(?P<year>\d{{1,3}}|元)" + _TAIL)


def _normalize(text: str) -> str:
    # NFKC folds full-width digits, slashes, dots, brackets and ligatures such as ㋿ to plain
    # characters; upper-casing lets "r3.6.1" read like "R3.6.1".
    text = unicodedata.normalize("NFKC", text).translate(DASHES_TO_HYPHEN)
    return re.sub(r"\s+", "", text).upper()


def _era_of(d: date) -> _Era | None:
    for era in reversed(_ERAS):
        if d >= era.start:
            return era
    return None


def _era_by_token(token: str) -> _Era:
    return next(e for e in _ERAS if token in (e.name, e.abbreviation, e.initial))


def _next_era(era: _Era) -> _Era | None:
    i = _ERAS.index(era)
    return _ERAS[i + 1] if i + 1 < len(_ERAS) else None


def _year_label(n: int) -> str:
    return "元" if n == 1 else str(n)


def era_year(d: date) -> tuple[str, int]:
    """Return the era name and year number of d, e.g. ("令和", 3)."""
    era = _era_of(d)
    if era is None:
        raise WarekiError(f"{d.year}年{d.month}月{d.day}日は明治より前のため和暦で表せません。")
    return era.name, d.year - era.start.year + 1


def format_wareki(d: date) -> str:
    """Format as "令和3年6月1日"; dates before 明治 fall back to "1867年1月1日"."""
    if _era_of(d) is None:
        # Zero-padded like isoformat() so parse_date, which wants four-digit years, reads it back.
        return f"{d.year:04d}年{d.month}月{d.day}日"
    name, n = era_year(d)
    return f"{name}{_year_label(n)}年{d.month}月{d.day}日"


def format_wareki_short(d: date) -> str:
    """Format as "R3.6.1" (元年 is written 1); dates before 明治 fall back to ISO format."""
    era = _era_of(d)
    if era is None:
        return d.isoformat()
    return f"{era.initial}{d.year - era.start.year + 1}.{d.month}.{d.day}"


def format_wareki_with_western(d: date) -> str:
    """Format as "令和3年6月1日（2021-06-01）"; before 明治 the Western date alone."""
    if _era_of(d) is None:
        return format_wareki(d)
    return f"{format_wareki(d)}（{d.isoformat()}）"


def _separators_agree(m: re.Match[str]) -> bool:
    # Mixed forms such as "2021年6.1" are more likely typos than something staff meant.
    seps = (m["sep1"], m["sep2"], m["sep3"])
    if seps[0] == "年":
        return seps[1] == "月"
    return seps[1] == seps[0] and seps[2] == ""


def _make_date(year: int, month: int, day: int, label: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise WarekiError(f"{label}は存在しない日付です。") from None


def _era_date(era: _Era, n: int, month: int, day: int) -> date:
    label = f"{era.name}{_year_label(n)}年{month}月{day}日"
    if n == 0:
        raise WarekiError(f"{era.name}0年はありません。{era.name}は元年（1年）から始まります。")
    d = _make_date(era.start.year + n - 1, month, day, label)
    if d < era.start:
        raise WarekiError(f"{label}は{era.name}の開始日（{format_wareki(era.start)}）より前です。")
    following = _next_era(era)
    if following is not None and d >= following.start:
        raise WarekiError(
            f"{label}は{era.name}の終了後です"
            f"（{format_wareki(following.start)}から{following.name}）。"
        )
    return d


def parse_date(text: str) -> date:
    """Read a Western or 和暦 date as staff type it; raise WarekiError if it is not one."""
    s = _normalize(text)
    m = _WESTERN_RE.fullmatch(s) or _ERA_RE.fullmatch(s)
    if m is None or not _separators_agree(m):
        raise WarekiError(_UNREADABLE)
    month, day = int(m["month"]), int(m["day"])
    if m.re is _WESTERN_RE:
        year = int(m["year"])
        return _make_date(year, month, day, f"{year}年{month}月{day}日")
    n = 1 if m["year"] == "元" else int(m["year"])
    return _era_date(_era_by_token(m["era"]), n, month, day)


# --- Months ----------------------------------------------------------------------------------


class MonthError(WarekiError):
    """Text that is not a year and month; the message is meant for staff."""


_MONTH_EXAMPLES = "2021-10、2021/10、202110、R3.10、令和3年10月 のように入力してください。"
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
    shown = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip()
    s = _normalize(shown)  # Messages quote what staff typed, not what it was read as.
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


def iso_month(month: date) -> str:
    """2021-10."""
    return f"{month.year:04d}-{month.month:02d}"


def format_elapsed(start: date, end: date) -> str:
    """How long from start to end, as staff say it: 「1年11か月」, 「3か月」, 「12日」, 「当日」."""
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    if months <= 0:
        days = (end - start).days
        return f"{days}日" if days > 0 else "当日"
    years, months = divmod(months, 12)
    return (f"{years}年" if years else "") + (f"{months}か月" if months else "")
