"""Finds personal identifiers in free text and proposes a masked version.

Pure functions, no Django: the case forms, the `mask_text` command and the evaluation in
bench/masking_eval.py all call `find()` / `mask()`.

Names and places come from SudachiPy's part-of-speech tags (名詞,固有名詞,人名/地名); numbers,
dates and e-mail addresses from patterns. Patterns run on a normalised copy of the text in
which every character keeps its position, so the offsets reported are offsets into the text
the user typed.
"""

import re
import unicodedata
from dataclasses import dataclass

from tsunagu.lib import morphology
from tsunagu.lib.jtext import ANY_DASH

KIND_LABELS = {
    "name": "氏名",
    "address": "住所",
    "phone": "電話番号",
    "insured_number": "被保険者番号",
    "birth_date": "生年月日",
    "email": "メールアドレス",
}

# On a tie in length the more specific kind wins: a 10-digit number after 被保険者番号 is an
# insured number even though it also looks like a phone number starting with 0.
_PRIORITY = ["email", "insured_number", "birth_date", "phone", "address", "name"]


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str
    replacement: str


@dataclass(frozen=True)
class _Token:
    surface: str
    pos: tuple[str, ...]
    start: int
    end: int
    oov: bool


def _tokens(text: str) -> list[_Token]:
    tokens = []
    for base, piece in morphology.pieces(text, max_chars=4000):
        for m in morphology.tokenizer().tokenize(piece):
            tokens.append(
                _Token(
                    m.surface(),
                    tuple(m.part_of_speech()),
                    base + m.begin(),
                    base + m.end(),
                    m.is_oov(),
                )
            )
    return tokens


# --- Normalisation ---------------------------------------------------------------------------


def _normalise(text: str) -> str:
    """Full-width digits, letters and symbols to ASCII, one character for one character.

    NFKC of the whole text would shift offsets (㍻ → 平成, ｶﾞ → ガ); applied per character and
    kept only where it stays one character, every position still matches the original. Dash
    look-alikes (including the 長音 ー that IMEs produce in 090ー1234ー5678) become "-" only
    between digits, so katakana words stay as they are.
    """
    chars = []
    for c in text:
        n = unicodedata.normalize("NFKC", c)
        chars.append(n if len(n) == 1 else c)
    for i in range(1, len(chars) - 1):
        if chars[i] in ANY_DASH and chars[i - 1].isdigit() and chars[i + 1].isdigit():
            chars[i] = "-"
    return "".join(chars)


# --- Patterns ----------------------------------------------------------------------------------

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")

_PHONE = re.compile(
    r"""(?<![\d\-])(?:
        \(0\d{1,4}\)\ ?\d{1,4}-?\d{3,4}        # (047)361-2211
      | 0\d{1,4}\(\d{1,4}\)\d{3,4}             # 047(361)2211
      | 0\d{1,4}([\-\ ])\d{1,4}\1\d{3,4}       # 047-361-2211, 090 1234 5678
      | 0\d{9,10}                              # 0473612211
    )(?![\d\-])""",
    re.X,
)

_INSURED_KEYWORD = re.compile(
    r"(?:被保険者(?:証)?(?:番号|No\.?|番)?|被保番号?|介保番号|介護保険番号)[^\d\n]{0,6}?"
    r"(?<![\d\-])(\d(?:\ ?\d){9})(?![\d\-])"
)
# Without a keyword: 10 digits not starting with 0 (phones start with 0), not an amount.
_INSURED_BARE = re.compile(r"(?<![\d\-.,])[1-9]\d{9}(?![\d\-.,円万])")

_KANJI_NUM = "〇一二三四五六七八九十"
_N = rf"(?:\d{{1,4}}|元|[{_KANJI_NUM}]{{1,3}})"
_DATE = re.compile(
    rf"""(?:
        (?:明治|大正|昭和|平成|令和)\ ?{_N}年\ ?{_N}月(?:\ ?{_N}日)?    # 昭和15年3月(2日)
      | \d{{4}}年\ ?\d{{1,2}}月(?:\ ?\d{{1,2}}日)?                       # 1940年3月2日
      | [MTSHR]\.?\ ?\d{{1,2}}([./])\d{{1,2}}\1\d{{1,2}}                 # S15.3.2
      | [MTSHR]\.?\ ?\d{{1,2}}年\ ?\d{{1,2}}月(?:\ ?\d{{1,2}}日)?          # S15年3月2日
      | \d{{4}}([./\-])\d{{1,2}}\2\d{{1,2}}                              # 1940/3/2
      | (?P<md>\d{{1,2}}月\ ?\d{{1,2}}日)                                # 3月2日 (keyword only)
    )(?![\d年])""",
    re.X,
)
# A date is a birth date only in these contexts; 令和3年6月1日の会議 is not.
_BIRTH_BEFORE = re.compile(r"(?:生年月日|誕生日|出生日|出生)\ ?(?:は|:)?\ ?\(?\ ?$")
_BIRTH_AFTER = re.compile(r"^\ ?\)?\ ?(?:生まれ|生(?![\u4e00-\u9fffきじかけくさ]))")


def _emails(norm: str) -> list[tuple[str, int, int]]:
    return [("email", m.start(), m.end()) for m in _EMAIL.finditer(norm)]


def _phones(norm: str) -> list[tuple[str, int, int]]:
    found = []
    for m in _PHONE.finditer(norm):
        if sum(c.isdigit() for c in m.group()) in (10, 11):  # Japanese numbers: 10 or 11
            found.append(("phone", m.start(), m.end()))
    return found


def _insured_numbers(norm: str) -> list[tuple[str, int, int]]:
    found = [("insured_number", m.start(1), m.end(1)) for m in _INSURED_KEYWORD.finditer(norm)]
    found += [("insured_number", m.start(), m.end()) for m in _INSURED_BARE.finditer(norm)]
    return found


def _birth_dates(norm: str) -> list[tuple[str, int, int]]:
    found = []
    for m in _DATE.finditer(norm):
        before = _BIRTH_BEFORE.search(norm, max(0, m.start() - 12), m.start())
        after = not m.group("md") and _BIRTH_AFTER.match(norm[m.end() : m.end() + 6])
        if before or after:
            found.append(("birth_date", m.start(), m.end()))
    return found


# --- Addresses -------------------------------------------------------------------------------

_KANA_KANJI = r"[\u3041-\u309f\u30a1-\u30ff\u4e00-\u9fff々〆ヶ]"
# The part of an address that may stay: 都道府県 and 市区町村 (郡+町村, 市+区 of 政令市).
_MUNICIPALITY = re.compile(
    rf"(?:東京都|北海道|京都府|大阪府|{_KANA_KANJI}{{2,3}}?県)?"
    rf"(?:{_KANA_KANJI}{{1,5}}?郡{_KANA_KANJI}{{1,4}}?[町村]"
    rf"|{_KANA_KANJI}{{1,5}}?市(?:{_KANA_KANJI}{{1,4}}?区)?"
    rf"|{_KANA_KANJI}{{1,4}}?区)"
)
_BLOCK_NUM = rf"(?:\d+|[{_KANJI_NUM}百千]+(?=丁目|番|号|条))"
# 3丁目5番2号, 123番地の5, 2-3-4, 1-2-3-201, 南1条西10丁目: numbers joined by units or dashes.
_BLOCK = re.compile(
    rf"[東西南北]?{_BLOCK_NUM}(?:(?:丁目|番地|番|号|条[東西南北]?|-|の)+{_BLOCK_NUM})*"
    r"(?:丁目|番地|番|号室|号)?"
)
_POSTCODE = re.compile(r"〒?\ ?\d{3}-\d{4}\ ?$")


def _is_place(token: _Token) -> bool:
    return token.pos[2] == "地名" or token.surface in ("大字", "字")


# Sudachi splits 松戸市根本|町 and 松戸市上矢切|町: the suffix belongs to the place.
_PLACE_SUFFIXES = ("町", "丁", "村", "台", "新田")
# 松戸市常盤平地区社会福祉協議会, 松戸市小金原団地自治会: the place names an area or a body.
_AREA_WORDS = re.compile(
    "地区|地域|圏域|団地|駅|支所|小学校|中学校|公民館|センター|自治会|町会|社会福祉協議会"
)


def _addresses(text: str, norm: str, tokens: list[_Token]) -> list[tuple[str, int, int]]:
    found = []
    i = 0
    while i < len(tokens):
        if not _is_place(tokens[i]) or tokens[i].surface in ("大字", "字"):
            i += 1
            continue
        # A run of place tokens: 松戸市 / 大字 / 紙敷
        j = i
        while j + 1 < len(tokens) and (
            _is_place(tokens[j + 1]) or tokens[j + 1].surface in _PLACE_SUFFIXES
        ):
            j += 1
        start, end = tokens[i].start, tokens[j].end
        block = _BLOCK.match(norm, end)
        has_block = block and re.search(r"丁目|番|号|条|\d-\d", block.group())
        place = text[start:end]
        muni = _MUNICIPALITY.match(place)
        # Without numbers, a place is an address only if it goes below a municipality named
        # in the same token (松戸市小金原在住); 松戸市 or 小金原地区 alone are not.
        below_municipality = (
            muni is not None
            and re.fullmatch(rf"{_KANA_KANJI}+", place[muni.end() :]) is not None
            and not (j + 1 < len(tokens) and _AREA_WORDS.match(tokens[j + 1].surface))
        )
        if has_block or below_municipality:
            if has_block:
                end = block.end()
            postcode = _POSTCODE.search(norm, max(0, start - 10), start)
            if postcode:
                start = postcode.start()
            found.append(("address", start, end))
        i = j + 1
    return found


def _address_replacement(text: str) -> str:
    body = re.sub(r"^〒?\ ?[\d\-－ー]+[\s　]*", "", text)
    muni = _MUNICIPALITY.match(body)
    return (muni.group() if muni and muni.end() < len(body) else "") + "〇〇"


# --- Names -------------------------------------------------------------------------------------

_HONORIFICS = ("さん", "様", "さま", "氏", "君", "くん", "ちゃん", "殿", "先生")
# A surname on its own is a name when one of these follows: 篠原医師, 浅野（担当ケアマネ）.
_TITLES = re.compile(
    "医師|看護師|保健師|社会福祉士|理学療法士|作業療法士|薬剤師|相談員|"
    "ケアマネ|ケアマネジャー|主任|係長|課長|所長|センター長"
)
# ... or when it follows a label of the minutes: 司会：長谷川, 記録：宮本, 参加者：内田、杉山
_LABELS = re.compile(
    "氏名|司会|記録|記録者|記入者|作成者|報告者|担当|担当者|参加者|出席者|相談者|本人|助言者"
)
# Hiragana names (せつ, とよ), maybe ending in a kanji (ふじ江, ちよ子); not a particle first.
_GIVEN_NAME = re.compile(r"(?![のにでがをへはも])[ぁ-ゖ]{2,3}[子江代枝恵乃美]?")
_NOT_SURNAMES = re.compile(
    "長女|長男|次女|次男|三女|三男|本人|隣人|友人|叔母|叔父|伯母|伯父|息子|主人|家族|近所|隣家"
)
_ANONYMISED = re.compile(r"^[A-Za-zＡ-Ｚａ-ｚ]$")  # A氏, Bさん: already masked


def _is_person(token: _Token) -> bool:
    return (
        token.pos[2] == "人名"
        and not _ANONYMISED.match(token.surface)
        and re.search(_KANA_KANJI, token.surface) is not None
    )


def _is_name_part(token: _Token) -> bool:
    # Also parts Sudachi does not know inside a name: 翔|琉 (琉 unknown), グエン・ティ・ラン.
    return _is_person(token) or (
        token.oov and re.fullmatch(rf"{_KANA_KANJI}{{1,4}}", token.surface) is not None
    )


def _is_honorific(tokens: list[_Token], j: int) -> bool:
    return (
        j < len(tokens)
        and tokens[j].surface in _HONORIFICS
        and tokens[j].pos[0] in ("接尾辞", "名詞")
    )


def _kana_given_name_end(tokens: list[_Token], j: int) -> int:
    """After a surname at j-1: the end of a given name Sudachi read as other words.

    前田|せつ|さん, 新井|と|よ|さん, 矢島|ふじ|江|様: a short kana stretch right before an
    honorific. Returns j when there is none.
    """
    k = j
    while k < len(tokens) and k - j < 3 and not _is_honorific(tokens, k):
        k += 1
    gap = "".join(t.surface for t in tokens[j:k])
    return k if k > j and _is_honorific(tokens, k) and _GIVEN_NAME.fullmatch(gap) else j


def _name_end(tokens: list[_Token], i: int) -> int:
    """The index after a name starting at tokens[i] (honorific excluded); i if none starts."""
    t = tokens[i]
    if _is_person(t):
        # 山田|花子, グエン|・|ティ|・|ラン, 勅使河原| |玄
        j = i + 1
        while j < len(tokens) and (
            _is_name_part(tokens[j])
            or (
                tokens[j].surface in ("・", " ", "　")
                and j + 1 < len(tokens)
                and _is_name_part(tokens[j + 1])
            )
        ):
            j += 1
        return _kana_given_name_end(tokens, j) if j == i + 1 and t.pos[3] == "姓" else j
    # Some surnames come out as places (坂井, 松本) or, before a kana given name, as common
    # nouns (古川|よ|ね|さん). Taken only with an honorific; a common noun only with the given
    # name too, so that 奥さん, 娘さん and 本人さん stay.
    kanji = re.fullmatch(r"[\u4e00-\u9fff]{1,3}", t.surface)
    if t.pos[2] == "地名" and kanji and not re.search(r"[都道府県市区郡]$", t.surface):
        k = _kana_given_name_end(tokens, i + 1)
        return k if k > i + 1 or _is_honorific(tokens, i + 1) else i
    if (
        t.pos[1] == "普通名詞"
        and kanji
        and len(t.surface) > 1
        and not _NOT_SURNAMES.fullmatch(t.surface)
    ):
        k = _kana_given_name_end(tokens, i + 1)
        return k if k > i + 1 else i
    return i


def _after_label(tokens: list[_Token], i: int) -> bool:
    # 参加者：内田（包括）、杉山（市）: walk back over earlier list entries to the label.
    k = i - 1
    while k >= 0 and tokens[k].surface not in (":", "：", "\n"):
        if tokens[k].pos[0] in ("助詞", "動詞", "助動詞") or tokens[k].surface == "。":
            return False
        k -= 1
    return (
        k >= 1
        and tokens[k].surface in (":", "：")
        and _LABELS.fullmatch(tokens[k - 1].surface) is not None
    )


def _signed(tokens: list[_Token], i: int, j: int) -> bool:
    # A surname alone between a space and the end of the line: 居宅介護支援事業所あさひ　増井
    before = i == 0 or tokens[i - 1].pos[0] == "空白" or tokens[i - 1].end < tokens[i].start
    after = j == len(tokens) or tokens[j].pos[0] == "空白" or tokens[j].start > tokens[j - 1].end
    return before and after


def _names(tokens: list[_Token]) -> list[tuple[int, int, str, str]]:
    """(start, end, surname, given name) of every person mentioned."""
    found = []
    i = 0
    while i < len(tokens):
        j = _name_end(tokens, i)
        if j == i:
            i += 1
            continue
        run = tokens[i:j]
        honorific = _is_honorific(tokens, j)
        # 小川|平市 (a municipality read as 姓+名): such a name needs an honorific. Only the
        # given name is checked: 田村, 中村 and 町田 are surnames.
        if not honorific and len(run) > 1 and re.search(r"[都道府県市区町村郡]$", run[-1].surface):
            i = j
            continue
        has_surname = run[0].pos[3] == "姓" or not _is_person(run[0])
        next_word = tokens[j].surface if j < len(tokens) else ""
        # A bare surname needs two characters at least: 金 (Friday) and 全 are surnames too.
        bare_surname = has_surname and len(run[0].surface) > 1
        # Without an honorific only a full name, or a surname where a title, an affiliation in
        # brackets, a label (司会：) or a signature line shows it is a person.
        if (
            honorific
            or (has_surname and any(t.pos[3] == "名" for t in run))
            or (
                bare_surname
                and (
                    _TITLES.fullmatch(next_word)
                    or next_word in ("（", "(")
                    or _after_label(tokens, i)
                    or _signed(tokens, i, j)
                )
            )
        ):
            surname = run[0].surface if has_surname else ""
            given = "".join(t.surface for t in run[1 if has_surname else 0 :]).strip(" 　・")
            found.append(
                (run[0].start, tokens[j].end if honorific else run[-1].end, surname, given)
            )
            j += honorific
        i = j
    return found


def _repeated_names(text: str, tokens: list[_Token], names: list[tuple[int, int, str, str]]):
    """Later mentions of a surname already known to be a person's in this text.

    Sudachi may cut the same surname differently elsewhere (秋元ちずさん, then 秋|元|さ|よ|さん),
    so a known surname followed by an honorific, perhaps after a kana given name, is a
    name wherever it starts a token.
    """
    starts = {t.start for t in tokens}
    surnames = {surname for _, _, surname, _ in names if len(surname) > 1}
    if not surnames:
        return []
    # One pass over the text for all surnames (longest first, as a regex alternation tries
    # them in order), instead of one pass per surname: a long text names many people.
    alternatives = "|".join(re.escape(s) for s in sorted(surnames, key=len, reverse=True))
    pattern = re.compile(
        rf"(?=(?P<surname>{alternatives})(?P<given>{_GIVEN_NAME.pattern})?"
        rf"(?P<honorific>{'|'.join(_HONORIFICS)}))"
    )
    found = []
    for m in pattern.finditer(text):
        if m.start() in starts:
            end = m.end("honorific")
            found.append((m.start(), end, m.group("surname"), m.group("given") or ""))
    return found


def _letter(index: int) -> str:
    return chr(ord("A") + index) if index < 26 else f"Z{index - 24}"


class _People:
    """Gives each distinct person a letter: 山田花子さん and a later 山田さん share one."""

    def __init__(self, text: str):
        # Letters already used for anonymised people in the text (A氏, Bさん) are taken.
        self.taken = set(re.findall(r"(?<![A-Za-z])([A-Z])(?=氏|さん|様|君|ちゃん)", text))
        self.people: list[list[str]] = []  # [letter, surname, given]

    def letter(self, surname: str, given: str) -> str:
        for person in self.people:
            _, sur, giv = person
            same_surname = surname and sur == surname
            if (same_surname and (not given or not giv or giv == given)) or (
                not surname and given and giv == given
            ):
                if given and not giv:
                    person[2] = given
                return person[0]
        index = 0
        used = self.taken | {p[0] for p in self.people}
        while _letter(index) in used:
            index += 1
        self.people.append([_letter(index), surname, given])
        return _letter(index)


# --- Public API --------------------------------------------------------------------------------

_PLACEHOLDERS = {
    "phone": "［電話番号］",
    "insured_number": "［被保険者番号］",
    "birth_date": "［生年月日］",
    "email": "［メール］",
}


def find(text: str) -> list[Finding]:
    """Personal identifiers in `text`, sorted by position and not overlapping."""
    if not text:
        return []
    norm = _normalise(text)
    tokens = _tokens(text)
    names = _names(tokens)
    names = {(s, e): (sur, giv) for s, e, sur, giv in names + _repeated_names(text, tokens, names)}
    candidates = (
        _emails(norm)
        + _phones(norm)
        + _insured_numbers(norm)
        + _birth_dates(norm)
        + _addresses(text, norm, tokens)
        + [("name", s, e) for s, e in names]
    )
    # Longest first, then the more specific kind; keep what does not overlap a kept one.
    candidates.sort(key=lambda c: (c[1] - c[2], _PRIORITY.index(c[0]), c[1]))
    kept: list[tuple[str, int, int]] = []
    # Characters already inside a kept finding: checking a candidate costs its own length,
    # not the number of findings so far (a long text has thousands).
    taken = bytearray(len(text))
    for kind, s, e in candidates:
        if not any(taken[s:e]):
            kept.append((kind, s, e))
            taken[s:e] = b"\x01" * (e - s)
    kept.sort(key=lambda c: c[1])

    people = _People(norm)
    findings = []
    for kind, s, e in kept:
        if kind == "name":
            # 篠原医師 → A医師, not A氏医師
            titled = _TITLES.match(text, e) is not None
            replacement = people.letter(*names[(s, e)]) + ("" if titled else "氏")
        elif kind == "address":
            replacement = _address_replacement(text[s:e])
        else:
            replacement = _PLACEHOLDERS[kind]
        findings.append(Finding(kind, s, e, text[s:e], replacement))
    return findings


def mask(text: str) -> tuple[str, list[Finding]]:
    """The text with every identifier replaced, and the findings that were replaced."""
    findings = find(text)
    parts, pos = [], 0
    for f in findings:
        parts += [text[pos : f.start], f.replacement]
        pos = f.end
    parts.append(text[pos:])
    return "".join(parts), findings
