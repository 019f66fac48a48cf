"""Words of a text: SudachiPy (tsunagu/lib/morphology.py) in split mode C, content words
compared by their normalised form, stop words, and the limit on what a user may paste."""

import functools
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from tsunagu.lib import morphology

MAX_TEXT_CHARS = 20_000

STOPWORDS_PATH = Path(__file__).resolve().parents[3] / "data" / "textmining" / "stopwords.txt"


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
class Morpheme:
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


def morphemes_of(text: str, parts: bool = False) -> list[Morpheme]:
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
                Morpheme(
                    norm, m.dictionary_form(), base + m.begin(), base + m.end(), content, inner
                )
            )
    return out


def _pieces(text: str) -> list[tuple[int, str]]:
    return morphology.pieces(text, max_chars=_CHUNK_CHARS, enders=_SENTENCE_ENDS)


def content_words(text: str) -> list[tuple[str, str]]:
    """(normalised form, dictionary form) of each content word, in order.

    The same as the content morphemes of morphemes_of(), without offsets: this is the loop that
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
    return [norm for norm, _ in content_words(text)]


class Labels:
    """For each normalised form, the dictionary form seen most often (first seen on a tie)."""

    def __init__(self):
        self._seen: dict[str, Counter] = defaultdict(Counter)

    def add(self, norm: str, lemma: str) -> None:
        self._seen[norm][lemma] += 1

    def __getitem__(self, norm: str) -> str:
        seen = self._seen.get(norm)
        return seen.most_common(1)[0][0] if seen else norm
