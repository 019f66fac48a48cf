"""Model field factories shared by the apps."""

from typing import Any, TypeAlias, TypeVar, overload

from django.db import models
from django.db.models.expressions import Combinable

_M = TypeVar("_M", bound=models.Model)

# The type of an optional key, for a model attribute whose target is named by a string
# ("self", settings.AUTH_USER_MODEL), which the type checker cannot follow:
# `user: "OptionalKey[User]" = optional_foreign_key(settings.AUTH_USER_MODEL, ...)`.
OptionalKey: TypeAlias = "models.ForeignKey[_M | Combinable | None, _M | None]"


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
