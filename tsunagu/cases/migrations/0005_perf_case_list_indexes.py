"""Indexes that let the work list read one page and the counts per status without sorting or
scanning the city's cases. Built CONCURRENTLY on PostgreSQL (no write lock on a large table),
hence ``atomic = False``."""

from django.db import migrations, models

from tsunagu.lib.migrations import AddIndexQuietly, vacuum_analyze


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0004_perf_follow_up_tenant_body"),
    ]

    operations = [
        AddIndexQuietly(
            model_name="case",
            index=models.Index(
                fields=["municipality", "-updated_at", "-id"], name="case_list_order"
            ),
        ),
        AddIndexQuietly(
            model_name="case",
            index=models.Index(
                fields=["municipality", "status", "-updated_at", "-id"],
                name="case_list_status_order",
            ),
        ),
        vacuum_analyze("cases_case"),
    ]
