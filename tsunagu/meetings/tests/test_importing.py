"""Importing meetings from the long table and from the matrix municipalities publish (seed 002)."""

import csv
import io
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import Workbook

from tsunagu.audit.models import AuditEntry
from tsunagu.demo.directory import MATSUKAZE_AREAS
from tsunagu.meetings.choices import Category, Format, Host, Level, Status
from tsunagu.meetings.importing import (
    ImportProblem,
    UnreadableFile,
    import_meetings,
    parse_long,
    parse_matrix,
    read_table,
)
from tsunagu.meetings.models import Meeting, MeetingType
from tsunagu.organizations.models import Center

DATA = Path(__file__).resolve().parent / "data"
SAMPLE = Path(__file__).resolve().parents[3] / "data" / "samples" / "matsudo_r3_schedule.csv"
# The last part of seed 002, exactly as it came out of OCR (明第1 shifted one cell right).
SEED_TABLE = DATA / "seed_002_schedule.tsv"

SEED_CENTERS = MATSUKAZE_AREAS  # seed 002's 15 centers, as the demo names its areas
PROMOTION = "地域包括ケア推進会議"
INDIVIDUAL = "地域個別ケア会議"
SELF_RELIANCE = "自立支援型個別ケア会議"
CITY = "市地域ケア会議"


@pytest.fixture
def centers(municipality):
    return {
        name: Center.objects.create(municipality=municipality, name=f"{name}地域包括支援センター")
        for name in SEED_CENTERS
    }


@pytest.fixture
def types(municipality):
    specs = [
        (PROMOTION, Category.PROMOTION, Level.AREA, Host.EACH_CENTER),
        (INDIVIDUAL, Category.INDIVIDUAL, Level.CENTER, Host.EACH_CENTER),
        (SELF_RELIANCE, Category.INDIVIDUAL, Level.CENTER, Host.EACH_CENTER),
        (CITY, Category.PROMOTION, Level.CITY, Host.CITY),
    ]
    return {
        name: MeetingType.objects.create(
            municipality=municipality, name=name, category=category, level=level, host=host
        )
        for name, category, level, host in specs
    }


@pytest.fixture
def catalogue(centers, types):
    return centers, types


def sample_table():
    return read_table(SAMPLE.read_bytes(), SAMPLE.name)


def csv_bytes(rows, encoding="utf-8"):
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, merged=()):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append([value if value != "" else None for value in row])
    for cells in merged:
        sheet.merge_cells(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def keys(rows):
    return {(r.center and r.center.name, r.meeting_type.name, r.date, r.format) for r in rows}


def messages(result):
    return [str(problem) for problem in result.problems]


def assert_nothing_imported(result, municipality, city_admin):
    before = Meeting.objects.count()
    with pytest.raises(ValueError):
        import_meetings(result, municipality=municipality, by=city_admin)
    assert Meeting.objects.count() == before
    assert not AuditEntry.objects.filter(action="meeting.imported").exists()


# --- The seed's schedule --------------------------------------------------------------------


def test_it_imports_the_sample_schedule_and_matches_the_seeds_totals(
    municipality, catalogue, city_admin
):
    result = parse_matrix(sample_table(), municipality=municipality, fiscal_year=2021)
    assert result.ok, messages(result)

    n = import_meetings(result, municipality=municipality, by=city_admin, source=SAMPLE.name)

    assert n == 102
    per_type = Counter(Meeting.objects.values_list("meeting_type__name", flat=True))
    assert per_type == {PROMOTION: 29, INDIVIDUAL: 61, SELF_RELIANCE: 12}
    # Seed 002: 「令和3年6月～令和3年11月までの全会議開催数：全54回 地域包括ケア推進会議 17回
    # 地域個別ケア会議 31回 自立支援型個別ケア会議 6回」. 17 + 31 + 6 = 54: the total counts the
    # centers' table only, which is what the sample holds (the 市地域ケア会議 line above the
    # seed's table is not part of it).
    window = Meeting.objects.filter(date__range=(date(2021, 6, 1), date(2021, 11, 30))).exclude(
        status=Status.CANCELLED
    )
    in_window = Counter(window.values_list("meeting_type__name", flat=True))
    assert in_window == {PROMOTION: 17, INDIVIDUAL: 31, SELF_RELIANCE: 6}
    assert window.count() == 54


def test_it_reads_formats_and_years_from_the_sample(municipality, catalogue):
    result = parse_matrix(sample_table(), municipality=municipality, fiscal_year=2021)
    meetings = keys(result.rows)

    # Underlined in the seed: partly online. The seed has no bold (fully online) dates.
    assert Counter(r.format for r in result.rows) == {Format.IN_PERSON: 71, Format.HYBRID: 31}
    center = "明第1地域包括支援センター"
    assert (center, PROMOTION, date(2021, 5, 27), Format.HYBRID) in meetings
    # January to March belong to the next calendar year of 令和3年度.
    assert (center, INDIVIDUAL, date(2022, 1, 27), Format.IN_PERSON) in meetings
    assert {r.status for r in result.rows} == {Status.HELD}  # all in the past
    assert all(r.cases_reviewed == 0 for r in result.rows)


def test_it_reads_the_seed_table_pasted_as_is(municipality, catalogue):
    table = read_table(SEED_TABLE.read_bytes(), SEED_TABLE.name)

    result = parse_matrix(table, municipality=municipality, fiscal_year=2021)

    # The title lines above 「センター」 are skipped; the OCR's shifted row and the totals line
    # are the only rows that are not a center's.
    assert messages(result) == [
        "8行目「センター」列: センター名が空欄です。",
        "24行目「センター」列: センター「令和3年6月~令和3年11月までの全会議開催数:全54回」"
        "が見つかりません。",
    ]
    table[7] = table[7][1:]  # Undo the shift.
    del table[23]
    fixed = parse_matrix(table, municipality=municipality, fiscal_year=2021)
    assert fixed.ok
    # The <u>…</u> markup reads as 一部オンライン, so the sample carries exactly the seed.
    sample = parse_matrix(sample_table(), municipality=municipality, fiscal_year=2021)
    assert keys(fixed.rows) == {k for k in keys(sample.rows) if k[0] is not None}


def test_it_reads_the_schedule_from_xlsx_with_merged_headers_and_a_title(municipality, catalogue):
    rows = sample_table()
    assert rows[-1][9] == "12月14日"
    rows[-1][9] = datetime(2021, 12, 14)  # A real date cell, as Excel stores it.
    data = xlsx_bytes([["令和3年度 地域ケア会議の開催状況"], *rows], merged=["B2:C2", "D2:I2"])

    table = read_table(data, "schedule.xlsx")
    result = parse_matrix(table, municipality=municipality, fiscal_year=2021)

    assert table[1][:4] == ["センター", PROMOTION, "", INDIVIDUAL]
    assert result.ok, messages(result)
    sample = parse_matrix(sample_table(), municipality=municipality, fiscal_year=2021)
    assert keys(result.rows) == keys(sample.rows)
    assert result.rows[0].row == 3  # The title line counts.


def test_it_reads_notes_weekdays_and_online_markup_in_matrix_cells(municipality, catalogue):
    table = [
        ["センター", "地域個別ケア会議 (実施済又は予定)", "", ""],
        ["明第1", "7月27日(火)（一部オンライン）", "**9月28日**", "2022-01-27 (オンライン)"],
        ["明第2西地域包括支援センター", "<u>**6月9日**</u>", "", "令和4年3月9日"],
    ]

    result = parse_matrix(table, municipality=municipality, fiscal_year=2021)

    assert result.ok, messages(result)
    assert [(r.date, r.format) for r in result.rows] == [
        (date(2021, 7, 27), Format.HYBRID),
        (date(2021, 9, 28), Format.ONLINE),
        (date(2022, 1, 27), Format.ONLINE),
        (date(2021, 6, 9), Format.HYBRID),  # 下線太字: partly online
        (date(2022, 3, 9), Format.IN_PERSON),
    ]


# --- The long form --------------------------------------------------------------------------

LONG_ROWS = [
    ["開催日", "会議体", "センター", "形式", "状態", "検討事例数"],
    ["2021-06-01", INDIVIDUAL, "明第1", "一部オンライン", "実施済", "3"],
    ["R3.7.1", SELF_RELIANCE, "明第2西地域包括支援センター", "", "中止", ""],
    ["令和3年7月29日", CITY, "市", "オンライン", "", "0"],
]


def test_it_imports_the_long_form_csv(municipality, catalogue, city_admin):
    future = timezone.localdate() + timedelta(days=30)
    rows = [*LONG_ROWS, [future.isoformat(), PROMOTION, "本庁", "", "", ""]]
    result = parse_long(read_table(csv_bytes(rows), "meetings.csv"), municipality=municipality)
    assert result.ok, messages(result)

    assert import_meetings(result, municipality=municipality, by=city_admin, source="m.csv") == 4

    got = {
        (m.center and m.center.name, m.meeting_type.name, m.date, m.format, m.status)
        for m in Meeting.objects.select_related("center", "meeting_type")
    }
    assert got == {
        ("明第1地域包括支援センター", INDIVIDUAL, date(2021, 6, 1), Format.HYBRID, Status.HELD),
        (
            "明第2西地域包括支援センター",
            SELF_RELIANCE,
            date(2021, 7, 1),
            Format.IN_PERSON,
            Status.CANCELLED,
        ),
        (None, CITY, date(2021, 7, 29), Format.ONLINE, Status.HELD),
        ("本庁地域包括支援センター", PROMOTION, future, Format.IN_PERSON, Status.PLANNED),
    }
    assert Meeting.objects.get(date=date(2021, 6, 1)).cases_reviewed == 3
    assert Meeting.objects.filter(municipality=municipality).count() == 4
    entry = AuditEntry.objects.get(action="meeting.imported")
    assert entry.summary == "4件の会議を取り込みました"
    assert entry.data == {"source": "m.csv", "count": 4}
    assert entry.actor_id == city_admin.pk


def test_it_imports_the_long_form_xlsx(municipality, catalogue):
    rows = [
        ["センター", "会議体", "開催日", "検討事例数"],
        ["小金", INDIVIDUAL, datetime(2021, 9, 30), 2],
        ["小金", INDIVIDUAL, "11月25日", 0],
    ]

    table = read_table(xlsx_bytes(rows), "meetings.XLSX")
    result = parse_long(table, municipality=municipality, fiscal_year=2021)

    assert result.ok, messages(result)
    assert [(r.date, r.cases_reviewed) for r in result.rows] == [
        (date(2021, 9, 30), 2),
        (date(2021, 11, 25), 0),
    ]


def test_it_reads_a_shift_jis_csv_saved_by_excel(municipality, catalogue):
    data = csv_bytes(LONG_ROWS, encoding="cp932")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")

    result = parse_long(read_table(data, "会議.csv"), municipality=municipality)

    assert result.ok, messages(result)
    assert [r.center and r.center.name for r in result.rows] == [
        "明第1地域包括支援センター",
        "明第2西地域包括支援センター",
        None,
    ]


def test_it_refuses_a_file_it_cannot_read():
    with pytest.raises(UnreadableFile, match="CSV"):
        read_table(b"x", "meetings.pdf")
    with pytest.raises(UnreadableFile, match="Excel"):
        read_table(b"not a zip", "meetings.xlsx")


def test_it_names_missing_header_columns(municipality, catalogue):
    result = parse_long([["センター", "日付"], ["明第1", "2021-06-01"]], municipality=municipality)

    assert messages(result) == [
        "1行目「会議体」列: 見出しが「会議体」の列がありません。",
        "1行目「開催日」列: 見出しが「開催日」の列がありません。",
    ]


def test_it_reports_an_empty_file(municipality, catalogue):
    result = parse_matrix([["センター", INDIVIDUAL]], municipality=municipality, fiscal_year=2021)

    assert messages(result) == ["2行目「センター」列: 取り込む会議がありません。"]


# --- Bad input: every problem names its row and column; nothing is imported -----------------

MATRIX_HEADER = ["センター", INDIVIDUAL, ""]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            [["明第9", "7月27日", ""]],
            "2行目「センター」列: センター「明第9」が見つかりません。",
            id="unknown center",
        ),
        pytest.param(
            [["明第1", "7月27日", "2月30日"]],
            "2行目「C」列: 「2月30日」: 存在しない日付です。",
            id="impossible date",
        ),
        pytest.param(
            [["明第1", "7月27日", "2022-04-01"]],
            "2行目「C」列: 「2022-04-01」: "
            "令和3年度（令和3年4月1日〜令和4年3月31日）の期間外です。",
            id="outside the fiscal year",
        ),
        pytest.param(
            [["明第1", "7月27日", ""], ["明第2東", "", "9月1日"], ["明第1", "", "7月27日"]],
            "4行目「C」列: 同じ会議（明第1地域包括支援センター・地域個別ケア会議・令和3年7月27日）"
            "が2行目「地域個別ケア会議」列と重複しています。",
            id="duplicate in the file",
        ),
        pytest.param(
            [["明第1", "7月27日", ""], ["市", "9月1日", ""]],
            "3行目「地域個別ケア会議」列: "
            "「地域個別ケア会議」は各センターが主催する会議体です。センターを選んでください。",
            id="center body given to the city",
        ),
        pytest.param(
            [["明第1", "7月27日", "来週"]],
            "2行目「C」列: 「来週」: 日付として読めません。"
            "2021-06-01、2021/6/1、R3.6.1、令和3年6月1日 のように入力してください。",
            id="not a date",
        ),
    ],
)
def test_it_lists_bad_matrix_cells_and_imports_nothing(
    rows, expected, municipality, catalogue, city_admin
):
    result = parse_matrix([MATRIX_HEADER, *rows], municipality=municipality, fiscal_year=2021)

    assert messages(result) == [expected]
    assert_nothing_imported(result, municipality, city_admin)


def test_it_reports_an_unknown_body_once_at_its_header(municipality, catalogue, city_admin):
    table = [
        ["センター", "地域ケア個別会議 (実施済又は予定)", "", INDIVIDUAL],
        ["明第1", "6月1日", "7月1日", "8月1日"],
    ]

    result = parse_matrix(table, municipality=municipality, fiscal_year=2021)

    assert messages(result) == [
        "1行目「地域ケア個別会議 (実施済又は予定)」列: 会議体「地域ケア個別会議 (実施済又は予定)」"
        "が見つかりません。"
    ]
    assert_nothing_imported(result, municipality, city_admin)


def test_it_refuses_a_meeting_already_registered(municipality, catalogue, city_admin):
    centers, types = catalogue
    existing = Meeting.objects.create(
        municipality=municipality,
        meeting_type=types[INDIVIDUAL],
        center=centers["明第1"],
        date=date(2021, 7, 27),
    )
    table = [MATRIX_HEADER, ["明第1", "6月1日", "7月27日（オンライン）"]]

    result = parse_matrix(table, municipality=municipality, fiscal_year=2021)

    assert messages(result) == [
        "2行目「C」列: 同じ会議（明第1地域包括支援センター・地域個別ケア会議・令和3年7月27日）"
        "はすでに登録されています。"
    ]
    assert_nothing_imported(result, municipality, city_admin)
    # A cancelled meeting does not stand in the way of holding one that day after all.
    existing.status = Status.CANCELLED
    existing.save()
    assert parse_matrix(table, municipality=municipality, fiscal_year=2021).ok


def test_it_ignores_meetings_of_another_municipality(
    municipality, other_municipality, catalogue, city_admin
):
    centers, types = catalogue
    twin = MeetingType.objects.create(
        municipality=other_municipality,
        name=INDIVIDUAL,
        category=Category.INDIVIDUAL,
        level=Level.CENTER,
        host=Host.EACH_CENTER,
    )
    other_center = Center.objects.create(
        municipality=other_municipality, name="明第1地域包括支援センター"
    )
    Meeting.objects.create(
        municipality=other_municipality,
        meeting_type=twin,
        center=other_center,
        date=date(2021, 7, 27),
    )

    result = parse_matrix(
        [MATRIX_HEADER, ["明第1", "7月27日"]], municipality=municipality, fiscal_year=2021
    )

    assert result.ok
    assert result.rows[0].meeting_type == types[INDIVIDUAL]
    assert result.rows[0].center == centers["明第1"]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        pytest.param(
            ["2021-06-01", INDIVIDUAL, "明第1", "", "", "-1"],
            "3行目「検討事例数」列: 検討事例数「-1」は0以上の整数で入力してください。",
            id="negative cases",
        ),
        pytest.param(
            ["2021-06-01", "地域ケア会議", "明第1", "", "", ""],
            "3行目「会議体」列: 会議体「地域ケア会議」が見つかりません。",
            id="unknown body",
        ),
        pytest.param(
            ["2021-06-01", CITY, "明第1", "", "", ""],
            "3行目「会議体」列: 「市地域ケア会議」は市が主催する会議体です。",
            id="city body given to a center",
        ),
        pytest.param(
            ["2021-06-01", INDIVIDUAL, "明第1", "Zoom", "", ""],
            "3行目「形式」列: 形式「Zoom」は使えません。"
            "対面、一部オンライン、オンライン のいずれかを入力してください。",
            id="unknown format",
        ),
        pytest.param(
            ["6月1日", INDIVIDUAL, "明第1", "", "", ""],
            "3行目「開催日」列: 「6月1日」: 年のない日付には年度の指定が必要です。",
            id="month and day without a fiscal year",
        ),
        pytest.param(
            ["2021-06-01", INDIVIDUAL, "", "", "", ""],
            "3行目「センター」列: センター名が空欄です。",
            id="no center",
        ),
    ],
)
def test_it_lists_bad_long_rows_and_imports_nothing(
    cells, expected, municipality, catalogue, city_admin
):
    table = [LONG_ROWS[0], ["2021-06-01", INDIVIDUAL, "明第2東"], cells]

    result = parse_long(table, municipality=municipality)

    assert messages(result) == [expected]
    assert_nothing_imported(result, municipality, city_admin)


def test_it_lists_every_problem_of_a_row(municipality, catalogue):
    table = [LONG_ROWS[0], ["2021-02-30", "会議", "明第9", "", "延期", "x"]]

    result = parse_long(table, municipality=municipality)

    assert [(p.row, p.column) for p in result.problems] == [
        (2, "センター"),
        (2, "会議体"),
        (2, "開催日"),
        (2, "検討事例数"),
    ]
    assert isinstance(result.problems[0], ImportProblem)


# --- The command ----------------------------------------------------------------------------


def run(*args, stderr=None):
    out = io.StringIO()
    call_command("import_meetings", *map(str, args), stdout=out, stderr=stderr or io.StringIO())
    return out.getvalue()


def test_it_imports_the_sample_from_the_command_line(municipality, catalogue):
    out = run(SAMPLE, "--municipality", "129909", "--fiscal-year", "令和3", "--matrix")

    assert out.strip() == "102件の会議を取り込みました。"
    assert Meeting.objects.filter(municipality=municipality).count() == 102
    entry = AuditEntry.objects.get(action="meeting.imported")
    assert entry.actor_id is None
    assert entry.data["source"] == SAMPLE.name


def test_it_only_checks_on_a_dry_run(municipality, catalogue):
    out = run(SAMPLE, "--municipality", "129909", "--fiscal-year", "R3", "--matrix", "--dry-run")

    assert out.startswith("102件の会議を取り込めます")
    assert not Meeting.objects.exists()


def test_it_prints_problems_from_the_command_line_and_imports_nothing(
    municipality, catalogue, tmp_path
):
    path = tmp_path / "bad.csv"
    rows = [MATRIX_HEADER, ["明第1", "7月27日", "2月30日"], ["明第9", "8月1日", ""]]
    path.write_bytes(csv_bytes(rows))

    err = io.StringIO()
    with pytest.raises(
        CommandError, match="2件の問題があるため、何も取り込みませんでした"
    ) as error:
        run(path, "--municipality", "129909", "--fiscal-year", "2021", "--matrix", stderr=err)

    assert error.value.returncode != 0  # manage.py exits with it
    assert err.getvalue().splitlines() == [
        "2行目「C」列: 「2月30日」: 存在しない日付です。",
        "3行目「センター」列: センター「明第9」が見つかりません。",
    ]
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--municipality", "129909", "--matrix"], "--matrix には --fiscal-year"),
        (["--municipality", "999999"], "市町村コード「999999」の市町村は登録されていません"),
        (["--municipality", "129909", "--fiscal-year", "来年"], "年度として読めません"),
    ],
)
def test_it_explains_wrong_command_options(args, message, municipality):
    with pytest.raises(CommandError, match=message):
        run(SAMPLE, *args)


def test_it_explains_a_missing_file(municipality, tmp_path):
    with pytest.raises(CommandError, match="を開けません"):
        run(tmp_path / "none.csv", "--municipality", "129909")
