"""The co-occurrence network drawn as SVG, coloured by community."""

import html
import math

from .layout import place_nodes
from .network import Network

# ColorBrewer's light qualitative colours (Set3/Pastel): black labels stay readable on all of
# them. Communities beyond the palette are grey.
_PALETTE = [
    "#8dd3c7",
    "#ffffb3",
    "#bebada",
    "#fb8072",
    "#80b1d3",
    "#fdb462",
    "#b3de69",
    "#fccde5",
    "#ccebc5",
    "#ffed6f",
    "#a6cee3",
    "#fdbf6f",
]
_OTHER_COLOUR = "#d9d9d9"
_FONTS = '"IPAexGothic", "IPAGothic", "Noto Sans CJK JP", sans-serif'


def community_colour(community: int) -> str:
    return _PALETTE[community] if 0 <= community < len(_PALETTE) else _OTHER_COLOUR


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def network_svg(network: Network, width: int = 800, height: int = 600) -> str:
    """The network as a self-contained SVG image (no scripts, no external fonts or styles).

    Circle area grows with the word's frequency, line width with the Jaccard coefficient, and the
    fill colour shows the community. Only presentation attributes are used (no <style>), so
    the image obeys a strict Content-Security-Policy however it is embedded.
    """
    title = "共起ネットワーク"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="cooc-title" '
        f"font-family='{_FONTS}' font-size=\"13\">"
        f'<title id="cooc-title">{title}</title>'
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>'
    )
    if not network.nodes:
        message = "共起関係を描ける語がありません（文書が少ないか、語が共通していません）。"
        return (
            f'{head}<text x="{width / 2:.1f}" y="{height / 2:.1f}" text-anchor="middle" '
            f'fill="#333333">{html.escape(message)}</text></svg>'
        )
    positions = place_nodes(network)
    counts = [n.count for n in network.nodes]
    low, high = min(counts), max(counts)
    jaccards = [e.jaccard for e in network.edges]
    jlow, jhigh = min(jaccards), max(jaccards)
    margin_x, margin_y = 70, 30  # room for the labels, which are centred on their circles

    # Stretch the layout to fill the picture.
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1, (max(ys) - min(ys)) or 1
    placed = {
        word: (
            margin_x + (x - min(xs)) / span_x * (width - 2 * margin_x),
            margin_y + (y - min(ys)) / span_y * (height - 2 * margin_y),
        )
        for word, (x, y) in positions.items()
    }
    parts = [head, '<g stroke="#7f7f7f" stroke-opacity="0.7" stroke-linecap="round">']
    labels = {n.word: n.label for n in network.nodes}
    for e in network.edges:
        (x1, y1), (x2, y2) = placed[e.source], placed[e.target]
        stroke = 0.8 + 4.2 * ((e.jaccard - jlow) / (jhigh - jlow) if jhigh > jlow else 0.5)
        tip = f"{labels[e.source]} – {labels[e.target]}: Jaccard {e.jaccard:.2f}"
        parts.append(
            f'<line x1="{_fmt(x1)}" y1="{_fmt(y1)}" x2="{_fmt(x2)}" y2="{_fmt(y2)}" '
            f'stroke-width="{stroke:.2f}"><title>{html.escape(tip)}</title></line>'
        )
    parts.append("</g><g>")
    # Large circles first, so small ones stay visible on top of them.
    for n in sorted(network.nodes, key=lambda n: (-n.count, n.word)):
        x, y = placed[n.word]
        share = math.sqrt((n.count - low) / (high - low)) if high > low else 0.5
        radius = 7 + 17 * share
        tip = f"{n.label}: {n.count}回（{n.documents}件）"
        parts.append(
            f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="{radius:.1f}" '
            f'fill="{community_colour(n.community)}" stroke="#555555" stroke-width="0.8">'
            f"<title>{html.escape(tip)}</title></circle>"
        )
    parts.append('</g><g text-anchor="middle" fill="#111111">')
    for n in network.nodes:
        x, y = placed[n.word]
        # A white halo under each label keeps it legible over lines and other circles.
        parts.append(
            f'<text x="{_fmt(x)}" y="{_fmt(y + 4.5)}" stroke="#ffffff" stroke-width="3" '
            f'stroke-linejoin="round" paint-order="stroke">{html.escape(n.label)}</text>'
        )
    parts.append("</g></svg>")
    return "".join(parts)
