"""Changes to users and memberships, each validated, atomic and logged."""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tsunagu.audit.services import log
from tsunagu.lib.acting import MemberRequest

from .models import Invitation, Membership, User


@dataclass(frozen=True)
class NewLogin:
    """Who a membership is for: the login with this username, or a new one made of these."""

    username: str
    full_name: str
    password: str


@transaction.atomic
def add_member(
    *, membership: Membership, login: NewLogin, by: User, request: MemberRequest | None = None
) -> Membership:
    """Give a user a role in a municipality, creating the login if it does not exist yet."""
    username = login.username
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=login.full_name)
        user.set_password(login.password)
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
    _log_membership_created(membership, by=by, request=request)
    return membership


def _log_membership_created(
    membership: Membership, *, by: User, request: MemberRequest | None
) -> None:
    log(
        "membership.created",
        by=by,
        municipality=membership.municipality_id,
        target=membership,
        request=request,
        summary=str(membership),
        role=membership.role,
    )


@transaction.atomic
def invite_member(
    *, membership: Membership, login: NewLogin, by: User, request: MemberRequest | None = None
) -> Invitation:
    """Offer the role of `membership` to a login, creating the login if it does not exist yet.

    Whether the login existed must not show, to the admin or in the time the answer takes:
    the password is hashed either way, and the admin's audit entries are the same. A new
    login's own creation is recorded without an actor, so that only the system administrator
    sees it; the person accepts the invitation at their first login like anyone else.
    """
    username = login.username
    encoded = make_password(login.password)
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=login.full_name, password=encoded)
        user.full_clean()
        user.save()
        log("user.created", target=user, summary=username, invited_to=membership.municipality_id)
    invitation = Invitation(
        user=user,
        municipality=membership.municipality,
        role=membership.role,
        center=membership.center,
        person=membership.person,
        expires_on=membership.expires_on,
        name=login.full_name,
        invited_by=by if getattr(by, "is_authenticated", False) else None,
    )
    invitation.full_clean()
    invitation.save()
    log(
        "invitation.created",
        by=by,
        municipality=invitation.municipality_id,
        target=invitation,
        request=request,
        summary=f"{username}（{invitation.get_role_display()}）",
        role=invitation.role,
    )
    return invitation


def _answer(invitation: Invitation, status: str) -> Invitation:
    """Mark a pending invitation answered; a second answer (two tabs, a double click) is refused.

    The conditional UPDATE decides, so two answers racing cannot both pass.
    """
    now = timezone.now()
    answered = Invitation.objects.filter(pk=invitation.pk, status=Invitation.Status.PENDING)
    if not answered.update(status=status, answered_at=now):
        raise ValidationError("この招待にはすでに回答済みです。")
    invitation.status = status
    invitation.answered_at = now
    return invitation


def _log_answer(invitation: Invitation, action: str, request: MemberRequest | None) -> None:
    log(
        action,
        by=invitation.user,
        municipality=invitation.municipality_id,
        target=invitation,
        request=request,
        summary=str(invitation),
    )


@transaction.atomic
def accept_invitation(
    *, invitation: Invitation, request: MemberRequest | None = None
) -> Membership:
    """The invited person takes the role: a membership in the inviting municipality."""
    _answer(invitation, Invitation.Status.ACCEPTED)
    membership = invitation.as_membership()
    taken = Membership.objects.filter(user=membership.user, municipality=membership.municipality)
    if taken.exists():
        raise ValidationError("すでにこの市町村のメンバーです。")
    # Checked again: the center or the person may have changed since the invitation.
    membership.full_clean()
    membership.save()
    _log_answer(invitation, "invitation.accepted", request)
    _log_membership_created(membership, by=invitation.user, request=request)
    return membership


@transaction.atomic
def decline_invitation(
    *, invitation: Invitation, request: MemberRequest | None = None
) -> Invitation:
    _answer(invitation, Invitation.Status.DECLINED)
    _log_answer(invitation, "invitation.declined", request)
    return invitation


@transaction.atomic
def update_member(
    *,
    membership: Membership,
    changed: list[str],
    by: User,
    request: MemberRequest | None = None,
) -> Membership:
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


def switch_membership(*, request: MemberRequest, membership: Membership) -> None:
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
def enable_two_factor(
    *, user: User, secret: str, by: User, request: MemberRequest | None = None
) -> User:
    """Keep the key the user has just confirmed with a code; logins then ask for a code."""
    user.totp_secret = secret
    user.totp_confirmed_at = timezone.now()
    user.save(update_fields=["totp_secret", "totp_confirmed_at"])
    log("user.2fa_enabled", by=by, target=user, request=request, summary=user.get_username())
    return user


@transaction.atomic
def disable_two_factor(
    *, user: User, by: User, request: MemberRequest | None = None, action: str = "user.2fa_disabled"
) -> User:
    """Forget the key. For a role that needs it, the next login asks to set it up again."""
    user.totp_secret = ""
    user.totp_confirmed_at = None
    user.totp_last_step = None
    user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    log(action, by=by, target=user, request=request, summary=user.get_username())
    return user
