"""Which events make which notifications, once, and what their email says."""

import datetime
import importlib

import pytest
from django.core import mail
from icalendar import Calendar

from conftest import make_user, run_queued_tasks
from tsunagu.accounts.models import Role
from tsunagu.audit.models import AuditEntry
from tsunagu.cases import services as case_services
from tsunagu.cases.models import Action, Case, CaseReview, FollowUp
from tsunagu.confidentiality.services import policy_for_signing
from tsunagu.issues import services as issue_services
from tsunagu.issues.models import CommunityIssue, IssueTag
from tsunagu.meetings import services as meeting_services
from tsunagu.meetings.models import Attendance, Meeting, Pledge
from tsunagu.notifications import scans, services
from tsunagu.notifications.models import (
    Delivery,
    EmailStatus,
    Kind,
    Notification,
    Preference,
)

from .conftest import CASE_TEXT, TODAY

pytestmark = pytest.mark.django_db


def invite(meeting, person, capture):
    with capture(execute=True):
        meeting_services.add_attendee(
            meeting=meeting, attendance=Attendance(person=person, role="adviser"), by=None
        )
    run_queued_tasks()


def calendar_of(message) -> Calendar:
    (_name, content, mimetype), *_ = message.attachments
    assert mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


def test_it_sends_an_invitation_with_an_ics_request(
    next_week, adviser, django_capture_on_commit_callbacks
):
    invite(next_week, adviser, django_capture_on_commit_callbacks)
    invitation = next(m for m in mail.outbox if "会議のご案内" in m.subject)
    assert invitation.to == ["takahashi@example.jp"]
    assert "明第1センター 会議室" in invitation.body and "14:00〜15:30" in invitation.body
    calendar = calendar_of(invitation)
    event = calendar.walk("VEVENT")[0]
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == f"meeting-{next_week.pk}@tsunagu"
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART").hour == 14
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]


def test_it_asks_for_a_pledge_before_a_meeting_with_personal_information(
    next_week, adviser, django_capture_on_commit_callbacks
):
    invite(next_week, adviser, django_capture_on_commit_callbacks)
    request = next(m for m in mail.outbox if "誓約書" in m.subject)
    assert f"/meetings/{next_week.pk}/pledge/" in request.body


def test_a_change_keeps_the_uid_and_raises_the_sequence_and_a_cancel_says_cancel(
    next_week, adviser, django_capture_on_commit_callbacks
):
    invite(next_week, adviser, django_capture_on_commit_callbacks)
    next_week.venue = "市役所 201会議室"
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.save_meeting(meeting=next_week, by=None)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.save_meeting(meeting=next_week, by=None)  # nothing changed
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.set_status(meeting=next_week, status="cancelled", by=None)
    run_queued_tasks()
    change = next(m for m in mail.outbox if m.subject.startswith("【つなぐ】【変更】"))
    cancel = next(m for m in mail.outbox if m.subject.startswith("【つなぐ】【中止】"))
    assert "市役所 201会議室" in change.body
    assert calendar_of(change)["METHOD"] == "REQUEST"
    assert calendar_of(cancel)["METHOD"] == "CANCEL"
    events = [calendar_of(m).walk("VEVENT")[0] for m in (change, cancel)]
    assert {str(e["UID"]) for e in events} == {f"meeting-{next_week.pk}@tsunagu"}
    assert [int(e["SEQUENCE"]) for e in events] == [1, 2]
    assert len([m for m in mail.outbox if "【変更】" in m.subject]) == 1


def test_a_reminder_is_recorded_once_however_often_the_schedule_runs(
    next_week, adviser, settings, django_capture_on_commit_callbacks
):
    Attendance.objects.create(meeting=next_week, person=adviser, name="高橋", profession="nurse")
    settings.NOTIFY_REMINDER_DAYS = 7
    with django_capture_on_commit_callbacks(execute=True):
        assert scans.reminders(TODAY) == 1
        assert scans.reminders(TODAY) == 0
    run_queued_tasks()
    run_queued_tasks()
    assert len([m for m in mail.outbox if "開催前のお知らせ" in m.subject]) == 1
    assert "7日後" in mail.outbox[0].body


def test_a_meeting_moved_after_its_reminder_is_reminded_of_its_new_date(
    next_week, adviser, settings, django_capture_on_commit_callbacks
):
    Attendance.objects.create(meeting=next_week, person=adviser, name="高橋", profession="nurse")
    settings.NOTIFY_REMINDER_DAYS = 7
    with django_capture_on_commit_callbacks(execute=True):
        assert scans.reminders(TODAY) == 1
    next_week.date = TODAY + datetime.timedelta(days=5)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.save_meeting(meeting=next_week, by=None)
        assert scans.reminders(TODAY) == 1
        assert scans.reminders(TODAY) == 0  # the new date, once
    run_queued_tasks()
    reminders = [m.body for m in mail.outbox if "開催前のお知らせ" in m.subject]
    assert len(reminders) == 2
    assert "7日後" in reminders[0] and "5日後" in reminders[1]


def test_a_reminder_sent_before_keys_named_the_date_is_not_sent_again(next_week, adviser, settings):
    from django.apps import apps

    migration = importlib.import_module(
        "tsunagu.notifications.migrations.0004_reminder_key_per_date"
    )
    Attendance.objects.create(meeting=next_week, person=adviser, name="高橋", profession="nurse")
    old = services.notify(
        person=adviser,
        kind=Kind.REMINDER,
        key=f"meeting:{next_week.pk}",
        subject="s",
        body="b",
        link="/",
    )
    migration.add_dates(apps, None)
    old.refresh_from_db()
    assert old.key == scans.reminder_key(next_week.pk, next_week.date)
    settings.NOTIFY_REMINDER_DAYS = 7
    assert scans.reminders(TODAY) == 0


def test_a_body_sets_its_own_reminder_days(next_week, adviser):
    from tsunagu.notifications.models import ReminderSetting

    Attendance.objects.create(meeting=next_week, person=adviser, name="高橋", profession="nurse")
    assert scans.reminders(TODAY) == 0  # 7 days ahead, default 2
    ReminderSetting.objects.create(meeting_type=next_week.meeting_type, days_before=7)
    assert scans.reminders(TODAY) == 1


def a_case(municipality, center, care_manager, meeting):
    case = Case.objects.create(
        municipality=municipality,
        code="N-1",
        center=center,
        status="ready",
        care_manager=care_manager,
        case_type="independence",
        age_band="80",
        sex="female",
        care_level="care_1",
        household="alone",
        wishes=CASE_TEXT,
    )
    return case


def test_pledged_attendees_hear_that_papers_are_ready(
    municipality, center, next_week, adviser, person, django_capture_on_commit_callbacks
):
    Attendance.objects.create(meeting=next_week, person=adviser, name="高橋", profession="nurse")
    Attendance.objects.create(meeting=next_week, person=person, name="佐藤", profession="nurse")
    Pledge.objects.create(
        municipality=municipality,
        meeting=next_week,
        person=adviser,
        signer_name="高橋 一郎",
        affiliation="病院",
        method="paper",
        policy_version=policy_for_signing(municipality),
    )
    case = a_case(municipality, center, person, next_week)
    with django_capture_on_commit_callbacks(execute=True):
        case_services.put_on_agenda(case=case, meeting=next_week, by=None)
    papers = Notification.objects.filter(kind=Kind.PAPERS_READY)
    assert [n.person for n in papers] == [adviser]
    run_queued_tasks()
    assert any("会議資料の準備ができました" in m.subject for m in mail.outbox)


def test_overdue_work_goes_to_the_responsible_person_once_a_week(
    municipality, center, next_week, adviser, person
):
    case = a_case(municipality, center, person, next_week)
    review = CaseReview.objects.create(case=case, meeting=next_week)
    Action.objects.create(
        review=review, responsible=adviser, what=CASE_TEXT, due_on=TODAY - datetime.timedelta(1)
    )
    FollowUp.objects.create(review=review, months_after=3, due_on=TODAY - datetime.timedelta(1))
    assert scans.overdue_work(TODAY) == 2
    assert scans.overdue_work(TODAY) == 0
    adviser_note = Notification.objects.get(person=adviser, kind=Kind.OVERDUE_WORK)
    assert "役割分担: 1件" in adviser_note.body and CASE_TEXT not in adviser_note.body
    care_manager_note = Notification.objects.get(person=person, kind=Kind.OVERDUE_WORK)
    assert "モニタリング: 1件" in care_manager_note.body
    assert scans.overdue_work(TODAY + datetime.timedelta(days=7)) == 2  # the next week


def test_an_unclosed_meeting_is_reported_to_its_organisers(
    municipality, center, body, person, settings
):
    staff = make_user("organiser", (municipality, Role.CENTER_STAFF, center))
    staff.memberships.update(person=person)
    Meeting.objects.create(
        municipality=municipality,
        meeting_type=body,
        center=center,
        date=TODAY - datetime.timedelta(days=settings.NOTIFY_UNCLOSED_DAYS),
    )
    assert scans.unclosed_meetings(TODAY) == 1
    assert Notification.objects.get(kind=Kind.UNCLOSED_MEETING).person == person


def test_a_moved_issue_reaches_the_custodians_of_its_cases(
    municipality, center, next_week, person, area, django_capture_on_commit_callbacks
):
    case = a_case(municipality, center, person, next_week)
    review = CaseReview.objects.create(case=case, meeting=next_week)
    theme = issue_services.theme_named(municipality, "移動・交通")
    issue = CommunityIssue.objects.create(
        municipality=municipality, title="通院の足がない", theme=theme, area=area
    )
    issue_services.tag_review(tag=IssueTag(review=review, theme=theme, issue=issue), by=None)
    issue.status = "raised"
    with django_capture_on_commit_callbacks(execute=True):
        issue_services.update_issue(issue=issue, by=None)
    note = Notification.objects.get(kind=Kind.ISSUE_MOVED)
    assert note.person == person and "通院の足がない" in note.subject


def test_someone_without_an_address_gets_only_the_in_app_list(
    next_week, person, django_capture_on_commit_callbacks
):
    invite(next_week, person, django_capture_on_commit_callbacks)
    notes = Notification.objects.filter(person=person)
    assert notes.exists()
    assert set(notes.values_list("email_status", flat=True)) == {EmailStatus.NO_ADDRESS}
    assert mail.outbox == []


def test_off_sends_nothing_and_a_daily_digest_sends_one_email_the_next_day(
    next_week, adviser, django_capture_on_commit_callbacks
):
    Preference.objects.create(person=adviser, kind=Kind.INVITATION, delivery=Delivery.OFF)
    Preference.objects.create(person=adviser, kind=Kind.PLEDGE_REQUEST, delivery=Delivery.DAILY)
    invite(next_week, adviser, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert scans.digests(datetime.datetime.now(datetime.UTC)) == 0  # made today: tomorrow
    tomorrow = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    assert scans.digests(tomorrow) == 1
    run_queued_tasks()
    assert len(mail.outbox) == 1 and "まとめ（1件）" in mail.outbox[0].subject
    assert "誓約書の提出のお願い" in mail.outbox[0].body


def test_a_send_is_audited_without_its_body(next_week, adviser, django_capture_on_commit_callbacks):
    invite(next_week, adviser, django_capture_on_commit_callbacks)
    entries = AuditEntry.objects.filter(action="notification.emailed")
    assert entries.count() == 2
    for entry in entries:
        assert entry.data["person"] == adviser.pk and entry.data["kind"] in Kind.values
        assert "会議" not in str(entry.data) and "会議" not in entry.summary


def test_every_email_carries_an_unsubscribe_link_that_works_without_login(
    client, next_week, adviser, django_capture_on_commit_callbacks
):
    invite(next_week, adviser, django_capture_on_commit_callbacks)
    message = mail.outbox[0]
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in message.body
    path = link.removeprefix("http://127.0.0.1:8000")
    assert "停止しますか" in client.get(path).content.decode()
    assert "停止しました" in client.post(path).content.decode()
    kind = Notification.objects.get(subject=message.subject.removeprefix("【つなぐ】")).kind
    assert services.delivery_for(adviser, kind) == Delivery.OFF


def test_a_forged_unsubscribe_link_is_not_found(client, adviser):
    token = services.unsubscribe_token(adviser.pk, Kind.REMINDER)
    assert client.get(f"/notifications/unsubscribe/{token}x/").status_code == 404
    assert client.post(f"/notifications/unsubscribe/{token}x/").status_code == 404
    assert not Preference.objects.exists()


def test_the_same_notification_is_recorded_once(adviser):
    first = services.notify(
        person=adviser, kind=Kind.REMINDER, key="meeting:1", subject="s", body="b", link="/"
    )
    again = services.notify(
        person=adviser, kind=Kind.REMINDER, key="meeting:1", subject="s", body="b", link="/"
    )
    assert first is not None and again is None
    assert Notification.objects.count() == 1


def test_the_suite_wide_scan_catches_case_content_in_an_email(
    municipality, center, next_week, person
):
    from django.core.mail import EmailMessage

    from . import mailcheck

    a_case(municipality, center, person, next_week)
    EmailMessage("件名", f"本文に {CASE_TEXT} が入ってしまった", to=["x@example.jp"]).send()
    caught, mailcheck.LEAKS[:] = list(mailcheck.LEAKS), []  # caught here, not a failure
    assert caught == [f"件名: {CASE_TEXT}"]
