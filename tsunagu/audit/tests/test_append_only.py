"""The database itself refuses to change the log (migration 0005), not only the model."""

import pytest
from django.db import IntegrityError, connection, transaction

from tsunagu.audit.models import AuditChainHead, AuditEntry
from tsunagu.audit.services import log
from tsunagu.audit.verification import verify_database

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite keeps DELETE for Django's flush"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")


def test_it_refuses_an_update_through_the_orm(db):
    entry = log("test.done", summary="元の概要")
    with pytest.raises(IntegrityError, match="追記のみ"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(summary="書き換え")
    assert AuditEntry.objects.get(pk=entry.pk).summary == "元の概要"


def test_it_refuses_an_update_in_raw_sql(db):
    entry = log("test.done", summary="元の概要")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET summary = 'x' WHERE id = %s", [entry.pk])
    assert verify_database().problems == []


@on_postgresql
def test_postgresql_refuses_a_delete(db):
    entry = log("test.done")
    with pytest.raises(IntegrityError, match="追記のみ"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@on_sqlite
def test_sqlite_leaves_a_delete_to_verify_audit(db):
    # No DELETE trigger on SQLite (Django's flush deletes); the chain shows the gap instead.
    entries = [log(f"test.step{i}") for i in range(3)]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].pk])
    problems = verify_database().problems
    assert {p.seq for p in problems} == {3}
    assert any("削除" in p.message for p in problems)


def test_the_chain_head_cannot_be_turned_back(db):
    # Turning it back would hide the deletion of the newest entries.
    log("test.first")
    log("test.second")
    with pytest.raises(IntegrityError, match="戻せません"), transaction.atomic():
        AuditChainHead.objects.update(seq=1)
    assert AuditChainHead.objects.get().seq == 2
