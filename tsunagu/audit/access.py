"""Which audit entries a member may read. The only way the audit pages reach entries."""

from typing import Any, cast

from django.db.models import Q, QuerySet

from tsunagu.lib.acting import Member

from .models import AuditEntry

# 市職員（管理者） only for now. A role of its own ("audit.view") would let a municipality
# give an auditor the log without member management; then only this line changes.
AUDIT_PERMISSION = "audit.view"


def entries_visible_to(member: Member | None) -> QuerySet[AuditEntry]:
    """The member's municipality's entries, and the personal entries of its members.

    Personal entries have no municipality: logins, logouts, calendar links. They belong to
    the municipality when the actor is (or was) one of its members; a failed login has no
    actor, so it belongs when the username typed is a member's. The member's own model is
    asked (type(member)), because the audit app sits below accounts and does not import it.
    """
    if member is None or not member.may(AUDIT_PERMISSION):
        return AuditEntry.objects.none()
    # Typed loosely: the audit app cannot name the membership model (see above).
    members = cast(Any, type(member)).objects.filter(municipality_id=member.municipality_id)
    return AuditEntry.objects.filter(
        Q(municipality_id=member.municipality_id)
        | Q(municipality_id__isnull=True, actor_id__in=members.values("user_id"))
        | Q(
            municipality_id__isnull=True,
            actor_id__isnull=True,
            actor_username__in=members.values("user__username"),
        )
    )
