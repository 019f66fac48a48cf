"""Two-factor authentication: who needs it, the half-finished login, and accepting a code.

The login has two steps. After the password, the session only remembers which user is
pending; `django.contrib.auth.login` is called after the code, so the user is never
logged in between the two steps.
"""

import base64
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from tsunagu.lib.security import matching_totp_step, new_totp_secret

from .access import current_memberships
from .models import User

PENDING_KEY = "two_factor_pending"
SETUP_KEY = "two_factor_setup_secret"
# Time to take the phone out and type the code, after the password was accepted.
PENDING_SECONDS = 300

# The key of the demo logins whose role needs two-factor authentication. It is public (like
# the demo password), which is why `manage.py totp_code` may print codes for it and for no
# other key: a code derived from a published key reveals nothing.
DEMO_TOTP_SECRET = base64.b32encode(b"tsunagu-demo-2fa-key").decode("ascii")


def is_required(user, memberships=None) -> bool:
    """Whether the user is a system administrator (superuser: the Django admin, every
    municipality's rows) or any of the user's current memberships has a role in
    TOTP_REQUIRED_ROLES."""
    if user.is_superuser:
        return True
    roles = set(settings.TOTP_REQUIRED_ROLES)
    if memberships is None:
        return current_memberships(user).filter(role__in=roles).exists()
    return any(membership.role in roles for membership in memberships)


def accept_code(user: User, code: str, secret: str | None = None) -> bool:
    """Whether the code is right for the user's key (or `secret`) and not used before.

    The step is recorded in one conditional UPDATE, so two requests racing with the same
    code cannot both succeed.
    """
    step = matching_totp_step(secret or user.totp_secret, code)
    if step is None:
        return False
    fresh = Q(totp_last_step__isnull=True) | Q(totp_last_step__lt=step)
    if not User.objects.filter(fresh, pk=user.pk).update(totp_last_step=step):
        return False
    user.totp_last_step = step
    return True


def setup_secret(request) -> str:
    """The key being set up in this session; a new one for each session, never stored before
    the user has confirmed it with a code."""
    secret = request.session.get(SETUP_KEY)
    if not secret:
        secret = request.session[SETUP_KEY] = new_totp_secret()
    return secret


def forget_setup_secret(request) -> None:
    request.session.pop(SETUP_KEY, None)


def start_login(request, user: User, next_url: str) -> None:
    """Remember the user whose password was right; nothing is logged in yet."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "hash": user.get_session_auth_hash(),
        "next": next_url,
        "started": int(timezone.now().timestamp()),
    }


@dataclass
class Pending:
    user: User | None
    backend: str = ""
    next_url: str = ""
    expired: bool = False
    username: str = ""


def pending_login(request) -> Pending | None:
    """The login waiting for its code, or None if there is none (or it no longer fits).

    An expired one comes back with `expired=True` and no user, so the view can say so.
    A changed password or a deactivated user ends it, like it ends a session.
    """
    data = request.session.get(PENDING_KEY)
    if not isinstance(data, dict):
        return None
    user = User.objects.filter(pk=data.get("user"), is_active=True).first()
    if user is None or not user.has_two_factor or data.get("hash") != user.get_session_auth_hash():
        end_login(request)
        return None
    if int(timezone.now().timestamp()) - int(data.get("started", 0)) > PENDING_SECONDS:
        end_login(request)
        return Pending(user=None, expired=True, username=user.get_username())
    return Pending(user=user, backend=data.get("backend", ""), next_url=data.get("next", ""))


def end_login(request) -> None:
    request.session.pop(PENDING_KEY, None)
