"""Background tasks of notifications: every email is sent by a worker, not by the request."""

import datetime

from django_tasks import task

from . import scans, services


@task()
def send_notification_email(notification_id: int) -> str:
    return services.send_email(notification_id)


@task()
def send_digest_email(person_id: int | None, before: str, user_id: int | None = None) -> int:
    return services.send_digest(
        person_id, before=datetime.datetime.fromisoformat(before), user_id=user_id
    )


@task()
def run_scans() -> dict:
    return scans.run_all()
