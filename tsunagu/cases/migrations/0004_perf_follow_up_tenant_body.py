"""Follow-ups carry their municipality and 会議体 (copied from the review's case and meeting)
with a covering index for the outcome statistics.

Written for a large table: the columns are added empty (no table rewrite), filled in batches
of BATCH rows each committed on its own (a long single UPDATE would hold its row locks and
bloat one transaction), and the index is built afterwards, CONCURRENTLY on PostgreSQL. Hence
``atomic = False``. Running it again after an interruption continues where it stopped.
"""

import django.db.models.deletion
from django.db import migrations, models, transaction
from django.db.models import Max, OuterRef, Subquery

from tsunagu.lib.migrations import AddIndexQuietly, vacuum_analyze

BATCH = 20_000


def backfill(apps, schema_editor):
    FollowUp = apps.get_model("cases", "FollowUp")
    CaseReview = apps.get_model("cases", "CaseReview")
    alias = schema_editor.connection.alias
    review = CaseReview.objects.using(alias).filter(pk=OuterRef("review_id"))
    last = FollowUp.objects.using(alias).aggregate(last=Max("id"))["last"] or 0
    for start in range(0, last + 1, BATCH):
        with transaction.atomic(using=alias):
            FollowUp.objects.using(alias).filter(
                pk__gte=start, pk__lt=start + BATCH, municipality__isnull=True
            ).update(
                municipality_id=Subquery(review.values("case__municipality_id")[:1]),
                meeting_type_id=Subquery(review.values("meeting__meeting_type_id")[:1]),
            )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0003_inputs_limits"),
        ("meetings", "0006_inputs_limits"),
        ("organizations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="followup",
            name="municipality",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organizations.municipality",
                verbose_name="市町村",
            ),
        ),
        migrations.AddField(
            model_name="followup",
            name="meeting_type",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="meetings.meetingtype",
                verbose_name="会議体",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        AddIndexQuietly(
            model_name="followup",
            index=models.Index(
                fields=["municipality", "done_on", "meeting_type", "outcome", "goal"],
                name="follow_up_outcome_stats",
            ),
        ),
        vacuum_analyze("cases_followup"),
    ]
