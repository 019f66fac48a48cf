from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired

from .access import membership_for_session


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Every page needs a login unless its view is marked `@login_not_required`.

    Deny by default: a new view is private until someone decides otherwise.
    """


class ActiveMembershipMiddleware:
    """Puts the membership the user acts under on `request.member` (None if there is none)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.member = None
        if request.user.is_authenticated:
            request.member = membership_for_session(request)
        return self.get_response(request)
