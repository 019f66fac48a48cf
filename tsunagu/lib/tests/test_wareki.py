from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tsunagu.lib.wareki import (
    WarekiError,
    era_year,
    format_wareki,
    format_wareki_short,
    format_wareki_with_western,
    parse_date,
)

UNREADABLE = (
    "日付として読めません。2021-06-01、2021/6/1、R3.6.1、令和3年6月1日 のように入力してください。"
)

wareki_dates = st.dates(min_value=date(1868, 10, 23), max_value=date(2100, 12, 31))


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2021, 6, 1), "令和3年6月1日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1926, 12, 25), "昭和元年12月25日"),
        (date(1912, 7, 30), "大正元年7月30日"),
        (date(1868, 10, 23), "明治元年10月23日"),
    ],
)
def test_it_formats_wareki(d: date, expected: str) -> None:
    assert format_wareki(d) == expected


def test_it_formats_pre_meiji_dates_as_western() -> None:
    d = date(1868, 10, 22)
    assert format_wareki(d) == "1868年10月22日"
    assert format_wareki_short(d) == "1868-10-22"
    assert format_wareki_with_western(d) == "1868年10月22日"


def test_it_formats_short_form_with_1_for_gannen() -> None:
    assert format_wareki_short(date(2021, 6, 1)) == "R3.6.1"
    assert format_wareki_short(date(2019, 5, 1)) == "R1.5.1"
    assert format_wareki_short(date(2019, 4, 30)) == "H31.4.30"


def test_it_formats_wareki_with_western() -> None:
    assert format_wareki_with_western(date(2021, 6, 1)) == "令和3年6月1日（2021-06-01）"


def test_it_returns_era_and_year() -> None:
    assert era_year(date(2021, 6, 1)) == ("令和", 3)
    assert era_year(date(2019, 5, 1)) == ("令和", 1)
    assert era_year(date(2019, 4, 30)) == ("平成", 31)


def test_it_refuses_era_year_before_meiji() -> None:
    with pytest.raises(WarekiError, match="1868年10月22日は明治より前のため和暦で表せません。"):
        era_year(date(1868, 10, 22))


@pytest.mark.parametrize(
    "text",
    [
        "2021-06-01",
        "2021/6/1",
        "2021.6.1",
        "2021年6月1日",
        "2021年6月1",
        "2021/6/1(火)",
        "２０２１／６／１",
        "２０２１．６．１",
        "  2021-06-01 ",
        "R3.6.1",
        "r3.6.1",
        "R3/6/1",
        "R3-6-1",
        "R3ー6ー1",
        "Ｒ３．６．１",
        "令3.6.1",
        "令和3年6月1日",
        "令和 3年 6月 1日",
        "令和3.6.1",
        "㋿3.6.1",
        "令和3年6月1日(火)",
        "令和3年6月1日（火）",
        "令和3年6月1日(火曜日)",
    ],
)
def test_it_parses_what_staff_type(text: str) -> None:
    assert parse_date(text) == date(2021, 6, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和元年5月1日", date(2019, 5, 1)),
        ("R元.5.1", date(2019, 5, 1)),
        ("R1.5.1", date(2019, 5, 1)),
        ("H31.4.30", date(2019, 4, 30)),
        ("平成31年4月30日", date(2019, 4, 30)),
        ("平31.4.30", date(2019, 4, 30)),
        ("S64.1.7", date(1989, 1, 7)),
        ("昭64.1.7", date(1989, 1, 7)),
        ("T15.12.24", date(1926, 12, 24)),
        ("大15.12.24", date(1926, 12, 24)),
        ("M45.7.29", date(1912, 7, 29)),
        ("明元.10.23", date(1868, 10, 23)),
        ("明治元年10月23日", date(1868, 10, 23)),
        ("0005-01-01", date(5, 1, 1)),
        ("1600/1/1", date(1600, 1, 1)),
    ],
)
def test_it_parses_each_era_and_western_years(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2021-02-30", "2021年2月30日は存在しない日付です。"),
        ("R3.13.1", "令和3年13月1日は存在しない日付です。"),
        ("平成0年1月1日", "平成0年はありません。平成は元年（1年）から始まります。"),
        ("R0.6.1", "令和0年はありません。令和は元年（1年）から始まります。"),
        ("令和元年4月30日", "令和元年4月30日は令和の開始日（令和元年5月1日）より前です。"),
        ("H31.5.1", "平成31年5月1日は平成の終了後です（令和元年5月1日から令和）。"),
        ("S64.1.8", "昭和64年1月8日は昭和の終了後です（平成元年1月8日から平成）。"),
        ("明元.10.22", "明治元年10月22日は明治の開始日（明治元年10月23日）より前です。"),
    ],
)
def test_it_rejects_impossible_dates_with_a_specific_message(text: str, message: str) -> None:
    with pytest.raises(WarekiError) as excinfo:
        parse_date(text)
    assert str(excinfo.value) == message


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "明日",
        "21/6/1",
        "2021/6.1",
        "2021年6/1",
        "令和3年",
        "X3.6.1",
        "R元年6月",
        "元.6.1",
    ],
)
def test_it_rejects_unreadable_input(text: str) -> None:
    with pytest.raises(WarekiError) as excinfo:
        parse_date(text)
    assert str(excinfo.value) == UNREADABLE


def test_it_raises_a_value_error_subclass() -> None:
    with pytest.raises(ValueError):
        parse_date("nope")


@given(wareki_dates)
def test_it_round_trips_format_wareki(d: date) -> None:
    assert parse_date(format_wareki(d)) == d


@given(wareki_dates)
def test_it_round_trips_format_wareki_short(d: date) -> None:
    assert parse_date(format_wareki_short(d)) == d


@given(wareki_dates)
def test_it_round_trips_format_wareki_with_western_prefix(d: date) -> None:
    assert format_wareki_with_western(d).startswith(format_wareki(d))


@given(st.dates())
def test_it_round_trips_iso_dates(d: date) -> None:
    assert parse_date(d.isoformat()) == d


@given(st.dates(max_value=date(1868, 10, 22)))
def test_it_round_trips_pre_meiji_fallbacks(d: date) -> None:
    assert parse_date(format_wareki(d)) == d
    assert parse_date(format_wareki_short(d)) == d
