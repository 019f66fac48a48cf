# The hash chain, part 1 of 4: new columns (nullable until existing rows are chained) and the
# chain head table.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="at",
            field=models.DateTimeField(
                db_index=True,
                default=django.utils.timezone.now,
                editable=False,
                verbose_name="日時",
            ),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="seq",
            field=models.BigIntegerField(editable=False, null=True, verbose_name="通番"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="前のハッシュ"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="hash",
            field=models.CharField(
                editable=False, max_length=64, null=True, verbose_name="ハッシュ"
            ),
        ),
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(
                        default=1, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("seq", models.BigIntegerField(default=0, verbose_name="最後の通番")),
                ("hash", models.CharField(max_length=64, verbose_name="最後のハッシュ")),
            ],
            options={
                "verbose_name": "監査ログの先頭",
                "verbose_name_plural": "監査ログの先頭",
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("id", 1)), name="audit_single_head")
                ],
            },
        ),
    ]
