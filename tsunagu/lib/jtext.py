"""Small helpers for Japanese text that staff type."""

import re
import unicodedata

_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(ord("ぁ"), ord("ゖ") + 1)}
_SPACES = re.compile(r"\s+")
_KANA_READING = re.compile(r"^[ァ-ヶー・　 ]+$")

# Dash look-alikes that Japanese IMEs produce and NFKC leaves alone (ー, the 長音, among them:
# 090ー1234 and 2021ー10 are typed that way).
DASHES = "‐‑‒–—―−ー"
# str.translate table turning each of DASHES into an ASCII hyphen-minus.
DASHES_TO_HYPHEN = str.maketrans(dict.fromkeys(DASHES, "-"))


def normalize(text: str) -> str:
    """NFKC (full-width digits and letters to half-width, half-width kana to full-width),
    with surrounding space trimmed and inner runs of spaces collapsed to one."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text or "")).strip()


def squeeze(text: str) -> str:
    """normalize() with every space removed: for codes, numbers and levels typed with spaces."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text or ""))


def to_katakana(text: str) -> str:
    """A reading in katakana, whatever kana the user typed, so that 50音 sorting is one order."""
    return normalize(text).translate(_HIRAGANA_TO_KATAKANA)


def is_kana_reading(text: str) -> bool:
    return bool(_KANA_READING.match(text))
