"""Similar texts: existing issues that look like the text being written, and untagged case
texts that look alike (perhaps an issue nobody named)."""

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from .words import Labels, Morpheme, check_length, morphemes_of


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
        self.labels = Labels()
        features = []
        df: Counter = Counter()
        for key, text in documents:
            morphemes = [m for m in morphemes_of(text or "", parts=True) if m.content]
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

    def _features(self, morphemes: list[Morpheme]) -> Counter:
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
        morphemes = [m for m in morphemes_of(text or "", parts=True) if m.content]
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
