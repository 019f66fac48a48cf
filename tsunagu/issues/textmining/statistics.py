"""Frequent words and co-occurrence, counted in one pass over the texts."""

from collections import Counter
from collections.abc import Callable, Iterable

from .clustering import communities
from .network import Analysis, Edge, Network, Node, WordCount
from .words import Labels, content_words


class _Corpus:
    """Counts gathered in one pass over the texts: everything the text-mining page shows."""

    def __init__(self):
        self.texts = 0
        self.counts: Counter = Counter()
        self.documents: Counter = Counter()
        self.labels = Labels()
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
        community = communities(linked, edges)
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
        words = content_words(text or "")
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
