"""Backup and restore, on whichever database the tests run (SQLite or PostgreSQL).

The round trips restore into a second, empty database reached through a temporary alias
(SQLite: a new file; PostgreSQL: a new database, dropped afterwards) and compare every table
row by row, with raw SQL so that nothing is lost in translation through the models.
"""

import contextlib
import copy
import datetime
import io
import uuid
from pathlib import Path
from unittest import mock

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.utils import timezone

from tsunagu.audit.models import AuditEntry
from tsunagu.audit.services import log
from tsunagu.ops import backup as ops_backup
from tsunagu.ops.management.commands.backup import Command as BackupCommand
from tsunagu.ops.management.commands.restore import Command as RestoreCommand
from tsunagu.organizations.models import Municipality

PASSPHRASE = "しおかぜ-correct-horse-battery"
TARGET = "ops_restore_target"

pytestmark = pytest.mark.django_db(transaction=True)


def back_up(output_dir, *args, database="default"):
    out = io.StringIO()
    call_command(
        BackupCommand(), "--output-dir", str(output_dir), *args, database=database, stdout=out
    )
    [path] = [line.split(": ", 1)[1] for line in out.getvalue().splitlines() if ": /" in line]
    return path, out.getvalue()


def restore(path, *args, database=TARGET):
    out = io.StringIO()
    call_command(RestoreCommand(), str(path), "--yes", *args, database=database, stdout=out)
    return out.getvalue()


@pytest.fixture
def data(db):
    call_command("load_demo", stdout=io.StringIO())
    municipality = Municipality.objects.first()
    for i in range(3):
        log(f"test.step{i}", municipality=municipality, summary=f"{i}番目", note="記録")
    assert AuditEntry.objects.count() >= 3


@pytest.fixture
def passphrase(monkeypatch):
    monkeypatch.setenv("TSUNAGU_TEST_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("TSUNAGU_TEST_WRONG_PASSPHRASE", PASSPHRASE + "x")


@contextlib.contextmanager
def alias_for(name):
    """A connection to database `name` as connections[TARGET], for the commands' --database.

    The alias stays out of connections.settings: Django's test case would otherwise refuse
    it as a database the test did not declare (and try to flush it afterwards).
    """
    settings = copy.deepcopy(connections.settings["default"])
    settings["NAME"] = name
    connections.settings[TARGET] = settings
    try:
        target = connections.create_connection(TARGET)
    finally:
        del connections.settings[TARGET]
    connections[TARGET] = target
    try:
        yield target
    finally:
        target.close()
        del connections[TARGET]


@pytest.fixture
def empty_database(tmp_path):
    """A new, empty database of the same kind as the default one, as connections[TARGET]."""
    if connection.vendor == "sqlite":
        with alias_for(str(tmp_path / "restored.sqlite3")) as target:
            yield target
        return
    name = f"tsunagu_ops_restore_{uuid.uuid4().hex[:12]}"
    settings = connection.settings_dict
    server = {
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "user": settings["USER"] or None,
        "password": settings["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        with alias_for(name) as target:
            yield target
    finally:
        with psycopg.connect(**server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def contents(db):
    """Every table's rows, ordered by all their columns, plus sequences and triggers."""
    tables = {}
    with db.cursor() as cursor:
        for table in sorted(db.introspection.table_names()):
            quoted = db.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted} WHERE 1 = 0")
            order = ", ".join(str(i + 1) for i in range(len(cursor.description)))
            cursor.execute(f"SELECT * FROM {quoted} ORDER BY {order}")
            tables[table] = cursor.fetchall()
        if db.vendor == "sqlite":
            cursor.execute("SELECT name, seq FROM sqlite_sequence ORDER BY 1")
            sequences = cursor.fetchall()
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY 1")
        else:
            cursor.execute(
                "SELECT sequencename, last_value FROM pg_sequences"
                " WHERE schemaname = 'public' ORDER BY 1"
            )
            sequences = cursor.fetchall()
            # By name and then definition: triggers of the same name on several tables
            # (schedule_change_*) come back in whatever order the restore made them.
            cursor.execute(
                "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger"
                " WHERE NOT tgisinternal ORDER BY 1, 2"
            )
        triggers = cursor.fetchall()
    return tables, sequences, triggers


def assert_same(expected, target):
    """`expected`: contents() of the source just before the backup (the backup's own audit
    entry, written after it, is not in the file)."""
    source_tables, source_sequences, source_triggers = expected
    target_tables, target_sequences, target_triggers = contents(target)
    assert list(target_tables) == list(source_tables)
    for table, rows in source_tables.items():
        assert target_tables[table] == rows, table
    assert target_sequences == source_sequences
    assert target_triggers == source_triggers
    # Not a trivially empty comparison: the demo and the audit chain came back.
    assert len(source_tables[AuditEntry._meta.db_table]) >= 3
    assert len(source_tables[Municipality._meta.db_table]) >= 2
    assert source_triggers


def test_it_restores_every_row_identically(data, empty_database, tmp_path):
    expected = contents(connection)
    path, out = back_up(tmp_path / "backups")
    suffix = ".sqlite3" if connection.vendor == "sqlite" else ".dump"
    assert path.endswith(suffix) and "/tsunagu-" in path
    assert "バイト" in out

    restored = restore(path)

    assert_same(expected, empty_database)
    assert "表ごとの行数:" in restored
    count = Municipality.objects.count()
    assert any(
        line.split()[:2] == [Municipality._meta.db_table, str(count)]
        for line in restored.splitlines()
    )
    # The backup's own entry came after the copy: the restored chain ends just before it.
    with empty_database.cursor() as cursor:
        cursor.execute("SELECT MAX(seq) FROM audit_auditentry")
        (restored_last,) = cursor.fetchone()
    newest = AuditEntry.objects.order_by("-seq").first()
    assert newest.action == "ops.backup" and restored_last == newest.seq - 1


def test_it_logs_the_backup_without_secrets(data, tmp_path, passphrase):
    path, _ = back_up(tmp_path, "--passphrase-env", "TSUNAGU_TEST_PASSPHRASE")
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "ops.backup"
    assert entry.data["file"] == path.rsplit("/", 1)[1]
    assert entry.data["encrypted"] is True
    assert PASSPHRASE not in str(entry.data) + entry.summary


def test_it_round_trips_an_encrypted_backup(data, empty_database, tmp_path, passphrase):
    expected = contents(connection)
    path, out = back_up(tmp_path, "--passphrase-env", "TSUNAGU_TEST_PASSPHRASE")
    assert path.endswith(".enc") and "暗号化" in out
    blob = Path(path).read_bytes()
    assert blob.startswith(b"TSUNAGU-BACKUP1\n")
    assert ops_backup.backup_vendor(blob[len(ops_backup.MAGIC) + 28 :]) is None  # not plain
    assert b"\xe6\x9d\xbe\xe9\xa2\xa8" not in blob  # 「松風」 does not appear in clear

    restore(path, "--passphrase-env", "TSUNAGU_TEST_PASSPHRASE")

    assert_same(expected, empty_database)


def test_it_refuses_a_wrong_passphrase_and_writes_nothing(
    data, empty_database, tmp_path, passphrase
):
    path, _ = back_up(tmp_path, "--passphrase-env", "TSUNAGU_TEST_PASSPHRASE")
    with pytest.raises(CommandError, match="パスフレーズが違うか"):
        restore(path, "--passphrase-env", "TSUNAGU_TEST_WRONG_PASSPHRASE")
    with pytest.raises(CommandError, match="暗号化されています"):
        restore(path)
    assert empty_database.introspection.table_names() == []


def test_it_refuses_a_tampered_file_and_writes_nothing(data, empty_database, tmp_path, passphrase):
    path, _ = back_up(tmp_path, "--passphrase-env", "TSUNAGU_TEST_PASSPHRASE")
    blob = bytearray(Path(path).read_bytes())
    blob[len(blob) // 2] ^= 0x01
    Path(path).write_bytes(bytes(blob))
    with pytest.raises(CommandError, match="改ざん"):
        restore(path, "--passphrase-env", "TSUNAGU_TEST_PASSPHRASE")
    assert empty_database.introspection.table_names() == []


def test_it_refuses_to_restore_into_a_database_with_data(data, tmp_path):
    path, _ = back_up(tmp_path)
    before = contents(connection)
    with pytest.raises(CommandError, match="空ではありません") as error:
        restore(path, database="default")
    assert "organizations_municipality" in str(error.value)
    assert contents(connection) == before


def test_it_does_not_overwrite_an_existing_file(data, tmp_path, passphrase):
    now = timezone.make_aware(datetime.datetime(2026, 4, 1, 9, 30, 5))
    suffix = ".sqlite3" if connection.vendor == "sqlite" else ".dump"
    # A folder of its own: the test's tmp_path also holds its uploads (MEDIA_ROOT).
    folder = tmp_path / "backups"
    folder.mkdir()
    existing = folder / f"tsunagu-20260401-093005{suffix}.enc"
    existing.write_bytes(b"earlier backup")
    with (
        mock.patch.object(timezone, "now", return_value=now),
        pytest.raises(CommandError, match="既にあります。上書きはしません"),
    ):
        back_up(folder, "--passphrase-env", "TSUNAGU_TEST_PASSPHRASE")
    assert existing.read_bytes() == b"earlier backup"
    assert list(folder.iterdir()) == [existing]


def test_it_requires_the_passphrase_variable_to_be_set(db, tmp_path, monkeypatch):
    monkeypatch.delenv("TSUNAGU_TEST_UNSET", raising=False)
    with pytest.raises(CommandError, match="環境変数 TSUNAGU_TEST_UNSET"):
        back_up(tmp_path, "--passphrase-env", "TSUNAGU_TEST_UNSET")
    assert list(tmp_path.iterdir()) == []


def test_it_refuses_a_file_that_is_not_a_backup(db, empty_database, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("ただのメモ")
    with pytest.raises(CommandError, match="形式が不明"):
        restore(path)
    assert empty_database.introspection.table_names() == []


def test_it_explains_a_server_newer_than_the_client_tools(db):
    ops_backup.check_versions("pg_dump", 15, 150020)
    ops_backup.check_versions("pg_dump", 16, 150020)
    with pytest.raises(ops_backup.BackupError, match="サーバーの版（17）が pg_dump の版（15）"):
        ops_backup.check_versions("pg_dump", 15, 170002)
    if connection.vendor == "postgresql":
        with (
            mock.patch.object(ops_backup, "tool_major_version", return_value=9),
            pytest.raises(ops_backup.BackupError, match="postgresql-client-"),
        ):
            ops_backup.dump_postgresql(connection)
    else:
        assert connection.vendor == "sqlite"
