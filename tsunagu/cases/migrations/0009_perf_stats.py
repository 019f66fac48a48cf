"""The index that covers a meeting's agenda count on 統計 (one probe per meeting of the
period, read from the index alone instead of the reviews' rows). Built CONCURRENTLY on
PostgreSQL (no write lock on a large table), hence ``atomic = False``."""

from django.db import migrations, models

from tsunagu.lib.migrations import AddIndexQuietly, vacuum_analyze


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0008_room"),
    ]

    operations = [
        AddIndexQuietly(
            model_name="casereview",
            index=models.Index(fields=["meeting", "case"], name="case_review_agenda_count"),
        ),
        vacuum_analyze("cases_casereview"),
    ]
