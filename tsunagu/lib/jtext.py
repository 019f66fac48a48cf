"""Small helpers for Japanese text that staff type."""

import re
import unicodedata

_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(ord("ぁ"), ord("ゖ") + 1)}
_SPACES = re.compile(r"\s+")
_KANA_READING = re.compile(r"^[ァ-ヶー・　 ]+$")

# Hyphen and dash look-alikes that NFKC leaves alone.
HYPHENS = "‐‑‒–—―−"
# The same with the 長音 ー, which Japanese IMEs produce between digits (090ー1234 and
# 2021ー10 are typed that way).
DASHES = HYPHENS + "ー"
# str.translate table turning each of DASHES into an ASCII hyphen-minus.
DASHES_TO_HYPHEN = str.maketrans(dict.fromkeys(DASHES, "-"))
# Every character read as a dash between digits in text not NFKC'd as a whole: the ASCII one,
# the look-alikes, and the half- and full-width forms NFKC would fold (ｰ, －).
ANY_DASH = "-" + DASHES + "ｰ－"
# 要介護三, 第二: kanji digits as staff type them in levels and schedules.
KANJI_DIGITS = str.maketrans("一二三四五六七八九", "123456789")


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
