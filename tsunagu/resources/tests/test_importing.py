"""Importing resources: good files, every kind of bad input by row and column, all or nothing."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from conftest import logged_in
from tsunagu.audit.models import AuditEntry
from tsunagu.resources import exports, importing
from tsunagu.resources.models import Resource

from .conftest import make_resource

HEADER = exports.COLUMNS


def row(**cells):
    values = {"名称": "", "種別": "サロン", "提供主体": "明第1町会", **cells}
    return [values.get(column, "") for column in HEADER]


def csv_bytes(rows, header=HEADER, encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for cells in rows:
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def parse(municipality, data: bytes, name="resources.csv"):
    return importing.parse_resources(importing.read_table(data, name), municipality=municipality)


GOOD = [
    row(
        名称="いきいきサロン明",
        対象圏域="明第1、明第2西",
        会場名="明第1町会会館\n明第2集会所",
        郵便番号="2710000",
        会場住所="松風一丁目1番",
        日時="第2・第4火曜 10:00–12:00",
        定員="20人",
        費用="1回100円",
        状態="運営中",
        最終確認日="令和6年4月1日",
    ),
    row(
        名称="あさがお配食",
        種別="配食",
        提供主体="ケアプランあさがお",
        日時="平日 11:00-13:00",
        対象圏域="市全域",
    ),
    row(
        名称="見守りネット",
        種別="watching",
        提供主体="社協",
        日時="随時",
        メールアドレス="mimamori@example.jp",
    ),
]


def test_a_good_file_is_read_then_imported(
    municipality, area, second_area, organization, city_admin
):
    result = parse(municipality, csv_bytes(GOOD))
    assert result.ok, [str(p) for p in result.problems]
    assert [r.row for r in result.rows] == [2, 3, 4]
    assert Resource.objects.count() == 0  # parsing never writes
    assert importing.import_resources(result, municipality=municipality, by=city_admin) == 3
    salon = Resource.objects.get(name="いきいきサロン明")
    assert [a.name for a in salon.areas.all()] == ["明第1", "明第2西"]
    assert [(p.name, p.postal_code, p.address) for p in salon.places.all()] == [
        ("明第1町会会館", "271-0000", "松風一丁目1番"),
        ("明第2集会所", "", ""),
    ]
    assert salon.capacity == 20 and salon.last_confirmed_on == datetime.date(2024, 4, 1)
    assert salon.schedule.rules[0].days == ((2, 1), (4, 1))
    meals = Resource.objects.get(name="あさがお配食")
    assert meals.provider == organization and meals.provider_name == ""  # matched the directory
    assert not meals.areas.exists()  # 市全域
    assert Resource.objects.get(name="見守りネット").schedule.anytime
    assert AuditEntry.objects.get(action="resource.imported").data["count"] == 3


def test_xlsx_and_shift_jis_csv_read_the_same(municipality, area, second_area, organization):
    from_xlsx = parse(municipality, xlsx_bytes(GOOD), "resources.xlsx")
    # Shift_JIS has no en dash: Excel users type the wave dash.
    sjis_rows = [[cell.replace("–", "〜") for cell in cells] for cells in GOOD]
    from_sjis = parse(municipality, csv_bytes(sjis_rows, encoding="cp932"), "resources.csv")
    assert from_xlsx.ok and from_sjis.ok
    names = [r.resource.name for r in from_xlsx.rows]
    assert (
        names
        == [r.resource.name for r in from_sjis.rows]
        == [
            "いきいきサロン明",
            "あさがお配食",
            "見守りネット",
        ]
    )


@pytest.mark.parametrize(
    ("cells", "column", "says"),
    [
        ({"日時": "気が向いたとき"}, "日時", "日時「気が向いたとき」を読み取れません"),
        ({"日時": "隔週水曜"}, "日時", "隔週"),
        ({"定員": "-3"}, "定員", "0より小さく"),
        ({"定員": "たくさん"}, "定員", "0以上の整数"),
        ({"種別": "カラオケ"}, "種別", "種別「カラオケ」は使えません"),
        ({"状態": "閉店"}, "状態", "状態「閉店」は使えません"),
        ({"対象圏域": "明第1、火星"}, "対象圏域", "圏域「火星」が見つかりません"),
        ({"最終確認日": "令和99年13月1日"}, "最終確認日", "最終確認日「令和99年13月1日」"),
        ({"会場名": "会館", "郵便番号": "27-1"}, "郵便番号", "123-4567"),
        ({"会場名": "会館", "会場住所": "一丁目\n二丁目"}, "会場住所", "会場名より多く"),
        ({"メールアドレス": "mail at example"}, "メールアドレス", "メールアドレス"),
        ({"名称": ""}, "名称", "名称が空欄です"),
        ({"提供主体": ""}, "提供主体", "提供主体が空欄です"),
    ],
)
def test_each_bad_cell_is_reported_by_row_and_column_and_nothing_is_imported(
    municipality, area, cells, column, says
):
    rows = [row(名称="よいサロン", 対象圏域="明第1"), row(**{"名称": "悪いサロン", **cells})]
    result = parse(municipality, csv_bytes(rows))
    assert not result.ok
    (problem,) = result.problems
    assert (problem.row, problem.column) == (3, column)
    assert says in problem.message, problem.message
    assert str(problem).startswith(f"3行目「{column}」列: ")
    with pytest.raises(ValueError):
        importing.import_resources(result, municipality=municipality, by=None)
    assert Resource.objects.count() == 0


def test_duplicates_within_the_file(municipality, area, second_area):
    rows = [
        row(名称="サロン", 対象圏域="明第1"),
        row(名称="サロン", 対象圏域="明第2西"),  # another area: another resource
        row(名称="ｻﾛﾝ", 対象圏域="明第2西、明第1"),  # same name once normalised, overlapping
        row(名称="サロン", 提供主体="別の会", 対象圏域="明第1"),  # another provider
    ]
    result = parse(municipality, csv_bytes(rows))
    assert [str(p) for p in result.problems] == [
        "4行目「名称」列: 名称・提供主体・対象圏域が同じ社会資源が2行目にもあります。"
    ]


def test_duplicates_of_registered_resources(municipality, area):
    make_resource(municipality, "いきいきサロン明", areas=[area])
    result = parse(municipality, csv_bytes([row(名称="いきいきサロン明", 対象圏域="明第1")]))
    assert [str(p) for p in result.problems] == [
        "2行目「名称」列: 名称・提供主体・対象圏域が同じ社会資源「いきいきサロン明」"
        "がすでに登録されています。"
    ]


def test_missing_columns_and_empty_files(municipality):
    result = parse(municipality, csv_bytes([["x"]], header=["名称", "内容"]))
    assert [str(p) for p in result.problems] == [
        "1行目「種別」列: 見出しが「種別」の列がありません。",
        "1行目「提供主体」列: 見出しが「提供主体」の列がありません。",
    ]
    empty = parse(municipality, csv_bytes([]))
    assert [p.message for p in empty.problems] == ["取り込む社会資源がありません。"]
    with pytest.raises(importing.UnreadableFile):
        importing.read_table(b"%PDF", "resources.pdf")


def test_an_export_goes_back_in_unchanged(
    municipality, area, second_area, organization, city_admin
):
    data = csv_bytes(GOOD)
    importing.import_resources(parse(municipality, data), municipality=municipality, by=city_admin)
    rows = Resource.objects.select_related("provider").prefetch_related("areas", "places")
    before = [exports.resource_row(r) for r in rows]
    exported = exports.to_csv(rows)
    Resource.objects.all().delete()
    again = parse(municipality, exported)
    assert again.ok, [str(p) for p in again.problems]
    importing.import_resources(again, municipality=municipality, by=city_admin)
    rows = Resource.objects.select_related("provider").prefetch_related("areas", "places")
    assert [exports.resource_row(r) for r in rows] == before


# --- The page ------------------------------------------------------------------------------


def upload(client, data: bytes, name="resources.csv"):
    return client.post(
        reverse("resources:resource_import"),
        {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def test_the_page_previews_then_imports_on_confirm(staff_client, area, second_area, organization):
    response = upload(staff_client, csv_bytes(GOOD))
    body = response.content.decode()
    assert "3件の社会資源を取り込めます" in body and "第2・第4火 10:00〜12:00" in body
    assert Resource.objects.count() == 0
    response = staff_client.post(reverse("resources:resource_import"), {"action": "confirm"})
    assert response.status_code == 302 and Resource.objects.count() == 3


def test_the_page_lists_every_problem_and_imports_nothing(staff_client, area):
    rows = [row(名称="A", 定員="-1"), row(名称="B", 日時="そのうち")]
    body = upload(staff_client, csv_bytes(rows)).content.decode()
    assert "2件の問題があるため、取り込めません" in body
    assert "2行目「定員」列" in body and "3行目「日時」列" in body
    assert (
        staff_client.post(reverse("resources:resource_import"), {"action": "confirm"}).status_code
        == 200
    )
    assert Resource.objects.count() == 0


def test_confirm_parses_again(staff_client, municipality, area):
    upload(staff_client, csv_bytes([row(名称="サロン", 対象圏域="明第1")]))
    make_resource(municipality, "サロン", areas=[area])  # someone registered it meanwhile
    body = staff_client.post(
        reverse("resources:resource_import"), {"action": "confirm"}
    ).content.decode()
    assert "すでに登録されています" in body
    assert Resource.objects.count() == 1


def test_confirm_without_an_upload(staff_client):
    response = staff_client.post(reverse("resources:resource_import"), {"action": "confirm"})
    assert response.status_code == 302


def test_an_unreadable_file_is_refused_on_the_form(staff_client):
    body = upload(staff_client, b"\x00\x01", "resources.docx").content.decode()
    assert "CSV（.csv）、タブ区切り（.tsv）、Excel（.xlsx）のファイルを選んでください" in body


def test_read_only_roles_may_not_import(viewer_client, municipality):
    assert viewer_client.get(reverse("resources:resource_import")).status_code == 403
    manager = logged_in(Client(), _care_manager(municipality))
    assert manager.get(reverse("resources:resource_import")).status_code == 403


def _care_manager(municipality):
    from conftest import make_user
    from tsunagu.accounts.models import Role

    return make_user("cm", (municipality, Role.CARE_MANAGER, None))
