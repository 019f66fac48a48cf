from django.conf import settings
from django.contrib import messages
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from tsunagu.audit.services import log

from . import twofactor
from .access import current_memberships, membership_for_session

LAST_ACTIVITY_KEY = "last_activity"
# Writing the session on every request would cost a database write per page; a minute of
# imprecision in a thirty-minute timeout does not matter.
ACTIVITY_RESOLUTION_SECONDS = 60
IDLE_MESSAGE = "一定時間操作がなかったため、ログアウトしました。"


def navigate(request, response):
    """A redirect that also works for htmx, which would otherwise swap the new page into a part
    of the current one: HX-Redirect makes it load the whole page instead."""
    if request.headers.get("HX-Request") == "true":
        replacement = HttpResponse(status=204)
        replacement["HX-Redirect"] = response["Location"]
        return replacement
    return response


def two_factor_exempt(view):
    """Marks a view a user may open before setting up a required two-factor authentication."""
    view.two_factor_exempt = True
    return view


def now_seconds() -> int:
    return int(timezone.now().timestamp())


class IdleTimeoutMiddleware:
    """Logs out a session that made no request for SESSION_IDLE_TIMEOUT seconds.

    Shared office PCs are left unlocked; an absolute session age alone (SESSION_COOKIE_AGE)
    would keep case data open for hours. The clock starts at login (signals.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = now_seconds()
            last = request.session.get(LAST_ACTIVITY_KEY)
            timeout = settings.SESSION_IDLE_TIMEOUT
            if timeout and isinstance(last, int) and now - last > timeout:
                return self.expire(request, idle_seconds=now - last)
            if not isinstance(last, int) or now - last >= ACTIVITY_RESOLUTION_SECONDS:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)

    def expire(self, request, idle_seconds):
        log("user.session_expired", by=request.user, request=request, idle_seconds=idle_seconds)
        # Not auth.logout(): that would also log `user.logged_out`, which the user did not do.
        request.session.flush()
        request.user = AnonymousUser()
        messages.info(request, IDLE_MESSAGE)
        return navigate(request, redirect_to_login(request.get_full_path()))


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Every page needs a login unless its view is marked `@login_not_required`.

    Deny by default: a new view is private until someone decides otherwise.
    """


class ActiveMembershipMiddleware:
    """Puts the membership the user acts under on `request.member` (None if there is none).

    `request.current_memberships` keeps all the user's current memberships, read once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.member = None
        request.current_memberships = []
        if request.user.is_authenticated:
            request.current_memberships = list(current_memberships(request.user))
            request.member = membership_for_session(request, request.current_memberships)
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Sends a user whose role needs two-factor authentication to set it up, from any page
    but the setup page itself, logging out and the login steps (`@two_factor_exempt`).

    Comes after ActiveMembershipMiddleware, whose memberships it reuses: a user who has set
    up two-factor authentication costs no query at all.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.has_two_factor:
            return None
        if getattr(view_func, "two_factor_exempt", False):
            return None
        memberships = getattr(request, "current_memberships", None)
        if not twofactor.is_required(user, memberships):
            return None
        return navigate(request, redirect("accounts:two_factor"))
