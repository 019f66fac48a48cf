"""Writing to the audit log. Every app calls `log(...)`; nothing else writes entries."""

from .models import AuditEntry

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


def client_ip(request) -> str | None:
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
    action: str, *, by=None, municipality=None, target=None, request=None, summary: str = "", **data
) -> AuditEntry:
    """Append one entry. `action` is a dotted code such as `user.logged_in`."""
    user = by if by is not None and getattr(by, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        action=action,
        actor_id=user.pk if user else None,
        actor_username=user.get_username() if user else data.pop("username", ""),
        municipality_id=getattr(municipality, "pk", municipality),
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=summary[:255],
        data=mask(data),
        ip_address=client_ip(request),
    )
