"""Places on a page of a lower app where an app above adds its part.

The meeting page shows a button of the meeting room (cases), the chairs' training (prefecture)
and the issues discussed (issues); the case page links to the resources that fit and to the
consultation it came from. The lower app may not name those apps' pages, templates or tag
libraries (tsunagu/tests/test_import_direction.py reads templates too), so its template names a
place instead, `{% panels "meeting.actions" %}`, and the app above fills the place from its
AppConfig.ready():

    panels.add("meeting.actions", "cases/_meeting_buttons.html")

A part is drawn with the page's own context; `context` may add to it, or return None to show
nothing (for instance when the member may not see that app's data).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.template import Context
from django.utils.safestring import SafeString, mark_safe

ContextFunction = Callable[[Mapping[str, Any]], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    template: str
    context: ContextFunction | None = None


PLACES: dict[str, list[Panel]] = {}


def add(place: str, template: str, *, context: ContextFunction | None = None) -> None:
    """Fill `place` with `template`, after what is there (apps in INSTALLED_APPS order). Once:
    a second add of the same template is ignored, as ready() may run twice in tests."""
    panels = PLACES.setdefault(place, [])
    if all(panel.template != template for panel in panels):
        panels.append(Panel(template, context))


def render(place: str, context: Context) -> SafeString:
    """Every part of `place`, drawn in the page's context (no context processors run again)."""
    if not PLACES.get(place):
        return mark_safe("")
    parts = []
    assert context.template is not None  # a page being rendered
    engine = context.template.engine
    page: dict[str, Any] = {str(key): value for key, value in context.flatten().items()}
    for panel in PLACES.get(place, ()):
        extra = panel.context(page) if panel.context else {}
        if extra is None:
            continue
        template = engine.get_template(panel.template)
        with context.push(**extra):
            parts.append(template.render(context))
    return mark_safe("".join(parts))
