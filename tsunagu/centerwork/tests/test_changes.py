"""Events, visits, volunteers and their activities are changed and deleted by their own
center (deleting asks first), audited, and a reported month stays as reported."""

import datetime

import pytest

from conftest import logged_in, make_user
from tsunagu.accounts.models import Role
from tsunagu.audit.models import AuditEntry
from tsunagu.centerwork import reporting, services
from tsunagu.centerwork.models import (
    Event,
    OutreachTarget,
    OutreachVisit,
    Volunteer,
    VolunteerActivity,
)
from tsunagu.organizations.models import Center
from tsunagu.tests.url_names import reverse

from .helpers import OCTOBER, core_staff


@pytest.fixture
def rows(center):
    m = center.municipality
    event = services.record_event(
        event=Event(
            municipality=m,
            center=center,
            kind="supporter",
            held_on=OCTOBER,
            title="サポーター講座",
            caravan_mate="山田",
            participants=20,
            headcount={"住民": 20},
        ),
        by=None,
    )
    OutreachTarget.objects.create(
        municipality=m,
        center=center,
        fiscal_year=2026,
        kind="survey",
        source_list="b",
        person_ref="T-9",
    )
    visit = services.record_visit(
        visit=OutreachVisit(
            municipality=m,
            center=center,
            kind="survey",
            person_ref="T-1",
            visited_on=OCTOBER,
            result="met",
        ),
        by=None,
    )
    volunteer = services.register_volunteer(
        volunteer=Volunteer(
            municipality=m,
            center=center,
            kind="prevention",
            number="V-1",
            name="小林 花子",
            registered_on=datetime.date(2026, 4, 1),
        ),
        by=None,
    )
    activity = services.record_activity(
        activity=VolunteerActivity(
            volunteer=volunteer, done_on=OCTOBER, programme="サロン", points=5
        ),
        by=None,
    )
    return {"event": event, "visit": visit, "volunteer": volunteer, "activity": activity}


def test_an_event_is_changed_with_its_headcount(staff_client, rows):
    event = rows["event"]
    page = staff_client.get(reverse("centerwork:event_edit", args=[event.pk])).content.decode()
    assert "住民 20" in page
    response = staff_client.post(
        reverse("centerwork:event_edit", args=[event.pk]),
        {
            "kind": "family_care",
            "held_on": "2026-10-06",
            "title": "家族介護教室",
            "participants": "12",
            "headcount_text": "家族 10、住民 2",
            "caravan_mate": "山田",
        },
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.kind, event.participants, event.caravan_mate) == ("family_care", 12, "")
    assert event.headcount == {"家族": 10, "住民": 2}
    assert AuditEntry.objects.filter(action="business.event_changed").exists()


def test_a_visit_is_changed_and_matched_to_the_list_again(staff_client, rows):
    visit = rows["visit"]
    assert visit.target is None
    staff_client.post(
        reverse("centerwork:visit_edit", args=[visit.pk]),
        {"kind": "survey", "person_ref": "T-9", "visited_on": "2026-10-07", "result": "absent"},
    )
    visit.refresh_from_db()
    assert visit.person_ref == "T-9" and visit.target.source_list == "b"


def test_a_volunteer_and_an_activity_are_changed(staff_client, rows, center):
    volunteer, activity = rows["volunteer"], rows["activity"]
    staff_client.post(
        reverse("centerwork:volunteer_edit", args=[volunteer.pk]),
        {"kind": "watch", "number": "V-1", "name": "小林 花", "registered_on": "2026-04-01"},
    )
    volunteer.refresh_from_db()
    assert (volunteer.kind, volunteer.name) == ("watch", "小林 花")
    staff_client.post(
        reverse("centerwork:activity_edit", args=[activity.pk]),
        {"volunteer": volunteer.pk, "done_on": "2026-10-05", "programme": "サロン", "points": 8},
    )
    figures = reporting.month_figures(center.municipality, 2026, 10)["centers"][center.name]
    assert figures["volunteers"] == {"activities": 1, "points": 8}


@pytest.mark.parametrize("kind", ["event", "visit", "activity"])
def test_delete_asks_first_then_deletes(staff_client, rows, kind):
    row = rows[kind]
    url = reverse(f"{kind}_delete", args=[row.pk])
    page = staff_client.get(url)
    assert page.status_code == 200 and "削除しますか" in page.content.decode()
    assert type(row).objects.filter(pk=row.pk).exists()
    assert staff_client.post(url).status_code == 302
    assert not type(row).objects.filter(pk=row.pk).exists()
    assert AuditEntry.objects.filter(action=f"business.{kind}_deleted").count() == 1


def test_a_volunteer_with_activities_is_not_deleted(staff_client, rows):
    volunteer = rows["volunteer"]
    staff_client.post(reverse("centerwork:volunteer_delete", args=[volunteer.pk]))
    assert Volunteer.objects.filter(pk=volunteer.pk).exists()
    staff_client.post(reverse("centerwork:activity_delete", args=[rows["activity"].pk]))
    staff_client.post(reverse("centerwork:volunteer_delete", args=[volunteer.pk]))
    assert not Volunteer.objects.filter(pk=volunteer.pk).exists()


def test_a_reported_month_stays_as_reported(staff_client, rows, center, center_staff):
    report = services.open_submission(center=center, kind="monthly", day=OCTOBER, by=None)
    services.submit(submission=report, figures={}, by=center_staff)
    event = rows["event"]
    page = staff_client.post(
        reverse("centerwork:event_edit", args=[event.pk]),
        {"kind": "family_care", "held_on": "2026-11-02", "title": "移す", "participants": "3"},
    )
    assert page.status_code == 200 and "提出済" in page.content.decode()
    event.refresh_from_db()
    assert event.held_on == OCTOBER
    staff_client.post(reverse("centerwork:visit_delete", args=[rows["visit"].pk]))
    assert OutreachVisit.objects.filter(pk=rows["visit"].pk).exists()


def test_only_the_own_center_changes_its_records(client, rows, municipality, city_admin):
    other = Center.objects.create(municipality=municipality, name="別センター")
    stranger = make_user("other_staff", (municipality, Role.CENTER_STAFF, other))
    kikan = core_staff(municipality)
    for kind, row in rows.items():
        for user, want in (
            (stranger, 404),
            (kikan, 403),
            (city_admin, 403),
        ):
            for action in ("edit", "delete"):
                answer = logged_in(client, user).get(reverse(f"{kind}_{action}", args=[row.pk]))
                assert answer.status_code == want, (kind, action, user)


def test_the_lists_link_to_changes_for_the_own_center_only(staff_client, rows, client, viewer):
    pages = {
        "event_list": "event_edit",
        "outreach": "visit_edit",
        "volunteer_list": "volunteer_edit",
    }
    for page, link in pages.items():
        kind = link.split("_")[0]
        body = staff_client.get(reverse(page)).content.decode()
        assert reverse(link, args=[rows[kind].pk]) in body, page
    body = staff_client.get(reverse("centerwork:volunteer_list")).content.decode()
    assert reverse("centerwork:activity_edit", args=[rows["activity"].pk]) in body
    body = logged_in(client, viewer).get(reverse("centerwork:event_list")).content.decode()
    assert reverse("centerwork:event_edit", args=[rows["event"].pk]) not in body
