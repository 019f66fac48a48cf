"""The prefecture's dispatch steps (issue 20) and the centers' reports to the city (issue 19)
reach the right people once, never the wrong ones, and never with case content."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from conftest import make_user, run_queued_tasks
from tsunagu.accounts.models import Membership, Role
from tsunagu.centerwork import services as center_services
from tsunagu.centerwork.choices import SubmissionKind, SubmissionStatus
from tsunagu.centerwork.models import BusinessSettings, Consultation, Submission
from tsunagu.meetings import services as meeting_services
from tsunagu.meetings.models import MeetingType
from tsunagu.notifications import scans, services
from tsunagu.notifications.models import Delivery, EmailStatus, Kind, Notification
from tsunagu.organizations.models import Area, Center, Person
from tsunagu.prefecture import services as pref_services
from tsunagu.prefecture.choices import PrefectureRole
from tsunagu.prefecture.models import Prefecture
from tsunagu.prefecture.tests.conftest import make_adviser, make_meeting, pref_user

from .conftest import CASE_TEXT

pytestmark = pytest.mark.django_db

NOTE = "長女から金銭の搾取があるとの相談"
COMMENT = "山田花子さんの相談件数が二重に数えられています"


def with_person(user, municipality, *, email, center=None, role=Role.CENTER_STAFF):
    """A membership of `user` naming a directory person with an address."""
    person = Person.objects.create(
        municipality=municipality,
        name=f"{user.username} さん",
        furigana="テスト",
        profession="social_worker",
        email=email,
    )
    Membership.objects.create(
        user=user, municipality=municipality, role=role, center=center, person=person
    )
    return person


def emailed(address):
    return [m for m in mail.outbox if address in m.to]


def kinds_of(recipient):
    return list(
        Notification.objects.filter(**services.whose(recipient)).values_list("kind", flat=True)
    )


@pytest.fixture
def prefecture(db):
    return Prefecture.objects.create(code="12")


@pytest.fixture
def staff(prefecture):
    user = pref_user("ken", prefecture, PrefectureRole.STAFF)
    user.email = "ken@pref.example.jp"
    user.save()
    return user


@pytest.fixture
def coordinator(prefecture):
    user = pref_user("kenkyo", prefecture, PrefectureRole.COORDINATOR, "テスト県理学療法士会")
    user.email = "kyo@pt.example.jp"
    user.save()
    return user


@pytest.fixture
def bystanders(prefecture, other_municipality):
    """A viewer of the same prefecture, staff of another, and a city admin elsewhere."""
    viewer = pref_user("kenview", prefecture, PrefectureRole.VIEWER)
    tokyo = pref_user("tokyo", Prefecture.objects.create(code="13"), PrefectureRole.STAFF)
    elsewhere = make_user("elsewhere")
    for user, address in ((viewer, "view@pref"), (tokyo, "tokyo@pref"), (elsewhere, "x@city")):
        user.email = f"{address}.example.jp"
        user.save()
    person = with_person(
        elsewhere, other_municipality, email="else@city.example.jp", role=Role.CITY_ADMIN
    )
    return [viewer, tokyo, person]


@pytest.fixture
def meeting_body(municipality):
    return MeetingType.objects.create(
        municipality=municipality,
        name="自立支援型個別会議",
        category="individual",
        level="center",
        host="each_center",
        handles_personal_info=True,
        reviews_cases=True,
    )


@pytest.fixture
def meeting(meeting_body, center):
    return make_meeting(meeting_body, center=center)


@pytest.fixture
def organiser(municipality, center):
    """The meeting's center's staff member, who asks for the adviser."""
    user = make_user("organiser")
    person = with_person(user, municipality, email="org@center.example.jp", center=center)
    return user, person


@pytest.fixture
def adviser(prefecture, municipality):
    profile = make_adviser(prefecture, municipalities=[municipality])
    profile.user.email = "pt@adviser.example.jp"
    profile.user.save()
    return profile


def step(capture, action, *args, **kwargs):
    with capture(execute=True):
        result = action(*args, **kwargs)
    run_queued_tasks()
    return result


def no_content_in(messages):
    for message in messages:
        for text in (NOTE, CASE_TEXT, COMMENT):
            assert text not in message.subject and text not in message.body


def test_it_tells_the_prefectures_staff_and_coordinators_of_a_request_once(
    meeting, organiser, staff, coordinator, bystanders, django_capture_on_commit_callbacks
):
    user, _person = organiser
    request = step(
        django_capture_on_commit_callbacks,
        pref_services.request_dispatch,
        meeting=meeting,
        profession="physiotherapist",
        note=NOTE,
        by=user,
    )
    for login in (staff, coordinator):
        (message,) = emailed(login.email)
        assert "専門職派遣の依頼" in message.subject and "理学療法士" in message.body
        assert f"/prefecture/requests/{request.pk}/" in message.body
        assert kinds_of(login) == [Kind.DISPATCH_REQUEST]
    for bystander in bystanders:
        assert kinds_of(bystander) == []
    assert len(mail.outbox) == 2
    no_content_in(mail.outbox)
    # The same event seen twice says nothing new.
    from tsunagu.notifications.receivers import on_dispatch_requested

    on_dispatch_requested(None, dispatch_request=request)
    run_queued_tasks()
    assert len(mail.outbox) == 2


def test_it_asks_the_adviser_by_their_login_before_they_belong_to_the_municipality(
    meeting, organiser, coordinator, adviser, prefecture, django_capture_on_commit_callbacks
):
    other = make_adviser(prefecture, municipalities=[meeting.municipality])
    other.user.email = "other@adviser.example.jp"
    other.user.save()
    request = step(
        django_capture_on_commit_callbacks,
        pref_services.request_dispatch,
        meeting=meeting,
        profession="physiotherapist",
        note=NOTE,
        by=organiser[0],
    )
    step(
        django_capture_on_commit_callbacks,
        pref_services.assign,
        dispatch_request=request,
        adviser=adviser,
        by=coordinator,
    )
    (message,) = emailed("pt@adviser.example.jp")
    assert "派遣のお願い" in message.subject and "/adviser/" in message.body
    assert Notification.objects.get(user=adviser.user).kind == Kind.DISPATCH_ASSIGNMENT
    assert emailed("other@adviser.example.jp") == []
    no_content_in(mail.outbox)


def accepted(capture, meeting, organiser, coordinator, adviser):
    request = step(
        capture,
        pref_services.request_dispatch,
        meeting=meeting,
        profession="physiotherapist",
        note=NOTE,
        by=organiser[0],
    )
    assignment = step(
        capture, pref_services.assign, dispatch_request=request, adviser=adviser, by=coordinator
    )
    return step(capture, pref_services.answer, assignment=assignment, accept=True, by=adviser.user)


def test_it_tells_the_organisers_and_the_coordinator_of_an_acceptance(
    meeting, organiser, coordinator, staff, adviser, bystanders, django_capture_on_commit_callbacks
):
    accepted(django_capture_on_commit_callbacks, meeting, organiser, coordinator, adviser)
    _user, person = organiser
    (to_organiser,) = emailed(person.email)
    assert "【派遣決定】" in to_organiser.subject
    assert reverse("meetings:meeting_detail", args=[meeting.pk]) in to_organiser.body
    (to_coordinator,) = [m for m in emailed(coordinator.email) if "派遣決定" in m.subject]
    assert adviser.name in to_coordinator.body
    # The prefecture's other staff heard of the request, not of the answer.
    assert kinds_of(staff) == [Kind.DISPATCH_REQUEST]
    for bystander in bystanders:
        assert kinds_of(bystander) == []
    no_content_in(mail.outbox)


def test_a_decline_carries_the_advisers_reason(
    meeting, organiser, coordinator, adviser, django_capture_on_commit_callbacks
):
    request = step(
        django_capture_on_commit_callbacks,
        pref_services.request_dispatch,
        meeting=meeting,
        profession="physiotherapist",
        by=organiser[0],
    )
    assignment = step(
        django_capture_on_commit_callbacks,
        pref_services.assign,
        dispatch_request=request,
        adviser=adviser,
        by=coordinator,
    )
    step(
        django_capture_on_commit_callbacks,
        pref_services.answer,
        assignment=assignment,
        accept=False,
        reason="当日は研修講師のため",
        by=adviser.user,
    )
    for address in (organiser[1].email, coordinator.email):
        (message,) = [m for m in emailed(address) if "派遣辞退" in m.subject]
        assert "当日は研修講師のため" in message.body


def test_a_withdrawal_tells_the_adviser_and_the_organisers(
    meeting, organiser, coordinator, adviser, django_capture_on_commit_callbacks
):
    assignment = accepted(
        django_capture_on_commit_callbacks, meeting, organiser, coordinator, adviser
    )
    mail.outbox.clear()
    step(
        django_capture_on_commit_callbacks,
        pref_services.withdraw_assignment,
        assignment=assignment,
        reason=NOTE,
        by=coordinator,
    )
    # The adviser's directory person (made on acceptance) has no address: their login is used.
    (to_adviser,) = [m for m in emailed(adviser.user.email) if "派遣の取消" in m.subject]
    assert "出向いていただく必要はなくなりました" in to_adviser.body
    assert any("派遣の取消" in m.subject for m in emailed(organiser[1].email))
    assert not any("派遣の取消" in m.subject for m in emailed(coordinator.email))
    no_content_in(mail.outbox)


def test_a_cancelled_request_tells_the_adviser_and_the_coordinator(
    meeting, organiser, coordinator, adviser, django_capture_on_commit_callbacks
):
    assignment = accepted(
        django_capture_on_commit_callbacks, meeting, organiser, coordinator, adviser
    )
    mail.outbox.clear()
    step(
        django_capture_on_commit_callbacks,
        pref_services.cancel_request,
        dispatch_request=assignment.request,
        reason=NOTE,
        by=organiser[0],
    )
    (to_adviser,) = [m for m in emailed(adviser.user.email) if "派遣の取消" in m.subject]
    assert "市町村が" in to_adviser.body
    (to_coordinator,) = [m for m in emailed(coordinator.email) if "派遣の取消" in m.subject]
    assert adviser.name in to_coordinator.body
    no_content_in(mail.outbox)


def test_a_moved_meeting_tells_the_waiting_adviser_and_the_coordinator_once(
    meeting, organiser, coordinator, adviser, django_capture_on_commit_callbacks
):
    request = step(
        django_capture_on_commit_callbacks,
        pref_services.request_dispatch,
        meeting=meeting,
        profession="physiotherapist",
        by=organiser[0],
    )
    step(
        django_capture_on_commit_callbacks,
        pref_services.assign,
        dispatch_request=request,
        adviser=adviser,
        by=coordinator,
    )
    # As when the meeting was scheduled through its service: the invitations' state is kept.
    step(
        django_capture_on_commit_callbacks,
        meeting_services.save_meeting,
        meeting=meeting,
        by=organiser[0],
    )
    meeting.start_time = datetime.time(15, 0)
    for _twice in range(2):
        step(
            django_capture_on_commit_callbacks,
            meeting_services.save_meeting,
            meeting=meeting,
            by=organiser[0],
        )
    moved = [m for m in emailed(adviser.user.email) if "【変更】派遣先の会議" in m.subject]
    assert len(moved) == 1 and "15:00" in moved[0].body
    assert len([m for m in emailed(coordinator.email) if "【変更】" in m.subject]) == 1


# -- The center's reports ----------------------------------------------------------------------


@pytest.fixture
def center_people(municipality, center, area, other_municipality):
    """Staff of the center, of a second center of the city, and of a center elsewhere."""
    second = Center.objects.create(municipality=municipality, name="明第2センター", area=area)
    far = Center.objects.create(
        municipality=other_municipality,
        name="小川平センター",
        area=Area.objects.create(municipality=other_municipality, name="小川平"),
    )
    own = with_person(make_user("own"), municipality, email="own@c1.example.jp", center=center)
    near = with_person(make_user("near"), municipality, email="near@c2.example.jp", center=second)
    away = with_person(
        make_user("away"), other_municipality, email="away@c3.example.jp", center=far
    )
    return own, near, away, second, far


def submitted(center, month=datetime.date(2026, 10, 1), status=SubmissionStatus.SUBMITTED):
    return Submission.objects.create(
        municipality_id=center.municipality_id,
        center=center,
        kind=SubmissionKind.MONTHLY,
        period_start=month,
        status=status,
        remarks="特記事項なし",
    )


def test_a_returned_report_tells_the_centers_staff_without_the_citys_comment(
    center, center_people, city_admin, django_capture_on_commit_callbacks
):
    own, near, away, *_ = center_people
    Consultation.objects.create(
        municipality=center.municipality,
        center=center,
        received_on=datetime.date(2026, 10, 3),
        method="phone",
        consulter="family",
        person_ref="K-0001",
        response="info",
        summary=NOTE,
    )
    submission = submitted(center)
    step(
        django_capture_on_commit_callbacks,
        center_services.decide,
        submission=submission,
        accept=False,
        comment=COMMENT,
        by=city_admin,
    )
    (message,) = emailed(own.email)
    assert "差し戻されました" in message.body and "【差戻し】" in message.subject
    assert f"/business/submissions/{submission.pk}/" in message.body
    assert kinds_of(near) == [] and kinds_of(away) == []
    no_content_in(mail.outbox)
    step(
        django_capture_on_commit_callbacks,
        center_services.submit,
        submission=submission,
        figures={},
        by=city_admin,
    )
    step(
        django_capture_on_commit_callbacks,
        center_services.decide,
        submission=submission,
        accept=True,
        comment="",
        by=city_admin,
    )
    first, second = emailed(own.email)
    assert "【差戻し】" in first.subject and "【受理】" in second.subject


def test_the_scan_reminds_before_the_due_day_and_warns_after_it_once_each(
    center, center_people, municipality, django_capture_on_commit_callbacks
):
    own, near, away, second, far = center_people
    BusinessSettings.objects.create(municipality=municipality, monthly_due_day=10)
    submitted(second)  # the second center has submitted October's report
    submitted(far, status=SubmissionStatus.DRAFT)  # the other city uses the reports too
    # 11/6: four days before the 10th, nothing yet.
    assert scans.monthly_reports_due(datetime.date(2026, 11, 6)) == 0
    for day in (7, 8, 10):
        step(
            django_capture_on_commit_callbacks,
            scans.monthly_reports_due,
            datetime.date(2026, 11, day),
        )
    (reminder,) = emailed(own.email)
    assert "提出期限が近づいています" in reminder.subject and "令和8年10月" in reminder.subject
    assert "令和8年11月10日" in reminder.body
    for day in (11, 20):
        step(
            django_capture_on_commit_callbacks,
            scans.monthly_reports_due,
            datetime.date(2026, 11, day),
        )
    assert "【提出期限超過】" in emailed(own.email)[1].subject
    assert len(emailed(own.email)) == 2
    assert kinds_of(near) == []
    # The other city's due day is its own (the default 10th): its center hears the same.
    assert len(emailed(away.email)) == 2
    no_content_in(mail.outbox)


def test_the_scan_leaves_a_city_that_does_not_use_the_monthly_report_alone(center, center_people):
    assert scans.monthly_reports_due(datetime.date(2026, 11, 12)) == 0
    assert Notification.objects.count() == 0


NEW_KINDS = [
    Kind.DISPATCH_REQUEST,
    Kind.DISPATCH_ASSIGNMENT,
    Kind.DISPATCH_ANSWER,
    Kind.REPORT_DUE,
    Kind.REPORT_DECIDED,
]


def test_each_new_kind_is_chosen_on_the_preferences_page_and_obeyed(
    client, center, center_people, django_capture_on_commit_callbacks
):
    own, *_ = center_people
    submitted(center, status=SubmissionStatus.RETURNED)
    client.force_login(Membership.objects.get(person=own).user)
    page = client.get(reverse("notifications:notification_preferences")).content.decode()
    for kind in NEW_KINDS:
        assert kind.label in page
    choices = {kind.value: Delivery.IMMEDIATE for kind in Kind}
    choices[Kind.REPORT_DUE] = Delivery.OFF
    choices[Kind.REPORT_DECIDED] = Delivery.DAILY
    assert (
        client.post(reverse("notifications:notification_preferences"), choices).status_code == 302
    )
    step(django_capture_on_commit_callbacks, scans.monthly_reports_due, datetime.date(2026, 11, 9))
    notification = Notification.objects.get(person=own)
    assert notification.email_status == EmailStatus.OFF and emailed(own.email) == []
    assert services.delivery_for(own, Kind.REPORT_DECIDED) == Delivery.DAILY


def test_a_login_without_a_person_unsubscribes_and_reads_its_list(
    client, meeting, organiser, staff, django_capture_on_commit_callbacks
):
    step(
        django_capture_on_commit_callbacks,
        pref_services.request_dispatch,
        meeting=meeting,
        profession="physiotherapist",
        by=organiser[0],
    )
    (message,) = emailed(staff.email)
    assert message.extra_headers["List-Unsubscribe"]
    token = message.extra_headers["List-Unsubscribe"].rsplit("/unsubscribe/", 1)[1].strip("/>")
    response = client.post(f"/notifications/unsubscribe/{token}/")
    assert response.status_code == 200
    assert services.delivery_for(staff, Kind.DISPATCH_REQUEST) == Delivery.OFF
    client.force_login(staff)
    page = client.get("/notifications/")
    assert page.status_code == 200
    assert "専門職派遣の依頼" in page.content.decode()
    notification = Notification.objects.get(user=staff)
    client.post(f"/notifications/{notification.pk}/read/")
    notification.refresh_from_db()
    assert notification.read_at is not None
