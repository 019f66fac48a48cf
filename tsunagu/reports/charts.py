"""Charts drawn on the server as SVG, for pages that staff print or paste into council papers.

Readable without colour: bars are solid dark grey with the number written at the end of
each bar, stacked parts differ by pattern (hatching) as well as shade, and every chart is
accompanied on its page by the table of the same figures. Nothing is loaded from outside.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ROW = 26
LABEL_WIDTH = 190
BAR_WIDTH = 330
NUMBER_WIDTH = 70
FONT = 'font-family="IPAexGothic, Noto Sans CJK JP, sans-serif" font-size="13"'

# Fills for stacked parts: shade and pattern both differ, so a grey-scale copy still tells
# them apart.
PATTERNS = (
    ("solid", '<rect width="6" height="6" fill="#333"/>'),
    ("hatch", '<rect width="6" height="6" fill="#fff"/><path d="M0 6L6 0" stroke="#333"/>'),
    ("dots", '<rect width="6" height="6" fill="#ddd"/><circle cx="3" cy="3" r="1.2" fill="#333"/>'),
    ("cross", '<rect width="6" height="6" fill="#fff"/><path d="M0 0L6 6M0 6L6 0" stroke="#555"/>'),
    ("light", '<rect width="6" height="6" fill="#bbb"/>'),
)


def _label(text: str, limit: int = 14) -> str:
    text = str(text)
    return escape(text if len(text) <= limit else text[: limit - 1] + "…")


def bar_chart(title: str, rows: list[tuple[str, int]], *, unit: str = "") -> SafeString:
    """Horizontal bars, one per (label, value), longest first as given; the number is written
    beside each bar. An empty or all-zero list draws nothing (the table says so)."""
    if not rows or not any(value for _label_, value in rows):
        return mark_safe("")
    largest = max(value for _label_, value in rows)
    height = ROW * len(rows) + 34
    width = LABEL_WIDTH + BAR_WIDTH + NUMBER_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" {FONT}>',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>',
    ]
    for index, (label, value) in enumerate(rows):
        y = 28 + index * ROW
        length = round(BAR_WIDTH * value / largest) if largest else 0
        parts += [
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">{_label(label)}</text>',
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length}" height="{ROW - 8}" '
            'fill="#333"/>',
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 15}">{value}{escape(unit)}</text>',
        ]
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def stacked_chart(
    title: str, rows: list[tuple[str, dict[str, int]]], *, unit: str = "件"
) -> SafeString:
    """One horizontal bar per row, split into its parts (same keys in every row), each part
    with its own pattern, and a legend naming the patterns. The total is written at the end."""
    rows = [(label, parts) for label, parts in rows if sum(parts.values())]
    if not rows:
        return mark_safe("")
    keys = list(rows[0][1])
    largest = max(sum(parts.values()) for _label_, parts in rows)
    legend_height = 24
    height = ROW * len(rows) + 34 + legend_height
    width = LABEL_WIDTH + BAR_WIDTH + NUMBER_WIDTH
    defs = "".join(
        f'<pattern id="p-{name}" width="6" height="6" patternUnits="userSpaceOnUse">{shape}'
        "</pattern>"
        for name, shape in PATTERNS
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" {FONT}>',
        f"<title>{escape(title)}</title><defs>{defs}</defs>",
        f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>',
    ]
    for index, (label, parts) in enumerate(rows):
        y = 28 + index * ROW
        x = LABEL_WIDTH
        out.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">{_label(label)}</text>'
        )
        for number, key in enumerate(keys):
            length = round(BAR_WIDTH * parts.get(key, 0) / largest)
            if length:
                pattern = PATTERNS[number % len(PATTERNS)][0]
                out.append(
                    f'<rect x="{x}" y="{y + 3}" width="{length}" height="{ROW - 8}" '
                    f'fill="url(#p-{pattern})" stroke="#000" stroke-width="0.6">'
                    f"<title>{escape(key)} {parts[key]}{escape(unit)}</title></rect>"
                )
            x += length
        out.append(f'<text x="{x + 6}" y="{y + 15}">{sum(parts.values())}{escape(unit)}</text>')
    legend_y = 28 + len(rows) * ROW + 6
    x = LABEL_WIDTH
    for number, key in enumerate(keys):
        pattern = PATTERNS[number % len(PATTERNS)][0]
        out += [
            f'<rect x="{x}" y="{legend_y}" width="14" height="14" fill="url(#p-{pattern})" '
            'stroke="#000" stroke-width="0.6"/>',
            f'<text x="{x + 18}" y="{legend_y + 12}">{escape(key)}</text>',
        ]
        x += 24 + 13 * len(str(key))
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped
