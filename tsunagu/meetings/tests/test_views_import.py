"""The import page: upload, preview with every problem, then confirm."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tsunagu.audit.models import AuditEntry
from tsunagu.demo.directory import MATSUKAZE_AREAS
from tsunagu.meetings.models import Meeting
from tsunagu.meetings.presets import load_preset
from tsunagu.organizations.models import Center

SAMPLE = Path(__file__).resolve().parents[3] / "data" / "samples" / "matsudo_r3_schedule.csv"
SAMPLE_CENTERS = MATSUKAZE_AREAS  # seed 002's 15 centers, as the demo names its areas


@pytest.fixture
def catalogue(municipality, city_admin):
    load_preset(municipality=municipality, key="matsudo", by=city_admin)
    for name in SAMPLE_CENTERS:
        Center.objects.get_or_create(municipality=municipality, name=f"{name}地域包括支援センター")


def upload(client, data, name="matsudo_r3_schedule.csv", layout="matrix", fiscal_year="令和3年度"):
    return client.post(
        reverse("meetings:meeting_import"),
        {
            "file": SimpleUploadedFile(name, data, content_type="text/csv"),
            "layout": layout,
            "fiscal_year": fiscal_year,
        },
    )


def confirm(client, **kwargs):
    return client.post(reverse("meetings:meeting_import"), {"action": "confirm"}, **kwargs)


def test_it_previews_the_sample_without_importing(city_client, catalogue):
    response = upload(city_client, SAMPLE.read_bytes())
    body = response.content.decode()
    assert response.status_code == 200
    assert "102件の会議を取り込めます" in body
    assert "（先頭100件）" in body
    assert "令和3年7月27日" in body
    assert not Meeting.objects.exists()
    assert not AuditEntry.objects.filter(action="meeting.imported").exists()


def test_it_imports_the_sample_on_confirmation(city_client, catalogue, municipality):
    upload(city_client, SAMPLE.read_bytes())
    response = confirm(city_client, follow=True)
    assert response.redirect_chain[-1][0] == reverse("meetings:meeting_list")
    assert "102件の会議を取り込みました" in response.content.decode()
    assert Meeting.objects.filter(municipality=municipality).count() == 102
    entry = AuditEntry.objects.get(action="meeting.imported")
    assert entry.data == {"source": "matsudo_r3_schedule.csv", "count": 102}
    assert entry.municipality_id == municipality.pk


def test_it_does_not_import_twice_from_one_upload(city_client, catalogue):
    upload(city_client, SAMPLE.read_bytes())
    confirm(city_client)
    response = confirm(city_client, follow=True)
    assert "確認中のファイルがありません" in response.content.decode()
    assert Meeting.objects.count() == 102


def test_it_shows_every_problem_with_row_and_column_and_imports_nothing(city_client, catalogue):
    data = (
        "センター,地域包括ケア推進会議,地域個別ケア会議\n"
        "明第1,5月27日,7月27日\n"
        "存在しない,5月12日,6月9日\n"
        "本庁,2月30日,7月28日\n"
    ).encode()
    response = upload(city_client, data, name="problems.csv")
    body = response.content.decode()
    assert response.status_code == 200
    assert "2件の問題があるため、取り込めません" in body
    assert "3行目「センター」列: センター「存在しない」が見つかりません。" in body
    assert "4行目「地域包括ケア推進会議」列:" in body and "存在しない日付です" in body
    assert "取り込めます" not in body

    again = confirm(city_client)
    assert again.status_code == 200
    assert "2件の問題があるため" in again.content.decode()
    assert not Meeting.objects.exists()
    assert not AuditEntry.objects.filter(action="meeting.imported").exists()


def test_it_needs_a_fiscal_year_for_the_matrix(city_client, catalogue):
    response = upload(city_client, SAMPLE.read_bytes(), fiscal_year="")
    assert response.status_code == 200
    assert "一覧表の取り込みには年度が必要です。" in response.content.decode()
    assert not Meeting.objects.exists()


def test_it_refuses_a_file_it_cannot_read(city_client, catalogue):
    response = upload(city_client, b"not a table", name="schedule.pdf")
    assert "CSV（.csv）、タブ区切り（.tsv）、Excel（.xlsx）" in response.content.decode()
    assert "取り込めます" not in response.content.decode()


def test_it_says_so_when_nothing_awaits_confirmation(city_client, catalogue):
    response = confirm(city_client, follow=True)
    assert response.redirect_chain[-1][0] == reverse("meetings:meeting_import")
    assert "確認中のファイルがありません。もう一度アップロードしてください。" in (
        response.content.decode()
    )
    assert not Meeting.objects.exists()
