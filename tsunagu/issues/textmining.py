"""Text mining over meeting records: frequent words, KWIC, co-occurrence network, suggestions.

Pure Python, no Django: the issues app's views and background jobs, the tests and the
evaluations in bench/ all call these functions. Words come from SudachiPy (split mode C) and
are compared by their normalised form, so 行か, 行っ and 行く are one word, and ゴミ出し and
ごみ出し too. What people read is the most frequent dictionary form seen for that normalised
form (ゴミ出し, not Sudachi's 塵出し).

- `tokenize(text)`: the content words of a text (nouns, verbs, adjectives), stop words removed.
- `frequent_words`, `kwic`, `cooccurrence` (+ `network_svg`) and `analyse` (all in one pass,
  with progress) for the text-mining page.
- `SimilarityIndex`: existing issues that look like the text being written.
- `candidate_groups`: untagged case texts that look alike, i.e. perhaps an issue nobody named.

Inputs typed or pasted by a user go through `check_length` first; long stored records are
still tokenised piece by piece, never as one huge string (SudachiPy refuses long input).
"""

import functools
import html
import math
import random
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path

from tsunagu.lib import morphology

MAX_TEXT_CHARS = 20_000

STOPWORDS_PATH = Path(__file__).resolve().parents[2] / "data" / "textmining" / "stopwords.txt"


class TextTooLong(ValueError):
    """A text typed or pasted by a user is longer than MAX_TEXT_CHARS."""

    def __init__(self, length: int, limit: int = MAX_TEXT_CHARS):
        self.length = length
        self.limit = limit
        super().__init__(
            f"文章が長すぎます（{length:,}文字）。{limit:,}文字以内に分けて入力してください。"
        )


def check_length(text: str | None, limit: int = MAX_TEXT_CHARS) -> None:
    """Raise TextTooLong when the text is over the limit (the caller shows the message)."""
    if text and len(text) > limit:
        raise TextTooLong(len(text), limit)


# --- SudachiPy (tsunagu/lib/morphology.py) ----------------------------------------------

# Only the fields read here: tokenising is about a third faster.
_FIELDS = ("pos", "normalized_form", "dictionary_form", "split_a")


@functools.cache
def _is_content_pos(pos_id: int) -> bool:
    """Nouns (サ変 too), verbs, adjectives and 形状詞 (na-adjectives).

    Left out: numerals, personal names (a frequent-word list must not become a list of the
    people discussed), 助動詞語幹 (よう, そう), and everything that is not one of these four
    classes (particles, auxiliaries, symbols, pronouns, adverbs, prefixes, suffixes).
    """
    pos = morphology.dictionary().pos_of(pos_id)
    if pos[0] == "名詞":
        return pos[1] != "数詞" and not (pos[1] == "固有名詞" and pos[2] == "人名")
    if pos[0] == "形状詞":
        return pos[1] != "助動詞語幹"
    return pos[0] in ("動詞", "形容詞")


@functools.cache
def stopwords() -> frozenset[str]:
    words = set()
    for line in STOPWORDS_PATH.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.add(unicodedata.normalize("NFKC", word))
    return frozenset(words)


# Pieces of at most 2,000 characters that end after a sentence where they can.
_CHUNK_CHARS = 2000
_SENTENCE_ENDS = "。！？!?"

_MEANINGLESS = re.compile(r"[\W\d_ぁ-んァ-ンー]")  # a single one of these is not a word


@dataclass(frozen=True)
class _Morpheme:
    norm: str  # normalised form, NFKC: what words are compared by
    lemma: str  # dictionary form: what people read
    begin: int  # offsets into the text as given
    end: int
    content: bool  # a content word that is not a stop word
    parts: tuple[str, ...] = ()  # content words inside a compound (only when asked for)


def _is_content(norm: str, pos_id: int) -> bool:
    return (
        _is_content_pos(pos_id)
        and norm not in stopwords()
        and not (len(norm) == 1 and _MEANINGLESS.match(norm))
        and not norm.isdigit()
    )


def _morphemes(text: str, parts: bool = False) -> list[_Morpheme]:
    """Every morpheme of the text; offsets refer to the text as given.

    Sudachi normalises width itself while tokenising (ｺﾐｭﾆﾃｨﾊﾞｽ and Ｂａｓ are found), and
    its offsets stay in the original text, which KWIC needs; the normalised forms are NFKC'd
    once more for the out-of-vocabulary words it copies from the input.

    With parts=True, a compound content word also lists the content words it is made of in
    Sudachi's short units (成年後見制度 → 成年, 後見, 制度), for the similarity index.
    """
    out = []
    for base, piece in _pieces(text):
        for m in morphology.tokenizer(_FIELDS).tokenize(piece):
            norm = unicodedata.normalize("NFKC", m.normalized_form())
            content = _is_content(norm, m.part_of_speech_id())
            inner = ()
            if parts and content:
                split = m.split(morphology.SplitMode.A)
                if len(split) > 1:
                    inner = tuple(
                        part
                        for p in split
                        if _is_content(
                            part := unicodedata.normalize("NFKC", p.normalized_form()),
                            p.part_of_speech_id(),
                        )
                    )
            out.append(
                _Morpheme(
                    norm, m.dictionary_form(), base + m.begin(), base + m.end(), content, inner
                )
            )
    return out


def _pieces(text: str) -> list[tuple[int, str]]:
    return morphology.pieces(text, max_chars=_CHUNK_CHARS, enders=_SENTENCE_ENDS)


def _words(text: str) -> list[tuple[str, str]]:
    """(normalised form, dictionary form) of each content word, in order.

    The same as the content morphemes of _morphemes(), without offsets: this is the loop that
    analyse() runs over tens of thousands of texts, so it builds no objects it does not need.
    """
    words = []
    tokenizer = morphology.tokenizer(_FIELDS)
    normalize = unicodedata.normalize
    for _, piece in _pieces(text):
        for m in tokenizer.tokenize(piece):
            norm = normalize("NFKC", m.normalized_form())
            if _is_content(norm, m.part_of_speech_id()):
                words.append((norm, m.dictionary_form()))
    return words


def tokenize(text: str) -> list[str]:
    """Normalised forms of the content words of the text, in order, stop words removed."""
    return [norm for norm, _ in _words(text)]


class _Labels:
    """For each normalised form, the dictionary form seen most often (first seen on a tie)."""

    def __init__(self):
        self._seen: dict[str, Counter] = defaultdict(Counter)

    def add(self, norm: str, lemma: str) -> None:
        self._seen[norm][lemma] += 1

    def __getitem__(self, norm: str) -> str:
        seen = self._seen.get(norm)
        return seen.most_common(1)[0][0] if seen else norm


# --- Frequent words and co-occurrence -----------------------------------------------------------


@dataclass(frozen=True)
class WordCount:
    word: str  # normalised form: pass it to kwic()
    count: int  # occurrences in all texts
    documents: int  # texts it occurs in
    label: str = ""  # what to show; the normalised form when empty

    @property
    def display(self) -> str:
        return self.label or self.word


@dataclass(frozen=True)
class Node:
    word: str
    label: str
    count: int
    documents: int
    community: int  # 0 is the largest community


@dataclass(frozen=True)
class Edge:
    source: str  # normalised forms, as in Node.word
    target: str
    jaccard: float
    documents: int  # texts that contain both words


@dataclass(frozen=True)
class Network:
    nodes: list[Node]
    edges: list[Edge]


@dataclass(frozen=True)
class Analysis:
    texts: int
    words: list[WordCount]
    network: Network
    tokens: list[list[str]] | None = None  # only with keep_tokens=True


class _Corpus:
    """Counts gathered in one pass over the texts: everything the text-mining page shows."""

    def __init__(self):
        self.texts = 0
        self.counts: Counter = Counter()
        self.documents: Counter = Counter()
        self.labels = _Labels()
        self._ids: dict[str, int] = {}
        # The set of words of each text, as small integers: all that Jaccard coefficients
        # need, and much smaller than keeping the token lists.
        self._sets: list[tuple[int, ...]] = []

    def add(self, words: list[tuple[str, str]]) -> None:
        self.texts += 1
        ids = set()
        for norm, lemma in words:
            self.counts[norm] += 1
            self.labels.add(norm, lemma)
            ids.add(self._ids.setdefault(norm, len(self._ids)))
        for norm in {norm for norm, _ in words}:
            self.documents[norm] += 1
        self._sets.append(tuple(sorted(ids)))

    def frequent(self, top: int, min_documents: int = 1) -> list[WordCount]:
        found = [w for w in self.counts if self.documents[w] >= min_documents]
        ranked = sorted(found, key=lambda w: (-self.counts[w], -self.documents[w], w))
        return [
            WordCount(w, self.counts[w], self.documents[w], self.labels[w]) for w in ranked[:top]
        ]

    def network(self, top: int, min_documents: int, max_edges: int) -> Network:
        """KH Coder's co-occurrence network: the `top` words found in most texts (at least
        `min_documents`), joined by their `max_edges` strongest Jaccard coefficients,
        J(a, b) = texts with both / texts with either."""
        candidates = [w for w in self.documents if self.documents[w] >= min_documents]
        candidates.sort(key=lambda w: (-self.documents[w], -self.counts[w], w))
        chosen = candidates[:top]
        index = {self._ids[w]: i for i, w in enumerate(chosen)}
        together: Counter = Counter()
        for ids in self._sets:
            present = [index[i] for i in ids if i in index]
            for x in range(len(present)):
                for y in range(x + 1, len(present)):
                    a, b = present[x], present[y]
                    together[(a, b) if a < b else (b, a)] += 1
        edges = []
        for (a, b), both in together.items():
            wa, wb = chosen[a], chosen[b]
            union = self.documents[wa] + self.documents[wb] - both
            edges.append(Edge(wa, wb, both / union, both))
        # Strongest first; ties by co-occurrence, then by the words' rank: deterministic.
        rank = {w: i for i, w in enumerate(chosen)}
        edges.sort(key=lambda e: (-e.jaccard, -e.documents, rank[e.source], rank[e.target]))
        edges = edges[:max_edges]
        # Like KH Coder, only words that keep at least one edge are drawn.
        linked = [w for w in chosen if any(w in (e.source, e.target) for e in edges)]
        community = _communities(linked, edges)
        nodes = [
            Node(w, self.labels[w], self.counts[w], self.documents[w], community[w]) for w in linked
        ]
        return Network(nodes, edges)


def _corpus(texts: Iterable[str], on_progress=None, every=500, keep_tokens=False, total=None):
    corpus = _Corpus()
    tokens = [] if keep_tokens else None
    if total is None and isinstance(texts, list | tuple):
        total = len(texts)
    for done, text in enumerate(texts, start=1):
        words = _words(text or "")
        corpus.add(words)
        if tokens is not None:
            tokens.append([norm for norm, _ in words])
        if on_progress and done % every == 0 and done != total:
            on_progress(done, total)
    if on_progress:  # always once at the end, with the true count
        on_progress(corpus.texts, corpus.texts)
    return corpus, tokens


def frequent_words(texts: Iterable[str], top: int = 50) -> list[WordCount]:
    """The `top` words by number of occurrences (ties: more texts, then the word)."""
    corpus, _ = _corpus(texts)
    return corpus.frequent(top)


def cooccurrence(
    texts: Iterable[str], top: int = 60, min_documents: int = 2, max_edges: int = 120
) -> Network:
    """Co-occurrence network of the most widespread words; one text is one document."""
    corpus, _ = _corpus(texts)
    return corpus.network(top, min_documents, max_edges)


def analyse(
    texts: Iterable[str],
    on_progress: Callable[[int, int | None], None] | None = None,
    top: int = 50,
    network_top: int = 60,
    min_documents: int = 2,
    max_edges: int = 120,
    every: int = 500,
    keep_tokens: bool = False,
    total: int | None = None,
    word_min_documents: int = 1,
) -> Analysis:
    """Frequent words and co-occurrence network from one tokenisation of every text.

    on_progress(done, total) is called every `every` texts and once at the end, so that a
    background job can show a progress bar. `total` is the number of texts when the input is
    not a list (a generator over a query: pass the count); otherwise None is reported until the
    end. Texts are read one at a time, so an iterator keeps memory flat. Only words found in
    at least `word_min_documents` texts are listed (and `min_documents` for the network).
    """
    corpus, tokens = _corpus(texts, on_progress, every, keep_tokens, total)
    return Analysis(
        corpus.texts,
        corpus.frequent(top, word_min_documents),
        corpus.network(network_top, min_documents, max_edges),
        tokens,
    )


def _communities(nodes: list[str], edges: list[Edge]) -> dict[str, int]:
    """Greedy modularity (Clauset, Newman & Moore 2004) on the Jaccard-weighted graph.

    Start with one community per word and keep merging the two linked communities whose merger
    raises modularity Q most; stop when no merger raises it. Ties go to the pair that comes
    first in the order of `nodes`, so the result is deterministic. A network has at most a few
    dozen nodes, so the simple O(n³) loop is fine. Communities are numbered by size (largest
    first, then by their first word), which fixes their colours.
    """
    total = sum(e.jaccard for e in edges)
    if not nodes or total == 0:
        return {w: i for i, w in enumerate(nodes)}
    two_m = 2 * total
    member = {w: i for i, w in enumerate(nodes)}
    # e[i][j]: fraction of edge ends between communities i and j; a[i]: fraction of all ends.
    between: dict[int, dict[int, float]] = defaultdict(dict)
    a = defaultdict(float)
    for e in edges:
        i, j = member[e.source], member[e.target]
        between[i][j] = between[i].get(j, 0.0) + e.jaccard / two_m
        between[j][i] = between[j].get(i, 0.0) + e.jaccard / two_m
        a[i] += e.jaccard / two_m
        a[j] += e.jaccard / two_m
    groups = {i: [w] for i, w in enumerate(nodes)}
    while True:
        best = None
        for i in sorted(between):
            for j in sorted(between[i]):
                if j <= i:
                    continue
                gain = 2 * (between[i][j] - a[i] * a[j])
                if gain > 1e-12 and (best is None or gain > best[0] + 1e-12):
                    best = (gain, i, j)
        if best is None:
            break
        _, i, j = best
        # Merge j into i.
        for k, value in between.pop(j).items():
            if k == i:
                continue
            between[i][k] = between[i].get(k, 0.0) + value
            between[k][i] = between[k].get(i, 0.0) + value
            del between[k][j]
        between[i].pop(j, None)
        a[i] += a.pop(j)
        groups[i].extend(groups.pop(j))
    position = {w: n for n, w in enumerate(nodes)}
    ordered = sorted(groups.values(), key=lambda g: (-len(g), min(position[w] for w in g)))
    return {w: number for number, group in enumerate(ordered) for w in group}


# --- KWIC -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kwic:
    left: str
    keyword: str
    right: str
    index: int  # position of the text in the input


def _one_line(text: str) -> str:
    return re.sub(r"\s", " ", text)


def kwic(texts: Iterable[str], word: str, width: int = 20, limit: int = 200) -> list[Kwic]:
    """Each occurrence of `word` with `width` characters of the text on either side.

    The word is matched by normalised form, so 行く finds 行か and 行っ, and ゴミ出し finds
    ごみ出し; a phrase of several words (生活 支援 or 生活支援) matches where they follow each
    other.
    At most `limit` lines are returned.
    """
    target = tuple(m.norm for m in _morphemes(unicodedata.normalize("NFKC", word).strip()))
    target = tuple(norm for norm in target if norm.strip())
    if not target:
        return []
    lines = []
    n = len(target)
    for index, text in enumerate(texts):
        if not text:
            continue
        morphemes = [m for m in _morphemes(text) if m.norm.strip()]
        for i in range(len(morphemes) - n + 1):
            if tuple(m.norm for m in morphemes[i : i + n]) != target:
                continue
            begin, end = morphemes[i].begin, morphemes[i + n - 1].end
            lines.append(
                Kwic(
                    _one_line(text[max(0, begin - width) : begin]),
                    _one_line(text[begin:end]),
                    _one_line(text[end : end + width]),
                    index,
                )
            )
            if len(lines) >= limit:
                return lines
    return lines


# --- Network drawing ------------------------------------------------------------------------------

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


def _layout(network: Network, seed: int = 20240601, iterations: int = 300):
    """Fruchterman–Reingold force-directed layout in the unit square, with a fixed seed.

    Linked words attract each other in proportion to their Jaccard coefficient, all words repel
    each other, and a weak pull towards the centre keeps separate components in view.
    """
    words = [n.word for n in network.nodes]
    count = len(words)
    if count == 0:
        return {}
    if count == 1:
        return {words[0]: (0.5, 0.5)}
    rng = random.Random(seed)
    pos = [[rng.random(), rng.random()] for _ in words]
    index = {w: i for i, w in enumerate(words)}
    strongest = max(e.jaccard for e in network.edges)
    springs = [(index[e.source], index[e.target], e.jaccard / strongest) for e in network.edges]
    k = math.sqrt(1.0 / count)
    temperature = 0.1
    for step in range(iterations):
        disp = [[0.0, 0.0] for _ in words]
        for i in range(count):
            xi, yi = pos[i]
            for j in range(i + 1, count):
                dx, dy = xi - pos[j][0], yi - pos[j][1]
                dist2 = dx * dx + dy * dy or 1e-9
                force = k * k / dist2  # k²/d, along (dx, dy)/d
                disp[i][0] += dx * force
                disp[i][1] += dy * force
                disp[j][0] -= dx * force
                disp[j][1] -= dy * force
        for i, j, weight in springs:
            dx, dy = pos[i][0] - pos[j][0], pos[i][1] - pos[j][1]
            dist = math.hypot(dx, dy) or 1e-9
            force = dist * weight / k  # d²/k, along (dx, dy)/d
            disp[i][0] -= dx * force
            disp[i][1] -= dy * force
            disp[j][0] += dx * force
            disp[j][1] += dy * force
        limit = temperature * (1 - step / iterations) + 0.001
        for i in range(count):
            disp[i][0] -= (pos[i][0] - 0.5) * 0.5 * k * count
            disp[i][1] -= (pos[i][1] - 0.5) * 0.5 * k * count
            length = math.hypot(*disp[i]) or 1e-9
            move = min(length, limit) / length
            pos[i][0] += disp[i][0] * move
            pos[i][1] += disp[i][1] * move
    return {w: (pos[i][0], pos[i][1]) for w, i in index.items()}


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
    positions = _layout(network)
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


# --- Similar texts ------------------------------------------------------------------------


def _bigrams(words: Iterable[str]) -> list[str]:
    """Character bigrams inside each word: 認知症初期集中支援チーム still shares 認知 and 知症
    with 認知症, and a word Sudachi splits differently in two texts still matches in part."""
    grams = []
    for w in words:
        grams.extend(w[i : i + 2] for i in range(len(w) - 1))
    return grams


class SimilarityIndex:
    """TF-IDF cosine similarity over words, blended with character bigrams inside words.

    score = word_weight × cos(words) + (1 − word_weight) × cos(bigrams), each part with
    sublinear tf (1 + log tf) and smoothed idf (log((1+N)/(1+df)) + 1). With parts=True the
    words inside compounds count too (介護保険料 also counts as 介護 and 保険). Documents
    without any content word are kept but never suggested; an empty query suggests nothing.

    word_weight 0.7 and parts=True were chosen on the dev half of bench/suggest_eval.py.
    """

    def __init__(
        self,
        documents: Iterable[tuple[Hashable, str]],
        word_weight: float = 0.7,
        parts: bool = True,
    ) -> None:
        self.word_weight = word_weight
        self.parts = parts
        self.keys: list[Hashable] = []
        self.words: list[list[str]] = []
        self.labels = _Labels()
        features = []
        df: Counter = Counter()
        for key, text in documents:
            morphemes = [m for m in _morphemes(text or "", parts=True) if m.content]
            for m in morphemes:
                self.labels.add(m.norm, m.lemma)
            norms = [m.norm for m in morphemes]
            counts = self._features(morphemes)
            self.keys.append(key)
            self.words.append(norms)
            features.append(counts)
            df.update(counts.keys())
        self.size = len(self.keys)
        self.idf = {f: math.log((1 + self.size) / (1 + n)) + 1 for f, n in df.items()}
        self._unseen_idf = math.log(1 + self.size) + 1
        self.vectors = [self._weigh(counts) for counts in features]
        # Inverted index: feature -> [(document, weight)], so a query only visits documents
        # that share something with it.
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for number, vector in enumerate(self.vectors):
            for f, weight in vector.items():
                self.postings[f].append((number, weight))

    def _features(self, morphemes: list[_Morpheme]) -> Counter:
        norms = [m.norm for m in morphemes]
        counts = Counter("w:" + w for w in norms)
        if self.parts:
            # The parts of a compound count as words too: 介護保険料 shares 保険 with 介護保険.
            counts.update("w:" + p for m in morphemes for p in m.parts if p != m.norm)
        counts.update("c:" + g for g in _bigrams(norms))
        return counts

    def _weigh(self, counts: Counter) -> dict[str, float]:
        # Each block is L2-normalised and scaled by √weight, so that one dot product gives
        # the blended score.
        vector = {}
        for prefix, share in (("w:", self.word_weight), ("c:", 1 - self.word_weight)):
            block = {
                f: (1 + math.log(n)) * self.idf.get(f, self._unseen_idf)
                for f, n in counts.items()
                if f.startswith(prefix)
            }
            norm = math.sqrt(sum(v * v for v in block.values()))
            if norm and share > 0:
                scale = math.sqrt(share) / norm
                vector.update((f, v * scale) for f, v in block.items())
        return vector

    def _scores(self, vector: dict[str, float]) -> dict[int, float]:
        scores: dict[int, float] = defaultdict(float)
        for f, weight in vector.items():
            for number, other in self.postings.get(f, ()):
                scores[number] += weight * other
        return scores

    def query(self, text: str, k: int = 3) -> list[tuple[Hashable, float]]:
        """The k documents most similar to the text, best first, as (key, score in 0..1).

        Raises TextTooLong for text over MAX_TEXT_CHARS. Documents sharing nothing with the
        text are never suggested, so fewer than k (or none) may come back.
        """
        check_length(text)
        morphemes = [m for m in _morphemes(text or "", parts=True) if m.content]
        if not morphemes:
            return []
        scores = self._scores(self._weigh(self._features(morphemes)))
        ranked = sorted(
            ((s, n) for n, s in scores.items() if s > 1e-9), key=lambda sn: (-sn[0], sn[1])
        )
        return [(self.keys[n], round(min(s, 1.0), 4)) for s, n in ranked[:k]]


@dataclass(frozen=True)
class Group:
    keys: list  # the texts' keys, the group's centre first
    words: list[str]  # its characteristic words, as shown to people


def candidate_groups(
    items: Iterable[tuple[Hashable, str]],
    min_size: int = 3,
    threshold: float = 0.15,
    words: int = 5,
    min_shared: int = 2,
    word_weight: float = 0.7,
) -> list[Group]:
    """Groups of texts that look alike: maybe one community issue nobody has named yet.

    Two texts are neighbours when their similarity (as in SimilarityIndex) is at least
    `threshold` and they share at least `min_shared` words (one common word such as 高齢者 is
    not yet a common issue). The text with most unassigned neighbours becomes a group's
    centre and takes those neighbours with it; this repeats while a centre still has
    min_size − 1 neighbours.
    Every member is thus close to its centre (no long chains), and ties go to the earlier
    text, so the result is deterministic. Each group comes with its characteristic words:
    those shared by most of its members, weighted by how rare they are overall.

    Cost grows with the square of the number of texts that share words: meant for the
    hundreds to few thousand case texts of one area and period, in a background job.
    """
    index = SimilarityIndex(items, word_weight=word_weight)
    size = index.size
    sets = [set(w) for w in index.words]
    neighbours = []
    for number in range(size):
        scores = index._scores(index.vectors[number])
        neighbours.append(
            {
                n
                for n, s in scores.items()
                if n != number and s >= threshold and len(sets[n] & sets[number]) >= min_shared
            }
        )
    free = set(range(size))
    groups = []
    while True:
        best = None
        for number in sorted(free):
            degree = len(neighbours[number] & free)
            if best is None or degree > best[0]:
                best = (degree, number)
        if best is None or best[0] + 1 < min_size:
            break
        _, centre = best
        members = [centre, *sorted(neighbours[centre] & free)]
        free.difference_update(members)
        groups.append(
            Group([index.keys[n] for n in members], _characteristic(index, members, words))
        )
    return groups


def _characteristic(index: SimilarityIndex, members: list[int], top: int) -> list[str]:
    shared: Counter = Counter()
    for number in members:
        shared.update(set(index.words[number]))
    ranked = sorted(
        (w for w, n in shared.items() if n >= 2 or len(members) == 1),
        key=lambda w: (-shared[w] * index.idf.get("w:" + w, 0.0), w),
    )
    return [index.labels[w] for w in ranked[:top]]
