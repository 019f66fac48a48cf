"""The version of what a municipality's schedule matrix shows, read from ScheduleChange.

The rows only grow between prunes, so a committed change always raises their count; a prune
folds a municipality's rows into one new row, whose id is above every earlier one. The
triple (count, newest id, sum of ids) therefore differs before and after any change, even
when a transaction that took its id early commits late (on PostgreSQL ids are handed out at
insert, not at commit).
"""

from django.db import transaction
from django.db.models import Count, Max, Sum

from .models import ScheduleChange


def version(municipality_id: int) -> tuple:
    """One index-only query, however many meetings the municipality has."""
    figures = ScheduleChange.objects.filter(municipality_id=municipality_id).aggregate(
        count=Count("id"), newest=Max("id"), total=Sum("id")
    )
    return figures["count"], figures["newest"], figures["total"]


def prune() -> int:
    """Fold each municipality's rows into one (run by run_periodic); returns the rows removed.

    A kept table of a pruned municipality is made again once, on its next view."""
    removed = 0
    with transaction.atomic():
        grown = (
            ScheduleChange.objects.values("municipality_id")
            .annotate(count=Count("id"), newest=Max("id"))
            .filter(count__gt=1)
        )
        for row in list(grown):
            municipality_id = row["municipality_id"]
            removed += ScheduleChange.objects.filter(
                municipality_id=municipality_id, id__lte=row["newest"]
            ).delete()[0]
            ScheduleChange.objects.create(municipality_id=municipality_id)
            removed -= 1
    return removed
