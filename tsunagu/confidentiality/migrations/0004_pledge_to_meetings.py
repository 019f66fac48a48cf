"""State-only: the Pledge model now lives in meetings (meetings/0009_pledge_from_confidentiality),
on the same table, confidentiality_pledge. Nothing in the database changes."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("confidentiality", "0003_inputs_limits"),
        ("meetings", "0009_pledge_from_confidentiality"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="Pledge")],
        ),
    ]
