"""Request → assign → accept or decline, changes both ways, each step audited."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import make_user
from tsunagu.accounts.models import Membership, Role
from tsunagu.audit.models import AuditEntry
from tsunagu.meetings.models import Attendance
from tsunagu.prefecture import services
from tsunagu.prefecture.choices import AssignmentStatus, RequestStatus
from tsunagu.prefecture.models import Assignment

from .conftest import accepted_dispatch, make_adviser, make_meeting


def actions():
    return list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))


def test_it_records_a_request_for_the_meetings_prefecture(prefecture, meeting, city_admin):
    request = services.request_dispatch(
        meeting=meeting, profession="dietitian", note="栄養の観点", by=city_admin
    )
    assert request.prefecture == prefecture
    assert request.municipality == meeting.municipality
    assert request.status == RequestStatus.OPEN
    assert "dispatch.requested" in actions()


def test_it_refuses_a_request_where_the_prefecture_does_not_take_part(meeting, city_admin):
    with pytest.raises(ValidationError):
        services.request_dispatch(meeting=meeting, profession="dietitian", by=city_admin)


def test_it_refuses_a_request_for_a_past_meeting_or_a_duplicate(
    prefecture, body, meeting, city_admin
):
    past = make_meeting(body, days=-1)
    with pytest.raises(ValidationError):
        services.request_dispatch(meeting=past, profession="dietitian", by=city_admin)
    services.request_dispatch(meeting=meeting, profession="dietitian", by=city_admin)
    with pytest.raises(ValidationError):
        services.request_dispatch(meeting=meeting, profession="dietitian", by=city_admin)


def test_acceptance_makes_the_adviser_an_invited_attendee_with_a_limited_membership(
    prefecture, meeting, adviser, coordinator, city_admin
):
    assignment = accepted_dispatch(meeting, adviser, by=coordinator)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACCEPTED
    assert assignment.request.status == RequestStatus.ACCEPTED
    membership = Membership.objects.get(user=adviser.user, municipality=meeting.municipality)
    assert membership.role == Role.ADVISER
    assert assignment.membership == membership and assignment.membership_created
    # Ends with the adviser window after the meeting (the municipality's setting, 1 day).
    assert membership.expires_on == meeting.date + datetime.timedelta(days=1)
    attendance = Attendance.objects.get(meeting=meeting, person=membership.person)
    assert attendance.invited and attendance.role == "adviser"
    assert attendance.name == adviser.name
    assert {"dispatch.requested", "dispatch.assigned", "dispatch.accepted"} <= set(actions())


def test_assigning_someone_who_does_not_fit_is_refused(
    prefecture, municipality, meeting, coordinator
):
    dietitian = make_adviser(prefecture, profession="dietitian", municipalities=[municipality])
    request = services.request_dispatch(
        meeting=meeting, profession="physiotherapist", by=coordinator
    )
    with pytest.raises(ValidationError):
        services.assign(dispatch_request=request, adviser=dietitian, by=coordinator)
    assert not Assignment.objects.exists()


def test_a_request_waiting_for_an_answer_cannot_be_assigned_twice(
    prefecture, municipality, meeting, coordinator
):
    first = make_adviser(prefecture, municipalities=[municipality])
    second = make_adviser(prefecture, municipalities=[municipality])
    request = services.request_dispatch(
        meeting=meeting, profession="physiotherapist", by=coordinator
    )
    services.assign(dispatch_request=request, adviser=first, by=coordinator)
    with pytest.raises(ValidationError):
        services.assign(dispatch_request=request, adviser=second, by=coordinator)


def test_declining_needs_a_reason_and_returns_the_request_to_the_coordinator(
    prefecture, meeting, adviser, coordinator
):
    request = services.request_dispatch(
        meeting=meeting, profession="physiotherapist", by=coordinator
    )
    assignment = services.assign(dispatch_request=request, adviser=adviser, by=coordinator)
    with pytest.raises(ValidationError):
        services.answer(assignment=assignment, accept=False, reason=" ", by=adviser.user)
    services.answer(assignment=assignment, accept=False, reason="出張のため", by=adviser.user)
    assignment.refresh_from_db()
    request.refresh_from_db()
    assert assignment.status == AssignmentStatus.DECLINED and assignment.reason == "出張のため"
    assert request.status == RequestStatus.OPEN
    assert not Membership.objects.filter(user=adviser.user).exists()
    assert actions()[-1] == "dispatch.declined"


def test_only_the_assigned_adviser_may_answer(prefecture, meeting, adviser, coordinator):
    request = services.request_dispatch(
        meeting=meeting, profession="physiotherapist", by=coordinator
    )
    assignment = services.assign(dispatch_request=request, adviser=adviser, by=coordinator)
    with pytest.raises(ValidationError):
        services.answer(assignment=assignment, accept=True, by=coordinator)


def test_an_adviser_who_withdraws_after_accepting_loses_the_meeting(
    prefecture, meeting, adviser, coordinator
):
    assignment = accepted_dispatch(meeting, adviser, by=coordinator)
    services.answer(assignment=assignment, accept=False, reason="急病", by=adviser.user)
    membership = Membership.objects.get(user=adviser.user)
    assert not membership.is_active
    assert not Attendance.objects.filter(meeting=meeting, person=membership.person).exists()
    assignment.request.refresh_from_db()
    assert assignment.request.status == RequestStatus.OPEN


def test_the_coordinator_can_withdraw_and_the_municipality_can_cancel(
    prefecture, municipality, body, adviser, coordinator, city_admin
):
    first = make_meeting(body, days=3)
    second = make_meeting(body, days=5)
    one = accepted_dispatch(first, adviser, by=coordinator)
    two = accepted_dispatch(second, adviser, by=coordinator)
    membership = Membership.objects.get(user=adviser.user)
    assert membership.expires_on == second.date + datetime.timedelta(days=1)
    services.withdraw_assignment(assignment=two, reason="日程変更", by=coordinator)
    membership.refresh_from_db()
    # The other dispatch still holds the membership, now only until its own window ends.
    assert membership.is_active
    assert membership.expires_on == first.date + datetime.timedelta(days=1)
    two.request.refresh_from_db()
    assert two.request.status == RequestStatus.OPEN
    services.cancel_request(dispatch_request=one.request, reason="中止", by=city_admin)
    membership.refresh_from_db()
    assert not membership.is_active
    one.refresh_from_db()
    assert one.status == AssignmentStatus.CANCELLED
    assert {"dispatch.assignment_withdrawn", "dispatch.request_cancelled"} <= set(actions())


def test_a_membership_the_municipality_made_is_used_and_kept(
    prefecture, municipality, meeting, adviser, coordinator
):
    own = Membership.objects.create(user=adviser.user, municipality=municipality, role=Role.ADVISER)
    assignment = accepted_dispatch(meeting, adviser, by=coordinator)
    assert assignment.membership == own and not assignment.membership_created
    services.withdraw_assignment(assignment=assignment, by=coordinator)
    own.refresh_from_db()
    assert own.is_active and own.expires_on is None
    assert own.person is not None


def test_a_municipality_suspended_membership_blocks_acceptance(
    prefecture, municipality, meeting, adviser, coordinator
):
    Membership.objects.create(
        user=adviser.user, municipality=municipality, role=Role.ADVISER, is_active=False
    )
    request = services.request_dispatch(
        meeting=meeting, profession="physiotherapist", by=coordinator
    )
    assignment = services.assign(dispatch_request=request, adviser=adviser, by=coordinator)
    with pytest.raises(ValidationError):
        services.answer(assignment=assignment, accept=True, by=adviser.user)


def test_a_past_meeting_can_no_longer_be_changed(prefecture, meeting, adviser, coordinator):
    assignment = accepted_dispatch(meeting, adviser, by=coordinator)
    meeting.date = timezone.localdate() - datetime.timedelta(days=1)
    meeting.save()
    with pytest.raises(ValidationError):
        services.withdraw_assignment(assignment=assignment, by=coordinator)


def test_the_pool_registers_a_new_login_without_a_usable_password(prefecture, town, pref_staff):
    from tsunagu.prefecture.models import AdviserProfile

    adviser = services.save_adviser(
        adviser=AdviserProfile(
            prefecture=prefecture,
            name="新人 歯科衛生士",
            furigana="しんじん",
            profession="dental_hygienist",
        ),
        username="dh-new",
        municipalities=[town],
        by=pref_staff,
    )
    assert adviser.user.username == "dh-new" and not adviser.user.has_usable_password()
    assert adviser.furigana == "シンジン"
    assert "prefecture.adviser_registered" in actions()


def test_the_pool_refuses_another_prefectures_municipality(
    prefecture, other_municipality, pref_staff
):
    from tsunagu.prefecture.models import AdviserProfile

    existing = make_user("somebody")
    with pytest.raises(ValidationError):
        services.save_adviser(
            adviser=AdviserProfile(
                prefecture=prefecture, name="越境", furigana="えっきょう", profession="pharmacist"
            ),
            username=existing.username,
            municipalities=[other_municipality],
            by=pref_staff,
        )


def test_a_moved_meeting_moves_the_dispatch_window(prefecture, meeting, adviser, coordinator):
    accepted_dispatch(meeting, adviser, by=coordinator)
    meeting.date = meeting.date + datetime.timedelta(days=20)
    meeting.save()
    membership = Membership.objects.get(user=adviser.user)
    assert membership.expires_on == meeting.date + datetime.timedelta(days=1)
    assert actions()[-1] == "dispatch.window_moved"
