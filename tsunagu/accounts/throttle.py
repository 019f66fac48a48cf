"""Login throttling: too many failures lock a login ID, or a client address, for a while.

The failures are counted from the audit log, which already records every one of them
(`user.login_failed` for a wrong password, `user.2fa_failed` for a wrong code,
`user.password_change_failed` for a wrong current password when changing it): no second
table to keep in step, and every app server sees the same count. Refused attempts are logged
as `user.locked_out` and do not count, so hammering a locked ID does not lock it for longer.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from tsunagu.audit.models import AuditEntry

FAILURES = ("user.login_failed", "user.2fa_failed", "user.password_change_failed")
USERNAME = "username"
ADDRESS = "address"


def _period() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def locked_until(times: list[datetime.datetime], limit: int, period: datetime.timedelta):
    """When a lock ends: `limit` failures within `period` lock for `period` after the last.

    `times` are in ascending order. None if the failures never came that close together.
    """
    until = None
    for last in range(limit - 1, len(times)):
        if times[last] - times[last - limit + 1] < period:
            until = times[last] + period
    return until


def _failure_times(**lookup) -> list[datetime.datetime]:
    # A lock can start up to one period before now and reach back one more period.
    since = timezone.now() - 2 * _period()
    return list(
        AuditEntry.objects.filter(action__in=FAILURES, at__gte=since, **lookup)
        .order_by("at")
        .values_list("at", flat=True)
    )


def _last_login(username: str):
    return (
        AuditEntry.objects.filter(
            action="user.logged_in",
            actor_username=username,
            at__gte=timezone.now() - 2 * _period(),
        )
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )


def lockout(*, username: str, ip: str | None) -> str | None:
    """Why a login attempt must be refused now (USERNAME or ADDRESS), or None.

    A successful login forgives the earlier failures of that ID (the person got it right),
    but not those of the address, which may be trying many IDs.
    """
    now = timezone.now()
    if username:
        since_login = _last_login(username)
        times = [
            t for t in _failure_times(actor_username=username) if not since_login or t > since_login
        ]
        until = locked_until(times, settings.LOGIN_FAILURE_LIMIT, _period())
        if until is not None and until > now:
            return USERNAME
    if ip:
        until = locked_until(
            _failure_times(ip_address=ip), settings.LOGIN_IP_FAILURE_LIMIT, _period()
        )
        if until is not None and until > now:
            return ADDRESS
    return None


def message(scope: str) -> str:
    """The same words whether or not the password was right: a lock gives nothing away."""
    minutes = settings.LOGIN_LOCKOUT_MINUTES
    if scope == ADDRESS:
        return (
            "この端末からのログインの失敗が続いたため、一時的にログインを制限しています。"
            f"{minutes}分ほど待ってから再度お試しください。"
        )
    return (
        "ログインの失敗が続いたため、このIDは一時的にロックされています。"
        f"{minutes}分ほど待ってから再度お試しください。"
    )
