"""Screening benefit data: the 生活援助 visit-count rule and the 2021 office rule."""

import csv
import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from tsunagu.cases.choices import LIFE_SUPPORT_THRESHOLDS, CareLevel
from tsunagu.cases.screening import (
    COLUMNS,
    OFFICE_SHEET,
    PLAN_SHEET,
    MonthError,
    format_month,
    parse_benefit_data,
    parse_month,
    read_table,
    screen,
    to_json_dict,
    to_xlsx,
)

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "data" / "samples" / "benefit_data_2021_10.csv"
OCTOBER = date(2021, 10, 1)
OFFICE = "1270000011"
OFFICE_NAME = "松風ケアプランセンター"
HEADER = list(COLUMNS)

# The rule as published (北名古屋市, 浅口市, 瑞浪市 …), written out so that a slip in
# choices.py shows here rather than being copied into the expectation.
THRESHOLDS = [("要介護1", 27), ("要介護2", 34), ("要介護3", 43), ("要介護4", 38), ("要介護5", 31)]
# 区分支給限度基準額 (2019-10 onward) at 10円 per 単位.
LIMITS = {
    "要支援1": 50320,
    "要支援2": 105310,
    "要介護1": 167650,
    "要介護2": 197050,
    "要介護3": 270480,
    "要介護4": 309380,
    "要介護5": 362170,
}


def line(
    user="U0001",
    level="要介護1",
    service="訪問介護",
    life="",
    body="",
    cost=50000,
    limit=None,
    month="2021-10",
    office=OFFICE,
    name=OFFICE_NAME,
):
    """One service line, in the order of COLUMNS."""
    limit = LIMITS.get(level, 100000) if limit is None else limit
    return [office, name, user, level, month, service, str(life), str(body), str(cost), str(limit)]


def parse(*lines, header=HEADER):
    return parse_benefit_data([list(header), *lines])


def messages(problems):
    return [str(p) for p in problems]


def screened(*lines, month=OCTOBER):
    rows, problems = parse(*lines)
    assert not problems, messages(problems)
    return screen(rows, month=month)


def flagged_users(result):
    return [p.user_number for p in result.plans]


def the_problem(*lines, header=HEADER):
    _rows, problems = parse(*lines, header=header)
    assert len(problems) == 1, messages(problems)
    return problems[0]


def csv_bytes(rows, encoding="utf-8-sig"):
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


# --- The 生活援助 visit-count rule ---------------------------------------------------------------


def test_it_uses_the_published_thresholds():
    assert {CareLevel(k).label: v for k, v in LIFE_SUPPORT_THRESHOLDS.items()} == dict(THRESHOLDS)


@pytest.mark.parametrize(("level", "threshold"), THRESHOLDS)
@pytest.mark.parametrize(
    ("offset", "flagged"), [(-1, False), (0, True), (1, True)], ids=["below", "at", "above"]
)
def test_it_flags_plans_at_or_above_the_threshold(level, threshold, offset, flagged):
    result = screened(line(level=level, life=threshold + offset))

    if flagged:
        [plan] = result.plans
        assert plan.user_number == "U0001"
        assert plan.office_number == OFFICE
        assert plan.office_name == OFFICE_NAME
        assert plan.care_level == level
        assert plan.month == "2021-10"
        assert plan.life_support_count == threshold + offset
        assert plan.threshold == threshold
    else:
        assert result.plans == []
    assert result.plans_checked == 1


@pytest.mark.parametrize("level", ["要支援1", "要支援2", "事業対象者", "自立"])
def test_it_never_flags_levels_without_a_threshold(level):
    result = screened(line(level=level, life=40))

    assert result.plans == []
    assert result.plans_checked == 1


def test_it_never_adds_body_care_visits_to_life_support():
    # 26 生活援助中心型 and 30 身体介護 (some with 生活援助 added): 26 counts, not 56.
    result = screened(line(level="要介護1", life=26, body=30))

    assert result.plans == []


def test_it_does_not_count_body_care_only_plans():
    result = screened(line(level="要介護5", body=60))

    assert result.plans == []


def test_it_adds_life_support_visits_of_every_home_help_line_of_a_plan():
    # Two 訪問介護 providers for one user: 20 + 18 visits make 38, the 要介護4 threshold.
    result = screened(
        line(level="要介護4", life=20),
        line(level="要介護4", life=18, body=8),
        line(level="要介護4", service="通所介護"),
    )

    [plan] = result.plans
    assert plan.life_support_count == 38


def test_it_keeps_plans_of_different_users_and_offices_apart():
    result = screened(
        line(user="U0001", life=14),
        line(user="U0002", life=13),
        line(user="U0001", life=13, office="1270000029", name="こもれび居宅介護支援事業所"),
    )

    assert result.plans == []
    assert result.plans_checked == 3


def test_it_sorts_flagged_plans_by_office_then_user():
    result = screened(
        line(user="U0003", life=30, office="1270000029"),
        line(user="U0002", life=30),
        line(user="U0001", life=30, office="1270000029"),
    )

    assert [(p.office_number, p.user_number) for p in result.plans] == [
        ("1270000011", "U0002"),
        ("1270000029", "U0001"),
        ("1270000029", "U0003"),
    ]


@pytest.mark.parametrize("text", ["要介護1", "介護1", "要介護１", "要介護 1", "要介護一", "介護１"])
def test_it_reads_care_levels_as_exports_write_them(text):
    result = screened(line(level=text, life=27, limit=167650))

    assert [p.care_level for p in result.plans] == ["要介護1"]


# --- Months ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2021-10",
        "2021/10",
        "202110",
        "R3.10",
        "r3.10",
        "令和3年10月",
        "2021年10月",
        "２０２１／１０",
        "Ｒ３．１０",
        "2021-10-01",  # an Excel date cell
    ],
)
def test_it_reads_months_as_staff_and_exports_write_them(text):
    assert parse_month(text) == OCTOBER
    result = screened(line(month=text, life=27))
    assert flagged_users(result) == ["U0001"]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2021-13", "存在しない年月"),
        ("202100", "存在しない年月"),
        ("R0.10", "令和0年はありません"),
        ("平成33年10月", "平成の終了後"),
        ("10月", "年月として読めません"),
        ("来月", "年月として読めません"),
        ("", "空欄"),
    ],
)
def test_it_refuses_months_that_do_not_parse(text, says):
    with pytest.raises(MonthError, match=says):
        parse_month(text)


def test_it_formats_months_in_wareki():
    assert format_month(OCTOBER) == "令和3年10月"
    assert format_month(date(2019, 5, 1)) == "令和元年5月"


def test_it_ignores_rows_of_other_months():
    result = screened(
        line(user="U0001", life=27, month="2021-09"),
        line(user="U0002", life=26, month="2021-10"),
        line(user="U0002", life=10, month="2021-11"),
    )

    assert result.plans == []
    assert result.plans_checked == 1
    assert result.months == (OCTOBER,)


def test_it_screens_every_month_as_its_own_plan_without_a_month():
    result = screened(
        line(user="U0001", life=27, month="2021-09"),
        line(user="U0001", life=26, month="2021-10"),
        month=None,
    )

    assert [(p.user_number, p.month) for p in result.plans] == [("U0001", "2021-09")]
    assert result.plans_checked == 2
    assert to_json_dict(result)["month"] is None


# --- The 2021 office rule ------------------------------------------------------------------------


def office_lines(total, limit, home_help, *, user="U0001", level="要介護1"):
    """One plan with the given total cost, of which `home_help` is 訪問介護."""
    lines = [line(user=user, level=level, cost=home_help, limit=limit)]
    if total > home_help:
        lines.append(line(user=user, level=level, service="通所介護", cost=total - home_help))
        lines[-1][9] = str(limit)
    return lines


def test_it_flags_an_office_exactly_at_seventy_and_sixty_percent():
    # 167,650 × 70% = 117,355; 117,355 × 60% = 70,413.
    result = screened(*office_lines(117355, 167650, 70413))

    [office] = result.offices
    assert office.office_number == OFFICE
    assert office.office_name == OFFICE_NAME
    assert office.plan_count == 1
    assert (office.total_cost, office.limit_total, office.home_help_cost) == (
        117355,
        167650,
        70413,
    )
    assert (office.limit_ratio, office.home_help_ratio) == (0.7, 0.6)


def test_it_does_not_flag_an_office_at_sixty_nine_point_nine_percent_of_the_limit():
    result = screened(*office_lines(69900, 100000, 60000))

    assert result.offices == []


def test_it_does_not_flag_an_office_at_fifty_nine_point_nine_percent_home_help():
    result = screened(*office_lines(100000, 100000, 59900))

    assert result.offices == []


def test_it_compares_the_ratios_exactly_not_as_rounded():
    # 117,354 ÷ 167,650 = 0.699994…, which shows as 70.0% but is not 70%.
    assert screened(*office_lines(117354, 167650, 117354)).offices == []
    # 70,412 ÷ 117,355 = 0.599991…: not 60% either.
    assert screened(*office_lines(117355, 167650, 70412)).offices == []


def test_it_takes_the_ratios_over_all_plans_of_the_office():
    # Alone, U0001 is far below 70% and U0002 above; together 246,715 ÷ 364,700 = 67.6%.
    below = screened(
        *office_lines(50000, 167650, 50000, user="U0001"),
        *office_lines(196715, 197050, 196715, user="U0002", level="要介護2"),
    )
    assert below.offices == []

    # With 8,575 円 more the office reaches 255,290 = 70.0% of 364,700.
    at = screened(
        *office_lines(58575, 167650, 58575, user="U0001"),
        *office_lines(196715, 197050, 196715, user="U0002", level="要介護2"),
    )
    [office] = at.offices
    assert (office.plan_count, office.total_cost, office.limit_total) == (2, 255290, 364700)


def test_it_leaves_out_plans_without_a_care_level_from_the_office_ratios():
    # 要支援 plans are 介護予防 plans: they would pull the ratios down if they counted.
    result = screened(
        *office_lines(150000, 167650, 150000),
        *office_lines(0, 105310, 0, user="U0002", level="要支援2"),
    )

    [office] = result.offices
    assert (office.plan_count, office.limit_total) == (1, 167650)
    assert result.offices_checked == 1


def test_it_keeps_offices_apart_and_lists_only_those_meeting_the_rule():
    other = office_lines(50000, 167650, 50000, user="U0002")
    for row in other:
        row[0], row[1] = "1270000029", "こもれび居宅介護支援事業所"

    result = screened(*office_lines(150000, 167650, 150000), *other)

    assert [o.office_number for o in result.offices] == [OFFICE]
    assert result.offices[0].plan_count == 1
    assert result.offices_checked == 2


def test_it_does_not_flag_an_office_without_any_cost():
    assert screened(*office_lines(0, 167650, 0)).offices == []


def test_it_reports_ratios_rounded_to_three_decimals():
    # 160,000 ÷ 200,000 is exactly 0.8; 106,667 ÷ 160,000 = 0.6666687…
    result = screened(*office_lines(160000, 200000, 106667, level="要介護2"))

    [office] = result.offices
    assert office.limit_ratio == 0.8
    assert office.home_help_ratio == 0.667
    # Halves go up: 139,900 ÷ 200,000 = 0.6995 exactly.
    [office] = screened(*office_lines(200000, 200000, 139900)).offices
    assert office.home_help_ratio == 0.7


# --- Bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "says"),
    [
        ("生活援助回数", "-1", "「-1」はマイナスです。0以上の整数で入力してください。"),
        ("生活援助回数", "－３", "「-3」はマイナスです"),
        ("生活援助回数", "たくさん", "「たくさん」は0以上の整数で入力してください。"),
        ("生活援助回数", "2.5", "「2.5」は0以上の整数で入力してください。"),
        ("身体介護回数", "-2", "「-2」はマイナスです"),
        ("身体介護回数", "abc", "「abc」は0以上の整数で入力してください。"),
        ("費用額（円）", "-1000", "「-1000」はマイナスです"),
        ("費用額（円）", "▲1,000", "マイナスです"),
        ("費用額（円）", "千円", "「千円」は0以上の整数で入力してください。"),
        ("費用額（円）", "", "費用額が空欄です。"),
        ("区分支給限度基準額（円）", "0", "「0」は1以上の整数で入力してください。"),
        ("区分支給限度基準額（円）", "", "区分支給限度基準額が空欄です。"),
        ("要介護度", "要介護6", "要介護度「要介護6」は使えません。要介護1〜5、要支援1・2"),
        ("要介護度", "重度", "要介護度「重度」は使えません。"),
        ("要介護度", "", "要介護度が空欄です。"),
        ("サービス提供年月", "2021-13", "サービス提供年月「2021-13」は存在しない年月です。"),
        ("サービス提供年月", "来月", "サービス提供年月「来月」を年月として読めません。2021-10"),
        ("サービス提供年月", "", "サービス提供年月が空欄です。"),
        ("事業所番号", "12700", "事業所番号「12700」は10桁の数字で入力してください。"),
        ("事業所番号", "", "事業所番号が空欄です。"),
        ("利用者番号", "", "利用者番号が空欄です。"),
        ("サービス種類", "", "サービス種類が空欄です。"),
    ],
)
def test_it_names_the_row_and_column_of_a_bad_cell(column, value, says):
    bad = line(user="U0002")
    bad[COLUMNS.index(column)] = value

    problem = the_problem(line(user="U0001", life=27), bad, line(user="U0003"))

    assert (problem.row, problem.column) == (3, column)
    assert says in problem.message
    assert str(problem).startswith(f"3行目「{column}」列: ")


def test_it_reports_every_bad_cell_of_a_row_and_of_the_file():
    rows, problems = parse(
        line(user="U0001", life="-1", body="x"),
        line(user="U0002", level="要介護9"),
        line(user="U0003", month="13月"),
    )

    assert [(p.row, p.column) for p in problems] == [
        (2, "生活援助回数"),
        (2, "身体介護回数"),
        (3, "要介護度"),
        (4, "サービス提供年月"),
    ]
    assert rows == []


def test_it_reports_a_limit_that_differs_within_a_plan():
    problem = the_problem(
        line(level="要介護1", life=27, limit=167650),
        line(level="要介護1", service="通所介護", limit=197050),
    )

    assert (problem.row, problem.column) == (3, "区分支給限度基準額（円）")
    assert problem.message == (
        "区分支給限度基準額「197,050」が、同じ利用者・同じ月の2行目（167,650円）と異なります。"
    )


def test_it_reports_a_care_level_that_differs_within_a_plan():
    problem = the_problem(
        line(level="要介護1", life=27, limit=167650),
        line(level="要介護2", service="通所介護", limit=167650),
    )

    assert (problem.row, problem.column) == (3, "要介護度")
    assert "2行目（要介護1）と異なります" in problem.message


def test_it_accepts_different_limits_in_different_months():
    result = screened(
        line(level="要介護1", limit=167650, month="2021-09"),
        line(level="要介護2", limit=197050, month="2021-10"),
        month=None,
    )

    assert result.plans_checked == 2


def test_it_refuses_visit_counts_on_lines_other_than_home_help():
    # 「訪問介護（生活援助）」 is likely 訪問介護 mistyped; ignoring the count could hide a plan.
    problem = the_problem(line(service="訪問介護（生活援助）", life=30))

    assert (problem.row, problem.column) == (2, "生活援助回数")
    assert problem.message == (
        "生活援助回数は訪問介護の行にだけ入力できます（この行のサービス種類は「訪問介護(生活援助)」）。"
    )


def test_it_names_every_missing_header_column_in_one_problem():
    header = [name for name in HEADER if name not in ("要介護度", "費用額（円）")]

    problem = the_problem(["1270000011"] * len(header), header=header)

    assert problem.row == 1
    assert problem.column == "要介護度、費用額（円）"
    assert problem.message.startswith("見出しに「要介護度」「費用額（円）」の列がありません。")


def test_it_refuses_a_file_with_a_wrong_header():
    # A different export: nothing matches, nothing is read.
    header = ["保険者番号", "被保険者番号", "サービスコード", "単位数"]

    rows, problems = parse(["129909", "0000012345", "111111", "250"], header=header)

    assert rows == []
    [problem] = problems
    assert problem.row == 1
    assert all(f"「{name}」" in problem.message for name in COLUMNS)


def test_it_refuses_a_header_with_a_column_twice():
    rows, problems = parse(line(), header=[*HEADER, "利用者番号"])

    assert rows == []
    assert messages(problems) == [
        "1行目「利用者番号」列: 見出しが「利用者番号」の列が2つあります。"
    ]


def test_it_refuses_a_file_without_data_rows():
    problem = the_problem(["", "", ""])

    assert (problem.row, problem.column, problem.message) == (
        2,
        "利用者番号",
        "データの行がありません。",
    )


@pytest.mark.parametrize(
    "names",
    [
        ("費用額", "区分支給限度基準額"),
        ("費用額(円)", "区分支給限度基準額(円)"),
        ("費用額 (円)", "区分支給限度基準額 （円）"),
    ],
)
def test_it_accepts_the_money_headers_with_or_without_the_unit(names):
    header = [*HEADER[:8], *names]

    rows, problems = parse(line(life=27), header=header)

    assert not problems
    assert [(r.cost, r.limit) for r in rows] == [(50000, 167650)]


def test_it_reads_the_header_below_a_title_line_and_ignores_other_columns():
    table = [
        ["令和3年10月分 給付実績"],
        [*HEADER, "備考"],
        [*line(life=27), "夫と二人暮らし"],
    ]

    rows, problems = parse_benefit_data(table)

    assert not problems
    [row] = rows
    assert row.row == 3


def test_it_reads_cells_as_staff_type_them():
    rows, problems = parse(
        [
            "１２７０００００１１",
            " 松風ケアプランセンター ",
            "U0001",
            "介護1",
            "令和3年10月",
            "訪問介護",
            "２７",
            "",
            "128,610円",
            "¥167,650",
        ],
        # Excel drops the leading 0 of 北海道's office numbers.
        line(office="112345678", user="U0002"),
    )

    assert not problems, messages(problems)
    first, second = rows
    assert first.office_number == "1270000011"
    assert first.office_name == "松風ケアプランセンター"
    assert first.care_level == CareLevel.CARE_1
    assert first.month == OCTOBER
    assert (first.life_support, first.body_care, first.cost, first.limit) == (27, 0, 128610, 167650)
    assert second.office_number == "0112345678"


# --- Files, the sample and output ---------------------------------------------------------------


def test_it_reads_xlsx_with_numbers_and_dates_in_cells():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(
        [
            1270000011,
            OFFICE_NAME,
            "U0001",
            "要介護1",
            date(2021, 10, 1),
            "訪問介護",
            27.0,
            None,
            128610,
            167650,
        ]
    )
    out = io.BytesIO()
    workbook.save(out)

    rows, problems = parse_benefit_data(read_table(out.getvalue(), "kyufu.xlsx"))

    assert not problems, messages(problems)
    assert flagged_users(screen(rows, month=OCTOBER)) == ["U0001"]


def test_it_reads_shift_jis_csv():
    data = csv_bytes([HEADER, line(life=27)], encoding="cp932")

    rows, problems = parse_benefit_data(read_table(data, "kyufu.csv"))

    assert not problems
    assert len(rows) == 1


def sample_result():
    rows, problems = parse_benefit_data(read_table(SAMPLE.read_bytes(), SAMPLE.name))
    assert not problems, messages(problems)
    assert len(rows) == 37
    return screen(rows, month=OCTOBER)


def test_it_finds_the_expected_plans_and_office_in_the_sample():
    result = sample_result()

    assert [
        (p.office_number, p.user_number, p.care_level, p.life_support_count) for p in result.plans
    ] == [
        ("1270000011", "U0001", "要介護1", 27),  # at
        ("1270000011", "U0002", "要介護2", 35),  # above
        ("1270000029", "U0004", "要介護4", 38),  # at
        ("1270000037", "U0007", "要介護3", 43),  # at
        ("1270000045", "U0010", "要介護5", 31),  # at
        ("1270000045", "U0011", "要介護4", 38),  # at, over two 訪問介護 providers
        ("1270000045", "U0012", "要介護3", 44),  # above
        ("1270000052", "U0013", "要介護1", 28),  # above
        ("1270000052", "U0014", "要介護2", 34),  # at
    ]
    # Not flagged: U0003 (20), U0005 (33, one below 要介護2), U0006 (30, one below 要介護5),
    # U0008 (26 + 10 身体介護, one below 要介護1), U0009 (要支援2), U0015 (42, one below 要介護3).
    assert result.plans_checked == 15
    # こもれび (1270000029) is at 73.6% of its limits but 訪問介護 is 59.85% of its cost;
    # あおぞら (1270000052) has 66.6% 訪問介護 but uses 59.9% of its limits.
    [office] = result.offices
    assert office.office_number == "1270000011"
    assert office.office_name == "松風ケアプランセンター"
    assert (office.plan_count, office.total_cost, office.limit_total, office.home_help_cost) == (
        3,
        517260,
        635180,
        407460,
    )
    assert (office.limit_ratio, office.home_help_ratio) == (0.814, 0.788)
    assert result.offices_checked == 5


def test_it_writes_two_sheets_of_xlsx_that_read_back():
    workbook = load_workbook(io.BytesIO(to_xlsx(sample_result())))

    assert workbook.sheetnames == [PLAN_SHEET, OFFICE_SHEET]
    plans = [list(row) for row in workbook[PLAN_SHEET].iter_rows(values_only=True)]
    assert "令和3年10月" in plans[0][0]
    assert plans[1] == [
        "事業所番号",
        "事業所名",
        "利用者番号",
        "要介護度",
        "サービス提供年月",
        "生活援助回数",
        "基準回数",
    ]
    assert plans[2] == [
        "1270000011",
        "松風ケアプランセンター",
        "U0001",
        "要介護1",
        "2021-10",
        27,
        27,
    ]
    assert len(plans) == 2 + 9
    offices = [list(row) for row in workbook[OFFICE_SHEET].iter_rows(values_only=True)]
    assert offices[1] == [
        "事業所番号",
        "事業所名",
        "ケアプラン数",
        "費用額合計（円）",
        "区分支給限度基準額合計（円）",
        "訪問介護の費用額（円）",
        "限度額に占める割合",
        "訪問介護の割合",
    ]
    assert offices[2:] == [
        ["1270000011", "松風ケアプランセンター", 3, 517260, 635180, 407460, 0.814, 0.788]
    ]


def test_it_writes_xlsx_with_headers_only_when_nothing_is_flagged():
    workbook = load_workbook(io.BytesIO(to_xlsx(screened(line(life=1)))))

    assert workbook[PLAN_SHEET].max_row == 2
    assert workbook[OFFICE_SHEET].max_row == 2


# --- The command ---------------------------------------------------------------------------------


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("screen_care_plans", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_prints_json_of_the_sample():
    out, _ = run(str(SAMPLE), "--month", "2021-10", "--format", "json")

    data = json.loads(out)
    assert list(data) == ["month", "plans", "offices"]
    assert data["month"] == "2021-10"
    assert data["plans"][0] == {
        "user_number": "U0001",
        "office_number": "1270000011",
        "care_level": "要介護1",
        "life_support_count": 27,
        "threshold": 27,
    }
    assert [(p["office_number"], p["user_number"]) for p in data["plans"]] == [
        ("1270000011", "U0001"),
        ("1270000011", "U0002"),
        ("1270000029", "U0004"),
        ("1270000037", "U0007"),
        ("1270000045", "U0010"),
        ("1270000045", "U0011"),
        ("1270000045", "U0012"),
        ("1270000052", "U0013"),
        ("1270000052", "U0014"),
    ]
    assert data["offices"] == [
        {
            "office_number": "1270000011",
            "office_name": "松風ケアプランセンター",
            "plans": 3,
            "total_cost": 517260,
            "limit_total": 635180,
            "home_help_cost": 407460,
            "limit_ratio": 0.814,
            "home_help_ratio": 0.788,
        }
    ]


def test_the_command_reads_the_month_as_staff_write_it_and_prints_text_by_default():
    out, _ = run(str(SAMPLE), "--month", "令和3年10月")

    assert "サービス提供年月: 令和3年10月" in out
    assert "基準回数以上のケアプラン: 9件" in out
    assert (
        "1270000011 松風ケアプランセンター　利用者 U0001　要介護1　生活援助 27回（基準 27回）"
        in out
    )
    assert "居宅介護支援事業所: 1か所" in out
    assert "限度額に占める割合 81.4%" in out
    assert "訪問介護の割合 78.8%" in out


def test_the_command_writes_problems_to_stderr_and_fails(tmp_path):
    path = tmp_path / "kyufu.csv"
    path.write_bytes(csv_bytes([HEADER, line(life=27), line(user="U0002", life="-1")]))
    err = io.StringIO()

    with pytest.raises(CommandError, match="1件の問題があるため、判定しませんでした。"):
        call_command("screen_care_plans", str(path), "--month", "2021-10", stderr=err)

    assert err.getvalue().strip() == (
        "3行目「生活援助回数」列: 生活援助回数「-1」はマイナスです。0以上の整数で入力してください。"
    )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--month", "2021-13"], "--month: 「2021-13」は存在しない年月です。"),
        (
            ["--month", "2021-09"],
            "サービス提供年月が令和3年9月の行がありません（ファイルにある年月: 令和3年10月）。",
        ),
    ],
)
def test_the_command_refuses_a_bad_or_absent_month(args, says):
    with pytest.raises(CommandError) as raised:
        run(str(SAMPLE), *args)

    assert says in str(raised.value)


def test_the_command_refuses_files_it_cannot_read(tmp_path):
    with pytest.raises(CommandError, match="を開けません"):
        run(str(tmp_path / "none.csv"), "--month", "2021-10")
    path = tmp_path / "kyufu.pdf"
    path.write_bytes(b"%PDF")
    with pytest.raises(CommandError, match="CSV（.csv）"):
        run(str(path), "--month", "2021-10")


def test_the_command_requires_the_month():
    with pytest.raises(CommandError, match="--month"):
        run(str(SAMPLE))


def test_the_command_exits_non_zero_with_the_problems_on_stderr(tmp_path):
    path = tmp_path / "kyufu.csv"
    path.write_bytes(csv_bytes([HEADER, line(level="要介護6")]))

    done = subprocess.run(
        [sys.executable, "manage.py", "screen_care_plans", str(path), "--month", "2021-10"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 1
    assert "2行目「要介護度」列: 要介護度「要介護6」は使えません。" in done.stderr
    assert done.stdout == ""
