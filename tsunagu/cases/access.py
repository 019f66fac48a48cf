"""The only way views reach cases. Two questions, asked in this order:

1. In scope? 市職員, 基幹型 and 閲覧者 see the municipality's cases; センター職員 their center's;
   a 介護支援専門員 the cases they present; an external adviser the cases on the agenda of a
   meeting they attend. Anything else, including another municipality's case, is 404.
2. May the content be shown? The case's custodians (its center's staff and its care
   manager) always. What was recorded at a review (支援方針, advice, 役割分担, follow-ups,
   tag notes): otherwise only under the 誓約書 rule for THAT review's meeting
   (meetings.content_rule.content_refusal). The case's own fields, written before any
   meeting: before it is on an agenda also 市職員 and 基幹型; after that whoever may read
   one of its reviews.

Views get content only through the `open_*` functions at the end, which also record the
showing (confidentiality.gate); `case_for_user`/`review_for_user` serve changes that show
nothing.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connections
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tsunagu.accounts.models import Membership
from tsunagu.confidentiality.gate import disclose
from tsunagu.lib.acting import MemberRequest
from tsunagu.lib.jtext import normalize
from tsunagu.lib.listing import MAX_QUERY_CHARS, MAX_QUERY_WORDS
from tsunagu.meetings.access import meeting_for_user, meetings_visible_to, signed_attendance_ids
from tsunagu.meetings.content_rule import (
    NEEDS_PLEDGE,
    ContentRefused,
    content_refusal,
    content_refusals,
)
from tsunagu.meetings.models import Attendance, Meeting
from tsunagu.organizations.models import Center

from .choices import CaseStatus
from .models import Action, Advice, Case, CaseReview, FollowUp

NOT_YET_ON_AGENDA = "この事例はまだ会議に提出されていないため、担当者だけが見られます。"
NOT_ATTENDING = "この事例を検討する会議の出席者ではありません。"


def cases_visible_to(member: Membership | None) -> QuerySet[Case]:
    """The cases the member is in scope for (no content check yet)."""
    if member is None:
        return Case.objects.none()
    cases = Case.objects.filter(municipality_id=member.municipality_id)
    if member.may("cases.view_all"):
        return cases
    if member.may("cases.view_own_center") and member.center_id:
        return cases.filter(center_id=member.center_id)
    if member.person_id is None:
        return Case.objects.none()
    if member.may("cases.view_presented"):
        return cases.filter(care_manager_id=member.person_id)
    if member.may("cases.view_attended"):
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


def counts_by_status(member: Membership, cap: int = COUNT_CAP) -> dict[str, int]:
    """status → number of cases the member is in scope for, up to cap + 1 (more than cap).

    One query: a limited subquery per status, so no count reads past cap + 1 rows."""
    cases = cases_visible_to(member).order_by().values("pk")
    parts: list[str] = []
    params: list[Any] = []
    for status in CaseStatus.values:
        sql, part_params = cases.filter(status=status)[: cap + 1].query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped)")
        params.extend(part_params)
    connection = connections[cases.db]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return {status: n for status, n in zip(CaseStatus.values, row, strict=True) if n}


def follow_ups_visible_to(member: Membership | None) -> QuerySet[FollowUp]:
    """The follow-ups of the cases the member is in scope for.

    Filtered on the follow-up's own municipality first, so a count over them reads that
    municipality's rows only; roles limited to some cases are narrowed further through them."""
    if member is None:
        return FollowUp.objects.none()
    follow_ups = FollowUp.objects.filter(municipality_id=member.municipality_id)
    if member.may("cases.view_all"):
        return follow_ups
    return follow_ups.filter(review__case__in=cases_visible_to(member))


def is_custodian(member: Membership, case: Case) -> bool:
    """The case's custodians: staff of its center and its care manager. They prepare it for
    its meetings and follow it up afterwards, under statutory duties of their own."""
    return (member.may("cases.view_own_center") and member.center_id == case.center_id) or (
        member.may("cases.view_presented")
        and member.person_id is not None
        and member.person_id == case.care_manager_id
    )


def custodian_filter(member: Membership) -> Q:
    """The cases (as a filter on Case) the member is a custodian of; nothing for other roles."""
    if member.may("cases.view_own_center") and member.center_id:
        return Q(center_id=member.center_id)
    if member.may("cases.view_presented") and member.person_id:
        return Q(care_manager_id=member.person_id)
    return Q(pk__in=[])


def search_cases(member: Membership, cases: QuerySet[Case], text: str) -> QuerySet[Case]:
    """Cases where every word typed is in the code; the center's own 管理番号 is searched only
    in the cases the member is a custodian of (it would map the center's number to a case)."""
    custodian = custodian_filter(member)
    # As lib.listing.search: a pasted page would make one LIKE per word (and SQLite refuses a
    # pattern past its own limit); NUL cannot be sent to PostgreSQL.
    text = text[:MAX_QUERY_CHARS].replace("\x00", "")
    for word in normalize(text).split()[:MAX_QUERY_WORDS]:
        cases = cases.filter(
            Q(code__icontains=word) | (custodian & Q(center_reference__icontains=word))
        )
    return cases


def may_edit(member: Membership, case: Case) -> bool:
    """市職員・基幹型 and the case's custodians may change it; closed cases stay as they are."""
    if not member.may("cases.edit"):
        return False
    return member.may("cases.edit_all") or is_custodian(member, case)


def review_refusals(
    member: Membership, case: Case, reviews: Iterable[CaseReview] | None = None
) -> list[tuple[CaseReview, str | None]]:
    """Each review of the case with why the member may not read what was recorded at it
    (None: they may)."""
    if reviews is None:
        reviews = case.reviews.select_related(
            "meeting__meeting_type__host_organization", "meeting__center", "meeting__municipality"
        )
    reviews = list(reviews)
    for review in reviews:
        review.case = case
    return reviews_refusals(member, reviews)


def reviews_refusals(
    member: Membership, reviews: Iterable[CaseReview]
) -> list[tuple[CaseReview, str | None]]:
    """The rule for case reviews (their `case` and `meeting` loaded), however many, in two
    queries: the case's custodians may read every review of it; anyone else only under
    meetings.content_rule.content_refusals for the review's own meeting, and an external
    adviser only for the meetings they attend."""
    reviews = list(reviews)
    custodian = {r.pk for r in reviews if is_custodian(member, r.case)}
    others = [r for r in reviews if r.pk not in custodian]
    refusals = content_refusals(member, {r.meeting_id: r.meeting for r in others}.values())
    attended = None
    if member.may("cases.view_attended") and others:
        attended = set(
            Attendance.objects.filter(
                Q(person_id=member.person_id), meeting__in={r.meeting_id for r in others}
            ).values_list("meeting_id", flat=True)
        )
    answer: list[tuple[CaseReview, str | None]] = []
    for review in reviews:
        if review.pk in custodian:
            answer.append((review, None))
        elif attended is not None and review.meeting_id not in attended:
            answer.append((review, NOT_ATTENDING))
        else:
            answer.append((review, refusals[review.meeting_id]))
    return answer


def readable_reviews(member: Membership, meetings: Iterable[Meeting], prefix: str = "") -> Q:
    """A filter on CaseReview (or, with `prefix` such as "review__", on rows pointing at one)
    for the reviews at `meetings` the member may read: the same rule as reviews_refusals, for
    the text-mining pages (whose members are never external advisers: issues.mine)."""
    refusals = content_refusals(member, meetings)
    allowed = [pk for pk, reason in refusals.items() if reason is None]
    custodian = Case.objects.filter(custodian_filter(member)).values("pk")
    return Q(**{f"{prefix}meeting_id__in": allowed}) | Q(**{f"{prefix}case__in": custodian})


def content_refusal_for_case(
    member: Membership, case: Case, refusals: list[tuple[CaseReview, str | None]] | None = None
) -> str | None:
    """Why the member may not read the case's own fields (意向, 検討したい点, assessment, care
    plan), or None if they may. Custodians always may. Before the case is on any agenda,
    also 市職員 and 基幹型; after that, whoever may read at least one of its reviews (the
    case is presented at each of them)."""
    if is_custodian(member, case):
        return None
    if refusals is None:
        refusals = review_refusals(member, case)
    if not refusals:
        if member.may("cases.read_unpresented"):
            return None
        return NOT_YET_ON_AGENDA
    reasons = [reason for _review, reason in refusals]
    if None in reasons:
        return None
    return reasons[0]


def case_in_scope(member: Membership, pk: int | str) -> Case:
    """One case the member is in scope for, content not yet checked (404 otherwise)."""
    return get_object_or_404(
        cases_visible_to(member).select_related("center", "care_manager"), pk=pk
    )


def case_for_user(member: Membership, pk: int | str, *, write: bool = False) -> Case:
    """One case the member is in scope for (404 otherwise), whose content they may read
    (403 with the reason otherwise); with write=True, also one they may change.
    For changes that show nothing; a page showing the case uses open_case()."""
    return _readable_case(member, pk, write=write).case


def _readable_case(member: Membership, pk: int | str, *, write: bool) -> "CaseContent":
    case = case_in_scope(member, pk)
    refusals = review_refusals(member, case)
    reason = content_refusal_for_case(member, case, refusals)
    if reason:
        raise ContentRefused(reason, where_to_sign(refusals))
    if write and not may_edit(member, case):
        raise PermissionDenied("この事例を変更する権限がありません。")
    return CaseContent(case, refusals)


def where_to_sign(refusals: list[tuple[CaseReview, str | None]]) -> list[Meeting]:
    """The meetings whose pledge would let the member in: only where the pledge is what is
    missing (not a meeting they do not attend, nor one outside an adviser's window, where
    signing would change nothing)."""
    return [review.meeting for review, reason in refusals if reason == NEEDS_PLEDGE]


def review_for_user(member: Membership, pk: int | str, *, write: bool = False) -> CaseReview:
    """One case review whose case is in scope (404 otherwise) and whose content the member
    may read under the rule for its own meeting (403 with where to sign otherwise); with
    write=True, also one they may change. For changes that show nothing; pages use
    open_review()."""
    review = get_object_or_404(
        CaseReview.objects.filter(case__in=cases_visible_to(member)).select_related(
            "case__center",
            "case__care_manager",
            "meeting__meeting_type__host_organization",
            "meeting__municipality",
            "meeting__center",
        ),
        pk=pk,
    )
    refusals = review_refusals(member, review.case, [review])
    [(_review, reason)] = refusals
    if reason:
        raise ContentRefused(reason, where_to_sign(refusals))
    if write and not may_edit(member, review.case):
        raise PermissionDenied("この事例を変更する権限がありません。")
    return review


def action_for_user(member: Membership, pk: int | str, *, write: bool = False) -> Action:
    """One 役割分担 row, under the rule for the review it was agreed at (review_for_user)."""
    action = get_object_or_404(
        Action.objects.filter(review__case__in=cases_visible_to(member)).select_related(
            "review__case"
        ),
        pk=pk,
    )
    review_for_user(member, action.review_id, write=write)
    return action


def as_saved(case: Case) -> Case:
    """The case as last saved, for comparing a draft being typed with it."""
    return Case.objects.get(pk=case.pk)


def agenda_reviews(member: Membership, meeting: Meeting) -> QuerySet[CaseReview]:
    """The reviews on one meeting's agenda whose case the member is in scope for, in agenda
    order, with how much advice and how many 役割分担 each has."""
    return (
        CaseReview.objects.filter(meeting=meeting, case__in=cases_visible_to(member))
        .select_related("case")
        .annotate(
            advice_count=Count("advice", distinct=True),
            action_count=Count("actions", distinct=True),
        )
        .order_by("order", "id")
    )


def ready_cases_for_agenda(member: Membership, meeting: Meeting) -> QuerySet[Case]:
    """Cases that can go on the meeting's agenda: 会議準備完了, of the host center (any center
    for a meeting the city holds), in the member's scope, not on this agenda yet. Codes only."""
    cases = cases_visible_to(member).filter(
        municipality_id=meeting.municipality_id, status=CaseStatus.READY
    )
    if meeting.center_id is not None:
        cases = cases.filter(center_id=meeting.center_id)
    return cases.exclude(reviews__meeting=meeting).select_related("center").order_by("code")


def agenda_review_of(meeting: Meeting, pk: int | str) -> CaseReview:
    """One case on the meeting's agenda (404 otherwise); the meeting already checked."""
    return get_object_or_404(
        CaseReview.objects.select_related("case", "meeting__meeting_type"), meeting=meeting, pk=pk
    )


def upcoming_review_meetings(member: Membership, case: Case) -> list[Meeting]:
    """Meetings the case can be put on: planned, reviewing cases, not yet on them."""
    if case.status != CaseStatus.READY or not may_edit(member, case):
        return []
    return list(
        meetings_visible_to(member)
        .filter(
            meeting_type__reviews_cases=True, closed_at__isnull=True, date__gte=timezone.localdate()
        )
        .exclude(case_reviews__case=case)
        .select_related("meeting_type__host_organization", "center", "municipality")
        .order_by("date")[:20]
    )


def centers_for_screening(member: Membership) -> QuerySet[Center]:
    """The centers a case made from the 生活援助 screening may be given to: the municipality's."""
    return Center.objects.filter(municipality_id=member.municipality_id)


def center_for_screening(member: Membership, pk: int | str) -> Center:
    """One of centers_for_screening (404 otherwise)."""
    return get_object_or_404(centers_for_screening(member), pk=pk)


# --- The gate: what views use to show content. Each decides and records (one entry). ------


@dataclass
class CaseContent:
    """A case whose own fields the member may read, and each review with its refusal."""

    case: Case
    refusals: list[tuple[CaseReview, str | None]]

    @property
    def reviews(self) -> list[tuple[CaseReview, str | None, bool]]:
        """(review, why it is withheld or None, whether signing that meeting's pledge helps)."""
        return [(review, reason, reason == NEEDS_PLEDGE) for review, reason in self.refusals]


def open_case(
    request: MemberRequest,
    pk: int | str,
    *,
    write: bool = False,
    action: str = "case.viewed",
    summary: str = "",
    **details: Any,
) -> CaseContent:
    """The case page and its edit form: the case's own fields (404 out of scope, 403 with
    where to sign), each review marked as readable or not, and the showing recorded."""
    content = _readable_case(request.member, pk, write=write)
    case = content.case
    disclose(request, action, case, summary=f"{case} {summary}".strip(), **details)
    return content


def open_review(
    request: MemberRequest,
    pk: int | str,
    *,
    write: bool = False,
    action: str = "review.viewed",
    summary: str = "",
    **details: Any,
) -> CaseReview:
    """One case review's content (支援方針, advice, 役割分担, follow-ups, tags), recorded."""
    review = review_for_user(request.member, pk, write=write)
    disclose(
        request,
        action,
        review.case,
        summary=f"{review.case} {summary or f'{review.meeting.date:%Y-%m-%d}の検討'}",
        review=review.pk,
        meeting=review.meeting_id,
        **details,
    )
    return review


def open_follow_up(request: MemberRequest, pk: int | str) -> FollowUp:
    """A follow-up's findings, under the rule for the review it belongs to; recording it is a
    change, so only those who may change the case open it."""
    follow_up = get_object_or_404(
        FollowUp.objects.filter(review__case__in=cases_visible_to(request.member)), pk=pk
    )
    review = review_for_user(request.member, follow_up.review_id, write=True)
    follow_up.review = review
    disclose(request, "follow_up.viewed", review.case, review=review.pk, follow_up=follow_up.pk)
    return follow_up


def may_create(member: Membership | None) -> bool:
    return member is not None and member.may("cases.edit")


# --- 会議モード: the meeting room, its presenter screen and the whole meeting's 会議録 -------
#
# The room is run by those who organise the meeting (meetings.access.may_organize_for), and it
# shows each case's summary and question, so it is behind the same rule as the meeting's own
# content: a pledge covering THAT meeting (confidentiality.access.content_refusal), 403 with
# where to sign otherwise. Saves made from the room return only what the user just typed (a
# row, a status); they write their own change entries and show nothing else.


@dataclass
class Room:
    """What the room shows: the meeting, its agenda (each review with its case, advice and
    役割分担 loaded), the attendance list and who has signed."""

    meeting: Meeting
    reviews: list[CaseReview]
    attendances: list[Attendance]
    signed: set[int]

    @property
    def current(self) -> CaseReview | None:
        """The case being discussed: the one whose timer runs, else the first not reviewed,
        else the last."""
        for review in self.reviews:
            if review.timer_started_at is not None:
                return review
        for review in self.reviews:
            if review.reviewed_at is None:
                return review
        return self.reviews[-1] if self.reviews else None

    @property
    def present(self) -> list[Attendance]:
        return [a for a in self.attendances if a.attended]


def room_meeting(member: Membership, pk: int | str) -> Meeting:
    """A meeting the member organises (404 out of scope, 403 otherwise) and whose content they
    may read (403 with where to sign). For the room's saves, which show nothing."""
    meeting = meeting_for_user(member, pk, write=True)
    reason = content_refusal(member, meeting)
    if reason:
        raise ContentRefused(reason, [meeting] if reason == NEEDS_PLEDGE else [])
    return meeting


def room_agenda(member: Membership, meeting: Meeting) -> list[CaseReview]:
    """The agenda of the meeting in order, each review with its case, advice and 役割分担, and
    only the reviews whose content the member may read (two queries for the rule)."""
    reviews = list(
        CaseReview.objects.filter(meeting=meeting, case__in=cases_visible_to(member))
        .select_related("case")
        .prefetch_related("advice", "actions__responsible")
        .order_by("order", "id")
    )
    for review in reviews:
        review.meeting = meeting
    return [review for review, reason in reviews_refusals(member, reviews) if reason is None]


def room_of(member: Membership, meeting: Meeting) -> Room:
    return Room(
        meeting=meeting,
        reviews=room_agenda(member, meeting),
        attendances=list(meeting.attendances.select_related("person")),
        signed=signed_attendance_ids(meeting),
    )


def open_room(
    request: MemberRequest,
    pk: int | str,
    *,
    action: str = "meeting.room_viewed",
    summary: str = "会議モード",
    **details: Any,
) -> Room:
    """The room (or its presenter screen, or the 会議録): the gate of room_meeting, and the
    showing recorded with the cases shown (one entry)."""
    room = room_unshown(request.member, pk)
    show_room(request, room, action=action, summary=summary, **details)
    return room


def room_unshown(member: Membership, pk: int | str) -> Room:
    """The room under room_meeting's gate, with nothing recorded: for work that shows nothing
    yet, i.e. a background task laying out the 会議録, or the check whether a kept 会議録 is
    current. Whatever is then sent to the member goes through show_room (or open_room)."""
    return room_of(member, room_meeting(member, pk))


def show_room(
    request: MemberRequest, room: Room, *, action: str, summary: str, **details: Any
) -> None:
    """Record that this response shows the room got through room_unshown (one entry, written
    only if the response is a 2xx: confidentiality.gate)."""
    disclose(
        request,
        action,
        room.meeting,
        summary=f"{room.meeting} {summary}",
        cases=[review.case.code for review in room.reviews],
        **details,
    )


def room_review(member: Membership, pk: int | str) -> CaseReview:
    """One review on the agenda of a meeting the member runs (room_meeting's rule), for the
    room's saves; the case must be in scope and its content readable (review_for_user)."""
    review = review_for_user(member, pk)
    review.meeting = room_meeting(member, review.meeting_id)
    return review


def room_attendance(member: Membership, pk: int | str, attendance_pk: int | str) -> Attendance:
    """One attendance line of a meeting the member runs."""
    meeting = room_meeting(member, pk)
    attendance = get_object_or_404(Attendance, meeting=meeting, pk=attendance_pk)
    attendance.meeting = meeting
    return attendance


def room_advice(member: Membership, pk: int | str) -> Advice:
    """One advice row, under room_review's rule for its review."""
    advice = get_object_or_404(
        Advice.objects.filter(review__case__in=cases_visible_to(member)), pk=pk
    )
    advice.review = room_review(member, advice.review_id)
    return advice


def room_action(member: Membership, pk: int | str) -> Action:
    """One 役割分担 row, under room_review's rule for its review."""
    action = get_object_or_404(
        Action.objects.filter(review__case__in=cases_visible_to(member)), pk=pk
    )
    action.review = room_review(member, action.review_id)
    return action


def room_state(member: Membership, pk: int | str) -> dict[str, Any]:
    """Where the meeting stands, without content (for the presenter screen to follow the
    room): the current review's id, each review's order, planned and used seconds."""
    meeting = meeting_for_user(member, pk, write=True)
    reviews = list(
        CaseReview.objects.filter(meeting=meeting, case__in=cases_visible_to(member)).order_by(
            "order", "id"
        )
    )
    room = Room(meeting=meeting, reviews=reviews, attendances=[], signed=set())
    now = timezone.now()
    current = room.current
    return {
        "current": current.pk if current else None,
        "closed": meeting.is_closed,
        "reviews": [
            {
                "id": review.pk,
                "planned": review.planned_minutes * 60,
                "used": review.elapsed_seconds(now),
                "running": review.timer_started_at is not None,
                "reviewed": review.reviewed_at is not None,
            }
            for review in reviews
        ],
    }
