"""Checks run on a page in the browser: axe-core (WCAG 2.0 A and AA), labels, language, reflow
at 200% zoom and visible focus. Each returns a list of problems in words, empty when all is
well, so that a test can gather the problems of many pages and report them together."""

from pathlib import Path

# axe-core 4.14.1, Mozilla Public License 2.0, vendored for the tests: vendor/axe-core/README.md
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"

# JIS X 8341-3:2016 is WCAG 2.0 (ISO/IEC 40500:2012); conformance level AA takes A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa"]

# What a 1280 px wide window shows at 200% zoom: the same page laid out in 640 CSS pixels.
ZOOMED_VIEWPORT = {"width": 640, "height": 450}


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.0 A/AA violations on the page as it is now: rule, help, elements."""
    if not page.evaluate("typeof window.axe === 'object'"):
        # Evaluated, not added as a <script> element: the site's Content Security Policy
        # (rightly) refuses inline scripts, and this file is the tests' own, never served.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return result.violations.map((v) => ({
                id: v.id,
                help: v.help,
                nodes: v.nodes.map((n) => n.target.join(" ")),
            }));
        }""",
        AXE_TAGS,
    )
    return [
        f"axe {v['id']}: {v['help']} — {', '.join(v['nodes'][:5])}"
        + (f" (+{len(v['nodes']) - 5})" if len(v["nodes"]) > 5 else "")
        for v in violations
    ]


def language_problems(page) -> list[str]:
    lang = page.evaluate("document.documentElement.lang")
    return [] if lang == "ja" else [f'<html lang="{lang}">, not "ja"']


def unlabelled_controls(page) -> list[str]:
    """Form controls a person can fill that have no visible label nor an ARIA name."""
    names = page.evaluate(
        """() => [...document.querySelectorAll("input, select, textarea")]
            .filter((el) => !["hidden", "submit", "button", "reset", "image"].includes(el.type))
            .filter((el) => {
                const labelled = [...(el.labels || [])].some((l) => l.textContent.trim());
                const byAria = (el.getAttribute("aria-label") || "").trim() ||
                    (el.getAttribute("aria-labelledby") || "").split(/\\s+/).some(
                        (id) => id && document.getElementById(id)?.textContent.trim());
                return !labelled && !byAria;
            })
            .map((el) => `${el.tagName.toLowerCase()}[name=${el.name || "?"}]#${el.id || "?"}`)"""
    )
    return [f"no label: {name}" for name in names]


def reflow_problems(page) -> list[str]:
    """Horizontal scrolling of the whole page at 200% zoom (WCAG 1.4.4 and, beyond 2.0, 1.4.10).

    A wide table may scroll inside its own container; the page itself must not.
    """
    size = page.viewport_size
    page.set_viewport_size(ZOOMED_VIEWPORT)
    try:
        overflow = sideways_overflow(page)
    finally:
        page.set_viewport_size(size)
    if overflow is None:
        return []
    return [
        f"scrolls sideways at 200% zoom ({overflow['scroll']} > {overflow['client']} px): "
        + ", ".join(overflow["wide"])
    ]


def sideways_overflow(page) -> dict | None:
    """None when the page does not scroll sideways at its present size; else the page's
    scroll and client widths and the elements that stick out (a table or other box that
    scrolls inside itself is not counted)."""
    return page.evaluate(
        """() => {
            const root = document.scrollingElement;
            if (root.scrollWidth <= root.clientWidth) return null;
            // Name the culprits: what sticks out of its parent, or (text) out of itself.
            const width = root.clientWidth + 1;
            const scrolls = (el) => {
                for (let p = el.parentElement; p; p = p.parentElement) {
                    if (["auto", "scroll"].includes(getComputedStyle(p).overflowX)) return true;
                }
                return false;
            };
            const all = [...document.body.querySelectorAll("*")].filter((el) => !scrolls(el));
            const out = all.filter((el) => el.getBoundingClientRect().right > width &&
                el.parentElement.getBoundingClientRect().right <= width);
            const spill = all.filter((el) => !out.some((o) => el.contains(o)) &&
                getComputedStyle(el).overflowX === "visible" &&
                el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0);
            const deepest = spill.filter(
                (el) => !spill.some((o) => o !== el && el.contains(o)));
            const wide = [...out, ...deepest].slice(0, 5).map((el) => el.tagName.toLowerCase() +
                (el.id ? "#" + el.id : "") +
                (el.className && typeof el.className === "string"
                    ? "." + el.className.trim().split(/\\s+/).join(".") : ""));
            return {scroll: root.scrollWidth, client: root.clientWidth, wide};
        }"""
    )


def sideways_problems(page) -> list[str]:
    """Horizontal scrolling of the whole page at the window's present width (375 px phone,
    768 px tablet, 1280 px desktop): `document.documentElement.scrollWidth` must not exceed
    `window.innerWidth`."""
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if widths[0] <= widths[1]:
        return []
    overflow = sideways_overflow(page) or {"wide": []}
    return [
        f"scrolls sideways at {widths[1]} px ({widths[0]} > {widths[1]} px): "
        + ", ".join(overflow["wide"])
    ]


def focus_is_visible(page) -> bool:
    """Whether the focused element looks different from the same element unfocused.

    The unfocused look is that of a copy put beside it for a moment: moving the focus away
    and back would lose the keyboard's place (in a time field, its minutes part).
    """
    return page.evaluate(
        """() => {
            const look = (el) => {
                const s = getComputedStyle(el);
                return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow,
                        s.borderColor, s.backgroundColor, s.textDecorationLine].join("|");
            };
            const el = document.activeElement;
            const copy = el.cloneNode(true);
            copy.removeAttribute("id");
            el.after(copy);
            const unfocused = look(copy);
            copy.remove();
            return look(el) !== unfocused;
        }"""
    )


def page_problems(page) -> list[str]:
    """Everything this module checks on the page as it is now (focus aside)."""
    return (
        axe_violations(page)
        + unlabelled_controls(page)
        + language_problems(page)
        + reflow_problems(page)
    )


def assert_accessible(page):
    """For a journey's passing states (a preview, a form with errors, a review step)."""
    problems = page_problems(page)
    assert not problems, f"{page.url}:\n" + "\n".join(f"  - {p}" for p in problems)
