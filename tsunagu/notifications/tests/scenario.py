"""Steps of the worker tests, run in their own process (`manage.py shell -c`) against the
database the worker uses, each printing its answer as JSON on the last line."""

import datetime
import json
import time
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from tsunagu.meetings import services as meeting_services
from tsunagu.meetings.models import Attendance, Meeting, MeetingType
from tsunagu.organizations.models import Municipality, Person


def answer(value) -> None:
    print(json.dumps(value, ensure_ascii=False, default=str))


def world(code: str, email: str, *, days_ahead: int):
    municipality = Municipality.objects.create(code=code, name=f"試験市{code}", prefecture="12")
    body = MeetingType.objects.create(
        municipality=municipality,
        name="地域ケア個別会議",
        category="individual",
        level="city",
        host="city",
    )
    meeting = Meeting.objects.create(
        municipality=municipality,
        meeting_type=body,
        date=timezone.localdate() + datetime.timedelta(days=days_ahead),
        start_time=datetime.time(14, 0),
        end_time=datetime.time(16, 0),
        venue="市役所 3階 会議室",
        minutes="A氏の長男が金銭を管理している",
    )
    person = Person.objects.create(
        municipality=municipality,
        name="高橋 一郎",
        furigana="タカハシ イチロウ",
        profession="physician",
        email=email,
    )
    return meeting, person


def invite(code: str, email: str) -> None:
    """Invite a person to a meeting next week, as the attendance page does."""
    meeting, person = world(code, email, days_ahead=7)
    with transaction.atomic():
        meeting_services.add_attendee(
            meeting=meeting,
            attendance=Attendance(person=person, role="adviser"),
            by=None,
        )
    answer({"meeting": meeting.pk})


def meeting_in_two_days(code: str, email: str) -> None:
    meeting, person = world(code, email, days_ahead=2)
    Attendance.objects.create(
        meeting=meeting, person=person, name=person.name, profession=person.profession
    )
    answer({"meeting": meeting.pk})


# -- A task that waits, for killing its worker --------------------------------------------------


@task()
def hold(folder: str) -> str:
    """Say it started, then wait until told to finish (at most a minute)."""
    started = Path(folder) / "started"
    with started.open("a") as marker:
        marker.write("x")
    release = Path(folder) / "release"
    for _ in range(600):
        if release.exists():
            return "finished"
        time.sleep(0.1)
    return "gave up waiting"


def enqueue_hold(folder: str) -> None:
    answer({"id": str(hold.enqueue(folder).id)})


def task_state(task_id: str) -> None:
    row = DBTaskResult.objects.get(pk=task_id)
    answer(
        {
            "status": row.status,
            "attempts": len(row.worker_ids),
            "message": row.traceback,
            "return_value": row.return_value,
        }
    )


def recorded_texts() -> None:
    from tsunagu.notifications.tests.mailcheck import recorded_texts as texts

    answer(sorted(texts()))


def resend(email: str, kind: str) -> None:
    """Queue the email of a notification already sent, as a task run twice would."""
    from tsunagu.notifications.models import Notification
    from tsunagu.notifications.tasks import send_notification_email

    notification = Notification.objects.get(person__email=email, kind=kind)
    answer({"id": str(send_notification_email.enqueue(notification.pk).id)})


def pending_tasks() -> None:
    answer(DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count())
