"""Which membership a request acts under. Everything a user may see follows from it.

A user can belong to several municipalities; the gate always asks about the one membership
the user has chosen for this session, so data of two municipalities never mix on one page.
"""

from collections.abc import Sequence

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tsunagu.lib.acting import MemberRequest

from .models import Invitation, Membership, User

SESSION_KEY = "membership_id"


def current_memberships(user: User | AnonymousUser) -> QuerySet[Membership]:
    """Memberships that grant access today: active, not expired, of an active user."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Membership.objects.none()
    today = timezone.localdate()
    return (
        Membership.objects.filter(user=user, is_active=True)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .select_related("municipality", "center", "user")
        .order_by("municipality__code")
    )


def membership_for_session(
    request: MemberRequest, memberships: Sequence[Membership] | None = None
) -> Membership | None:
    """The membership chosen in this session, else the user's first current one, else None.

    `memberships`: the user's current memberships if the caller has already read them.
    """
    if memberships is None:
        memberships = list(current_memberships(request.user))
    chosen = request.session.get(SESSION_KEY)
    for membership in memberships:
        if membership.pk == chosen:
            return membership
    return memberships[0] if memberships else None


def membership_to_switch_to(user: User, membership_id: int | str) -> Membership | None:
    """One of the user's own current memberships; anything else (another's, expired) is None."""
    return current_memberships(user).filter(pk=membership_id).first()


def memberships_managed_by(member: Membership | None) -> QuerySet[Membership]:
    """The memberships of the member's municipality, for a role that manages members."""
    if member is None or not member.may("members.manage"):
        return Membership.objects.none()
    return Membership.objects.filter(municipality_id=member.municipality_id).select_related(
        "user", "center", "person"
    )


def membership_managed_by(member: Membership, pk: int | str) -> Membership:
    """One of memberships_managed_by (404 otherwise)."""
    return get_object_or_404(memberships_managed_by(member), pk=pk)


def invitations_managed_by(member: Membership | None) -> QuerySet[Invitation]:
    """The invitations of the member's municipality not yet accepted, for a member manager.

    Accepted ones are memberships by then, and listed as such.
    """
    if member is None or not member.may("members.manage"):
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(municipality_id=member.municipality_id)
        .exclude(status=Invitation.Status.ACCEPTED)
        .select_related("user", "center")
    )


def pending_invitations_for(user: User) -> QuerySet[Invitation]:
    """The invitations waiting for the user's own answer."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Invitation.objects.none()
    return Invitation.objects.filter(user=user, status=Invitation.Status.PENDING).select_related(
        "municipality", "center", "invited_by"
    )


def invitation_to_answer(user: User, invitation_id: int | str) -> Invitation | None:
    """One of the user's own pending invitations; anyone else's, or an answered one, is None."""
    return pending_invitations_for(user).filter(pk=invitation_id).first()
