"""The year's 実態把握 / 介護予防把握 lists, uploaded as CSV or XLSX by 管理番号: every problem
with its row and column, and nothing added unless the whole file is right."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from tsunagu.audit.models import AuditEntry
from tsunagu.centerwork.models import OutreachTarget


def csv_file(text, name="list.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"))


def xlsx_file(rows, name="list.xlsx"):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def upload(client, file, *, source_list="a", kind="survey", fiscal_year="R8"):
    return client.post(
        reverse("centerwork:outreach"),
        {
            "action": "targets",
            "targets-kind": kind,
            "targets-source_list": source_list,
            "targets-fiscal_year": fiscal_year,
            "targets-file": file,
        },
    )


def test_a_csv_list_is_added_by_management_number(staff_client, center):
    response = upload(staff_client, csv_file("管理番号\nT-001\nT-002\n\nT-003\n"))
    assert response.status_code == 302
    rows = OutreachTarget.objects.filter(center=center, fiscal_year=2026, kind="survey")
    assert sorted(rows.values_list("person_ref", flat=True)) == ["T-001", "T-002", "T-003"]
    assert set(rows.values_list("source_list", flat=True)) == {"a"}
    entry = AuditEntry.objects.get(action="business.targets_added")
    assert f"{center} 令和8年度 3人" in entry.summary


def test_an_xlsx_list_with_a_list_column_splits_a_and_b(staff_client, center):
    file = xlsx_file(
        [
            ["令和8年度 実態把握 対象者"],
            ["管理番号", "リスト"],
            ["P-1", "A 対象者"],
            ["P-2", "B 未回答者"],
            ["P-3", ""],
        ]
    )
    assert upload(staff_client, file, source_list="b", kind="prevention").status_code == 302
    lists = dict(
        OutreachTarget.objects.filter(kind="prevention").values_list("person_ref", "source_list")
    )
    assert lists == {"P-1": "a", "P-2": "b", "P-3": "b"}


def test_a_file_with_problems_adds_nothing_and_names_row_and_column(staff_client, center):
    text = "管理番号,リスト\nT-1,A\n,A\nT-1,B\n" + "X" * 51 + ",A\nT-5,C\n"
    page = upload(staff_client, csv_file(text))
    assert page.status_code == 200
    body = page.content.decode()
    assert "3行目「管理番号」列: 管理番号が空欄です。" in body
    assert "4行目「管理番号」列: 「T-1」は2行目と重複しています。" in body
    assert "5行目「管理番号」列: 管理番号は50文字までです" in body
    assert "6行目「リスト」列" in body
    assert "1件も取り込んでいません" in body
    assert not OutreachTarget.objects.exists()


def test_a_column_of_names_is_refused(staff_client, center):
    body = upload(staff_client, csv_file("管理番号,氏名\nT-1,山田 太郎\n")).content.decode()
    assert "1行目「氏名」列" in body
    assert not OutreachTarget.objects.exists()


def test_a_file_without_the_column_or_of_another_format_is_refused(staff_client, center):
    body = upload(staff_client, csv_file("番号\nT-1\n")).content.decode()
    assert "見出しが「管理番号」の列がありません。" in body
    body = upload(staff_client, csv_file("管理番号\nT-1\n", name="list.pdf")).content.decode()
    assert "CSV" in body
    assert not OutreachTarget.objects.exists()


def test_numbers_already_on_the_list_stay_as_they_are(staff_client, center):
    upload(staff_client, csv_file("管理番号\nT-1\n"))
    upload(staff_client, csv_file("管理番号\nT-1\nT-2\n"), source_list="b")
    lists = dict(OutreachTarget.objects.values_list("person_ref", "source_list"))
    assert lists == {"T-1": "a", "T-2": "b"}


def test_the_city_and_the_viewer_cannot_upload_a_list(client, center, city_admin, viewer):
    from conftest import logged_in

    for user in (city_admin, viewer):
        answer = upload(logged_in(client, user), csv_file("管理番号\nT-1\n")).status_code
        assert answer == 403
    assert not OutreachTarget.objects.exists()
