import io

import pytest
from django.core.management import CommandError, call_command

from tsunagu.audit.chain import entry_hash
from tsunagu.audit.models import AuditEntry
from tsunagu.audit.services import log

from .helpers import guard_lifted


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("verify_audit", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def failure(*args):
    err = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("verify_audit", *args, stdout=io.StringIO(), stderr=err)
    # manage.py turns a CommandError into exit status 1.
    assert error.value.returncode == 1
    return str(error.value), err.getvalue()


@pytest.fixture
def entries(db):
    return [log(f"test.step{i}", municipality=1, summary=f"{i}番目") for i in range(10)]


def test_it_reports_success_with_the_count(entries):
    out, err = run()
    assert "監査ログの検証に成功しました（10件）。" in out
    assert f"通番 10 ハッシュ {entries[-1].hash}" in out
    assert err == ""


def test_it_succeeds_on_an_empty_log(db):
    out, _ = run()
    assert "監査ログの検証に成功しました（0件）。" in out


def test_it_finds_an_entry_edited_in_the_database(entries):
    with guard_lifted() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET summary = %s WHERE id = %s", ["書き換え", entries[4].pk]
        )
    message, err = failure()
    assert "1件の問題" in message and "10件" in message
    assert f"通番 5・ID {entries[4].pk}: 内容が記録時から変わっています" in err


def test_it_finds_a_deleted_entry(entries):
    with guard_lifted() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entries[6].pk])
    message, err = failure()
    assert "9件" in message
    assert "通番 8" in err and "直前の通番 7がありません（削除された可能性）" in err


def test_it_finds_deleted_newest_entries(entries):
    with guard_lifted() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE seq >= 9")
    _, err = failure()
    assert "通番 9〜10 の2件がありません" in err


def test_an_anchor_finds_a_chain_rewritten_from_the_start(entries):
    """Someone with database access recomputes every hash: only a hash kept outside shows it."""
    noted = f"3:{entries[2].hash}"
    assert "成功" in run("--anchor", noted)[0]
    with guard_lifted() as cursor:
        cursor.execute("UPDATE audit_auditentry SET summary = %s WHERE seq = 3", ["書き換え"])
        previous = entries[1].hash
        for row in AuditEntry.objects.filter(seq__gte=3).order_by("seq").values():
            row["prev_hash"] = previous
            row["hash"] = previous = entry_hash(row)
            cursor.execute(
                "UPDATE audit_auditentry SET prev_hash = %s, hash = %s WHERE id = %s",
                [row["prev_hash"], row["hash"], row["id"]],
            )
        cursor.execute("UPDATE audit_auditchainhead SET hash = %s", [previous])
    assert "成功" in run()[0]
    _, err = failure("--anchor", noted)
    assert "通番 3" in err and "控えておいたハッシュと一致しません" in err


def test_it_reports_an_anchor_whose_entry_is_gone(entries):
    _, err = failure("--anchor", f"99:{'a' * 64}")
    assert "通番 99" in err


def test_it_refuses_a_malformed_anchor(entries):
    with pytest.raises(CommandError):
        call_command("verify_audit", "--anchor", "3:xyz", stdout=io.StringIO())
