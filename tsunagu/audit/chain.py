"""The hash chain that makes a changed or deleted audit entry detectable.

Each entry stores the SHA-256 of a canonical serialisation of its own fields together with the
hash of the entry before it (`prev_hash`), and a gap-free sequence number `seq`. Changing an
entry breaks its own hash; deleting one leaves a gap in `seq` and a broken link; deleting the
newest entries shows as a difference from the chain head, which remembers the last seq and hash.

This module knows nothing about the database: `verify` takes entries (dicts or objects) in seq
order, so tampering can be tested on plain values, and the migration that chains existing rows
uses the same `entry_hash`.
"""

import datetime
import hashlib
import ipaddress
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

GENESIS = "0" * 64  # the prev_hash of the first entry

# The fields the hash covers, in the order they are documented (the JSON keys are sorted anyway).
# The primary key is left out: the database assigns it, and on PostgreSQL ids from a sequence
# are not in commit order. `seq` is assigned under the chain lock and is the order that counts.
HASHED_FIELDS = (
    "seq",
    "at",
    "action",
    "actor_id",
    "actor_username",
    "municipality_id",
    "target_type",
    "target_id",
    "summary",
    "data",
    "ip_address",
    "prev_hash",
)


def _get(entry, name):
    return entry[name] if isinstance(entry, Mapping) else getattr(entry, name)


def canonical_time(value: datetime.datetime) -> str:
    """UTC with microseconds, the precision both SQLite and PostgreSQL keep."""
    if value.tzinfo is None:
        raise ValueError("監査ログの日時にはタイムゾーンが必要です。")
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_ip(value: str | None) -> str | None:
    """One spelling per address, whatever the database hands back.

    PostgreSQL's inet and Python's ipaddress may spell an IPv6 address differently (and Python
    3.13 changed how it spells IPv4-mapped addresses), so IPv6 is written out in full.
    """
    if not value:
        return None
    address = ipaddress.ip_address(value)
    if address.version == 4:
        return str(address)
    packed = address.packed.hex()
    return ":".join(packed[i : i + 4] for i in range(0, 32, 4))


def canonical_json(value):
    """JSON values as PostgreSQL's jsonb returns them: a float without fraction becomes an int.

    jsonb keeps numbers as decimals, so 1e16 comes back as 10000000000000000; the hash must not
    depend on which database stored the entry.
    """
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(key): canonical_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [canonical_json(item) for item in value]
    return value


def canonical(entry) -> bytes:
    """The bytes that are hashed: sorted-key compact JSON of the fields in HASHED_FIELDS."""
    fields = {name: _get(entry, name) for name in HASHED_FIELDS}
    fields["seq"] = int(fields["seq"])
    fields["at"] = canonical_time(fields["at"])
    fields["ip_address"] = canonical_ip(fields["ip_address"])
    fields["data"] = canonical_json(fields["data"])
    fields["actor_id"] = None if fields["actor_id"] is None else int(fields["actor_id"])
    if fields["municipality_id"] is not None:
        fields["municipality_id"] = int(fields["municipality_id"])
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def entry_hash(entry) -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the chain, worded for the person running verify_audit."""

    seq: int | None
    id: int | None
    message: str

    def __str__(self):
        where = []
        if self.seq is not None:
            where.append(f"通番 {self.seq}")
        if self.id is not None:
            where.append(f"ID {self.id}")
        return f"{'・'.join(where) or '全体'}: {self.message}"


@dataclass(frozen=True)
class Head:
    """What the chain head remembers: the last seq handed out and the hash of that entry."""

    seq: int
    hash: str


def verify(entries: Iterable, head: Head | None = None) -> list[Problem]:
    """Every problem found walking `entries` (in seq order) and comparing the end with `head`.

    Entries may be dicts or objects with the fields in HASHED_FIELDS plus `id` and `hash`.
    With `head` None the check of the newest entries is skipped (for checking a list alone).
    """
    problems = []
    expected_seq, previous_hash = 1, GENESIS
    for entry in entries:
        seq, pk = _get(entry, "seq"), _get(entry, "id")
        if seq > expected_seq:
            problems.append(
                Problem(
                    seq,
                    pk,
                    f"直前の{_span(expected_seq, seq - 1)}がありません（削除された可能性）。",
                )
            )
        elif seq < expected_seq:
            problems.append(Problem(seq, pk, "通番が前の記録と重複しているか逆順です。"))
        if _get(entry, "prev_hash") != previous_hash:
            problems.append(
                Problem(seq, pk, "直前の記録とのつながり（前のハッシュ）が一致しません。")
            )
        try:
            intact = entry_hash(entry) == _get(entry, "hash")
        except (TypeError, ValueError):  # e.g. an address or time no longer readable
            intact = False
        if not intact:
            problems.append(Problem(seq, pk, "内容が記録時から変わっています（改ざんの可能性）。"))
        expected_seq, previous_hash = seq + 1, _get(entry, "hash")
    last_seq = expected_seq - 1
    if head is not None:
        if head.seq > last_seq:
            problems.append(
                Problem(
                    None,
                    None,
                    f"最後の記録（通番 {last_seq}）より後の{_span(last_seq + 1, head.seq)}が"
                    "ありません（削除された可能性）。",
                )
            )
        elif head.seq < last_seq:
            problems.append(
                Problem(None, None, f"チェーンの先頭（通番 {head.seq}）が最後の記録より前です。")
            )
        elif head.hash != previous_hash:
            problems.append(
                Problem(None, None, "チェーンの先頭のハッシュが最後の記録と一致しません。")
            )
    return problems


def _span(first: int, last: int) -> str:
    return f"通番 {first}" if first == last else f"通番 {first}〜{last} の{last - first + 1}件"
