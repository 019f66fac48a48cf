"""Logins, logouts and failed logins go to the audit log from day one."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from tsunagu.audit.services import log

from .middleware import LAST_ACTIVITY_KEY, now_seconds


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    log("user.logged_in", by=user, request=request)


@receiver(user_logged_in)
def start_idle_clock(sender, request, user, **kwargs):
    # The idle timeout counts from here (middleware.IdleTimeoutMiddleware). Setting it now,
    # not on the first page, also spares that page a session write.
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY_KEY] = now_seconds()


@receiver(user_logged_out)
def log_logout(sender, request, user, **kwargs):
    if user is not None:
        log("user.logged_out", by=user, request=request)


@receiver(user_login_failed)
def log_login_failed(sender, credentials, request=None, **kwargs):
    # Only the username typed is kept; the password never reaches the log.
    log("user.login_failed", request=request, username=str(credentials.get("username", ""))[:150])
