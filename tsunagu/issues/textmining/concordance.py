"""KWIC: each place a word occurs, with the words around it."""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from .words import morphemes_of


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
    target = tuple(m.norm for m in morphemes_of(unicodedata.normalize("NFKC", word).strip()))
    target = tuple(norm for norm in target if norm.strip())
    if not target:
        return []
    lines = []
    n = len(target)
    for index, text in enumerate(texts):
        if not text:
            continue
        morphemes = [m for m in morphemes_of(text) if m.norm.strip()]
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
