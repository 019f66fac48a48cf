import datetime
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tsunagu.accounts.models import Membership, Role, User
from tsunagu.cases.models import CaseReview
from tsunagu.demo.accounts import DEMO_PASSWORD
from tsunagu.issues.models import CommunityIssue, IssueTag, MiningJob
from tsunagu.meetings.models import Meeting
from tsunagu.organizations.choices import Profession
from tsunagu.organizations.models import Area, Center, Municipality, Organization, Person


def load():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_it_loads_two_municipalities_shaped_like_the_seeds(db):
    load()
    matsukaze = Municipality.objects.get(code="129909")
    ogawadaira = Municipality.objects.get(code="139904")
    assert Area.objects.filter(municipality=matsukaze).count() == 15
    assert Center.objects.filter(municipality=matsukaze).count() == 16
    assert Center.objects.get(municipality=matsukaze, is_core=True).area is None
    core = Center.objects.get(municipality=ogawadaira, is_core=True)
    assert core.area.name == "中央"
    assert Organization.objects.count() >= 30
    assert 90 <= Person.objects.count() <= 130
    assert set(Person.objects.values_list("profession", flat=True)) == set(Profession.values)


def test_it_is_idempotent(db):
    load()
    counts = [m.objects.count() for m in (Area, Center, Organization, Person, User, Membership)]
    load()
    assert counts == [
        m.objects.count() for m in (Area, Center, Organization, Person, User, Membership)
    ]


def test_it_prints_a_login_for_every_role_and_they_work(db):
    output = load()
    assert DEMO_PASSWORD in output
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    for user in User.objects.filter(is_superuser=False):
        assert user.username in output
        client = Client()
        assert client.login(username=user.username, password=DEMO_PASSWORD)
        assert client.get("/").status_code == 200, user.username


def test_every_demo_row_is_valid(db):
    load()
    for model in (Municipality, Area, Center, Organization, Person, Membership):
        for row in model.objects.all():
            row.full_clean()


@pytest.mark.parametrize("day", [datetime.date(2027, 4, 3), datetime.date(2026, 11, 22)])
def test_the_demo_shows_a_full_meeting_record_in_any_season(db, day):
    # Early in April no meeting of the new 年度 has taken place yet.
    with mock.patch.object(timezone, "localdate", return_value=day):
        load()
    assert Meeting.objects.exclude(minutes="").count() == 1
    # The one review recorded in full (the issue demo's past reviews have no actions).
    assert CaseReview.objects.filter(actions__isnull=False).distinct().count() == 1


def test_the_demo_shows_the_chain_from_cases_to_policy(db):
    load()
    city = CommunityIssue.objects.get(title="高齢者の移動手段の確保")
    assert city.escalated_from.count() == 2
    assert IssueTag.objects.filter(issue__escalated_to=city).exists()
    assert city.proposals.filter(parent__isnull=False).count() == 2
    job = MiningJob.objects.get()
    assert job.status == "done" and job.result["groups"]
    client = Client()
    client.login(username="center", password=DEMO_PASSWORD)
    page = client.get("/").content.decode()
    assert "担当事例から上がった地域課題の動き" in page


def test_the_demo_has_a_year_of_center_business_with_one_report_returned(db):
    from tsunagu.centerwork import reporting
    from tsunagu.centerwork.models import Consultation, OutreachVisit, Submission

    load()
    for code in ("129909", "139904"):
        municipality = Municipality.objects.get(code=code)
        days = Consultation.objects.filter(municipality=municipality).values_list(
            "received_on", flat=True
        )
        assert min(days) >= timezone.localdate() - datetime.timedelta(days=365)
        assert max(days) < timezone.localdate()
    assert Submission.objects.filter(status="returned").count() == 1
    matsukaze = Municipality.objects.get(code="129909")
    centers = Center.objects.filter(municipality=matsukaze)
    fy = reporting.fiscal_year(timezone.localdate())
    progress = reporting.year_progress(matsukaze, fy, centers)
    behind = {c.name for c in centers if any(p.behind for p in progress[c.pk])}
    if reporting.months_elapsed(fy, timezone.localdate()) >= 2:
        assert "常盤平団地地域包括支援センター" in behind
        assert len(behind) < len(centers)
    assert OutreachVisit.objects.exists()


def test_the_demo_prefecture_logins_reach_their_pages_and_preferences(db):
    """ken and kenkyo (no municipality) open their pages and notification preferences; the
    coordinator, a 協議会, changes the PT・OT・ST advisers and not the others."""
    from django.urls import reverse

    from tsunagu.prefecture.models import AdviserProfile

    load()
    pool = AdviserProfile.objects.select_related("user")
    rehab = pool.filter(
        association__in=["県理学療法士会（デモ）", "県作業療法士会（デモ）"]
    ).first()
    other = pool.filter(association="県栄養士会（デモ）").first()
    for login in ("ken", "kenkyo", "haken01"):
        client = Client()
        assert client.login(username=login, password=DEMO_PASSWORD)
        assert client.get(reverse("notifications:notification_preferences")).status_code == 200, (
            login
        )
    client = Client()
    client.login(username="kenkyo", password=DEMO_PASSWORD)
    assert client.get(reverse("prefecture:pref_adviser_edit", args=[rehab.pk])).status_code == 200
    assert client.get(reverse("prefecture:pref_adviser_edit", args=[other.pk])).status_code == 403
    client.login(username="ken", password=DEMO_PASSWORD)
    assert client.get(reverse("prefecture:pref_adviser_edit", args=[other.pk])).status_code == 200
