"""The only way views reach directory rows (areas, centers, organisations, people).

Rows of another municipality, and rows that do not exist, both answer 404. A role that may
read but not change gets 403 on a write.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404

from tsunagu.lib.acting import Member

from .models import Area, Center, Organization, Person

# Areas and centers shape the municipality's structure, so only 市職員 change them.
EDIT_PERMISSION: dict[type[Model], str] = {
    Area: "areas.edit",
    Center: "areas.edit",
    Organization: "directory.edit",
    Person: "directory.edit",
}


def visible_to(member: Member | None, model: type[Model]) -> QuerySet:
    """The rows of `model` in the member's municipality, if the role may read the directory."""
    if member is None or not member.may("directory.view"):
        return model._default_manager.none()
    return model._default_manager.filter(municipality_id=member.municipality_id)


def may_edit(member: Member | None, model: type[Model]) -> bool:
    """Whether the member's role may create and change rows of `model`."""
    return member is not None and member.may(EDIT_PERMISSION[model])


def for_user(member: Member, model: type[Model], pk: int | str, *, write: bool = False) -> Any:
    """One row the member may see (404 otherwise); with write=True, also one it may change."""
    row = get_object_or_404(visible_to(member, model), pk=pk)
    if write and not may_edit(member, model):
        raise PermissionDenied("この情報を変更する権限がありません。")
    return row


def require_edit(member: Member, model: type[Model]) -> None:
    """Refuse creating a row of `model` to a role that may not change it."""
    if not may_edit(member, model):
        raise PermissionDenied("この情報を登録する権限がありません。")
