"""Writing to the audit log. Apps call `record(...)`, the one entry point that derives the actor,
the municipality and the summary from the request (or the acting membership) and the target;
`log(...)` below it writes the entry and is also used where there is no member (logins,
commands, refusals). Nothing else writes entries."""

import json
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Model
from django.utils import timezone

from tsunagu.lib.acting import Member, MemberRequest
from tsunagu.lib.planner import after_import

from .chain import GENESIS, entry_hash
from .models import AuditChainHead, AuditEntry

# Keys whose values never belong in a log, whatever a caller passes.
SENSITIVE_KEYS = {
    "password",
    "password1",
    "password2",
    "old_password",
    "new_password1",
    "new_password2",
    "token",
    "secret",
}


def client_ip(request: MemberRequest | None) -> str | None:
    """The address the request came from, as the server saw it.

    X-Forwarded-For is not trusted here: behind a proxy, the proxy sets REMOTE_ADDR
    (see docs/ for the nginx example).
    """
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def mask(data: dict) -> dict:
    return {key: ("***" if key in SENSITIVE_KEYS else value) for key, value in data.items()}


def log(
    action: str,
    *,
    by: AbstractBaseUser | AnonymousUser | None = None,
    municipality: Model | int | None = None,
    target: Model | None = None,
    request: MemberRequest | None = None,
    summary: str = "",
    **data: Any,
) -> AuditEntry:
    """Append one entry. `action` is a dotted code such as `user.logged_in`.

    The entry is chained to the previous one (see chain.py) inside the caller's transaction,
    so an entry whose change is rolled back disappears together with its place in the chain.
    """
    user = by if by is not None and getattr(by, "is_authenticated", False) else None
    entry = AuditEntry(
        action=action,
        actor_id=user.pk if user else None,
        actor_username=user.get_username() if user else data.pop("username", ""),
        municipality_id=getattr(municipality, "pk", municipality),
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=summary[:255],
        # As the JSON column will return it (tuples become lists), so the hash stays true.
        data=json.loads(json.dumps(mask(data))),
        ip_address=client_ip(request),
    )
    using = router.db_for_write(AuditEntry)
    # No savepoint: if writing the entry fails, the caller's change must fail with it.
    with transaction.atomic(using=using, savepoint=False):
        entry.seq, entry.prev_hash = _advance_head(using)
        entry.at = timezone.now()
        entry.hash = entry_hash(entry)
        entry.save(force_insert=True, using=using)
        AuditChainHead.objects.using(using).filter(pk=AuditChainHead.ONLY).update(hash=entry.hash)
    return entry


def record(
    action: str,
    *,
    request: MemberRequest | None = None,
    member: Member | None = None,
    by: AbstractBaseUser | AnonymousUser | None = None,
    target: Model | None = None,
    municipality: Model | int | None = None,
    summary: str | None = None,
    **data: Any,
) -> AuditEntry:
    """Append one entry for what `request` (or `by`, acting as `member`) did to `target`.

    Derived, so that every caller records the same way:
    - actor: `by`, else the request's user;
    - municipality: given, else the target's, else the acting membership's;
    - summary: given, else the target's name (as str() shows it).
    """
    member = member if member is not None else getattr(request, "member", None)
    if by is None and request is not None:
        by = getattr(request, "user", None)
    if municipality is None:
        municipality = getattr(target, "municipality_id", None)
    if municipality is None and member is not None:
        municipality = member.municipality_id
    if summary is None:
        summary = str(target) if target is not None else ""
    return log(
        action,
        by=by,
        municipality=municipality,
        target=target,
        request=request,
        summary=summary,
        **data,
    )


def log_import(
    action: str,
    *,
    rows: int,
    by: AbstractBaseUser | AnonymousUser | None,
    municipality: Model | int,
    request: MemberRequest | None,
    source: str,
    what: str,
) -> int:
    """Close a saved import, inside its transaction: the audit entry (how many rows of `what`,
    「会議」, from which file) and, once committed, fresh planner statistics if it was big
    (tsunagu.lib.planner). Returns the number of rows, the import's own answer."""
    after_import(rows)
    log(
        action,
        by=by,
        municipality=municipality,
        request=request,
        summary=f"{rows}件の{what}を取り込みました",
        source=source,
        count=rows,
    )
    return rows


def _advance_head(using: str) -> tuple[int, str]:
    """Take the chain lock and the next seq: (seq for the new entry, hash of the one before).

    The UPDATE comes first on purpose. On PostgreSQL it locks the head row until the
    transaction ends, and a second writer waits and then reads the committed head (READ
    COMMITTED); on SQLite the first write takes the database's write lock. A SELECT ... FOR
    UPDATE first would do the same on PostgreSQL, but on SQLite a read-then-write transaction
    can fail with "database is locked" instead of waiting.
    """
    connection = connections[using]
    table = connection.ops.quote_name(AuditChainHead._meta.db_table)
    sql = f"UPDATE {table} SET seq = seq + 1 WHERE id = %s RETURNING seq, hash"
    with connection.cursor() as cursor:
        cursor.execute(sql, [AuditChainHead.ONLY])
        row = cursor.fetchone()
        if row is None:
            _create_head(using)
            cursor.execute(sql, [AuditChainHead.ONLY])
            row = cursor.fetchone()
    return row[0], row[1]


def _create_head(using: str) -> None:
    """Make the head row again, continuing after the newest entry if there is one.

    The migration creates it; it is gone only after the tables were emptied (`flush`, which
    the browser tests run between tests). Two writers may race here: the loser's INSERT fails
    and it uses the winner's row.
    """
    last = AuditEntry.objects.using(using).order_by("-seq").values("seq", "hash").first()
    try:
        with transaction.atomic(using=using):
            AuditChainHead.objects.using(using).create(
                id=AuditChainHead.ONLY,
                seq=last["seq"] if last else 0,
                hash=last["hash"] if last else GENESIS,
            )
    except IntegrityError:
        pass


def log_refusal(request: MemberRequest, reason: str, **data: Any) -> AuditEntry:
    """Record a refused attempt (`access.refused`): who asked for what, and why it was refused.

    For the 403/404 handlers and for views that refuse a write to another municipality's row
    or a guessed id. Only the path is kept, not the query string, which may carry search
    words; the reason is what the user was told (or a short internal one).
    """
    member = getattr(request, "member", None)
    return log(
        "access.refused",
        by=getattr(request, "user", None),
        municipality=member.municipality_id if member is not None else None,
        request=request,
        summary=reason,
        path=request.path[:500],
        method=request.method,
        **data,
    )
