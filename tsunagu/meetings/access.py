"""The only way views reach meetings, meeting bodies and annual plans.

Another municipality's rows and rows that do not exist both answer 404; a role that may read
but not change gets 403 on a write.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Max, Min, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tsunagu.accounts.models import Membership
from tsunagu.confidentiality.access import privacy_settings
from tsunagu.confidentiality.gate import disclose
from tsunagu.confidentiality.models import PrivacySettings
from tsunagu.lib.acting import MemberRequest
from tsunagu.lib.fiscal import fiscal_year
from tsunagu.lib.listing import search
from tsunagu.organizations.models import Area, Center, Person

from .content_rule import content_refusal, pledge_filter, require_content
from .models import Attendance, Handout, Meeting, MeetingType, PlanEntry, Pledge


def meeting_types_visible_to(member: Membership | None) -> QuerySet[MeetingType]:
    """The municipality's catalogue of meeting bodies, for any role that sees meetings."""
    if member is None or not member.may("meetings.view"):
        return MeetingType.objects.none()
    return MeetingType.objects.filter(municipality_id=member.municipality_id)


def meeting_type_for_user(member: Membership, pk: int | str, *, write: bool = False) -> MeetingType:
    """One meeting body (404 if not visible); with write=True only for 市職員."""
    meeting_type = get_object_or_404(meeting_types_visible_to(member), pk=pk)
    if write and not member.may("meeting_types.edit"):
        raise PermissionDenied("会議体を変更する権限がありません。")
    return meeting_type


def meetings_visible_to(member: Membership | None) -> QuerySet[Meeting]:
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


def may_organize_for(member: Membership | None, center: Center | None) -> bool:
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


def meeting_for_user(member: Membership, pk: int | str, *, write: bool = False) -> Meeting:
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


def may_edit_plan(member: Membership, center: Center | None) -> bool:
    """Plans follow the same rule as meetings: 市・基幹型 plan all, a center its own."""
    return may_organize_for(member, center)


def plan_entries_visible_to(member: Membership | None) -> QuerySet[PlanEntry]:
    if member is None or not member.may("meetings.view_all"):
        return PlanEntry.objects.none()
    return PlanEntry.objects.filter(municipality_id=member.municipality_id)


# --- The gate for a meeting's own content (minutes, decisions, summary) ---------------------


def open_meeting_content(request: MemberRequest, pk: int | str, *, write: bool = False) -> Meeting:
    """A meeting whose minutes, decisions and summary the member may read (404 out of scope,
    403 with where to sign), the showing recorded; with write=True one they may change."""
    meeting = meeting_for_user(request.member, pk, write=write)
    require_content(request.member, meeting)
    if meeting.meeting_type.handles_personal_info:
        disclose(request, "meeting.content_viewed", meeting)
    return meeting


def open_meeting_page(
    request: MemberRequest, pk: int | str, settings: PrivacySettings | None = None
) -> tuple[Meeting, str | None]:
    """The meeting page: the meeting (404 out of scope) and why its content is withheld (None:
    it is shown, and the showing recorded)."""
    meeting = meeting_for_user(request.member, pk)
    settings = settings or privacy_settings(meeting.municipality_id)
    reason = content_refusal(request.member, meeting, settings=settings)
    if reason is None and meeting.meeting_type.handles_personal_info:
        disclose(request, "meeting.content_viewed", meeting)
    return meeting, reason


def centers_of(member: Membership) -> QuerySet[Center]:
    """The centers of the member's municipality, for choosing and planning meetings."""
    return Center.objects.filter(municipality_id=member.municipality_id)


def attendance_of(meeting: Meeting, pk: int | str) -> Attendance:
    """One line of the meeting's attendance list (404 otherwise); the meeting already checked."""
    return get_object_or_404(Attendance, meeting=meeting, pk=pk)


def pledge_of(meeting: Meeting, pk: int | str) -> Pledge:
    """One pledge recorded for the meeting (404 otherwise); the meeting already checked."""
    return get_object_or_404(
        Pledge, pk=pk, municipality_id=meeting.municipality_id, meeting=meeting
    )


def signed_attendance_ids(meeting: Meeting, scope: str | None = None) -> set[int]:
    """The attendance lines of the meeting whose person has signed a pledge covering it.

    A signature belongs to the one who signed: the pledge signed for that line in the room,
    one signed by the line's directory person, or one signed on screen by a login whose
    membership is that person. A line with no directory person is signed only by a pledge
    made for it (a login without a directory person signs for nobody on the list)."""
    if scope is None:
        scope = privacy_settings(meeting.municipality_id).pledge_scope
    signed = Pledge.objects.filter(pledge_filter(meeting, scope))
    lines = set(
        signed.exclude(attendance=None)
        .filter(attendance__meeting=meeting)
        .values_list("attendance_id", flat=True)
    )
    people = set(signed.exclude(person=None).values_list("person_id", flat=True))
    people |= set(
        signed.exclude(user=None)
        .filter(
            user__memberships__municipality_id=meeting.municipality_id,
            user__memberships__person__isnull=False,
        )
        .values_list("user__memberships__person_id", flat=True)
    )
    if people:
        lines |= set(meeting.attendances.filter(person_id__in=people).values_list("pk", flat=True))
    return lines


def pledge_status(
    meeting: Meeting, attendances: Iterable[Attendance], scope: str
) -> tuple[list[tuple[Attendance, bool]], list[Pledge]]:
    """Who on the attendance list has signed (signed_attendance_ids), and the pledges."""
    signed = Pledge.objects.filter(pledge_filter(meeting, scope)).select_related("policy_version")
    lines = signed_attendance_ids(meeting, scope)
    return [(attendance, attendance.pk in lines) for attendance in attendances], list(signed)


def unsigned_present(meeting: Meeting, scope: str | None = None) -> list[Attendance]:
    """Attendees marked present who have not signed (on screen or on paper): a meeting that
    handles personal information cannot be closed while there are any."""
    if not meeting.meeting_type.handles_personal_info:
        return []
    lines = signed_attendance_ids(meeting, scope)
    return [a for a in meeting.attendances.filter(attended=True) if a.pk not in lines]


def areas_of(member: Membership) -> QuerySet[Area]:
    """The 圏域 of the member's municipality, for a meeting held for one of them."""
    return Area.objects.filter(municipality_id=member.municipality_id)


def people_to_invite(
    meeting: Meeting, *, query: str = "", profession: str = ""
) -> QuerySet[Person]:
    """The municipality's directory, less those already on the meeting's list, for the
    invitation picker (searched by name, furigana or affiliation; filtered by profession)."""
    people = (
        Person.objects.filter(municipality_id=meeting.municipality_id)
        .exclude(pk__in=meeting.attendances.exclude(person=None).values("person_id"))
        .select_related("organization", "center")
        .order_by("furigana", "id")
    )
    if profession:
        people = people.filter(profession=profession)
    return search(people, query, ["name", "furigana", "organization__name", "center__name"])


def people_by_ids(meeting: Meeting, ids: Iterable[int]) -> list[Person]:
    """Directory entries of the meeting's municipality among `ids` (others are ignored)."""
    return list(
        Person.objects.filter(municipality_id=meeting.municipality_id, pk__in=list(ids))
        .select_related("organization", "center")
        .order_by("id")
    )


def standing_members_of(meeting: Meeting) -> QuerySet[Person]:
    """The 構成員 of the meeting's body."""
    return meeting.meeting_type.standing_members.filter(municipality_id=meeting.municipality_id)


def handouts_of(meeting: Meeting) -> QuerySet[Handout]:
    return Handout.objects.filter(meeting=meeting)


def handout_of(meeting: Meeting, pk: int | str) -> Handout:
    """One handout of the meeting (404 otherwise); the meeting already checked."""
    return get_object_or_404(Handout.objects.select_related("meeting"), meeting=meeting, pk=pk)


def standard_handouts(meeting: Meeting) -> list[tuple[str, str]]:
    """The handouts every meeting that handles personal information gets (seed 000: the
    個人情報基本方針 and the body's 実施計画), as (URL name, title)."""
    if not meeting.meeting_type.handles_personal_info:
        return []
    found = [("meetings:meeting_handout_policy", "個人情報基本方針")]
    if meeting.meeting_type.implementation_plan.strip():
        found.append(("meetings:meeting_handout_plan", f"{meeting.meeting_type}実施計画"))
    return found


def fiscal_years_for_import(member: Membership, today: date | None = None) -> list[int]:
    """The 年度 an import may name, newest first: every year with meetings of the member's
    municipality, the five before this one, this one and the next."""
    today = today or timezone.localdate()
    current = fiscal_year(today)
    dates = Meeting.objects.filter(municipality=member.municipality_id).aggregate(
        first=Min("date"), last=Max("date")
    )
    first, last = current - 5, current + 1
    if dates["first"] is not None:
        first = min(first, fiscal_year(dates["first"]))
        last = max(last, fiscal_year(dates["last"]))
    return list(range(last, first - 1, -1))
