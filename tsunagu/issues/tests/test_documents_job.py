"""The city-meeting documents PDF as a background task: progress, download, scope, failure."""

import subprocess

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from conftest import logged_in, make_user, run_queued_tasks
from tsunagu.accounts.models import Role
from tsunagu.issues.tasks import city_documents_pdf
from tsunagu.lib.background import WORKER_LOST_MESSAGE, WorkerLost

pytestmark = pytest.mark.django_db


def pdf_text(body: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=body, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def ask(client) -> str:
    response = client.post(reverse("issues:city_documents_pdf"), {"fy": "2026"})
    assert response.status_code == 302
    return response.url


def test_the_page_shows_progress_until_the_worker_has_made_the_pdf(viewer_client):
    job_page = ask(viewer_client)
    waiting = viewer_client.get(job_page).content.decode()
    assert "順番を待っています" in waiting and "hx-get" in waiting
    assert run_queued_tasks() == 1
    done = viewer_client.get(job_page).content.decode()
    assert "PDFをダウンロード" in done and "hx-get" not in done
    pk = job_page.rstrip("/").rsplit("/", 1)[-1]
    download = viewer_client.get(reverse("issues:city_documents_job_download", args=[pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")


def test_another_municipalitys_job_is_not_found(client, viewer_client, other_municipality):
    job_page = ask(viewer_client)
    run_queued_tasks()
    pk = job_page.rstrip("/").rsplit("/", 1)[-1]
    outsider = make_user("outsider-viewer", (other_municipality, Role.VIEWER, None))
    client = logged_in(client, outsider)
    assert client.get(job_page).status_code == 404
    assert client.get(reverse("issues:city_documents_job_download", args=[pk])).status_code == 404


def test_an_unknown_job_is_not_found(viewer_client):
    url = reverse("issues:city_documents_job", args=["00000000-0000-4000-8000-000000000000"])
    assert viewer_client.get(url).status_code == 404


def test_a_job_whose_worker_died_says_so_in_japanese(viewer_client, municipality):
    result = city_documents_pdf.enqueue(municipality.pk, "2026-04-01", "2027-03-31")
    row = DBTaskResult.objects.get(pk=result.id)
    row.set_failed(WorkerLost())
    DBTaskResult.objects.filter(pk=row.pk).update(traceback=WORKER_LOST_MESSAGE.format(attempts=3))
    page = viewer_client.get(reverse("issues:city_documents_job", args=[row.pk])).content.decode()
    assert "作業プロセスが停止したため、3回試して中止しました" in page
    assert "Traceback" not in page


def test_a_failed_job_shows_no_traceback(viewer_client, municipality):
    result = city_documents_pdf.enqueue(municipality.pk, "2026-04-01", "2027-03-31")
    row = DBTaskResult.objects.get(pk=result.id)
    row.set_failed(ValueError("secret detail"))
    page = viewer_client.get(reverse("issues:city_documents_job", args=[row.pk])).content.decode()
    assert "処理に失敗しました" in page and "secret detail" not in page


def test_the_pdf_is_reused_until_what_it_shows_changes(viewer_client, municipality, pdf_layouts):
    """Mirrors reports' test of the same name: a second job for the same 年度 returns the kept
    file without laying it out again; a change to an issue the 資料3 lists makes a new one,
    which replaces the old file."""
    from django.conf import settings

    from tsunagu.issues.models import CommunityIssue

    from .conftest import new_issue

    def pdf_of_a_new_job() -> bytes:
        job_page = ask(viewer_client)
        assert run_queued_tasks() == 1
        pk = job_page.rstrip("/").rsplit("/", 1)[-1]
        download = viewer_client.get(reverse("issues:city_documents_job_download", args=[pk]))
        assert download["Content-Type"] == "application/pdf"
        return download.content

    issue = new_issue(municipality, "移動手段の確保", level="city")
    first = pdf_of_a_new_job()
    assert "移動手段の確保" in pdf_text(first)  # the issue is in the 年度 the jobs ask for
    assert pdf_of_a_new_job() == first
    assert len(pdf_layouts) == 1
    CommunityIssue.objects.filter(pk=issue.pk).update(title="買い物の手段の確保")
    remade = pdf_of_a_new_job()
    assert remade != first and len(pdf_layouts) == 2
    assert "買い物の手段の確保" in pdf_text(remade)
    kept = list((settings.MEDIA_ROOT / "documents" / str(municipality.pk)).glob("*.pdf"))
    assert len(kept) == 1 and kept[0].read_bytes() == remade
    # Unchanged again: the new file is what the next job returns.
    assert pdf_of_a_new_job() == remade and len(pdf_layouts) == 2
