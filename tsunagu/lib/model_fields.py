"""Model field factories shared by the apps."""

from typing import Any, TypeVar, overload

from django.db import models
from django.db.models.expressions import Combinable

_M = TypeVar("_M", bound=models.Model)


@overload
def optional_foreign_key(
    to: type[_M], **options: Any
) -> "models.ForeignKey[_M | Combinable | None, _M | None]": ...
@overload
def optional_foreign_key(to: str, **options: Any) -> "models.ForeignKey[Any, Any]": ...
def optional_foreign_key(to: Any, **options: Any) -> "models.ForeignKey[Any, Any]":
    """A ForeignKey that may be left empty, in the database (null) and in forms (blank).

    The same field as written out by hand, so a model that uses it needs no migration."""
    return models.ForeignKey(to, null=True, blank=True, **options)
