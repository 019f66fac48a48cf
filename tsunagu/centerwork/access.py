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

from tsunagu.organizations.models import Center

from .models import (
    Consultation,
    Event,
    Guidance,
    OutreachTarget,
    OutreachVisit,
    Submission,
    Volunteer,
)

NOT_YOURS = "他のセンターの記録は変更できません。"


def consultations_visible_to(member) -> QuerySet[Consultation]:
    """The consultations whose records the member may read."""
    if member is None or not member.may("business.records"):
        return Consultation.objects.none()
    rows = Consultation.objects.filter(municipality_id=member.municipality_id)
    if member.role == "core_center":
        return rows
    if member.role == "center_staff" and member.center_id:
        return rows.filter(center_id=member.center_id)
    if member.role == "city_admin":
        # Through a subquery, so that a record with two flagged 区分 is listed once.
        flagged = Consultation.objects.filter(categories__is_abuse=True).values("pk")
        return rows.filter(pk__in=flagged)
    return Consultation.objects.none()


def may_change_center(member, center_id) -> bool:
    """A center's records are changed by its own staff (基幹型 included, for its own center)."""
    return (
        member is not None
        and member.may("business.edit")
        and member.center_id is not None
        and member.center_id == center_id
    )


def consultation_for_user(member, pk, *, write: bool = False) -> Consultation:
    """One consultation the member may read (404 otherwise); with write=True, also change
    (403 otherwise)."""
    consultation = get_object_or_404(
        consultations_visible_to(member).select_related("center", "case"), pk=pk
    )
    if write and not may_change_center(member, consultation.center_id):
        raise PermissionDenied(NOT_YOURS)
    return consultation


def own_center(member) -> Center:
    """The center a member records for; 403 for members without one."""
    if member is None or member.center_id is None or not member.may("business.edit"):
        raise PermissionDenied("センターに所属する職員だけが記録できます。")
    return member.center


def centers_for(member) -> QuerySet[Center]:
    """Centers whose counts and reports the member sees: their own, or all for 基幹型 and the
    city's roles."""
    centers = Center.objects.filter(municipality_id=member.municipality_id)
    if member.role == "center_staff":
        return centers.filter(pk=member.center_id)
    return centers


def events_visible_to(member) -> QuerySet[Event]:
    """Courses and events are public: everyone with business.view sees those of their centers."""
    return Event.objects.filter(
        municipality_id=member.municipality_id, center__in=centers_for(member)
    )


def outreach_visible_to(member) -> tuple[QuerySet[OutreachTarget], QuerySet[OutreachVisit]]:
    """Target lists name people by 管理番号: the center's own staff and 基幹型 only."""
    if member is None or not member.may("business.records") or member.role == "city_admin":
        return OutreachTarget.objects.none(), OutreachVisit.objects.none()
    targets = OutreachTarget.objects.filter(municipality_id=member.municipality_id)
    visits = OutreachVisit.objects.filter(municipality_id=member.municipality_id)
    if member.role != "core_center":
        targets = targets.filter(center_id=member.center_id)
        visits = visits.filter(center_id=member.center_id)
    return targets, visits


def volunteers_visible_to(member) -> QuerySet[Volunteer]:
    """Volunteers by name: the centers that register them, and the city that pays the points."""
    rows = Volunteer.objects.filter(municipality_id=member.municipality_id)
    if member.role == "center_staff":
        return rows.filter(center_id=member.center_id)
    if member.role in ("core_center", "city_admin"):
        return rows
    return Volunteer.objects.none()


def guidance_visible_to(member) -> QuerySet[Guidance]:
    """基幹型 and the city see all advice; a center the advice it was given."""
    rows = Guidance.objects.filter(municipality_id=member.municipality_id)
    if member.role == "center_staff":
        return rows.filter(center_id=member.center_id)
    if member.role in ("core_center", "city_admin", "viewer"):
        return rows
    return Guidance.objects.none()


def submissions_visible_to(member) -> QuerySet[Submission]:
    """Reports: a center its own; 基幹型 and the city's roles every center's."""
    if member is None or not member.may("business.view"):
        return Submission.objects.none()
    rows = Submission.objects.filter(municipality_id=member.municipality_id)
    if member.role == "center_staff":
        return rows.filter(center_id=member.center_id)
    return rows


def submission_for_user(member, pk) -> Submission:
    return get_object_or_404(submissions_visible_to(member).select_related("center"), pk=pk)


def may_prepare(member, submission) -> bool:
    """The center's own staff write remarks and submit."""
    return may_change_center(member, submission.center_id)


def may_decide(member) -> bool:
    """The city accepts or returns reports."""
    return member is not None and member.may("business.oversee")
