"""Changes to the directory. Each one is validated, saved whole or not at all, and logged."""

from django.db import transaction
from django.db.models import Model, ProtectedError

from tsunagu.audit.services import record


class InUseError(Exception):
    """The row is still referred to, so deleting it would lose information."""


def action_code(row: Model, verb: str) -> str:
    return f"{row._meta.model_name}.{verb}"


@transaction.atomic
def save_entry(*, row: Model, by, request=None) -> Model:
    """Create or update one directory row after validating it against every constraint."""
    created = row.pk is None
    row.full_clean()
    row.save()
    record(
        action_code(row, "created" if created else "updated"),
        by=by,
        municipality=row.municipality_id,
        target=row,
        request=request,
        summary=str(row),
    )
    return row


@transaction.atomic
def delete_entry(*, row: Model, by, request=None) -> None:
    """Delete a row that nothing refers to; otherwise raise InUseError and keep everything."""
    label, pk = str(row), row.pk
    try:
        with transaction.atomic():
            row.delete()
    except ProtectedError as error:
        raise InUseError(f"「{label}」は他の情報から参照されているため削除できません。") from error
    row.pk = pk  # keeps the log's target id after Django cleared it
    record(
        action_code(row, "deleted"),
        by=by,
        municipality=row.municipality_id,
        target=row,
        request=request,
        summary=label,
    )
