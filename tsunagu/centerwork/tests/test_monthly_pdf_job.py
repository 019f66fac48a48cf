"""The city-wide monthly report PDF as a background task: asked for, watched, downloaded,
reused while the month's figures are unchanged; each member's own job, in their municipality."""

import subprocess

import pytest
from django.urls import reverse

from conftest import logged_in, make_user, run_queued_tasks
from tsunagu.accounts.models import Role
from tsunagu.centerwork.models import Event

from .helpers import OCTOBER

pytestmark = pytest.mark.django_db
MONTH = "?month=2026-10"


def job_id(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def ask(client) -> str:
    job = client.post(reverse("centerwork:monthly_pdf_make"), {"month": "2026-10"})
    assert job.status_code == 302
    return job.url


def monthly_pdf_by_job(client):
    """The PDF as a member gets it when none is kept: the page that asks, the job's page
    while it waits, a worker, the job's page with the download, the download."""
    asked = client.get(reverse("centerwork:monthly_pdf") + MONTH).content.decode()
    assert "PDFを作成する" in asked and "令和8年10月" in asked
    job_page = ask(client)
    waiting = client.get(job_page).content.decode()
    assert "順番を待っています" in waiting and "hx-get" in waiting
    assert run_queued_tasks() == 1
    done = client.get(job_page).content.decode()
    assert "PDFをダウンロード" in done and "令和8年10月" in done
    download = client.get(reverse("centerwork:monthly_pdf_job_download", args=[job_id(job_page)]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    return download


def pdf_text(body: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=body, capture_output=True, check=True
    )
    return result.stdout.decode()


def test_the_pdf_is_reused_until_the_months_figures_change(city_client, center, pdf_layouts):
    first = monthly_pdf_by_job(city_client).content
    again = city_client.get(reverse("centerwork:monthly_pdf") + MONTH)
    assert again["Content-Type"] == "application/pdf" and again.content == first
    assert len(pdf_layouts) == 1
    Event.objects.create(
        municipality=center.municipality,
        center=center,
        kind="cafe",
        held_on=OCTOBER,
        title="オレンジカフェ",
        participants=23,
    )
    assert (
        "PDFを作成する"
        in city_client.get(reverse("centerwork:monthly_pdf") + MONTH).content.decode()
    )
    remade = monthly_pdf_by_job(city_client).content
    assert remade != first and len(pdf_layouts) == 2
    assert "23" in pdf_text(remade)


def test_the_job_needs_a_login(client, city_client, center):
    job_page = ask(city_client)
    client.logout()
    for url in (
        reverse("centerwork:monthly_pdf") + MONTH,
        job_page,
        reverse("centerwork:monthly_pdf_job_download", args=[job_id(job_page)]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/login/"), url
    assert client.post(reverse("centerwork:monthly_pdf_make")).url.startswith("/login/")


def test_another_municipalitys_job_and_another_members_are_not_found(
    client, city_client, center, municipality, other_municipality
):
    job_page = ask(city_client)
    run_queued_tasks()
    download = reverse("centerwork:monthly_pdf_job_download", args=[job_id(job_page)])
    outsider = make_user("outsider-admin", (other_municipality, Role.CITY_ADMIN, None))
    colleague = make_user("colleague-admin", (municipality, Role.CITY_ADMIN, None))
    for user in (outsider, colleague):
        other = logged_in(client, user)
        assert other.get(job_page).status_code == 404
        assert other.get(download).status_code == 404


def test_read_only_members_may_ask_and_roles_without_the_business_pages_may_not(
    client, viewer_client, center, municipality
):
    # 閲覧のみ sees the business pages (business.view), so the PDF too.
    assert monthly_pdf_by_job(viewer_client).content.startswith(b"%PDF")
    care_manager = make_user("monthly-cm", (municipality, Role.CARE_MANAGER, None))
    refused = logged_in(client, care_manager)
    assert refused.get(reverse("centerwork:monthly_pdf") + MONTH).status_code == 403
    assert refused.post(reverse("centerwork:monthly_pdf_make")).status_code == 403
