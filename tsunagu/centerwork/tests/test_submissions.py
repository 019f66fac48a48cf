"""The report flow: compile, remarks, submit (locked), return with comment or accept; overdue."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tsunagu.centerwork import reporting, services
from tsunagu.centerwork.models import BusinessSettings, Submission

from .helpers import OCTOBER, consult


@pytest.fixture
def report(center, center_staff):
    return services.open_submission(center=center, kind="monthly", day=OCTOBER, by=center_staff)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def act(client, submission, action, **data):
    return client.post(
        reverse("centerwork:submission_detail", args=[submission.pk]), {"action": action, **data}
    )


def test_it_locks_the_figures_and_the_month_once_submitted(staff_client, center, report):
    consult(center, OCTOBER, "S-1", "認知症")
    act(staff_client, report, "submit", remarks="特になし")
    report.refresh_from_db()
    assert report.status == "submitted"
    assert report.figures["consultations"]["total"] == 1
    assert report.remarks == "特になし"
    with pytest.raises(ValidationError, match="提出済"):
        consult(center, OCTOBER, "S-2", "認知症")
    with pytest.raises(ValidationError, match="提出済"):
        services.save_remarks(submission=report, remarks="後から", by=None)
    # A consultation of another month is not locked.
    consult(center, datetime.date(2026, 11, 1), "S-3", "認知症")
    page = staff_client.get(
        reverse("centerwork:submission_detail", args=[report.pk])
    ).content.decode()
    assert "提出時の数値" in page


def test_the_city_returns_only_with_a_comment_and_the_center_can_then_change(
    center_staff, city_admin, center, report
):
    staff_client, city_client = client_for(center_staff), client_for(city_admin)
    act(staff_client, report, "submit")
    act(city_client, report, "return", comment="")
    report.refresh_from_db()
    assert report.status == "submitted"
    act(city_client, report, "return", comment="来所件数を確認してください")
    report.refresh_from_db()
    assert (report.status, report.city_comment) == ("returned", "来所件数を確認してください")
    consult(center, OCTOBER, "S-4", "医療")  # open again
    act(staff_client, report, "submit")
    act(city_client, report, "accept")
    report.refresh_from_db()
    assert report.status == "accepted"
    assert report.figures["consultations"]["total"] == 1


def test_the_center_cannot_accept_and_the_city_cannot_submit(center_staff, city_admin, report):
    staff_client, city_client = client_for(center_staff), client_for(city_admin)
    assert act(staff_client, report, "accept").status_code == 403
    assert act(city_client, report, "submit").status_code == 403
    report.refresh_from_db()
    assert report.status == "draft"


def test_a_viewer_sees_the_report_but_cannot_act(viewer, center_staff, report):
    viewer_client, staff_client = client_for(viewer), client_for(center_staff)
    act(staff_client, report, "submit")
    assert (
        viewer_client.get(reverse("centerwork:submission_detail", args=[report.pk])).status_code
        == 200
    )
    assert act(viewer_client, report, "accept").status_code == 403


def test_it_marks_reports_overdue_after_the_due_day_the_city_sets(municipality, center, report):
    rows = reporting.monthly_statuses(
        municipality, 2026, 10, [center], today=datetime.date(2026, 11, 10)
    )
    assert (rows[0].status_label, rows[0].overdue) == ("未提出", False)
    rows = reporting.monthly_statuses(
        municipality, 2026, 10, [center], today=datetime.date(2026, 11, 11)
    )
    assert rows[0].overdue and rows[0].due_on == datetime.date(2026, 11, 10)
    BusinessSettings.objects.create(municipality=municipality, monthly_due_day=15)
    rows = reporting.monthly_statuses(
        municipality, 2026, 10, [center], today=datetime.date(2026, 11, 11)
    )
    assert not rows[0].overdue
    services.submit(submission=report, figures={}, by=None)
    rows = reporting.monthly_statuses(
        municipality, 2026, 10, [center], today=datetime.date(2026, 12, 1)
    )
    assert (rows[0].status_label, rows[0].overdue) == ("提出済", False)


def test_the_city_sets_the_due_day(city_client, municipality):
    city_client.post(
        reverse("centerwork:business_settings"), {"action": "settings", "monthly_due_day": "5"}
    )
    assert reporting.due_day(municipality) == 5


def test_the_plan_fixes_its_targets_once_submitted(staff_client, center, center_staff):
    plan = services.open_submission(
        center=center, kind="plan", day=datetime.date(2026, 5, 1), by=center_staff
    )
    assert plan.period_start == datetime.date(2026, 4, 1)
    act(staff_client, plan, "targets", outreach="120", prevention="12")
    assert reporting.targets_for(center.municipality, 2026, [center])[center.pk]["outreach"] == 120
    act(staff_client, plan, "submit")
    with pytest.raises(ValidationError):
        services.set_targets(center=center, fiscal_year=2026, targets={"outreach": 5}, by=None)
    assert Submission.objects.get(pk=plan.pk).status == "submitted"
    assert reporting.annual_due_date("plan", 2026) == datetime.date(2026, 4, 30)
    assert reporting.annual_due_date("annual", 2026) == datetime.date(2027, 3, 31)


def test_the_annual_report_is_filled_from_the_years_records_against_the_plan(
    center_staff, city_admin, center
):
    """事業計画書 → targets; 事業報告書 compiled from the 年度's records against them, submitted,
    returned with a comment, submitted again, accepted, and printed (PDF read back)."""
    import subprocess

    from tsunagu.centerwork.models import Event

    staff_client, city_client = client_for(center_staff), client_for(city_admin)
    plan = services.open_submission(
        center=center, kind="plan", day=datetime.date(2026, 4, 10), by=center_staff
    )
    act(staff_client, plan, "targets", prevention="12", cafe="6")
    act(staff_client, plan, "submit")
    act(city_client, plan, "accept")
    for month in (5, 6, 7):
        Event.objects.create(
            municipality=center.municipality,
            center=center,
            kind="prevention",
            held_on=datetime.date(2026, month, 10),
            title="体操",
            participants=20,
        )
    # Outside the 年度 (March belongs to the previous one): not counted.
    Event.objects.create(
        municipality=center.municipality,
        center=center,
        kind="prevention",
        held_on=datetime.date(2026, 3, 31),
        title="体操",
        participants=20,
    )
    report = services.open_submission(
        center=center, kind="annual", day=datetime.date(2027, 3, 1), by=center_staff
    )
    assert report.period_start == datetime.date(2026, 4, 1)
    act(staff_client, report, "submit", remarks="介護予防講座は計画の4分の1")
    report.refresh_from_db()
    progress = {p["label"]: (p["target"], p["actual"]) for p in report.figures["progress"]}
    assert progress["介護予防講座（回）"] == (12, 3)
    assert progress["認知症カフェ（回）"] == (6, 0)
    act(city_client, report, "return", comment="カフェの実績を確認してください")
    act(staff_client, report, "submit")
    act(city_client, report, "accept")
    report.refresh_from_db()
    assert report.status == "accepted"
    pdf = staff_client.get(reverse("centerwork:submission_pdf", args=[report.pk])).content
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "事業報告書" in text and "年間目標に対する実績" in text and "介護予防講座" in text
