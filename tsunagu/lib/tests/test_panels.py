"""Places on a page that apps above fill (lib/panels.py)."""

import pytest
from django.template import Context, Engine

from tsunagu.lib import panels

ENGINE = Engine(
    loaders=[
        (
            "django.template.loaders.locmem.Loader",
            {
                "part.html": "<i>{{ title }}:{{ extra }}</i>",
                "other.html": "<b>{{ title }}</b>",
            },
        )
    ],
    builtins=["tsunagu.lib.templatetags.tsunagu_tags"],
)


@pytest.fixture
def place(monkeypatch):
    monkeypatch.setattr(panels, "PLACES", {})
    return "test.place"


def draw(place: str, **values) -> str:
    template = ENGINE.from_string('{% panels "' + place + '" %}')
    return template.render(Context(values))


def test_an_empty_place_draws_nothing(place):
    assert draw(place, title="会議") == ""


def test_parts_are_drawn_in_the_pages_context_in_the_order_added(place):
    panels.add(place, "part.html", context=lambda page: {"extra": page["title"] * 2})
    panels.add(place, "other.html")
    panels.add(place, "part.html")  # a second add of the same part is ignored
    assert draw(place, title="会") == "<i>会:会会</i><b>会</b>"


def test_a_part_whose_context_says_none_is_not_shown(place):
    panels.add(place, "part.html", context=lambda page: None)
    panels.add(place, "other.html")
    assert draw(place, title="<x>") == "<b>&lt;x&gt;</b>"  # still escaped


def test_the_apps_fill_the_meeting_and_case_pages():
    """What the apps above register (their AppConfig.ready): nothing under meetings or cases
    names them."""
    filled = {place: [panel.template for panel in parts] for place, parts in panels.PLACES.items()}
    assert filled["meeting.attendees"] == ["prefecture/_meeting_panel.html"]
    assert filled["meeting.content"] == ["issues/_meeting_discussions.html"]
    assert filled["case.links"] == ["resources/_case_links.html"]
    assert filled["case.origin"] == ["centerwork/_case_origin.html"]
