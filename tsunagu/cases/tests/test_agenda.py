"""The agenda on the meeting page (issue 15): the host center's ready cases added with the
time planned for each, reordered with up and down, removed after a confirmation; the order
numbers stay 1, 2, 3. And a follow-up cannot be dated in the future."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tsunagu.audit.models import AuditEntry
from tsunagu.cases import services
from tsunagu.cases.choices import CaseStatus
from tsunagu.cases.models import Advice, Case, CaseReview, FollowUp
from tsunagu.confidentiality.services import policy_for_signing
from tsunagu.meetings.models import Meeting, MeetingType, Pledge
from tsunagu.organizations.models import Center

TODAY = timezone.localdate()


def as_user(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def body(municipality):
    return MeetingType.objects.create(
        municipality=municipality,
        name="地域個別ケア会議",
        category="individual",
        level="center",
        host="each_center",
        reviews_cases=True,
        minutes_per_case=25,
    )


@pytest.fixture
def meeting(municipality, center, body):
    return Meeting.objects.create(
        municipality=municipality,
        meeting_type=body,
        center=center,
        date=TODAY + datetime.timedelta(days=7),
    )


def make_case(center, number, status=CaseStatus.READY):
    return Case.objects.create(
        municipality=center.municipality,
        code=f"2026-{center.pk:03d}-{number:03d}",
        center=center,
        status=status,
        case_type="independence",
        age_band="80",
        sex="female",
        care_level="care_1",
        household="alone",
    )


@pytest.fixture
def cases(center):
    return [make_case(center, n) for n in (1, 2, 3)]


def orders(meeting):
    return list(meeting.case_reviews.order_by("order").values_list("case__code", "order"))


def put(meeting, cases, by):
    return [services.put_on_agenda(case=case, meeting=meeting, by=by) for case in cases]


def test_cases_are_numbered_one_two_three_with_the_body_s_minutes(meeting, cases, city_admin):
    reviews = put(meeting, cases, city_admin)
    assert [r.order for r in reviews] == [1, 2, 3]
    assert {r.planned_minutes for r in reviews} == {25}


def test_a_case_placed_after_a_removal_takes_the_next_number(meeting, cases, city_admin, center):
    first, second, _third = put(meeting, cases, city_admin)
    services.remove_from_agenda(review=second, by=city_admin)
    assert [order for _code, order in orders(meeting)] == [1, 2]
    services.put_on_agenda(case=make_case(center, 4), meeting=meeting, by=city_admin)
    assert [order for _code, order in orders(meeting)] == [1, 2, 3]


def test_the_organiser_adds_a_ready_case_of_the_host_center(
    city_client, meeting, cases, municipality, area
):
    other_center = Center.objects.create(municipality=municipality, name="明第2", area=area)
    elsewhere = make_case(other_center, 9)
    draft = make_case(meeting.center, 8, status=CaseStatus.DRAFT)
    url = reverse("cases:meeting_agenda", args=[meeting.pk])
    page = city_client.get(url).content.decode()
    assert cases[0].code in page
    assert elsewhere.code not in page and draft.code not in page
    assert 'value="25"' in page  # the body's minutes per case
    response = city_client.post(
        url, {"action": "add", "case": cases[1].pk, "planned_minutes": "30"}
    )
    assert response.status_code == 302
    review = meeting.case_reviews.get()
    assert (review.case, review.order, review.planned_minutes) == (cases[1], 1, 30)
    refused = city_client.post(url, {"action": "add", "case": elsewhere.pk, "planned_minutes": 5})
    assert refused.status_code == 200 and meeting.case_reviews.count() == 1
    bad_minutes = city_client.post(
        url, {"action": "add", "case": cases[0].pk, "planned_minutes": "999"}
    )
    assert "240" in bad_minutes.content.decode() and meeting.case_reviews.count() == 1


def test_up_and_down_buttons_reorder_the_agenda(city_client, meeting, cases, city_admin):
    first, second, third = put(meeting, cases, city_admin)
    url = reverse("cases:meeting_agenda", args=[meeting.pk])
    city_client.post(url, {"action": "up", "review": third.pk})
    assert [code for code, _ in orders(meeting)] == [cases[0].code, cases[2].code, cases[1].code]
    city_client.post(url, {"action": "down", "review": first.pk})
    assert orders(meeting) == [(cases[2].code, 1), (cases[0].code, 2), (cases[1].code, 3)]
    # The first cannot go further up.
    page = city_client.post(url, {"action": "up", "review": third.pk}, follow=True)
    assert "これ以上は動かせません。" in page.content.decode()
    assert AuditEntry.objects.filter(action="case.agenda_reordered").count() == 2
    assert "上へ" in city_client.get(url).content.decode()


def test_the_planned_minutes_are_set_per_case_with_the_error_next_to_it(
    city_client, meeting, cases, city_admin
):
    (review,) = put(meeting, cases[:1], city_admin)
    url = reverse("cases:meeting_agenda", args=[meeting.pk])
    bad = city_client.post(url, {"action": "minutes", "review": review.pk, "minutes": "0"})
    assert "予定時間は1〜240分の数字で入力してください。" in bad.content.decode()
    city_client.post(url, {"action": "minutes", "review": review.pk, "minutes": "15"})
    review.refresh_from_db()
    assert review.planned_minutes == 15


def test_removing_a_case_asks_first_and_keeps_one_with_advice(
    city_client, meeting, cases, city_admin
):
    first, second = put(meeting, cases[:2], city_admin)
    url = reverse("cases:agenda_remove", args=[meeting.pk, first.pk])
    page = city_client.get(url)
    assert "議題から外しますか" in page.content.decode() and meeting.case_reviews.count() == 2
    city_client.post(url)
    assert orders(meeting) == [(cases[1].code, 1)]
    assert Case.objects.filter(pk=cases[0].pk).exists()  # the case itself stays
    Advice.objects.create(review=second, adviser_name="青木", profession="nurse", text="助言")
    with pytest.raises(ValidationError):
        services.remove_from_agenda(review=second, by=city_admin)


def test_a_closed_meeting_s_agenda_does_not_change(meeting, cases, city_admin, city_client):
    (review,) = put(meeting, cases[:1], city_admin)
    Meeting.objects.filter(pk=meeting.pk).update(closed_at=timezone.now())
    for change in (
        lambda: services.move_on_agenda(review=review, up=False, by=city_admin),
        lambda: services.set_planned_minutes(review=review, minutes=5, by=city_admin),
        lambda: services.remove_from_agenda(review=review, by=city_admin),
    ):
        with pytest.raises(ValidationError):
            change()
    response = city_client.post(
        reverse("cases:meeting_agenda", args=[meeting.pk]), {"action": "up", "review": review.pk}
    )
    assert response.status_code == 403


def test_only_organisers_change_the_agenda(meeting, cases, city_admin, viewer, outsider):
    (review,) = put(meeting, cases[:1], city_admin)
    url = reverse("cases:meeting_agenda", args=[meeting.pk])
    assert as_user(viewer).get(url).status_code == 200
    assert "上へ" not in as_user(viewer).get(url).content.decode()
    assert as_user(viewer).post(url, {"action": "down", "review": review.pk}).status_code == 403
    remove = reverse("cases:agenda_remove", args=[meeting.pk, review.pk])
    assert as_user(viewer).post(remove).status_code == 403
    assert as_user(outsider).get(remove).status_code == 404
    assert as_user(outsider).get(url).status_code == 404
    assert Client().get(remove).status_code == 302  # to the login page
    assert meeting.case_reviews.count() == 1


def test_the_renumbering_migration_function_fixes_old_agendas(meeting, cases, city_admin):
    reviews = put(meeting, cases, city_admin)
    CaseReview.objects.filter(pk__in=[r.pk for r in reviews]).update(order=1)
    services.renumber_agenda(meeting)
    assert [order for _code, order in orders(meeting)] == [1, 2, 3]
    assert [code for code, _ in orders(meeting)] == [c.code for c in cases]


# --- The follow-up date ---------------------------------------------------------------------


@pytest.fixture
def follow_up(meeting, cases, city_admin, center_staff):
    (review,) = put(meeting, cases[:1], city_admin)
    Pledge.objects.create(
        municipality=meeting.municipality,
        meeting=meeting,
        user=center_staff,
        signer_name="職員",
        affiliation="センター",
        method="online",
        policy_version=policy_for_signing(meeting.municipality),
    )
    return FollowUp.objects.create(review=review, months_after=3, due_on=TODAY)


def test_a_follow_up_cannot_be_dated_in_the_future(staff_client, follow_up):
    url = reverse("cases:follow_up_record", args=[follow_up.pk])
    tomorrow = TODAY + datetime.timedelta(days=1)
    response = staff_client.post(
        url, {"done_on": tomorrow.isoformat(), "outcome": "improved", "comment": "所見のメモ"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "実施日に先の日付は入力できません。" in page and "所見のメモ" in page
    follow_up.refresh_from_db()
    assert follow_up.done_on is None
    staff_client.post(url, {"done_on": TODAY.isoformat(), "outcome": "improved"})
    follow_up.refresh_from_db()
    assert follow_up.done_on == TODAY


def test_the_follow_up_service_refuses_a_future_date(follow_up, city_admin):
    follow_up.done_on = TODAY + datetime.timedelta(days=3)
    follow_up.outcome = "improved"
    with pytest.raises(ValidationError) as refused:
        services.record_follow_up(follow_up=follow_up, by=city_admin)
    assert "done_on" in refused.value.message_dict
