"""Agenda numbers made real: every meeting's cases numbered 1, 2, 3, ... in the order they
were placed (cases placed without a number all showed 順 = 1)."""

from django.db import migrations


def renumber(apps, schema_editor):
    CaseReview = apps.get_model("cases", "CaseReview")
    meeting_ids = CaseReview.objects.values_list("meeting_id", flat=True).distinct()
    for meeting_id in meeting_ids.iterator():
        rows = CaseReview.objects.filter(meeting_id=meeting_id).order_by("order", "id")
        for number, review in enumerate(rows, start=1):
            if review.order != number:
                CaseReview.objects.filter(pk=review.pk).update(order=number)


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_review_planned_minutes")]

    operations = [migrations.RunPython(renumber, migrations.RunPython.noop)]
