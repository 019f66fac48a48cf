"""At login, remember in the session which prefecture pages the user has, so that the menu
shows them without a query on every page (a change takes effect at the next login); and keep
dispatched advisers' access in step with a meeting that moves."""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse

from tsunagu.meetings.models import Meeting

from .access import own_profiles, prefecture_membership

SESSION_KEY = "prefecture_nav"


@receiver(user_logged_in)
def remember_prefecture_pages(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    nav = {
        "prefecture": prefecture_membership(user) is not None,
        "adviser": own_profiles(user).exists(),
    }
    if nav["prefecture"] or nav["adviser"]:
        request.session[SESSION_KEY] = nav
        # Where a login without a municipality lands instead of a refusal (reports.dashboard).
        request.session["home_url"] = reverse(
            "prefecture:pref_home" if nav["prefecture"] else "prefecture:adviser_home"
        )


@receiver(post_save, sender=Meeting)
def follow_a_moved_meeting(sender, instance, created, raw=False, **kwargs):
    """A municipality that moves a meeting moves the dispatched advisers' window with it:
    the memberships the dispatches made expire with the new date's window."""
    if created or raw:
        return
    from .services import refresh_dispatch_windows

    refresh_dispatch_windows(instance)
