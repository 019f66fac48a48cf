"""At login, remember in the session which prefecture pages the user has, so that the menu
shows them without a query on every page (a change takes effect at the next login)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.urls import reverse

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
        request.session["home_url"] = reverse("pref_home" if nav["prefecture"] else "adviser_home")
