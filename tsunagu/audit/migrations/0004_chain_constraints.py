# The hash chain, part 3 of 4: every entry now has its place, so seq and hash become required
# and unique, and entries are listed in chain order.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0003_chain_existing_entries"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="seq",
            field=models.BigIntegerField(editable=False, unique=True, verbose_name="通番"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="hash",
            field=models.CharField(
                editable=False, max_length=64, unique=True, verbose_name="ハッシュ"
            ),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["municipality_id", "seq"], name="audit_municipality_seq"),
        ),
        migrations.AlterModelOptions(
            name="auditentry",
            options={
                "ordering": ["-seq"],
                "verbose_name": "監査ログ",
                "verbose_name_plural": "監査ログ",
            },
        ),
    ]
