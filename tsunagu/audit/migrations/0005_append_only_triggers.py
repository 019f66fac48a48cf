# The hash chain, part 4 of 4: the database itself refuses to change audit entries.
#
# PostgreSQL: a row trigger rejects UPDATE and DELETE. TRUNCATE does not fire row triggers, so
# Django's flush (which truncates, e.g. between browser tests) still works; the application's
# database role needs no TRUNCATE right in production (see docs/ARCHITECTURE.md).
#
# SQLite: a trigger rejects UPDATE only. SQLite has no TRUNCATE: Django's flush empties tables
# with DELETE, so a DELETE trigger would break `manage.py flush` and every test that uses
# transactional_db. A deleted entry is still detected by verify_audit (gap in seq, broken link,
# or a head that is ahead of the last entry).
#
# Both triggers also stop the chain head's seq from going backwards, which would otherwise hide
# the deletion of the newest entries.

from django.db import migrations

ENTRY = "audit_auditentry"
HEAD = "audit_auditchainhead"
MESSAGE = "監査ログは追記のみです。変更・削除はできません。"
HEAD_MESSAGE = "監査ログの通番は戻せません。"

POSTGRESQL = [
    f"""
    CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}（%）', TG_OP USING ERRCODE = 'restrict_violation';
    END;
    $$ LANGUAGE plpgsql
    """,
    f"""
    CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON {ENTRY}
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()
    """,
    f"""
    CREATE OR REPLACE FUNCTION audit_refuse_head_rewind() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{HEAD_MESSAGE}' USING ERRCODE = 'restrict_violation';
    END;
    $$ LANGUAGE plpgsql
    """,
    f"""
    CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON {HEAD}
    FOR EACH ROW WHEN (NEW.seq < OLD.seq) EXECUTE FUNCTION audit_refuse_head_rewind()
    """,
]
POSTGRESQL_REVERSE = [
    f"DROP TRIGGER IF EXISTS audit_head_forward_only ON {HEAD}",
    "DROP FUNCTION IF EXISTS audit_refuse_head_rewind()",
    f"DROP TRIGGER IF EXISTS audit_entry_append_only ON {ENTRY}",
    "DROP FUNCTION IF EXISTS audit_refuse_change()",
]

SQLITE = [
    f"""
    CREATE TRIGGER audit_entry_append_only BEFORE UPDATE ON {ENTRY}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
    f"""
    CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON {HEAD}
    WHEN NEW.seq < OLD.seq
    BEGIN SELECT RAISE(ABORT, '{HEAD_MESSAGE}'); END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_head_forward_only",
    "DROP TRIGGER IF EXISTS audit_entry_append_only",
]

STATEMENTS = {
    "postgresql": (POSTGRESQL, POSTGRESQL_REVERSE),
    "sqlite": (SQLITE, SQLITE_REVERSE),
}


def create_triggers(apps, schema_editor):
    for sql in STATEMENTS.get(schema_editor.connection.vendor, ([], []))[0]:
        schema_editor.execute(sql, params=None)


def drop_triggers(apps, schema_editor):
    for sql in STATEMENTS.get(schema_editor.connection.vendor, ([], []))[1]:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0004_chain_constraints"),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers),
    ]
