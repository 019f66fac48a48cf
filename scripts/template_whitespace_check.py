#!/usr/bin/env python
"""Checks that formatting a template changed only whitespace a browser does not show.

Japanese has no spaces between words, so a line break that a formatter puts between
<strong> and the text next to it shows as a visible space. This script compares two
versions of each template (by default the committed one, `git show HEAD:path`, with the
file on disk; with --djlint, the file on disk with what djLint's formatter makes of it):

- the tags, their attributes and the template tags ({% %}, {{ }}) must be the same, in
  the same order;
- text must be the same, except whitespace: how much whitespace does not matter, but
  whether there is any between two visible things does, unless one of them is the edge of
  a block-level element (div, p, li, td...), where a browser drops it;
- <pre> and <textarea> contents, and <script> and <style> bodies, must be unchanged.

{% if %}/{% for %} and other tags that output nothing are seen through, branch by branch:
`A{% if x %}<b>B</b>{% endif %}C` is checked as both "A<b>B</b>C" and "AC".

Usage:
    scripts/template_whitespace_check.py [--rev REV] [FILE...]   # REV:FILE against FILE
    scripts/template_whitespace_check.py --djlint [FILE...]      # FILE against djLint's output
Without FILE: every template under templates/. Exits 1 and lists the places on a difference.
"""

from __future__ import annotations

import argparse
import bisect
import re
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Elements at whose edges a browser drops whitespace (display: block, list-item, table
# parts), and <br>, after and before which it drops the spaces at the line's end and start.
BLOCK_TAGS = frozenset(
    (
        "html", "head", "body", "title", "div", "p", "ul", "ol", "li", "dl", "dt", "dd", "table",
        "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "td", "th", "section",
        "article", "aside", "header", "footer", "nav", "main", "form", "fieldset", "legend", "h1",
        "h2", "h3", "h4", "h5", "h6", "hr", "br", "blockquote", "figure", "figcaption", "details",
        "summary", "dialog", "address", "pre", "option", "optgroup", "hgroup", "menu", "search"
    )
)
# Elements without a box: whitespace on their two sides meets as if they were not there.
INVISIBLE_TAGS = frozenset(
    (
        "script", "style", "meta", "link", "base", "template", "datalist"
    )
)
# Inline elements that are boxes of their own: whitespace next to them is shown. Every
# other element (a, span, strong, label, small...) is seen through: a browser collapses the
# whitespace on both sides of its tags into one space, so "A <b>B</b>" and "A<b> B</b>"
# look the same, and "A<b>B</b>" differs from both.
ATOMIC_INLINE_TAGS = frozenset(
    (
        "img", "input", "button", "select", "textarea", "svg", "video", "audio", "iframe", "object",
        "embed", "canvas", "meter", "progress", "picture", "math", "wbr"
    )
)
# Of these, the ones whose content is laid out as a block: whitespace just inside their
# edges is dropped.
INLINE_BLOCK_TAGS = frozenset(("button", "select"))
# Raw contents compared exactly.
PREFORMATTED_TAGS = frozenset(("pre", "textarea"))
# {% block %}s that the parent templates place between block-level elements:
# base.html <head>…</head> and <main>…</main>, organizations/list_page.html <div id="results">.
BOUNDARY_BLOCKS = frozenset(("content", "head", "results"))

TEMPLATE_TAG = re.compile(
    r"\{%-?\s*comment\b.*?%\}.*?\{%-?\s*endcomment\s*-?%\}|\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}",
    re.S,
)
PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")
HTML_WS = re.compile(r"[ \t\n\r\f]+")  # not \s: a no-break space is visible
QUOTED_OR_WS = re.compile(r"""("[^"]*"|'[^']*')|[ \t\n\r\f]+""")
CONTROL = {"if", "elif", "else", "endif", "for", "empty", "endfor"}
SILENT = {"with", "endwith", "load", "csrf_token", "extends", "resetcycle"}


@dataclass
class Item:
    key: str  # what must be equal in both versions
    line: int
    left_boundary: bool = False  # whitespace just before it is never shown
    right_boundary: bool = False  # whitespace just after it is never shown
    transparent: bool = False  # outputs nothing; whitespace is seen through it
    control: str = ""  # if/elif/else/endif/for/empty/endfor
    places: tuple[str, ...] = ()  # the templates an {% include %} or {% panels %} puts here


def _normalise_template_tag(text: str) -> str:
    if text.startswith("{#") or re.match(r"\{%-?\s*comment\b", text):
        return HTML_WS.sub(" ", text)
    inner = text[2:-2].strip()
    return text[:2] + " " + HTML_WS.sub(" ", inner) + " " + text[-2:]


def _template_item(text: str, line: int, depth: int, extends: bool, block: str = "") -> Item:
    key = _normalise_template_tag(text)
    if text.startswith("{#") or re.match(r"\{%-?\s*comment\b", text):
        return Item(key, line, transparent=True)
    if text.startswith("{{"):
        return Item(key, line)
    words = text[2:-2].strip("-+ \t\n").split()
    name = words[0] if words else ""
    if name in CONTROL:
        return Item(key, line, transparent=True, control=name)
    if name in SILENT or (name == "url" and len(words) > 2 and words[-2] == "as"):
        return Item(key, line, transparent=True)
    if name == "block":
        both = words[1] in BOUNDARY_BLOCKS if len(words) > 1 else False
        # In a template that extends another, what lies outside the blocks is not shown.
        return Item(key, line, left_boundary=both or (extends and depth == 0), right_boundary=both)
    if name == "endblock":
        both = block in BOUNDARY_BLOCKS
        return Item(key, line, left_boundary=both, right_boundary=both or (extends and depth == 0))
    if name == "include" and len(words) > 1 and words[1][:1] in "'\"":
        left, right = _edges(words[1][1:-1])
        return Item(key, line, left_boundary=left, right_boundary=right, places=(words[1][1:-1],))
    if name == "panels" and len(words) > 1:
        return Item(key, line, places=tuple(_panels().get(words[1].strip("'\""), ())))
    return Item(key, line)


def _panels() -> dict[str, list[str]]:
    """The templates of each place of panels ({% panels "place" %}), from the apps' add calls."""
    found: dict[str, list[str]] = {}
    add = re.compile(r"""panels\.add\(\s*["']([^"']+)["'],\s*["']([^"']+)["']""")
    for apps in sorted((ROOT / "tsunagu").glob("*/apps.py")):
        for m in add.finditer(apps.read_text(encoding="utf-8")):
            found.setdefault(m[1], []).append(m[2])
    return found


_CONTEXTS: dict[str, tuple[bool, bool]] | None = None


def _contexts() -> dict[str, tuple[bool, bool]]:
    """For each template that others include (or place as a panel): whether every place
    has a block edge just before it, and whether every place has one just after it. Then
    whitespace at the template's start, or at its end, is never shown."""
    global _CONTEXTS
    if _CONTEXTS is None:
        _CONTEXTS = {}
        for path in sorted((ROOT / "templates").rglob("*.html")):
            items, gaps = tokenise(path.read_text(encoding="utf-8"))
            adjacent = adjacencies(items, gaps)
            n = len(items)
            for i, item in enumerate(items):
                if not item.places:
                    continue
                shared = len(item.places) > 1  # panels of one place meet each other
                before = not shared and all(
                    v1 >= 0 and items[v1].right_boundary for (v1, v2) in adjacent if v2 == i
                )
                after = not shared and all(
                    v2 < n and items[v2].left_boundary for (v1, v2) in adjacent if v1 == i
                )
                for name in item.places:
                    was = _CONTEXTS.get(name, (True, True))
                    _CONTEXTS[name] = (was[0] and before, was[1] and after)
    return _CONTEXTS


_EDGES: dict[str, tuple[bool, bool]] = {}


def _edges(name: str) -> tuple[bool, bool]:
    """Whether an included template always starts, and always ends, at a block edge
    (whitespace before and after it then is never shown)."""
    if name not in _EDGES:
        _EDGES[name] = (False, False)  # while reading it (an include of itself)
        path = ROOT / "templates" / name
        if path.is_file():
            items, gaps = tokenise(path.read_text(encoding="utf-8"))
            adjacent = adjacencies(items, gaps)
            n = len(items)
            firsts = [v2 for (v1, v2) in adjacent if v1 == -1]
            lasts = [v1 for (v1, v2) in adjacent if v2 == n]
            _EDGES[name] = (
                all(v < n and items[v].left_boundary for v in firsts),
                all(v >= 0 and items[v].right_boundary for v in lasts),
            )
    return _EDGES[name]


def _seen_through(name: str) -> bool:
    return name in INVISIBLE_TAGS or not (name in BLOCK_TAGS or name in ATOMIC_INLINE_TAGS)


class _Tokeniser(HTMLParser):
    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.templates: list[str] = []
        # Each placeholder's start and end in the substituted text and in the source.
        spans: list[tuple[int, int, int, int]] = []
        parts: list[str] = []
        pos = sub_len = 0
        for m in TEMPLATE_TAG.finditer(source):
            parts.append(source[pos : m.start()])
            sub_len += m.start() - pos
            placeholder = f"\ue000{len(self.templates)}\ue001"
            spans.append((sub_len, sub_len + len(placeholder), m.start(), m.end()))
            self.templates.append(m.group())
            parts.append(placeholder)
            sub_len += len(placeholder)
            pos = m.end()
        parts.append(source[pos:])
        self.source = source
        self.text = "".join(parts)
        self.spans = spans
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        self.items: list[Item | None] = []  # None: whitespace
        self.extends = bool(re.match(r"\s*(\{%\s*load[^%]*%\}\s*)*\{%\s*extends\b", source))
        self.blocks: list[str] = []
        self.preformatted = 0
        self.raw_tag = ""

    # Positions ---------------------------------------------------------------
    def _line_of(self, sub_offset: int) -> int:
        i = bisect.bisect_right(self.spans, (sub_offset, float("inf"))) - 1
        if i < 0:
            original = sub_offset
        else:
            sub_start, sub_end, orig_start, orig_end = self.spans[i]
            original = orig_start if sub_offset < sub_end else orig_end + sub_offset - sub_end
        return self.source.count("\n", 0, original) + 1

    def _here(self) -> int:
        line, col = self.getpos()
        return self._line_of(self.line_starts[line - 1] + col)

    def _restore(self, text: str) -> str:
        return PLACEHOLDER.sub(lambda m: _normalise_template_tag(self.templates[int(m[1])]), text)

    # Items -------------------------------------------------------------------
    def _ws(self) -> None:
        if self.items and self.items[-1] is None:
            return
        self.items.append(None)

    def _template(self, index: int, line: int) -> None:
        text = self.templates[index]
        if text.startswith("{#") or re.match(r"\{%-?\s*comment\b", text):
            return  # renders nothing: the whitespace on its two sides meets
        words = text[2:-2].strip("-+ \t\n").split()
        name = words[0] if words and text.startswith("{%") else ""
        block = ""
        if name == "endblock" and self.blocks:
            block = self.blocks.pop()
        item = _template_item(text, line, len(self.blocks), self.extends, block)
        if name == "block":
            self.blocks.append(words[1] if len(words) > 1 else "")
        self.items.append(item)

    def handle_data(self, data: str) -> None:
        line = self._here()
        exact = self.preformatted
        pieces = re.split("(\ue000\\d+\ue001)", data)
        for piece in pieces:
            if not piece:
                continue
            m = PLACEHOLDER.fullmatch(piece)
            if m:
                self._template(int(m[1]), line)
            elif self.raw_tag:
                if piece.strip(" \t\n\r\f"):
                    self.items.append(Item("text:" + piece.strip(" \t\n\r\f"), line))
            elif exact:
                self.items.append(Item("text:" + piece, line))
            else:
                for word in re.split("([ \t\n\r\f]+)", piece):
                    if not word:
                        continue
                    if HTML_WS.fullmatch(word):
                        self._ws()
                    else:
                        self.items.append(Item("text:" + word, line))
            line += piece.count("\n")

    def _tag(self, tag: str, raw: str, *, end: bool) -> None:
        # Whitespace between attributes: any amount is one separator; none before ">".
        def norm(m: re.Match[str]) -> str:
            return m[1] if m[1] else " "

        key = QUOTED_OR_WS.sub(norm, raw)
        key = re.sub(r" ?(/?>)$", r"\1", key)
        key = self._restore(key)
        name = tag.lower()
        hidden_input = name == "input" and re.search(r"""type=["']?hidden\b""", raw, re.I)
        boundary = name in BLOCK_TAGS
        self.items.append(
            Item(
                key,
                self._here(),
                left_boundary=boundary,
                right_boundary=boundary or (name in INLINE_BLOCK_TAGS and not end),
                transparent=bool(hidden_input) or _seen_through(name),
            )
        )

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._tag(tag, self.get_starttag_text() or "", end=False)
        if tag in PREFORMATTED_TAGS:
            self.preformatted += 1
        if tag in ("script", "style"):
            self.raw_tag = tag

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self._tag(tag, self.get_starttag_text() or "", end=False)

    def handle_endtag(self, tag: str) -> None:
        if tag in PREFORMATTED_TAGS and self.preformatted:
            self.preformatted -= 1
        self.raw_tag = ""
        self.items.append(
            Item(
                f"</{tag}>",
                self._here(),
                left_boundary=tag in BLOCK_TAGS or tag in INLINE_BLOCK_TAGS,
                right_boundary=tag in BLOCK_TAGS,
                transparent=_seen_through(tag),
            )
        )

    def handle_comment(self, data: str) -> None:
        comment = "<!--" + self._restore(data) + "-->"
        self.items.append(Item(comment, self._here(), transparent=True))

    def handle_decl(self, decl: str) -> None:
        self.items.append(Item("<!" + decl + ">", self._here(), transparent=True))

    def handle_pi(self, data: str) -> None:
        self.items.append(Item("<?" + data + ">", self._here()))

    def unknown_decl(self, data: str) -> None:
        self.items.append(Item("<![" + data + "]>", self._here()))


def tokenise(source: str) -> tuple[list[Item], list[bool]]:
    """The items of a template, and for each item whether whitespace follows it.

    gaps[0] is the whitespace before the first item; gaps[i + 1] the one after items[i].
    """
    parser = _Tokeniser(source)
    parser.feed(parser.text)
    parser.close()
    items: list[Item] = []
    gaps = [False]
    for entry in parser.items:
        if entry is None:
            gaps[-1] = True
        elif items and not gaps[-1] and entry.key.startswith("text:") and items[-1].key.startswith(
            "text:"
        ):
            items[-1].key += entry.key[5:]  # text that a comment had parted
        else:
            items.append(entry)
            gaps.append(False)
    return items, gaps


def _structure(items: list[Item]) -> tuple[dict[int, int], dict[int, int], dict[int, int]]:
    """For {% if %}/{% for %}: the next branch of each, the end of each, the start of each end."""
    next_branch: dict[int, int] = {}
    end_of: dict[int, int] = {}
    start_of: dict[int, int] = {}
    stack: list[list[int]] = []
    for i, item in enumerate(items):
        c = item.control
        if c in ("if", "for"):
            stack.append([i])
        elif c in ("elif", "else", "empty") and stack:
            next_branch[stack[-1][-1]] = i
            stack[-1].append(i)
        elif c in ("endif", "endfor") and stack:
            group = stack.pop()
            next_branch[group[-1]] = i
            for j in group:
                end_of[j] = i
            start_of[i] = group[0]
    return next_branch, end_of, start_of


def adjacencies(items: list[Item], gaps: list[bool]) -> dict[tuple[int, int], set[bool]]:
    """Every pair of visible items that can meet in some rendering, and whether whitespace
    can lie between them. -1 is the start of the output, len(items) its end."""
    next_branch, end_of, start_of = _structure(items)
    n = len(items)

    def entries(j: int) -> list[int]:
        """The items after which the output goes on when a branch test lands on j."""
        c = items[j].control
        if c == "elif" and j in next_branch:
            return [j, *entries(next_branch[j])]
        return [j]

    def resume_after(i: int) -> list[int]:
        """The items after which the output goes on, having reached item i in order."""
        c = items[i].control
        if c in ("if", "for") and i in next_branch:
            return [i, *entries(next_branch[i])]
        if c in ("elif", "else", "empty") and i in end_of:
            return [end_of[i]]
        if c == "endfor" and i in start_of:
            return [start_of[i], i]
        return [i]

    result: dict[tuple[int, int], set[bool]] = {}
    for v in [-1, *(i for i, it in enumerate(items) if not it.transparent)]:
        seen: set[tuple[int, bool]] = set()
        todo = [(v + 1, gaps[v + 1])]
        while todo:
            p, ws = todo.pop()
            if (p, ws) in seen:
                continue
            seen.add((p, ws))
            if p >= n or not items[p].transparent:
                result.setdefault((v, min(p, n)), set()).add(ws)
                continue
            for after in resume_after(p):
                todo.append((after + 1, ws or gaps[after + 1]))
    return result


def compare(old: str, new: str, name: str = "") -> list[str]:
    """What differs between two versions of a template, beyond whitespace nobody sees.

    name (as in {% include %}) lets the places that include the template tell whether
    whitespace at its start and end can show."""
    start_edge, end_edge = _contexts().get(name, (False, False)) if name else (False, False)
    old_items, old_gaps = tokenise(old)
    new_items, new_gaps = tokenise(new)
    for a, b in zip(old_items, new_items, strict=False):
        if a.key != b.key:
            return [f"line {a.line}→{b.line}: {a.key!r} became {b.key!r}"]
    if len(old_items) != len(new_items):
        extra = (old_items if len(old_items) > len(new_items) else new_items)[
            min(len(old_items), len(new_items))
        ]
        return [f"line {extra.line}: {extra.key!r} is only in one version"]
    n = len(new_items)
    old_adj = adjacencies(old_items, old_gaps)
    new_adj = adjacencies(new_items, new_gaps)
    problems = []
    for pair in sorted(set(old_adj) | set(new_adj)):
        v1, v2 = pair
        if new_items[v1].right_boundary if v1 >= 0 else start_edge:
            continue
        if new_items[v2].left_boundary if v2 < n else end_edge:
            continue
        before, after = old_adj.get(pair, set()), new_adj.get(pair, set())
        if before != after:
            a = new_items[v1] if v1 >= 0 else None
            b = new_items[v2] if v2 < n else None
            where = b.line if b else (a.line if a else 0)
            problems.append(
                f"line {where}: whitespace between {a.key if a else 'START'!r} and "
                f"{b.key if b else 'END'!r}: {_say(before)} → {_say(after)}"
            )
    return problems


def _say(states: set[bool]) -> str:
    return "/".join(sorted("space" if s else "none" for s in states)) or "never adjacent"


def _djlint_output(path: Path) -> str:
    from djlint.reformat import formatter
    from djlint.settings import Config

    config = Config(str(path), reformat=True)
    return formatter(config, path.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--rev", default="HEAD", help="compare REV:FILE with FILE (HEAD)")
    group.add_argument("--djlint", action="store_true", help="compare FILE with djLint's output")
    args = parser.parse_args(argv)
    files = args.files or sorted((ROOT / "templates").rglob("*.html"))
    failed = 0
    for path in files:
        path = path.resolve()
        current = path.read_text(encoding="utf-8")
        if args.djlint:
            old, new = current, _djlint_output(path)
        else:
            rel = path.relative_to(ROOT).as_posix()
            shown = subprocess.run(
                ["git", "show", f"{args.rev}:{rel}"], cwd=ROOT, capture_output=True, text=True
            )
            if shown.returncode != 0:
                continue  # a new file: nothing to compare with
            old, new = shown.stdout, current
        if old == new:
            continue
        problems = compare(old, new, path.relative_to(ROOT / "templates").as_posix())
        if problems:
            failed += 1
            print(f"{path.relative_to(ROOT)}:")
            for problem in problems:
                print(f"  {problem}")
    if failed:
        print(f"{failed} template(s) with visible whitespace changes", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
