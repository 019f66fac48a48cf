"""Who may see what of the prefecture tier. The only way views reach its rows.

Three kinds of people come here, each through their own door:

- prefecture staff, coordinators and viewers, through a PrefectureMembership: the pool, the
  requests, training and the records of their own prefecture, never case content;
- a pooled adviser, through their own AdviserProfile: only their own assignments;
- a municipality member, through request.member: the requests for their own meetings.

Another prefecture's rows and rows that do not exist both answer 404; a role that may read
but not change gets 403 on a write.
"""

from functools import wraps

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tsunagu.accounts.models import Membership, User
from tsunagu.lib.acting import MemberRequest
from tsunagu.meetings.access import may_organize_for
from tsunagu.meetings.models import Meeting
from tsunagu.organizations.models import Municipality

from .choices import AssignmentStatus
from .models import (
    AdviserProfile,
    Assignment,
    DispatchRequest,
    Prefecture,
    PrefectureMembership,
    Training,
)

NO_PREFECTURE = "県の画面を利用する権限がありません。"
NOT_ALLOWED = "この操作を行う権限がありません。"


def prefecture_membership(user: User | AnonymousUser) -> PrefectureMembership | None:
    """The user's active place in a prefecture (the first by code if there are several)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return (
        PrefectureMembership.objects.filter(user=user, is_active=True)
        .select_related("prefecture")
        .order_by("prefecture__code")
        .first()
    )


def prefecture_required(permission: str):
    """A view for prefecture roles: puts the membership on request.pref, or refuses (403)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: MemberRequest, *args, **kwargs):
            pref = prefecture_membership(request.user)
            if pref is None:
                raise PermissionDenied(NO_PREFECTURE)
            if not pref.may(permission):
                raise PermissionDenied(NOT_ALLOWED)
            request.pref = pref
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def prefecture_of(municipality: Municipality) -> Prefecture | None:
    """The prefecture tenant a municipality belongs to, if that prefecture uses the system."""
    return Prefecture.objects.filter(code=municipality.code[:2]).first()


# The pool


def advisers_visible_to(pref) -> QuerySet[AdviserProfile]:
    """The prefecture's pool, for any prefecture role."""
    if pref is None or not pref.may("pool.view"):
        return AdviserProfile.objects.none()
    return AdviserProfile.objects.filter(prefecture_id=pref.prefecture_id)


def associations_kept_by(pref) -> list[str] | None:
    """The associations whose advisers a coordinator registers and changes, or None for
    those who may change every adviser of the pool (the prefecture's staff)."""
    if pref is None or not pref.may("pool.edit"):
        raise PermissionDenied(NOT_ALLOWED)
    if pref.may("pool.edit_all"):
        return None
    return pref.coordinated_associations


def may_edit_adviser(pref, adviser: AdviserProfile) -> bool:
    """The staff change every adviser; a coordinator those of the association(s) it
    coordinates."""
    if pref is None or not pref.may("pool.edit"):
        return False
    if pref.may("pool.edit_all"):
        return True
    return adviser.association.strip() in pref.coordinated_associations


def adviser_for(pref, pk: int | str, *, write: bool = False) -> AdviserProfile:
    """One adviser of the pool (404 otherwise); with write=True only for those who may
    change this adviser (403 otherwise)."""
    adviser = get_object_or_404(advisers_visible_to(pref), pk=pk)
    if write and not may_edit_adviser(pref, adviser):
        raise PermissionDenied(
            "派遣調整の団体は、調整する所属団体のアドバイザーだけを変更できます。"
            if pref.may("pool.edit")
            else NOT_ALLOWED
        )
    return adviser


# Requests, seen from the prefecture


def requests_visible_to(pref) -> QuerySet[DispatchRequest]:
    """The requests made to the prefecture. Meeting date, place and body only: the request
    itself carries no case content, and nothing here leads to the meeting's record."""
    if pref is None or not pref.may("dispatch.view"):
        return DispatchRequest.objects.none()
    return DispatchRequest.objects.filter(prefecture_id=pref.prefecture_id).select_related(
        "municipality", "meeting", "meeting__meeting_type", "meeting__center"
    )


def request_for(pref, pk: int | str, *, write: bool = False) -> DispatchRequest:
    """One request (404 otherwise); with write=True only for those who assign."""
    found = get_object_or_404(requests_visible_to(pref), pk=pk)
    if write and not pref.may("dispatch.assign"):
        raise PermissionDenied(NOT_ALLOWED)
    return found


def assignment_for(pref, pk: int | str) -> Assignment:
    """One assignment of the prefecture, for those who assign (404 / 403 otherwise)."""
    assignment = get_object_or_404(
        Assignment.objects.filter(request__prefecture_id=pref.prefecture_id).select_related(
            "request__meeting", "adviser"
        ),
        pk=pk,
    )
    if not pref.may("dispatch.assign"):
        raise PermissionDenied(NOT_ALLOWED)
    return assignment


# Requests, seen from the municipality


def requests_for_meeting(member: Membership | None, meeting: Meeting) -> QuerySet[DispatchRequest]:
    """The requests made for a meeting the caller has already fetched through meetings.access."""
    if member is None or meeting.municipality_id != member.municipality_id:
        return DispatchRequest.objects.none()
    return DispatchRequest.objects.filter(meeting=meeting).prefetch_related("assignments__adviser")


def request_for_member(member: Membership | None, pk: int | str) -> DispatchRequest:
    """One request of the member's municipality that the member may change (its meeting's
    organisers): 404 outside the municipality, 403 for a role that cannot organise it."""
    if member is None:
        raise PermissionDenied(NOT_ALLOWED)
    found = get_object_or_404(
        DispatchRequest.objects.filter(municipality_id=member.municipality_id).select_related(
            "meeting", "meeting__center"
        ),
        pk=pk,
    )
    if not may_organize_for(member, found.meeting.center):
        raise PermissionDenied(NOT_ALLOWED)
    return found


# The adviser's own


def own_profiles(user: User) -> QuerySet[AdviserProfile]:
    if not getattr(user, "is_authenticated", False):
        return AdviserProfile.objects.none()
    return AdviserProfile.objects.filter(user=user).select_related("prefecture")


def own_assignments(user: User) -> QuerySet[Assignment]:
    """The user's assignments as a pooled adviser, whichever prefecture made them."""
    if not getattr(user, "is_authenticated", False):
        return Assignment.objects.none()
    return Assignment.objects.filter(adviser__user=user).select_related(
        "request",
        "request__municipality",
        "request__meeting",
        "request__meeting__meeting_type",
        "request__meeting__municipality",
        "request__meeting__center",
        "membership",
    )


def assignment_to_answer(user: User, pk: int | str) -> Assignment:
    """One of the user's own assignments still open to an answer (pending, or accepted and
    so still declinable); anyone else's is 404."""
    return get_object_or_404(
        own_assignments(user).filter(
            status__in=[AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED]
        ),
        pk=pk,
    )


# Training


def trainings_visible_to(pref) -> QuerySet[Training]:
    if pref is None or not pref.may("training.view"):
        return Training.objects.none()
    return Training.objects.filter(prefecture_id=pref.prefecture_id)


def training_for(pref, pk: int | str, *, write: bool = False) -> Training:
    training = get_object_or_404(trainings_visible_to(pref), pk=pk)
    if write and not pref.may("training.edit"):
        raise PermissionDenied(NOT_ALLOWED)
    return training


# The prefecture's own people


def members_managed_by(pref) -> QuerySet[PrefectureMembership]:
    """The prefecture's staff, coordinators and viewers, for the staff who name them."""
    if pref is None or not pref.may("members.manage"):
        return PrefectureMembership.objects.none()
    return PrefectureMembership.objects.filter(prefecture_id=pref.prefecture_id).select_related(
        "user"
    )
