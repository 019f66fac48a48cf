"""SudachiPy, set up once for everything that reads Japanese text word by word (the masking
proposals in confidentiality, the text mining in issues): the dictionary loaded once per
process, a tokenizer per thread, and text cut into pieces Sudachi accepts. No Django.
"""

import functools
import re
import threading
from collections.abc import Collection
from typing import Any

import sudachipy

SplitMode = sudachipy.SplitMode

_local = threading.local()


@functools.cache
def dictionary() -> Any:
    """The system dictionary. Loading it takes a while and lots of memory: once per process."""
    return sudachipy.Dictionary()


def tokenizer(fields: Collection[str] | None = None) -> Any:
    """A split-mode-C tokenizer for this thread (a Tokenizer must not be used from two threads
    at once). `fields` names the only morpheme fields read ("pos", "normalized_form", …),
    which makes tokenising about a third faster; None reads them all."""
    key = frozenset(fields) if fields is not None else None
    tokenizers = _local.__dict__.setdefault("tokenizers", {})
    found = tokenizers.get(key)
    if found is None:
        if key is None:
            found = dictionary().tokenizer(mode=SplitMode.C)
        else:
            found = dictionary().tokenizer(mode=SplitMode.C, fields=set(key))
        tokenizers[key] = found
    return found


@functools.cache
def _piece_pattern(max_chars: int, enders: str) -> re.Pattern[str]:
    return re.compile(
        rf"[^\n]{{1,{max_chars}}}(?:[{re.escape(enders)}]|(?=\n)|$)|[^\n]{{1,{max_chars}}}"
    )


def pieces(text: str, *, max_chars: int, enders: str = "。") -> list[tuple[int, str]]:
    """(offset, piece) to tokenise: the text itself when short, else its lines, and long lines
    in pieces of at most `max_chars` characters that end after one of `enders` where there is
    one. Sudachi refuses input over 49,149 bytes (4 bytes a character at most), and smaller
    pieces keep its lattice small, so a pasted book takes time in proportion to its length."""
    if not text:
        return []
    if len(text) <= max_chars and "\n" not in text:
        return [(0, text)]
    return [(m.start(), m.group()) for m in _piece_pattern(max_chars, enders).finditer(text)]
