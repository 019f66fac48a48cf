"""What the prefecture tier adds to a municipality's meeting page (tsunagu.lib.panels): the
chairs' 司会者養成研修 and the request for a professional from the pool."""

from collections.abc import Mapping
from typing import Any

from django.db.models import Q

from .choices import TrainingKind
from .models import DispatchRequest, TrainingAttendee


def chairs_trained(chairs) -> set[int]:
    """Ids of the chair attendances whose person (or that person's login) has completed the
    司会者養成研修. One query for all of them."""
    person_ids = [a.person_id for a in chairs if a.person_id]
    if not person_ids:
        return set()
    done = set(
        TrainingAttendee.objects.filter(
            Q(person_id__in=person_ids) | Q(user__memberships__person_id__in=person_ids),
            training__kind=TrainingKind.FACILITATOR,
            completed=True,
        ).values_list("person_id", "user__memberships__person_id")
    )
    trained = {pid for pair in done for pid in pair if pid}
    return {a.pk for a in chairs if a.person_id in trained}


def meeting_attendees(page: Mapping[str, Any]) -> dict[str, Any]:
    meeting, may_edit = page["meeting"], page.get("may_edit")
    chairs = [a for a in page.get("attendances", ()) if a.role == "chair"]
    trained = chairs_trained(chairs)
    return {
        "chairs": [(a, a.pk in trained) for a in chairs],
        "request_count": DispatchRequest.objects.filter(meeting=meeting).count() if may_edit else 0,
    }
