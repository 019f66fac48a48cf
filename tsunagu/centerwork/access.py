"""Who may see what of a center's business.

A consultation is personal data. Its summary and records are seen by the staff of its own
center and by 基幹型 (who supports every center); 市職員 see counts, reports and submissions,
and only those records flagged 虐待(疑い), because the municipality is the body responsible
for abuse (高齢者虐待防止法). Anything else, including another municipality's row, is 404.
Counts, events and reports are for every staff role (permission business.view); changes are
made by a center's own staff for their own center.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tsunagu.accounts.models import Membership
from tsunagu.confidentiality.gate import disclose
from tsunagu.lib.acting import MemberRequest
from tsunagu.organizations.models import Center

from .models import (
    Consultation,
    Event,
    Guidance,
    OutreachTarget,
    OutreachVisit,
    Submission,
    Volunteer,
    VolunteerActivity,
)

NOT_YOURS = "他のセンターの記録は変更できません。"


def consultations_visible_to(member: Membership | None) -> QuerySet[Consultation]:
    """The consultations whose records the member may read: every center's (基幹型), the
    flagged ones (the city), or their own center's."""
    if member is None or not member.may("business.records"):
        return Consultation.objects.none()
    rows = Consultation.objects.filter(municipality_id=member.municipality_id)
    if member.may("business.records_all"):
        return rows
    if member.may("business.records_abuse"):
        # Through a subquery, so that a record with two flagged 区分 is listed once.
        flagged = Consultation.objects.filter(categories__is_abuse=True).values("pk")
        return rows.filter(pk__in=flagged)
    if member.center_id:
        return rows.filter(center_id=member.center_id)
    return Consultation.objects.none()


def may_change_center(member: Membership | None, center_id: int | None) -> bool:
    """A center's records are changed by its own staff (基幹型 included, for its own center)."""
    return (
        member is not None
        and member.may("business.edit")
        and member.center_id is not None
        and member.center_id == center_id
    )


def consultation_for_user(
    member: Membership | None, pk: int | str, *, write: bool = False
) -> Consultation:
    """One consultation the member may read (404 otherwise); with write=True, also change
    (403 otherwise). Shows nothing by itself: pages that show the record use
    `open_consultation`."""
    consultation = get_object_or_404(
        consultations_visible_to(member).select_related("center", "case"), pk=pk
    )
    if write and not may_change_center(member, consultation.center_id):
        raise PermissionDenied(NOT_YOURS)
    return consultation


def open_consultation(
    request: MemberRequest, pk: int | str, *, write: bool = False
) -> Consultation:
    """A consultation's record (summary, contacts) for a page that shows it: decided as in
    `consultation_for_user`, and the showing recorded as `consultation.viewed` (one audit
    entry per response that shows it, by the gate's middleware)."""
    consultation = consultation_for_user(request.member, pk, write=write)
    disclose(
        request,
        "consultation.viewed",
        consultation,
        summary=str(consultation),
        center=consultation.center_id,
    )
    return consultation


def own_center(member: Membership | None) -> Center:
    """The center a member records for; 403 for members without one."""
    center = member.center if member is not None and member.may("business.edit") else None
    if center is None:
        raise PermissionDenied("センターに所属する職員だけが記録できます。")
    return center


def centers_for(member: Membership) -> QuerySet[Center]:
    """Centers whose counts and reports the member sees: all for 基幹型 and the city's roles,
    else their own."""
    centers = Center.objects.filter(municipality_id=member.municipality_id)
    if member.may("business.all_centers"):
        return centers
    if member.center_id is None:
        return centers.none()
    return centers.filter(pk=member.center_id)


def events_visible_to(member: Membership) -> QuerySet[Event]:
    """Courses and events are public: everyone with business.view sees those of their centers."""
    return Event.objects.filter(
        municipality_id=member.municipality_id, center__in=centers_for(member)
    )


def outreach_visible_to(
    member: Membership | None,
) -> tuple[QuerySet[OutreachTarget], QuerySet[OutreachVisit]]:
    """Target lists name people by 管理番号: the center's own staff, and 基幹型 every
    center's; the city sees the progress counts only."""
    none = OutreachTarget.objects.none(), OutreachVisit.objects.none()
    if member is None or not member.may("business.records"):
        return none
    targets = OutreachTarget.objects.filter(municipality_id=member.municipality_id)
    visits = OutreachVisit.objects.filter(municipality_id=member.municipality_id)
    if member.may("business.records_all"):
        return targets, visits
    if member.may("business.edit") and member.center_id:
        return (
            targets.filter(center_id=member.center_id),
            visits.filter(center_id=member.center_id),
        )
    return none


def volunteers_visible_to(member: Membership) -> QuerySet[Volunteer]:
    """Volunteers by name: the centers that register them, 基幹型, and the city that pays the
    points."""
    rows = Volunteer.objects.filter(municipality_id=member.municipality_id)
    if member.may("business.volunteers_all"):
        return rows
    if member.may("business.edit") and member.center_id:
        return rows.filter(center_id=member.center_id)
    return Volunteer.objects.none()


def activities_visible_to(member: Membership) -> QuerySet[VolunteerActivity]:
    return VolunteerActivity.objects.filter(volunteer__in=volunteers_visible_to(member))


# The records a center changes or deletes after recording them, by the name of their kind.
Record = Event | OutreachVisit | Volunteer | VolunteerActivity


def _records_visible_to(member: Membership, kind: str) -> QuerySet:
    if kind == "event":
        return events_visible_to(member).select_related("center")
    if kind == "visit":
        return outreach_visible_to(member)[1].select_related("center", "target")
    if kind == "volunteer":
        return volunteers_visible_to(member).select_related("center")
    if kind == "activity":
        return activities_visible_to(member).select_related("volunteer__center")
    raise ValueError(kind)


def center_id_of(row: Record) -> int:
    return row.volunteer.center_id if isinstance(row, VolunteerActivity) else row.center_id


def record_for_user(member: Membership, kind: str, pk: int | str) -> Record:
    """An event, visit, volunteer or activity to change or delete: 404 unless the member sees
    it, 403 unless it is their own center's."""
    row = get_object_or_404(_records_visible_to(member, kind), pk=pk)
    if not may_change_center(member, center_id_of(row)):
        raise PermissionDenied(NOT_YOURS)
    return row


def guidance_visible_to(member: Membership) -> QuerySet[Guidance]:
    """基幹型 and the city see all advice; a center the advice it was given."""
    rows = Guidance.objects.filter(municipality_id=member.municipality_id)
    if member.may("business.all_centers"):
        return rows
    if member.may("business.view") and member.center_id:
        return rows.filter(center_id=member.center_id)
    return Guidance.objects.none()


def submissions_visible_to(member: Membership | None) -> QuerySet[Submission]:
    """Reports: a center its own; 基幹型 and the city's roles every center's."""
    if member is None or not member.may("business.view"):
        return Submission.objects.none()
    rows = Submission.objects.filter(municipality_id=member.municipality_id)
    if member.may("business.all_centers"):
        return rows
    if member.center_id is None:
        return rows.none()
    return rows.filter(center_id=member.center_id)


def may_import_any_center(member: Membership) -> bool:
    """The city imports any center's logs; a center its own."""
    return member.may("business.oversee")


def submission_for_user(member: Membership | None, pk: int | str) -> Submission:
    return get_object_or_404(submissions_visible_to(member).select_related("center"), pk=pk)


def may_prepare(member: Membership | None, submission: Submission) -> bool:
    """The center's own staff write remarks and submit."""
    return may_change_center(member, submission.center_id)


def may_decide(member: Membership | None) -> bool:
    """The city accepts or returns reports."""
    return member is not None and member.may("business.oversee")
