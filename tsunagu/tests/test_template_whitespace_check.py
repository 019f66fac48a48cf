"""scripts/template_whitespace_check.py: which whitespace changes a browser shows.

Standard library only (no database)."""

import importlib.util
import sys
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[2] / "scripts" / "template_whitespace_check.py"
_spec = importlib.util.spec_from_file_location("template_whitespace_check", _PATH)
assert _spec and _spec.loader
check = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = check  # dataclasses look their module up
_spec.loader.exec_module(check)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # Between block-level elements, and inside their edges.
        ("<div><p>a</p><p>b</p></div>", "<div>\n  <p>a</p>\n  <p>b</p>\n</div>"),
        ("<p>本文</p>", "<p>\n  本文\n</p>"),
        # How much whitespace does not matter, only whether there is any.
        ("<p>年度 <input name=fy></p>", "<p>年度\n    <input name=fy></p>"),
        # Through an inline element's tags: "A <b>B</b>" looks like "A<b> B</b>".
        ("<p>A <b>B</b></p>", "<p>A<b> B</b></p>"),
        # {% if %} outputs nothing: what matters is what meets in each branch.
        (
            "<td>{% if x %}<strong>済</strong>{% else %}未{% endif %}</td>",
            "<td>\n  {% if x %}\n    <strong>済</strong>\n"
            "  {% else %}\n    未\n  {% endif %}\n</td>",
        ),
        (
            "<ul>{% for a in b %}<li>{{ a }}</li>{% empty %}<li>なし</li>{% endfor %}</ul>",
            "<ul>\n  {% for a in b %}\n    <li>{{ a }}</li>\n  {% empty %}\n    <li>なし</li>\n"
            "  {% endfor %}\n</ul>",
        ),
        # Attributes may go one per line; template tags may gain spaces inside the braces.
        ('<a href="/x" class="button">開く</a>', '<a href="/x"\n   class="button">開く</a>'),
        ("<b>{{x|date:'Y'}}</b>", "<b>{{ x|date:'Y' }}</b>"),
        # A template comment renders nothing (djLint's {# djlint:off #} among them).
        ("<p>AB</p>", "<p>A{# djlint:off #}B{# djlint:on #}</p>"),
        # A button's content is laid out as a block.
        ("<button>\n  保存\n</button>", "<button>保存</button>"),
    ],
)
def test_whitespace_a_browser_drops_passes(old, new):
    assert check.compare(old, new) == []


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        # A line break between Japanese text and <strong> shows as a space.
        (
            "<p>会議は<strong>明日</strong>です</p>",
            "<p>\n  会議は\n  <strong>明日</strong>\n  です\n</p>",
            3,
        ),
        # Whitespace that was there and is gone.
        ("<p>{{ a }} 件</p>", "<p>{{ a }}件</p>", 1),
        # Through {% if %}: in the branch where x is false, "第" and "版" meet.
        ("<p>第{% if x %}{{ n }}{% endif %}版</p>", "<p>第\n{% if x %}{{ n }}{% endif %}版</p>", 2),
        ("<p>{{ a }}{{ b }}</p>", "<p>{{ a }}\n{# note #}{{ b }}</p>", 2),
        # Whitespace next to an atomic inline box such as <input> is shown.
        ("<label>氏名<input name=n></label>", "<label>氏名\n  <input name=n></label>", 2),
    ],
)
def test_whitespace_a_browser_shows_fails(old, new, where):
    problems = check.compare(old, new)
    assert problems
    assert problems[0].startswith(f"line {where}: whitespace between")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("<pre>a b</pre>", "<pre>a\n  b</pre>"),
        ("<textarea>{{ v }}</textarea>", "<textarea>\n  {{ v }}\n</textarea>"),
        ("<p class='a'>x</p>", '<p class="a">x</p>'),
        ('<a href="{% url "x" %}">x</a>', '<a href="{% url \'x\' %}">x</a>'),
        ("<script>let a = 1;</script>", "<script>let a =\n  1;</script>"),
        ("<p>{% if a %}x{% endif %}</p>", "<p>{% if b %}x{% endif %}</p>"),
    ],
)
def test_content_that_must_not_change_is_compared_exactly(old, new):
    assert check.compare(old, new)


def test_a_partial_is_judged_by_the_places_that_include_it():
    # cases/case_detail.html places case.links at the end of a <p>: a newline at the end of
    # the panel does not show there, but one at its start would show after the link before.
    links = (_PATH.parents[1] / "templates" / "resources" / "_case_links.html").read_text()
    body = links.strip()
    assert check.compare(body, body + "\n", "resources/_case_links.html") == []
    assert check.compare(body, " " + body, "resources/_case_links.html")
