from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tsunagu.lib.fiscal import (
    fiscal_months,
    fiscal_year,
    fiscal_year_range,
    format_fiscal_year,
    parse_fiscal_year,
)
from tsunagu.lib.wareki import WarekiError

UNREADABLE = "年度として読めません。2021、令和3年度、R3 のように入力してください。"


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2021, 4, 1), 2021),
        (date(2021, 12, 31), 2021),
        (date(2022, 1, 1), 2021),
        (date(2022, 3, 31), 2021),
        (date(2021, 3, 31), 2020),
    ],
)
def test_it_finds_the_fiscal_year(d: date, expected: int) -> None:
    assert fiscal_year(d) == expected


def test_it_gives_the_inclusive_range() -> None:
    assert fiscal_year_range(2021) == (date(2021, 4, 1), date(2022, 3, 31))


def test_it_lists_months_april_to_march() -> None:
    months = fiscal_months(2021)
    assert len(months) == 12
    assert months[0] == (2021, 4)
    assert months[8] == (2021, 12)
    assert months[9] == (2022, 1)
    assert months[-1] == (2022, 3)


@pytest.mark.parametrize(
    ("fy", "expected"),
    [
        (2021, "令和3年度"),
        (2019, "令和元年度"),
        (2018, "平成30年度"),
        (1989, "平成元年度"),
        (1988, "昭和63年度"),
        (1926, "昭和元年度"),
        (1912, "大正元年度"),
        (1868, "明治元年度"),
        (1867, "1867年度"),
    ],
)
def test_it_formats_fiscal_years_by_custom(fy: int, expected: str) -> None:
    assert format_fiscal_year(fy) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和3年度", 2021),
        ("令和3", 2021),
        ("R3", 2021),
        ("r3", 2021),
        ("R3年度", 2021),
        ("令3年度", 2021),
        ("2021", 2021),
        ("2021年度", 2021),
        ("２０２１年度", 2021),
        (" Ｒ３ ", 2021),
        ("令和元年度", 2019),
        ("R元", 2019),
        ("平成30年度", 2018),
        ("平成31年度", 2019),
        ("昭和63年度", 1988),
    ],
)
def test_it_parses_fiscal_years(text: str, expected: int) -> None:
    assert parse_fiscal_year(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("令和0年度", "令和0年度はありません。令和は元年度から始まります。"),
        ("平成32年度", "平成32年度は平成の終了後です（2020年度は令和2年度）。"),
    ],
)
def test_it_rejects_impossible_fiscal_years(text: str, message: str) -> None:
    with pytest.raises(WarekiError) as excinfo:
        parse_fiscal_year(text)
    assert str(excinfo.value) == message


@pytest.mark.parametrize("text", ["", "令和", "21", "0000", "令和3年", "R3.4", "来年度"])
def test_it_rejects_unreadable_fiscal_years(text: str) -> None:
    with pytest.raises(WarekiError) as excinfo:
        parse_fiscal_year(text)
    assert str(excinfo.value) == UNREADABLE


@given(st.dates(min_value=date(1, 4, 1), max_value=date(9999, 3, 31)))
def test_it_puts_every_date_in_its_fiscal_year_range(d: date) -> None:
    start, end = fiscal_year_range(fiscal_year(d))
    assert start <= d <= end


@given(st.integers(min_value=1989, max_value=2100))
def test_it_round_trips_fiscal_year_names(fy: int) -> None:
    assert parse_fiscal_year(format_fiscal_year(fy)) == fy


@given(st.integers(min_value=1, max_value=9998))
def test_it_lists_months_inside_the_range(fy: int) -> None:
    start, end = fiscal_year_range(fy)
    months = fiscal_months(fy)
    assert months[0] == (start.year, start.month)
    assert months[-1] == (end.year, end.month)
