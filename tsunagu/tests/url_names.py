"""Tests name pages by their view's name alone ("meeting_detail"): every name is used once on the
site (checked below), so the namespaced name reverse() needs ("meetings:meeting_detail") follows."""

from functools import cache

from django.urls import URLResolver, get_resolver
from django.urls import reverse as django_reverse


@cache
def namespaced() -> dict[str, str]:
    names: dict[str, str] = {}
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "admin":
            continue
        if isinstance(pattern, URLResolver):
            for inner in pattern.url_patterns:
                if getattr(inner, "name", None):
                    assert inner.name not in names, f"{inner.name} is used twice"
                    names[inner.name] = (
                        f"{pattern.namespace}:{inner.name}" if pattern.namespace else inner.name
                    )
        elif pattern.name:
            names[pattern.name] = pattern.name
    return names


def qualified(name: str) -> str:
    """ "meeting_detail" → "meetings:meeting_detail" (a name with its namespace stays as it is)."""
    return name if ":" in name else namespaced()[name]


def reverse(name: str, *args, **kwargs) -> str:
    """django.urls.reverse for a name with or without its namespace."""
    return django_reverse(qualified(name), *args, **kwargs)
