"""Creating notifications, sending their email, preferences and unsubscribing.

`notify(...)` is the one way in: it records the notification once per (person, kind, key)
and decides from the person's address and preference whether an email goes now (a task),
in tomorrow's digest, or not at all. Email leaves the system, so texts are built only from
a meeting's name, date and place, an issue's title and counts (see messages.py).
"""

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.audit.services import record
from tsunagu.lib.background import enqueue_after_commit
from tsunagu.organizations.models import Person

from .models import Delivery, EmailStatus, Kind, Notification, Preference, ReminderSetting

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "tsunagu.notifications.unsubscribe"
FOOTER = (
    "\n\n――――\n"
    "このメールは「つなぐ」（地域ケア会議支援システム）から自動でお送りしています。\n"
    "このメールに返信しても届きません。\n"
    "この種類のお知らせをメールで受け取らない: {unsubscribe}\n"
)


def _audit(action: str, *, target, municipality, by=None, request=None, **data) -> None:
    """The one place this app writes the audit log. For a send: whom, which kind and object,
    never the subject or body (so no summary: it would default to the subject)."""
    record(
        action,
        by=by,
        municipality=municipality,
        target=target,
        request=request,
        summary="",
        **data,
    )


def _audit_send(notification: Notification, **data) -> None:
    _audit(
        "notification.emailed",
        target=notification,
        municipality=notification.municipality_id,
        person=notification.person_id,
        user=notification.user_id,
        kind=notification.kind,
        key=notification.key,
        **data,
    )


def is_login(recipient) -> bool:
    """Whether a recipient is a login (a User) rather than a directory person."""
    return not isinstance(recipient, Person)


def whose(recipient) -> dict:
    """The filter naming a recipient's rows: {"person": …} or {"user": …}."""
    return {"user": recipient} if is_login(recipient) else {"person": recipient}


def name_of(recipient) -> str:
    return str(recipient) if is_login(recipient) else recipient.name


def delivery_for(recipient, kind: str) -> str:
    found = Preference.objects.filter(kind=kind, **whose(recipient)).first()
    return found.delivery if found else Delivery.IMMEDIATE


def email_status_for(person, kind: str) -> str:
    if not person.email:
        return EmailStatus.NO_ADDRESS
    statuses: dict[str, str] = {
        Delivery.IMMEDIATE: EmailStatus.PENDING,
        Delivery.DAILY: EmailStatus.DIGEST,
        Delivery.OFF: EmailStatus.OFF,
    }
    return statuses[delivery_for(person, kind)]


def notify(
    *,
    person,
    kind: str,
    key: str,
    subject: str,
    body: str,
    link: str,
    calendar: str = "",
    municipality_id: int | None = None,
) -> Notification | None:
    """Record a notification for the person, once per (person, kind, key); returns None when
    it was already recorded. An email to send now is queued when the transaction commits.

    `person` may be a login (a User) where the recipient has no directory person (the
    prefecture tier); then `municipality_id` names the municipality the matter belongs to."""
    key = key[:100]
    if Notification.objects.filter(kind=kind, key=key, **whose(person)).exists():
        return None
    owner = municipality_id if is_login(person) else person.municipality_id
    if owner is None:
        raise ValueError("A notification to a login names the municipality it belongs to.")
    notification = Notification(
        municipality_id=owner,
        kind=kind,
        key=key,
        subject=subject[:200],
        body=body,
        link=link,
        calendar=calendar,
        email_status=email_status_for(person, kind),
    )
    for field, value in whose(person).items():
        setattr(notification, field, value)
    notification.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            notification.save()
    except IntegrityError:  # recorded at the same moment by another run
        return None
    if notification.email_status == EmailStatus.PENDING:
        from .tasks import send_notification_email  # tasks imports this module

        enqueue_after_commit(send_notification_email, notification.pk)
    return notification


def notify_each(people: Iterable, **message: Any) -> int:
    """notify() each person of the same message; how many of them it was new for."""
    return sum(bool(notify(person=person, **message)) for person in people)


# -- Email ------------------------------------------------------------------------------------


def unsubscribe_token(person_id: int, kind: str, *, user: bool = False) -> str:
    """A signed link token: {"p": person} or, for a login without a person, {"u": user}."""
    return signing.dumps(
        {"u" if user else "p": person_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True
    )


def read_unsubscribe_token(token: str) -> tuple[int | tuple[str, int], str] | None:
    """(person id, kind) from a token; for a login's token, (("user", id), kind)."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in Kind.values:
        return None
    if isinstance(data.get("u"), int) and "p" not in data:
        return ("user", data["u"]), data["k"]
    if not isinstance(data.get("p"), int):
        return None
    return data["p"], data["k"]


def unsubscribe_url(person_id: int, kind: str, *, user: bool = False) -> str:
    token = unsubscribe_token(person_id, kind, user=user)
    return f"{settings.SITE_URL}/notifications/unsubscribe/{token}/"


def recipient_of(notification: Notification):
    return notification.person if notification.person_id else notification.user


def unsubscribe_url_for(recipient, kind: str) -> str:
    return unsubscribe_url(recipient.pk, kind, user=is_login(recipient))


def compose(notification: Notification) -> EmailMessage:
    person = recipient_of(notification)
    unsubscribe = unsubscribe_url_for(person, notification.kind)
    text = (
        f"{name_of(person)} 様\n\n{notification.body}\n\n{settings.SITE_URL}{notification.link}"
        + FOOTER.format(unsubscribe=unsubscribe)
    )
    message = EmailMessage(
        subject=f"【つなぐ】{notification.subject}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "Auto-Submitted": "auto-generated"},
    )
    if notification.calendar:
        method = "CANCEL" if "METHOD:CANCEL" in notification.calendar else "REQUEST"
        message.attach(
            "invite.ics",
            notification.calendar,
            f"text/calendar; method={method}; charset=UTF-8",
        )
    return message


def send_email(notification_id: int) -> str:
    """Send one notification's email unless it was sent already. The row stays locked while
    sending (PostgreSQL), so two workers never send the same one; a worker that dies while
    sending leaves it unsent, to be sent when the task runs again."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("person", "user")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.email_status != EmailStatus.PENDING:
            return "skipped"
        if not recipient_of(notification).email:
            notification.email_status = EmailStatus.NO_ADDRESS
            notification.save(update_fields=["email_status"])
            return "no address"
        compose(notification).send()
        notification.email_status = EmailStatus.SENT
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["email_status", "emailed_at"])
        _audit_send(notification)
    return "sent"


def send_digest(
    person_id: int | None, *, before: datetime.datetime, user_id: int | None = None
) -> int:
    """One email listing a person's (or a login's) notifications waiting for the digest."""
    whom = {"person_id": person_id} if person_id is not None else {"user_id": user_id}
    with transaction.atomic():
        waiting = list(
            Notification.objects.select_for_update(of=("self",))
            .select_related("person", "user")
            .filter(email_status=EmailStatus.DIGEST, created_at__lt=before, **whom)
            .order_by("created_at", "id")
        )
        if not waiting:
            return 0
        person = recipient_of(waiting[0])
        lines = [f"・{n.subject}\n  {settings.SITE_URL}{n.link}" for n in waiting]
        kinds = sorted({n.kind for n in waiting})
        stops = "\n".join(
            f"{Kind(kind).label}: {unsubscribe_url_for(person, kind)}" for kind in kinds
        )
        text = (
            f"{name_of(person)} 様\n\nつなぐ からのお知らせが {len(waiting)} 件あります。\n\n"
            + "\n".join(lines)
            + FOOTER.format(unsubscribe="\n" + stops)
        )
        if person.email:
            EmailMessage(
                subject=f"【つなぐ】お知らせのまとめ（{len(waiting)}件）",
                body=text,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[person.email],
                headers={"Auto-Submitted": "auto-generated"},
            ).send()
        now = timezone.now()
        for notification in waiting:
            notification.email_status = EmailStatus.DIGEST_SENT
            notification.emailed_at = now
            notification.save(update_fields=["email_status", "emailed_at"])
            _audit_send(notification, digest=True)
    return len(waiting)


# -- In the app -------------------------------------------------------------------------------


def for_person(person_id, user_id=None):
    """The notifications a reader sees: their directory person's, and those addressed to
    their login (the prefecture tier)."""
    if user_id is None:
        return Notification.objects.filter(person_id=person_id)
    if person_id is None:
        return Notification.objects.filter(user_id=user_id)
    return Notification.objects.filter(Q(person_id=person_id) | Q(user_id=user_id))


def unread_count(person_id, user_id=None) -> int:
    return for_person(person_id, user_id).filter(read_at__isnull=True).count()


@transaction.atomic
def mark_read(*, person_id, notification_id: int | None = None, user_id=None) -> int:
    """Mark one of the person's notifications read (or all of them, without an id)."""
    unread = for_person(person_id, user_id).filter(read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def set_preferences(*, person, choices: dict, by=None, request=None) -> None:
    """`person` may be a login without a directory person (the prefecture tier's logins)."""
    for kind, delivery in choices.items():
        Preference.objects.update_or_create(
            kind=kind, defaults={"delivery": Delivery(delivery)}, **whose(person)
        )
    _audit(
        "notification.preferences_changed",
        by=by,
        municipality=None if is_login(person) else person.municipality_id,
        target=person,
        request=request,
        **{kind: str(delivery) for kind, delivery in choices.items()},
    )


@transaction.atomic
def unsubscribe(*, person, kind: str, request=None) -> None:
    """From the link in an email: no more email of this kind (the in-app list stays).
    `person` may be a login without a directory person."""
    Preference.objects.update_or_create(
        kind=kind, defaults={"delivery": Delivery.OFF}, **whose(person)
    )
    Notification.objects.filter(
        kind=kind, email_status__in=[EmailStatus.PENDING, EmailStatus.DIGEST], **whose(person)
    ).update(email_status=EmailStatus.OFF)
    _audit(
        "notification.unsubscribed",
        municipality=None if is_login(person) else person.municipality_id,
        target=person,
        request=request,
        kind=kind,
    )


def preferences_of(person) -> dict[str, str]:
    """The choices of a directory person or of a login without one."""
    return dict(Preference.objects.filter(**whose(person)).values_list("kind", "delivery"))


def unsubscribing(token: str):
    """(person, kind) named by an unsubscribe link, or None for a forged or stale one."""
    found = read_unsubscribe_token(token)
    if found is None:
        return None
    if isinstance(found[0], tuple):
        user = User.objects.filter(pk=found[0][1]).first()
        return (user, Kind(found[1])) if user is not None else None
    person = Person.objects.filter(pk=found[0]).first()
    return (person, Kind(found[1])) if person is not None else None


def reminder_days(meeting_types) -> dict[int, int]:
    """Days before a meeting of each body that its reminder goes (the default if unset)."""
    chosen = dict(
        ReminderSetting.objects.filter(meeting_type__in=meeting_types).values_list(
            "meeting_type_id", "days_before"
        )
    )
    return {body.pk: chosen.get(body.pk, settings.NOTIFY_REMINDER_DAYS) for body in meeting_types}


@transaction.atomic
def set_reminder_days(*, meeting_types, days: dict[int, int], by, request=None) -> None:
    for body in meeting_types:
        if body.pk in days:
            ReminderSetting.objects.update_or_create(
                meeting_type=body, defaults={"days_before": days[body.pk]}
            )
    if meeting_types:
        _audit(
            "notification.reminder_days_changed",
            by=by,
            municipality=meeting_types[0].municipality_id,
            target=None,
            request=request,
            days={str(pk): n for pk, n in days.items()},
        )
