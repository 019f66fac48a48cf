"""Who sees a consultation: its center and 基幹型; the city only 虐待(疑い); audited looks."""

import pytest
from django.urls import reverse

from conftest import logged_in, make_user
from tsunagu.accounts.models import Role
from tsunagu.audit.models import AuditEntry
from tsunagu.centerwork.models import Consultation
from tsunagu.organizations.models import Center

from .helpers import OCTOBER, consult, core_staff

SECRET = "長男からの暴言について本人が来所"


@pytest.fixture
def ordinary(center):
    return consult(center, OCTOBER, "P-1", "認知症", summary=SECRET)


@pytest.fixture
def abuse(center):
    return consult(center, OCTOBER, "P-2", "虐待(疑い)", "認知症", summary="あざがある")


def detail(c):
    return reverse("centerwork:consultation_detail", args=[c.pk])


def test_it_sends_anonymous_users_to_login(client, ordinary):
    response = client.get(detail(ordinary))
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_it_shows_the_record_to_its_center_and_audits_the_look(
    staff_client, center_staff, ordinary
):
    response = staff_client.get(detail(ordinary))
    assert response.status_code == 200 and SECRET in response.content.decode()
    entry = AuditEntry.objects.get(action="consultation.viewed")
    assert (entry.actor_id, entry.target_id) == (center_staff.pk, str(ordinary.pk))
    assert SECRET not in str(entry.data) and SECRET not in entry.summary


def test_it_shows_every_center_to_the_core_center(client, municipality, ordinary):
    response = logged_in(client, core_staff(municipality)).get(detail(ordinary))
    assert response.status_code == 200 and SECRET in response.content.decode()


def test_another_center_gets_404(client, municipality, ordinary):
    other = Center.objects.create(municipality=municipality, name="別センター")
    user = make_user("other-center", (municipality, Role.CENTER_STAFF, other))
    assert logged_in(client, user).get(detail(ordinary)).status_code == 404


def test_the_city_sees_only_the_abuse_records(city_client, ordinary, abuse):
    assert city_client.get(detail(ordinary)).status_code == 404
    assert city_client.get(detail(abuse)).status_code == 200
    listing = city_client.get(reverse("centerwork:consultation_list")).content.decode()
    assert "P-2" in listing and "P-1" not in listing


def test_the_city_may_not_change_a_record(city_client, abuse):
    response = city_client.post(reverse("centerwork:consultation_edit", args=[abuse.pk]), {})
    assert response.status_code == 403


def test_another_municipality_gets_404(outsider_client, abuse):
    assert outsider_client.get(detail(abuse)).status_code == 404


def test_a_read_only_role_gets_no_records_and_changes_nothing(viewer_client, ordinary):
    assert viewer_client.get(detail(ordinary)).status_code == 403
    assert viewer_client.get(reverse("centerwork:consultation_list")).status_code == 403
    response = viewer_client.post(
        reverse("centerwork:consultation_create"),
        {"received_on": "2026-10-01", "method": "phone", "consulter": "self"},
    )
    assert response.status_code == 403
    assert Consultation.objects.count() == 1
    # The counts are for the viewer, though.
    assert viewer_client.get(reverse("centerwork:monthly_overview")).status_code == 200


def test_center_staff_record_a_consultation_for_their_center(staff_client, center):
    from .helpers import categories

    chosen = categories(center.municipality, "認知症", "介護保険")
    response = staff_client.post(
        reverse("centerwork:consultation_create"),
        {
            "received_on": "令和8年10月2日",
            "method": "visit_in",
            "consulter": "self",
            "categories": [c.pk for c in chosen],
            "person_ref": "N-9",
            "response": "information",
            "summary": "",
            "follow_up": "closed",
        },
    )
    consultation = Consultation.objects.get(person_ref="N-9")
    assert response.status_code == 302
    assert consultation.center == center
    assert consultation.categories.count() == 2
    assert AuditEntry.objects.filter(action="consultation.created").count() == 1


def test_the_monthly_page_shows_a_center_only_its_own_row(staff_client, municipality, center):
    Center.objects.create(municipality=municipality, name="見えないセンター")
    body = staff_client.get(
        reverse("centerwork:monthly_overview") + "?month=2026-10"
    ).content.decode()
    assert center.name in body and "見えないセンター" not in body
    assert "<title>月次報告 令和8年10月" in body


@pytest.mark.parametrize(
    "query", ["?month=0001-01", "?month=2026-13", "?month=x", "?month=99999-1", "?month=2026-10"]
)
def test_the_monthly_page_answers_any_month_it_is_given(staff_client, query):
    assert staff_client.get(reverse("centerwork:monthly_overview") + query).status_code == 200


@pytest.mark.parametrize("query", ["?year=0", "?year=-3", "?year=abc", "?year=2026"])
def test_the_annual_page_answers_any_year_it_is_given(staff_client, query):
    assert staff_client.get(reverse("centerwork:annual_overview") + query).status_code == 200
