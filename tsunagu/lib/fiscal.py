"""年度 (fiscal years, April 1 to March 31) as municipalities name and budget them."""

import re
from datetime import date

# fiscal.py shares wareki's era table and normaliser so both accept exactly the same input.
from tsunagu.lib.wareki import (
    _ERA_TOKEN,
    _ERAS,
    WarekiError,
    _Era,
    _era_by_token,
    _next_era,
    _normalize,
    _year_label,
)

_UNREADABLE = "年度として読めません。2021、令和3年度、R3 のように入力してください。"

_FISCAL_RE = re.compile(
    rf"(?:(?P<western>\d{{4}})|(?P<era>{_ERA_TOKEN})(?P<year>\d{{1,3}}|元))(?:年度)?"
)


def fiscal_year(d: date) -> int:
    """The Western year in which the 年度 containing d starts (2022-03-31 → 2021)."""
    return d.year if d.month >= 4 else d.year - 1


def fiscal_year_range(fy: int) -> tuple[date, date]:
    """First and last day of 年度 fy, both inclusive."""
    return date(fy, 4, 1), date(fy + 1, 3, 31)


def fiscal_months(fy: int) -> list[tuple[int, int]]:
    """The twelve (year, month) pairs of 年度 fy, April to March."""
    return [(fy, m) for m in range(4, 13)] + [(fy + 1, m) for m in range(1, 4)]


def _era_of_fiscal_year(fy: int) -> _Era | None:
    # Custom names a 年度 after the era that began during calendar year fy, even mid-year:
    # 2019年度 is 令和元年度 though it opened in 平成31年4月, while 1988年度 stays 昭和63年度
    # though 平成 began in January 1989 before it closed. So: the latest era whose start
    # year is at most fy, counting its years from that start year.
    for era in reversed(_ERAS):
        if era.start.year <= fy:
            return era
    return None


def format_fiscal_year(fy: int) -> str:
    """Format as "令和3年度"; years before 明治 fall back to "1867年度"."""
    era = _era_of_fiscal_year(fy)
    if era is None:
        return f"{fy}年度"
    return f"{era.name}{_year_label(fy - era.start.year + 1)}年度"


def parse_fiscal_year(text: str) -> int:
    """Read "令和3年度", "R3", "2021年度" and the like as the Western start year."""
    m = _FISCAL_RE.fullmatch(_normalize(text))
    if m is None or m["western"] == "0000":
        raise WarekiError(_UNREADABLE)
    if m["western"]:
        return int(m["western"])
    era = _era_by_token(m["era"])
    n = 1 if m["year"] == "元" else int(m["year"])
    if n == 0:
        raise WarekiError(f"{era.name}0年度はありません。{era.name}は元年度から始まります。")
    fy = era.start.year + n - 1
    following = _next_era(era)
    # The old era's name stays acceptable for the changeover year (平成31年度 was in real use).
    if following is not None and fy > following.start.year:
        raise WarekiError(
            f"{era.name}{n}年度は{era.name}の終了後です（{fy}年度は{format_fiscal_year(fy)}）。"
        )
    return fy
