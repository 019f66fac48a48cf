"""The shared import flow (lib/tabular/flow.py) as the import pages use it: the file and the
settings kept after a problem, the template files to download (read back, and imported again
without a problem), the 年度 offered, and large imports saved by a background task."""

import datetime
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import run_queued_tasks
from tsunagu.audit.models import AuditEntry
from tsunagu.centerwork.models import Consultation, Event
from tsunagu.demo.directory import MATSUKAZE_AREAS
from tsunagu.lib.fiscal import fiscal_year, format_fiscal_year
from tsunagu.meetings import import_views
from tsunagu.meetings.models import Meeting, MeetingType
from tsunagu.meetings.presets import load_preset
from tsunagu.organizations.models import Center
from tsunagu.resources.models import Resource
from tsunagu.tests.url_names import reverse

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "matsudo_r3_schedule.csv"


@pytest.fixture
def catalogue(municipality, city_admin):
    load_preset(municipality=municipality, key="matsudo", by=city_admin)
    for name in MATSUKAZE_AREAS:
        Center.objects.get_or_create(municipality=municipality, name=f"{name}地域包括支援センター")


def upload(client, data, name="matsudo_r3_schedule.csv", **fields):
    fields = {"layout": "matrix", "fiscal_year": "令和3年度", **fields}
    if data is not None:
        fields["file"] = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(reverse("meetings:meeting_import"), fields)


def confirm(client, name="meeting_import", **kwargs):
    return client.post(reverse(name), {"action": "confirm"}, **kwargs)


def template_file(client, name, variant, kind="xlsx"):
    response = client.get(reverse(f"{name}_template"), {"variant": variant, "format": kind})
    assert response.status_code == 200
    return response


def xlsx_rows(response):
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [
        [("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(values_only=True)
    ]


# --- The file and the settings kept after a problem ---------------------------------------------


def test_after_a_problem_the_file_and_the_settings_are_kept(city_client, catalogue):
    first = upload(city_client, SAMPLE.read_bytes(), fiscal_year="").content.decode()
    assert "一覧表の取り込みには年度が必要です。" in first
    assert "選んだファイル「matsudo_r3_schedule.csv」を使います。" in first
    assert re.search(r'value="matrix"[^>]*checked', first)

    # The year chosen now, no file chosen again: the staged one is used.
    second = upload(city_client, None, fiscal_year="令和3年度").content.decode()
    assert "102件の会議を取り込めます" in second
    response = confirm(city_client, follow=True)
    assert "102件の会議を取り込みました" in response.content.decode()
    assert Meeting.objects.count() == 102


def test_after_problems_in_rows_the_year_stays_selected(city_client, catalogue):
    data = "センター,地域包括ケア推進会議\n存在しない,5月12日\n".encode()
    page = upload(city_client, data, name="bad.csv").content.decode()
    assert "1件の問題があるため、取り込めません" in page
    assert '<option value="令和3年度" selected>' in page
    assert "選んだファイル「bad.csv」を使います。" in page


def test_without_any_file_the_page_asks_for_one(city_client, catalogue):
    page = upload(city_client, None).content.decode()
    assert "ファイル" in page and "取り込めます" not in page
    assert not Meeting.objects.exists()


def test_an_unreadable_file_is_not_kept(city_client, catalogue):
    page = upload(city_client, b"not a table", name="schedule.pdf").content.decode()
    assert "CSV（.csv）、タブ区切り（.tsv）、Excel（.xlsx）" in page
    again = upload(city_client, None).content.decode()
    assert "選んだファイル" not in again and "取り込めます" not in again


# --- The 年度 offered --------------------------------------------------------------------------


def test_the_year_select_covers_every_year_with_meetings_and_the_next(
    city_client, catalogue, municipality
):
    body = MeetingType.objects.filter(municipality=municipality).first()
    Meeting.objects.create(
        municipality=municipality, meeting_type=body, date=datetime.date(2012, 6, 1)
    )
    page = city_client.get(reverse("meetings:meeting_import")).content.decode()
    current = fiscal_year(timezone.localdate())
    for fy in range(2012, current + 2):
        assert f'<option value="{format_fiscal_year(fy)}"' in page, fy
    assert "---------" not in page


# --- Template files ------------------------------------------------------------------------------


def test_the_meeting_templates_are_offered_and_import_without_a_problem(city_client, catalogue):
    page = city_client.get(reverse("meetings:meeting_import")).content.decode()
    assert reverse("meetings:meeting_import_template") in page
    rows = xlsx_rows(template_file(city_client, "meeting_import", "long"))
    assert rows[0] == ["センター", "会議体", "開催日", "形式", "状態", "検討事例数"]
    assert len(rows) == 2 and rows[1][0] and rows[1][1]
    response = template_file(city_client, "meeting_import", "long")
    preview = upload(
        city_client, response.content, name="long.xlsx", layout="long", fiscal_year=""
    ).content.decode()
    assert "1件の会議を取り込めます" in preview, preview

    matrix = template_file(city_client, "meeting_import", "matrix", kind="csv")
    text = matrix.content.decode("utf-8-sig").splitlines()
    assert text[0].startswith("センター,") and len(text) == 2
    fy = format_fiscal_year(fiscal_year(timezone.localdate()))
    preview = upload(city_client, matrix.content, name="matrix.csv", fiscal_year=fy)
    assert "件の会議を取り込めます" in preview.content.decode()


def test_the_resource_template_imports_without_a_problem(city_client, organization):
    response = template_file(city_client, "resource_import", "resources")
    rows = xlsx_rows(response)
    assert rows[0][:3] == ["名称", "種別", "提供主体"] and len(rows) == 2
    page = city_client.post(
        reverse("resources:resource_import"),
        {"file": SimpleUploadedFile("r.xlsx", response.content)},
    ).content.decode()
    assert "1件の社会資源を取り込めます" in page, page
    confirm(city_client, "resource_import")
    assert list(Resource.objects.values_list("name", flat=True)) == ["ふれあいサロン(記入例)"]


@pytest.mark.parametrize("kind", ["consultations", "events"])
def test_the_center_record_templates_import_without_a_problem(staff_client, center, kind):
    response = template_file(staff_client, "business_import", kind)
    rows = xlsx_rows(response)
    assert rows[0][0] == "センター" and rows[1][0] == center.name
    page = staff_client.post(
        reverse("centerwork:business_import"),
        {"kind": kind, "file": SimpleUploadedFile("c.xlsx", response.content)},
    ).content.decode()
    assert "1件を取り込めます" in page, page
    confirm(staff_client, "business_import")
    assert (Consultation if kind == "consultations" else Event).objects.count() == 1


# --- Large imports in the background -------------------------------------------------------------


def test_a_large_import_runs_as_a_task_and_shows_its_result(
    city_client, catalogue, municipality, settings
):
    settings.IMPORT_BACKGROUND_ROWS = 50
    upload(city_client, SAMPLE.read_bytes())
    response = confirm(city_client)
    job_url = response["Location"]
    assert job_url.startswith("/meetings/import/jobs/")
    assert not Meeting.objects.exists()  # nothing saved before the worker runs
    waiting = city_client.get(job_url).content.decode()
    assert "<progress" in waiting and "順番を待っています" in waiting

    assert run_queued_tasks() == 1
    done = city_client.get(job_url).content.decode()
    assert "102件の会議を取り込みました。" in done
    assert Meeting.objects.filter(municipality=municipality).count() == 102
    entry = AuditEntry.objects.get(action="meeting.imported")
    assert entry.data == {"source": "matsudo_r3_schedule.csv", "count": 102}
    # The staged file went to the task: confirming again finds nothing.
    again = confirm(city_client, follow=True).content.decode()
    assert "確認中のファイルがありません" in again


def test_a_large_import_that_no_longer_parses_saves_nothing_and_lists_why(
    city_client, catalogue, municipality, settings
):
    settings.IMPORT_BACKGROUND_ROWS = 50
    upload(city_client, SAMPLE.read_bytes())
    job_url = confirm(city_client)["Location"]
    # A center renamed after the confirmation: its rows no longer match.
    Center.objects.filter(name__startswith="明第1").update(name="改称したセンター")
    run_queued_tasks()
    page = city_client.get(job_url).content.decode()
    assert "件の問題があるため、何も取り込んでいません。" in page
    assert "行目「センター」列: センター「明第1」が見つかりません。" in page
    assert not Meeting.objects.exists()


def test_a_large_import_that_fails_says_so_in_japanese_and_saves_nothing(
    city_client, catalogue, settings, monkeypatch
):
    settings.IMPORT_BACKGROUND_ROWS = 50
    upload(city_client, SAMPLE.read_bytes())
    job_url = confirm(city_client)["Location"]
    real_save = import_views.FLOW.save

    def save_then_break(result, **kwargs):
        real_save(result, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(import_views.FLOW, "save", save_then_break)
    run_queued_tasks()
    page = city_client.get(job_url).content.decode()
    assert "処理に失敗しました。時間をおいてもう一度依頼してください。" in page
    assert "disk full" not in page and "Traceback" not in page
    assert not Meeting.objects.exists()  # all or nothing: the task's transaction rolled back


def test_another_municipalitys_import_job_is_not_found(
    city_client, catalogue, settings, client, outsider
):
    from conftest import logged_in

    settings.IMPORT_BACKGROUND_ROWS = 50
    upload(city_client, SAMPLE.read_bytes())
    job_url = confirm(city_client)["Location"]
    assert logged_in(client, outsider).get(job_url).status_code in (403, 404)
    other_flow = job_url.replace("/meetings/import/", "/resources/import/")
    assert city_client.get(other_flow).status_code == 404


def test_an_import_job_is_shown_only_to_the_member_who_started_it(
    city_client, catalogue, settings, municipality
):
    from django.test import Client

    from conftest import logged_in, make_user
    from tsunagu.accounts.models import Role

    settings.IMPORT_BACKGROUND_ROWS = 50
    upload(city_client, SAMPLE.read_bytes())
    job_url = confirm(city_client)["Location"]
    colleague = make_user("second_city_admin", (municipality, Role.CITY_ADMIN, None))
    assert logged_in(Client(), colleague).get(job_url).status_code == 404
    assert city_client.get(job_url).status_code == 200


def test_the_screening_template_screens_without_a_problem(city_client):
    page = city_client.get(reverse("cases:screening")).content.decode()
    assert reverse("cases:screening_template") in page
    response = template_file(city_client, "screening", "benefit")
    rows = xlsx_rows(response)
    assert rows[0][:3] == ["事業所番号", "事業所名", "利用者番号"] and len(rows) == 2
    csv_file = template_file(city_client, "screening", "benefit", kind="csv")
    result = city_client.post(
        reverse("cases:screening"),
        {"file": SimpleUploadedFile("b.csv", csv_file.content), "month": "2026-10"},
    ).content.decode()
    assert "点検できません" not in result
    assert "届出対象のケアプラン（0件 / 1件中）" in result, result
