# What the schedule matrix shows is counted by the database itself (see ScheduleChange): a
# row trigger on each table the matrix reads appends one row per change, so that a kept table
# is never shown after a change, however the change was made (form, import, bulk update).
#
# Updates count only when a column the matrix reads changed; inserts and deletes always.
# A row never moves to another municipality (TenantModel), so an update counts for its own.

from django.db import migrations, models

CHANGES = "meetings_schedulechange"
JOINT = "meetings_meeting_joint_meeting_types"
# table: the columns whose update changes the matrix (None: any update)
WATCHED = {
    "meetings_meeting": (
        "municipality_id",
        "center_id",
        "meeting_type_id",
        "date",
        "start_time",
        "format",
        "status",
    ),
    JOINT: None,
    "meetings_planentry": None,
    "meetings_meetingtype": ("name", "sort_order", "is_active"),
    "organizations_center": ("name", "area_id", "is_core"),
    "organizations_area": ("sort_order",),
}


def municipality_of(row: str, table: str) -> str:
    """SQL for the municipality of the changed row (NEW or OLD); a joint body's is its meeting's."""
    if table == JOINT:
        return f"SELECT municipality_id FROM meetings_meeting WHERE id = {row}.meeting_id"
    return f"SELECT {row}.municipality_id"


def postgresql():
    statements = [
        f"""
        CREATE OR REPLACE FUNCTION schedule_changed() RETURNS trigger AS $$
        BEGIN
            IF TG_TABLE_NAME = '{JOINT}' THEN
                INSERT INTO {CHANGES} (municipality_id)
                SELECT municipality_id FROM meetings_meeting
                WHERE id = (CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END).meeting_id;
            ELSIF TG_OP = 'DELETE' THEN
                INSERT INTO {CHANGES} (municipality_id) VALUES (OLD.municipality_id);
            ELSE
                INSERT INTO {CHANGES} (municipality_id) VALUES (NEW.municipality_id);
            END IF;
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql
        """
    ]
    for table, columns in WATCHED.items():
        statements.append(
            f"CREATE TRIGGER schedule_change_written AFTER INSERT OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION schedule_changed()"
        )
        changed = (
            " WHEN (" + " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns) + ")"
            if columns
            else ""
        )
        statements.append(
            f"CREATE TRIGGER schedule_change_updated AFTER UPDATE ON {table} "
            f"FOR EACH ROW{changed} EXECUTE FUNCTION schedule_changed()"
        )
    return statements


def postgresql_reverse():
    statements = []
    for table in WATCHED:
        statements.append(f"DROP TRIGGER IF EXISTS schedule_change_written ON {table}")
        statements.append(f"DROP TRIGGER IF EXISTS schedule_change_updated ON {table}")
    return [*statements, "DROP FUNCTION IF EXISTS schedule_changed()"]


def sqlite():
    statements = []
    for table, columns in WATCHED.items():
        for event, row in (("insert", "NEW"), ("delete", "OLD"), ("update", "NEW")):
            changed = ""
            if event == "update" and columns:
                changed = " WHEN " + " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
            statements.append(
                f"CREATE TRIGGER schedule_change_{table}_{event} AFTER {event.upper()} ON {table}"
                f"{changed} BEGIN INSERT INTO {CHANGES} (municipality_id) "
                f"{municipality_of(row, table)}; END"
            )
    return statements


def sqlite_reverse():
    return [
        f"DROP TRIGGER IF EXISTS schedule_change_{table}_{event}"
        for table in WATCHED
        for event in ("insert", "delete", "update")
    ]


STATEMENTS = {
    "postgresql": (postgresql, postgresql_reverse),
    "sqlite": (sqlite, sqlite_reverse),
}


def create_triggers(apps, schema_editor):
    for sql in STATEMENTS[schema_editor.connection.vendor][0]():
        schema_editor.execute(sql, params=None)


def drop_triggers(apps, schema_editor):
    for sql in STATEMENTS[schema_editor.connection.vendor][1]():
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("meetings", "0010_pledge_attendance"),
        ("organizations", "0002_inputs_limits"),
    ]

    operations = [
        migrations.CreateModel(
            name="ScheduleChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("municipality_id", models.BigIntegerField(verbose_name="市町村")),
            ],
            options={
                "verbose_name": "開催状況の変更",
                "verbose_name_plural": "開催状況の変更",
                "indexes": [
                    models.Index(fields=["municipality_id", "id"], name="schedule_change_by_city")
                ],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
