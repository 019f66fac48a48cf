"""The only way views reach cases. Two questions, asked in this order:

1. In scope? 市職員, 基幹型 and 閲覧者 see the municipality's cases; センター職員 their center's;
   a 介護支援専門員 the cases they present; an external adviser the cases on the agenda of a
   meeting they attend. Anything else, including another municipality's case, is 404.
2. May the content be shown? Before a case is on any agenda, only those who prepare it (its
   center's staff and its care manager) see it. After that, the 誓約書 rule applies: a pledge
   covering a meeting where the case is reviewed (and, for advisers, inside the window).
"""

from django.core.exceptions import PermissionDenied
from django.db import connections
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tsunagu.confidentiality.access import content_refusal, privacy_settings
from tsunagu.meetings.models import Attendance

from .choices import CaseStatus
from .models import Case, FollowUp

ALL_CASES_ROLES = {"city_admin", "core_center", "viewer"}
EDIT_ROLES = {"city_admin", "core_center", "center_staff", "care_manager"}


def cases_visible_to(member) -> QuerySet[Case]:
    """The cases the member is in scope for (no content check yet)."""
    if member is None:
        return Case.objects.none()
    cases = Case.objects.filter(municipality_id=member.municipality_id)
    if member.role in ALL_CASES_ROLES:
        return cases
    if member.role == "center_staff" and member.center_id:
        return cases.filter(center_id=member.center_id)
    if member.person_id is None:
        return Case.objects.none()
    if member.role == "care_manager":
        return cases.filter(care_manager_id=member.person_id)
    if member.role == "adviser":
        return cases.filter(
            pk__in=Case.objects.filter(
                reviews__meeting__attendances__person_id=member.person_id
            ).values("pk")
        )
    return Case.objects.none()


# Cases counted per status, at most: above it a tab says "10,000以上" and the list pages
# through the first COUNT_CAP. A city's counts then read at most COUNT_CAP + 1 entries of the
# index case_list_status_order per status, whatever the size of the city.
COUNT_CAP = 10_000


def counts_by_status(member, cap: int = COUNT_CAP) -> dict[str, int]:
    """status → number of cases the member is in scope for, up to cap + 1 (more than cap).

    One query: a limited subquery per status, so no count reads past cap + 1 rows."""
    cases = cases_visible_to(member).order_by().values("pk")
    parts, params = [], []
    for status in CaseStatus.values:
        sql, part_params = cases.filter(status=status)[: cap + 1].query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped)")
        params.extend(part_params)
    connection = connections[cases.db]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return {status: n for status, n in zip(CaseStatus.values, row, strict=True) if n}


def follow_ups_visible_to(member) -> QuerySet[FollowUp]:
    """The follow-ups of the cases the member is in scope for.

    Filtered on the follow-up's own municipality first, so a count over them reads that
    municipality's rows only; roles limited to some cases are narrowed further through them."""
    if member is None:
        return FollowUp.objects.none()
    # The body's municipality too (always the same): a count joining the bodies for their
    # names then reads this municipality's bodies, not every body in the database.
    follow_ups = FollowUp.objects.filter(
        municipality_id=member.municipality_id,
        meeting_type__municipality_id=member.municipality_id,
    )
    if member.role in ALL_CASES_ROLES:
        return follow_ups
    return follow_ups.filter(review__case__in=cases_visible_to(member))


def prepares(member, case) -> bool:
    """Whether the member is one of those who prepare the case for its meeting."""
    return (member.role == "center_staff" and member.center_id == case.center_id) or (
        member.role == "care_manager"
        and member.person_id is not None
        and member.person_id == case.care_manager_id
    )


def may_edit(member, case) -> bool:
    """市職員・基幹型 and the case's preparers may change it; closed cases stay as they are."""
    if member.role not in EDIT_ROLES:
        return False
    return member.role in {"city_admin", "core_center"} or prepares(member, case)


def content_refusal_for_case(member, case) -> str | None:
    """Why the member may not read this case's content now, or None if they may."""
    meetings = [
        review.meeting
        for review in case.reviews.select_related("meeting__meeting_type", "meeting__municipality")
    ]
    if not meetings:
        if prepares(member, case) or member.role in {"city_admin", "core_center"}:
            return None
        return "この事例はまだ会議に提出されていないため、担当者だけが見られます。"
    if member.role == "adviser":
        # Advisers only through the meetings they attend (one query, however many reviews).
        attended = set(
            Attendance.objects.filter(meeting__in=meetings, person_id=member.person_id).values_list(
                "meeting_id", flat=True
            )
        )
        meetings = [meeting for meeting in meetings if meeting.pk in attended]
    reasons = []
    settings = privacy_settings(meetings[0].municipality) if meetings else None
    for meeting in meetings:
        reason = content_refusal(member, meeting, settings=settings)
        if reason is None:
            return None
        reasons.append(reason)
    return reasons[0] if reasons else "この事例を検討する会議の出席者ではありません。"


def case_in_scope(member, pk) -> Case:
    """One case the member is in scope for, content not yet checked (404 otherwise)."""
    return get_object_or_404(
        cases_visible_to(member).select_related("center", "care_manager"), pk=pk
    )


def case_for_user(member, pk, *, write: bool = False) -> Case:
    """One case the member is in scope for (404 otherwise), whose content they may read
    (403 with the reason otherwise); with write=True, also one they may change."""
    case = case_in_scope(member, pk)
    reason = content_refusal_for_case(member, case)
    if reason:
        raise PermissionDenied(reason)
    if write and not may_edit(member, case):
        raise PermissionDenied("この事例を変更する権限がありません。")
    return case


def may_create(member) -> bool:
    return member is not None and member.role in EDIT_ROLES
