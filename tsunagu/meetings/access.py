"""The only way views reach meetings, meeting bodies and annual plans.

Another municipality's rows and rows that do not exist both answer 404; a role that may read
but not change gets 403 on a write.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tsunagu.confidentiality.access import (
    NEEDS_PLEDGE,
    ContentRefused,
    content_refusal,
    privacy_settings,
)
from tsunagu.confidentiality.gate import disclose

from .models import Meeting, MeetingType, PlanEntry


def meeting_types_visible_to(member) -> QuerySet[MeetingType]:
    """The municipality's catalogue of meeting bodies, for any role that sees meetings."""
    if member is None or not member.may("meetings.view"):
        return MeetingType.objects.none()
    return MeetingType.objects.filter(municipality_id=member.municipality_id)


def meeting_type_for_user(member, pk, *, write: bool = False) -> MeetingType:
    """One meeting body (404 if not visible); with write=True only for 市職員."""
    meeting_type = get_object_or_404(meeting_types_visible_to(member), pk=pk)
    if write and not member.may("meeting_types.edit"):
        raise PermissionDenied("会議体を変更する権限がありません。")
    return meeting_type


def meetings_visible_to(member) -> QuerySet[Meeting]:
    """All meetings of the municipality for staff roles; only their own for the others.

    External advisers and care managers see the meetings their directory entry is on.
    """
    if member is None or not member.may("meetings.view"):
        return Meeting.objects.none()
    meetings = Meeting.objects.filter(municipality_id=member.municipality_id)
    if member.may("meetings.view_all"):
        return meetings
    if member.person_id is None:
        return Meeting.objects.none()
    return meetings.filter(
        pk__in=Meeting.objects.filter(attendances__person_id=member.person_id).values("pk")
    )


def may_organize_for(member, center) -> bool:
    """Whether the member may schedule or change meetings organised by `center` (None: city)."""
    if member is None:
        return False
    if member.may("meetings.edit_all"):
        return True
    return (
        member.may("meetings.edit_own_center")
        and center is not None
        and center.pk == member.center_id
    )


def meeting_for_user(member, pk, *, write: bool = False) -> Meeting:
    """One meeting the member may see (404 otherwise); with write=True, one it may change."""
    meeting = get_object_or_404(
        meetings_visible_to(member).select_related(
            "meeting_type", "center", "meeting_type__host_organization"
        ),
        pk=pk,
    )
    if write and not may_organize_for(member, meeting.center):
        raise PermissionDenied("この会議を変更する権限がありません。")
    return meeting


def may_edit_plan(member, center) -> bool:
    """Plans follow the same rule as meetings: 市・基幹型 plan all, a center its own."""
    return may_organize_for(member, center)


def plan_entries_visible_to(member) -> QuerySet[PlanEntry]:
    if member is None or not member.may("meetings.view_all"):
        return PlanEntry.objects.none()
    return PlanEntry.objects.filter(municipality_id=member.municipality_id)


# --- The gate for a meeting's own content (minutes, decisions, summary) ---------------------


def open_meeting_content(request, pk, *, write: bool = False) -> Meeting:
    """A meeting whose minutes, decisions and summary the member may read (404 out of scope,
    403 with where to sign), the showing recorded; with write=True one they may change."""
    meeting = meeting_for_user(request.member, pk, write=write)
    reason = content_refusal(request.member, meeting)
    if reason:
        # A sign link only where signing is what is missing (not outside an adviser's window).
        raise ContentRefused(reason, [meeting] if reason == NEEDS_PLEDGE else [])
    if meeting.meeting_type.handles_personal_info:
        disclose(request, "meeting.content_viewed", meeting)
    return meeting


def open_meeting_page(request, pk, settings=None) -> tuple[Meeting, str | None]:
    """The meeting page: the meeting (404 out of scope) and why its content is withheld (None:
    it is shown, and the showing recorded)."""
    meeting = meeting_for_user(request.member, pk)
    settings = settings or privacy_settings(meeting.municipality_id)
    reason = content_refusal(request.member, meeting, settings=settings)
    if reason is None and meeting.meeting_type.handles_personal_info:
        disclose(request, "meeting.content_viewed", meeting)
    return meeting, reason
