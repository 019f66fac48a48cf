"""Changes to users and memberships, each validated, atomic and logged."""

from django.db import transaction
from django.utils import timezone

from tsunagu.audit.services import log

from .models import Membership, User


@transaction.atomic
def add_member(
    *, membership: Membership, username: str, full_name: str, password: str, by, request=None
) -> Membership:
    """Give a user a role in a municipality, creating the login if it does not exist yet."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=full_name)
        user.set_password(password)
        user.full_clean()
        user.save()
        log(
            "user.created",
            by=by,
            municipality=membership.municipality_id,
            target=user,
            request=request,
            summary=username,
        )
    membership.user = user
    membership.full_clean()
    membership.save()
    log(
        "membership.created",
        by=by,
        municipality=membership.municipality_id,
        target=membership,
        request=request,
        summary=str(membership),
        role=membership.role,
    )
    return membership


@transaction.atomic
def update_member(*, membership: Membership, changed: list[str], by, request=None) -> Membership:
    membership.full_clean()
    membership.save()
    log(
        "membership.updated",
        by=by,
        municipality=membership.municipality_id,
        target=membership,
        request=request,
        summary=str(membership),
        changed=changed,
    )
    return membership


def switch_membership(*, request, membership: Membership) -> None:
    """Act under another of the user's own memberships for the rest of this session."""
    from .access import SESSION_KEY

    request.session[SESSION_KEY] = membership.pk
    log(
        "membership.switched",
        by=request.user,
        municipality=membership.municipality_id,
        target=membership,
        request=request,
    )


@transaction.atomic
def enable_two_factor(*, user: User, secret: str, by, request=None) -> User:
    """Keep the key the user has just confirmed with a code; logins then ask for a code."""
    user.totp_secret = secret
    user.totp_confirmed_at = timezone.now()
    user.save(update_fields=["totp_secret", "totp_confirmed_at"])
    log("user.2fa_enabled", by=by, target=user, request=request, summary=user.get_username())
    return user


@transaction.atomic
def disable_two_factor(*, user: User, by, request=None, action="user.2fa_disabled") -> User:
    """Forget the key. For a role that needs it, the next login asks to set it up again."""
    user.totp_secret = ""
    user.totp_confirmed_at = None
    user.totp_last_step = None
    user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    log(action, by=by, target=user, request=request, summary=user.get_username())
    return user
