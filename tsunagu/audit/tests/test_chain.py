import datetime
import ipaddress

import pytest
from django.db import connection, transaction
from django.test import RequestFactory

from tsunagu.audit.chain import GENESIS, Head, entry_hash, verify
from tsunagu.audit.models import AuditChainHead, AuditEntry
from tsunagu.audit.services import log
from tsunagu.audit.verification import verify_database


def chain():
    return list(AuditEntry.objects.order_by("seq").values())


def head():
    row = AuditChainHead.objects.get()
    return Head(row.seq, row.hash)


@pytest.fixture
def thirty(db):
    for i in range(30):
        log(f"test.step{i % 3}", municipality=i % 2 + 1, summary=f"{i}番目", number=i)
    return chain()


def test_it_chains_entries_in_order(thirty):
    assert [e["seq"] for e in thirty] == list(range(1, 31))
    assert thirty[0]["prev_hash"] == GENESIS
    for before, after in zip(thirty, thirty[1:], strict=False):
        assert after["prev_hash"] == before["hash"]
    assert all(entry_hash(e) == e["hash"] for e in thirty)
    assert head() == Head(30, thirty[-1]["hash"])
    assert verify(thirty, head()) == []
    assert verify_database().problems == []


def test_it_detects_an_edited_entry(thirty):
    thirty[11]["summary"] = "書き換えた概要"
    problems = verify(thirty, head())
    assert [(p.seq, p.id) for p in problems] == [(12, thirty[11]["id"])]
    assert "改ざん" in problems[0].message


@pytest.mark.parametrize("field", ["at", "actor_username", "municipality_id", "data", "action"])
def test_every_field_is_covered_by_the_hash(thirty, field):
    changed = {
        "at": thirty[3]["at"] + datetime.timedelta(microseconds=1),
        "actor_username": "someone",
        "municipality_id": 99,
        "data": {"number": 4},
        "action": "test.other",
    }
    thirty[3][field] = changed[field]
    assert [p.seq for p in verify(thirty)] == [4]


def test_it_detects_an_entry_whose_hash_was_recomputed(thirty):
    # Someone who edits a row and fixes its hash still breaks the next entry's link.
    thirty[11]["summary"] = "書き換えた概要"
    thirty[11]["hash"] = entry_hash(thirty[11])
    problems = verify(thirty, head())
    assert [p.seq for p in problems] == [13]
    assert "つながり" in problems[0].message


def test_it_detects_a_deleted_entry(thirty):
    del thirty[14]
    problems = verify(thirty, head())
    assert {p.seq for p in problems} == {16}
    assert any("通番 15" in p.message and "削除" in p.message for p in problems)


def test_it_detects_deleted_newest_entries(thirty):
    problems = verify(thirty[:-2], head())
    assert len(problems) == 1 and "通番 29" in problems[0].message


def test_it_detects_a_missing_first_entry(thirty):
    problems = verify(thirty[1:], head())
    assert {p.seq for p in problems} == {2}


def test_it_hashes_what_the_database_hands_back(db):
    """Values come back spelled by the database (jsonb, inet, timestamptz): same hash."""
    request = RequestFactory().get("/", REMOTE_ADDR="2001:DB8:0:0::1")
    entry = log(
        "test.values",
        request=request,
        summary='全角・半角ｶﾀｶﾅ、絵文字🙂 と "引用符"',
        whole=1e16,
        fraction=0.1,
        nested={"b": [1, 2.5, None, True], "a": ("tuple", "は", "リスト")},
        empty=[],
    )
    stored = AuditEntry.objects.values().get(pk=entry.pk)
    assert entry_hash(stored) == stored["hash"] == entry.hash
    assert verify_database().problems == []


def test_the_canonical_form_ignores_spelling_only():
    base = {
        "seq": 1,
        "at": datetime.datetime(
            2026, 4, 1, 0, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=9))
        ),
        "action": "test.done",
        "actor_id": 3,
        "actor_username": "a",
        "municipality_id": 1,
        "target_type": "",
        "target_id": "",
        "summary": "",
        "data": {"x": 1e16, "y": {"b": 1, "a": 2}},
        "ip_address": "::ffff:192.0.2.1",
        "prev_hash": GENESIS,
    }
    respelled = dict(
        base,
        at=datetime.datetime(2026, 3, 31, 15, 30, tzinfo=datetime.UTC),
        data={"y": {"a": 2, "b": 1}, "x": 10**16},
        ip_address=str(ipaddress.ip_address("::ffff:192.0.2.1").exploded),
    )
    assert entry_hash(base) == entry_hash(respelled)
    assert entry_hash(base) != entry_hash(dict(base, seq=2))


def test_a_rolled_back_entry_gives_back_its_place(db):
    log("test.first")
    with pytest.raises(RuntimeError), transaction.atomic():
        log("test.rolled_back")
        raise RuntimeError
    log("test.second")
    assert [e["seq"] for e in chain()] == [1, 2]
    assert verify_database().problems == []


def test_it_remakes_a_missing_head_after_the_newest_entry(db):
    # `flush` (between browser tests) empties the head table too.
    log("test.first")
    log("test.second")
    AuditChainHead.objects.all().delete()
    third = log("test.third")
    assert third.seq == 3
    assert verify_database().problems == []


def test_it_takes_the_head_lock_before_reading(db):
    # The UPDATE that takes the lock (row lock on PostgreSQL, write lock on SQLite) must be
    # the first statement on the head, or two writers could read the same seq.
    from django.test.utils import CaptureQueriesContext

    log("test.first")
    with CaptureQueriesContext(connection) as queries:
        log("test.second")
    statements = [q["sql"].lstrip().split()[0].upper() for q in queries]
    assert statements == ["UPDATE", "INSERT", "UPDATE"]
    assert "RETURNING" in queries[0]["sql"].upper()


def test_it_reports_an_unreadable_entry_instead_of_stopping(thirty):
    thirty[5]["ip_address"] = "not an address"
    assert [p.seq for p in verify(thirty, head())] == [6]
