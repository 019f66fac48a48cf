"""The database itself refuses to change the log (migration 0005), not only the model."""

import pytest
from django.db import IntegrityError, connection, transaction

from tsunagu.audit.models import AuditChainHead, AuditEntry
from tsunagu.audit.services import log
from tsunagu.audit.verification import verify_database


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


def test_a_delete_is_refused_or_detected(db):
    """PostgreSQL refuses it outright. SQLite has no DELETE trigger, because Django's flush
    empties tables with DELETE there (PostgreSQL uses TRUNCATE); verify_audit finds the gap."""
    entries = [log(f"test.step{i}") for i in range(3)]
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError, match="追記のみ"), transaction.atomic():
            AuditEntry.objects.filter(pk=entries[1].pk).delete()
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditentry")
        assert AuditEntry.objects.count() == 3
        assert verify_database().problems == []
    else:
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
