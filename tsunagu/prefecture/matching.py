"""Which pooled advisers fit a request: the profession asked for, a municipality or area they
travel to, free on that half-day of that date, and under their monthly load. In SQL, one query.
"""

import calendar

from django.db.models import Count, F, Q, QuerySet

from .choices import HOLDING, AssignmentStatus
from .models import NOON, AdviserProfile, Assignment, slot_of


def same_half_day(meeting) -> Q:
    """Meetings (seen from an assignment) on the same date and half-day as `meeting`."""
    same = Q(request__meeting__date=meeting.date)
    if slot_of(meeting) % 2:
        return same & Q(request__meeting__start_time__gte=NOON)
    return same & (
        Q(request__meeting__start_time__lt=NOON) | Q(request__meeting__start_time__isnull=True)
    )


def month_of(date):
    return date.replace(day=1), date.replace(day=calendar.monthrange(date.year, date.month)[1])


def candidates(dispatch_request) -> QuerySet[AdviserProfile]:
    """The advisers who fit, least loaded first, each annotated with `load` (this month)."""
    meeting = dispatch_request.meeting
    area_id = meeting.center.area_id if meeting.center_id else None
    travels = Q(municipalities=meeting.municipality_id)
    if area_id is not None:
        travels |= Q(areas=area_id)
    busy = Assignment.objects.filter(same_half_day(meeting), status__in=HOLDING).exclude(
        request_id=dispatch_request.pk
    )
    declined = Assignment.objects.filter(
        request_id=dispatch_request.pk, status=AssignmentStatus.DECLINED
    )
    first, last = month_of(meeting.date)
    return (
        AdviserProfile.objects.filter(
            prefecture_id=dispatch_request.prefecture_id,
            profession=dispatch_request.profession,
            is_active=True,
            user__is_active=True,
        )
        .filter(pk__in=AdviserProfile.objects.filter(travels).values("pk"))
        .annotate(free=F("availability").bitand(1 << slot_of(meeting)))
        .filter(free__gt=0)
        .exclude(pk__in=busy.values("adviser_id"))
        .exclude(pk__in=declined.values("adviser_id"))
        .annotate(
            load=Count(
                "assignments",
                filter=Q(
                    assignments__status__in=HOLDING,
                    assignments__request__meeting__date__range=(first, last),
                ),
            )
        )
        .filter(load__lt=F("monthly_limit"))
        .order_by("load", "furigana", "id")
    )
