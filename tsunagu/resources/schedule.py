"""Reading the schedules staff write for resources, such as 「第2・第4火曜 10:00–12:00」.

The text stays as typed (it is what residents read); this module turns it into rules that
searches and the HSDS export can use, or says in Japanese why it cannot. It understands:

- weekly days: 「毎週月・木 9:00〜12:00」「月・水・金」「月〜金」「平日」「土日」「毎日」
- days of the n-th week: 「第2・第4火曜 10:00–12:00」「第1月曜と第3木曜」「最終金曜」
- days of the month: 「毎月15日 10:00〜11:30」
- a count before the days, which is only read past: 「月1回（第3土曜）13:30〜15:30」
- several times or clauses: 「月 9:00〜12:00、13:00〜15:00」「月 9:00〜12:00／木 13:00〜15:00」
- no fixed days: 「随時」「要相談」「応相談」「不定期」; remarks such as 「要予約」「申込制」
  「お問い合わせください」 are read past (alone, they too mean no fixed days)

Not 隔週: every other week needs a first date to know which weeks, which a line of text does
not give; staff are asked to write the weeks of the month instead. Holidays (祝日) cannot be
expressed as rules and are read past.

Pure Python, no Django: the importer and the form both call `parse_schedule`.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from tsunagu.lib.jtext import HYPHENS, KANJI_DIGITS

WEEKDAYS = "月火水木金土日"  # date.weekday(): 月=0 … 日=6
ICAL_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
ALL_DAYS_MASK = 0b1111111
LAST = -1  # 「最終」: the last such weekday of the month
ANYTIME_WORDS = ("随時", "要相談", "応相談", "不定期")
EXAMPLES = (
    "「毎週月・木 9:00〜12:00」「第2・第4火曜 10:00〜12:00」「平日 11:00〜13:00」"
    "「毎月15日 10:00〜11:30」「随時」"
)
# Japan has one time zone and no daylight saving: every time is +09:00 (HSDS asks for it).
UTC_OFFSET = "+09:00"
UTC_OFFSET_HOURS = 9


class ScheduleError(ValueError):
    """Text that cannot be read as a schedule; the message is meant for staff."""


@dataclass(frozen=True)
class Rule:
    """Days with the same opening hours.

    days: (week, weekday) pairs; week 0 is every week, 1–5 the n-th in the month, -1 the last.
    month_days: days of the month (毎月15日). opens/closes: "HH:MM", or "" when not given.
    """

    days: tuple[tuple[int, int], ...] = ()
    month_days: tuple[int, ...] = ()
    opens: str = ""
    closes: str = ""

    @property
    def weekday_mask(self) -> int:
        if self.month_days:
            return ALL_DAYS_MASK  # The 15th falls on any weekday.
        mask = 0
        for _week, weekday in self.days:
            mask |= 1 << weekday
        return mask

    def as_dict(self) -> dict:
        return {
            "days": [list(pair) for pair in self.days],
            "month_days": list(self.month_days),
            "opens": self.opens,
            "closes": self.closes,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Rule":
        return cls(
            days=tuple(tuple(pair) for pair in data.get("days", [])),
            month_days=tuple(data.get("month_days", [])),
            opens=data.get("opens", ""),
            closes=data.get("closes", ""),
        )

    def summary(self) -> str:
        """The rule written back in one normal form: 「第2・第4火 10:00〜12:00」."""
        parts = []
        weekly = [d for w, d in self.days if w == 0]
        if len(weekly) == 7:
            parts.append("毎日")
        elif weekly:
            parts.append("毎週" + "・".join(WEEKDAYS[d] for d in weekly))
        by_weekday: dict[int, list[int]] = {}
        for week, weekday in self.days:
            if week != 0:
                by_weekday.setdefault(weekday, []).append(week)
        for weekday, weeks in by_weekday.items():
            nth = "・".join("最終" if w == LAST else f"第{w}" for w in weeks)
            parts.append(f"{nth}{WEEKDAYS[weekday]}")
        if self.month_days:
            parts.append("毎月" + "・".join(f"{n}日" for n in self.month_days))
        hours = f"{self.opens}〜{self.closes}" if self.opens or self.closes else ""
        return "、".join(parts) + (f" {hours}" if hours else "")

    def hsds(self) -> list[dict]:
        """The rule as HSDS 3.0 schedule fields (RFC 5545 style); one dict per RRULE.

        A rule mixing every-week days with n-th-week days needs two RRULEs, since BYDAY with
        a week number is only allowed with FREQ=MONTHLY.
        """
        times = {}
        if self.opens:
            times["opens_at"] = self.opens + UTC_OFFSET
        if self.closes:
            times["closes_at"] = self.closes + UTC_OFFSET
        out = []
        weekly = [d for w, d in self.days if w == 0]
        nth = [(w, d) for w, d in self.days if w != 0]
        if weekly:
            byday = ",".join(ICAL_DAYS[d] for d in weekly)
            out.append({"freq": "WEEKLY", "wkst": "MO", "byday": byday, **times})
        if nth:
            byday = ",".join(f"{w}{ICAL_DAYS[d]}" for w, d in nth)
            out.append({"freq": "MONTHLY", "wkst": "MO", "byday": byday, **times})
        if self.month_days:
            bymonthday = ",".join(str(n) for n in self.month_days)
            out.append({"freq": "MONTHLY", "wkst": "MO", "bymonthday": bymonthday, **times})
        return out


@dataclass(frozen=True)
class Schedule:
    text: str
    rules: tuple[Rule, ...] = ()
    anytime: bool = False  # 随時・要相談: not bound to days

    @property
    def is_empty(self) -> bool:
        return not self.rules and not self.anytime

    @property
    def weekday_mask(self) -> int:
        """Bit n set: runs on weekday n (月=bit 0). Anytime runs every day; empty, no day."""
        if self.anytime:
            return ALL_DAYS_MASK
        mask = 0
        for rule in self.rules:
            mask |= rule.weekday_mask
        return mask

    def as_dict(self) -> dict:
        return {"rules": [rule.as_dict() for rule in self.rules], "anytime": self.anytime}

    @classmethod
    def from_dict(cls, text: str, data: dict | None) -> "Schedule":
        data = data or {}
        rules = tuple(Rule.from_dict(rule) for rule in data.get("rules", []))
        return cls(text=text, rules=rules, anytime=bool(data.get("anytime")))

    def summary(self) -> str:
        if self.anytime:
            return "随時（曜日の定めなし）"
        return " ／ ".join(rule.summary() for rule in self.rules)


# --- Parsing -------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<anytime>随時|要相談|応相談|不定期)
  | (?P<note>要予約|要申込み?|予約制|申込制|予約|申込み?|お?問い?合わせ(?:ください)?)
  | (?P<biweekly>隔週)
  | (?P<time_range>(?P<h1>\d{1,2}):(?P<m1>\d{2})\s*~\s*(?:(?P<h2>\d{1,2}):(?P<m2>\d{2}))?)
  | (?P<time>(?P<h3>\d{1,2}):(?P<m3>\d{2}))
  | (?P<nth>第\s*(?:\d|最終)(?:\s*[・,、と]\s*第?\s*(?:\d|最終))*)
  | (?P<last>最終|最後の)
  | (?P<every_week>毎週)
  | (?P<every_month>毎月)
  | (?P<daily>毎日)
  | (?P<weekdays>平日)
  | (?P<weekend>土日|週末)
  | (?P<month_day>(?P<md>\d{1,2})日)
  | (?P<day_range>(?P<d1>[月火水木金土日])\s*~\s*(?P<d2>[月火水木金土日]))
  | (?P<day>[月火水木金土日])
  | (?P<clause_sep>[/;])
  | (?P<sep>[\s・,、と]+|及び)
    """,
    re.VERBOSE,
)


# 9:00〜12:00, 月から金: every dash that is not the 長音 marks a range (NFKC made ～ a ~).
_RANGE_MARK = re.compile(f"[〜~\\-{HYPHENS}]|から")


def _prepare(text: str) -> str:
    """One spelling for what staff write many ways (full-width, 時・分, dashes, 曜日)."""
    s = unicodedata.normalize("NFKC", text)
    s = s.translate(KANJI_DIGITS)
    s = s.replace("曜日", "曜")
    s = re.sub(r"([月火水木金土日])曜", r"\1", s)
    s = s.replace("正午", "12:00")
    s = re.sub(r"(\d{1,2})時(\d{1,2})分", lambda m: f"{m[1]}:{int(m[2]):02d}", s)
    s = re.sub(r"(\d{1,2})時半", r"\1:30", s)
    s = re.sub(r"(\d{1,2})時", r"\1:00", s)
    s = re.sub(
        r"午後\s*(\d{1,2}):(\d{2})",
        lambda m: f"{int(m[1]) + 12 if int(m[1]) < 12 else int(m[1])}:{m[2]}",
        s,
    )
    s = s.replace("午前", "")
    s = re.sub(r"(?<=\d)ー(?=\d)", "~", s)
    s = _RANGE_MARK.sub("~", s)
    s = s.replace("まで", "")
    # A count before the days (月1回, 週2回, 年6回) says nothing the days do not.
    s = re.sub(r"(?:毎?[年月週]\s*\d+\s*回|週\s*\d\s*日)(?:程度|程)?", " ", s)
    # Holidays cannot be expressed as a rule: read past 「祝日を除く」「土日祝」.
    s = re.sub(r"\(?祝(?:祭)?日?(?:を|は)?(?:除く|休み|休)?\)?", " ", s)
    s = s.replace("(", " ").replace(")", " ")
    return s.strip()


def _fail(original: str, detail: str) -> ScheduleError:
    return ScheduleError(
        f"日時「{original}」を読み取れません（{detail}）。{EXAMPLES}のように入力してください。"
    )


def _clock(original: str, hours: str, minutes: str) -> str:
    h, m = int(hours), int(minutes)
    if h > 24 or m > 59 or (h == 24 and m > 0):
        raise ScheduleError(
            f"日時「{original}」の「{hours}:{minutes}」は時刻として正しくありません。"
        )
    return f"{h:02d}:{m:02d}"


@dataclass
class _Clause:
    days: list[tuple[int, int]] = field(default_factory=list)
    month_days: list[int] = field(default_factory=list)
    times: list[tuple[str, str]] = field(default_factory=list)
    weeks: list[int] = field(default_factory=lambda: [0])

    @property
    def has_days(self) -> bool:
        return bool(self.days or self.month_days)

    def add_days(self, weekdays):
        for week in self.weeks:
            for weekday in weekdays:
                if (week, weekday) not in self.days:
                    self.days.append((week, weekday))


def _weeks(original: str, token: str) -> list[int]:
    weeks = []
    for part in re.findall(r"\d|最終", token):
        n = LAST if part == "最終" else int(part)
        if n != LAST and not 1 <= n <= 5:
            raise ScheduleError(
                f"日時「{original}」の「第{n}」は使えません。第1〜第5、または最終で指定してください。"
            )
        if n not in weeks:
            weeks.append(n)
    return weeks


def parse_schedule(text: str) -> Schedule:
    """The rules of a schedule text; an empty text is an empty schedule (not an error)."""
    original = (text or "").strip()
    if not original:
        return Schedule("")
    reader = _Reader(original)
    for kind, m in _tokens(original, _prepare(original)):
        reader.take(kind, m)
    return reader.finish()


def _tokens(original: str, s: str):
    """(kind, match) for each token of the prepared text; separators inside a clause skipped."""
    position = 0
    while position < len(s):
        m = _TOKEN.match(s, position)
        if m is None:
            raise _fail(original, f"「{s[position : position + 6]}」の部分")
        position = m.end()
        kind = m.lastgroup if m.lastgroup in _KINDS else _kind_of(m)
        if kind != "sep":
            yield kind, m


class _Reader:
    """Turns tokens into rules, one clause (days, then or before them, hours) at a time."""

    def __init__(self, original: str):
        self.original = original
        self.rules: list[Rule] = []
        self.clause = _Clause()
        self.early_times: list[tuple[str, str]] = []  # 「10:00〜12:00 毎週月曜」: hours first
        self.anytime = False
        self.noted = False  # 要予約・申込制: a remark, not a day

    def take(self, kind: str, m: re.Match) -> None:
        if kind == "clause_sep":
            self.flush()
        elif kind == "biweekly":
            raise ScheduleError(
                f"日時「{self.original}」: 「隔週」は開始日がないと週を決められません。"
                "「第1・第3水曜」のように月の何週目かで入力してください。"
            )
        elif kind == "anytime":
            self.anytime = True
        elif kind == "note":
            self.noted = True
        elif kind in ("time_range", "time"):
            self.clause.times.append(self.hours(kind, m))
        else:
            # Everything else names days: after hours, they start the next clause.
            if self.clause.times:
                self.flush()
            self.days(kind, m)

    def hours(self, kind: str, m: re.Match) -> tuple[str, str]:
        original = self.original
        if kind == "time":
            return _clock(original, m["h3"], m["m3"]), ""
        opens = _clock(original, m["h1"], m["m1"])
        closes = _clock(original, m["h2"], m["m2"]) if m["h2"] else ""
        if closes and closes <= opens:
            raise ScheduleError(
                f"日時「{original}」: 終了時刻（{closes}）が開始時刻（{opens}）より前です。"
            )
        return opens, closes

    def days(self, kind: str, m: re.Match) -> None:
        clause = self.clause
        if kind == "nth":
            clause.weeks = _weeks(self.original, m.group())
        elif kind == "last":
            clause.weeks = [LAST]
        elif kind == "every_week":
            clause.weeks = [0]
        elif kind == "every_month":
            pass  # The 第n or n日 that follows says which days.
        elif kind == "daily":
            clause.add_days(range(7))
        elif kind == "weekdays":
            clause.add_days(range(5))
        elif kind == "weekend":
            clause.add_days([5, 6])
        elif kind == "month_day":
            self.month_day(int(m["md"]))
        elif kind == "day_range":
            first, last = WEEKDAYS.index(m["d1"]), WEEKDAYS.index(m["d2"])
            span = range(first, last + 1) if first <= last else [*range(first, 7), *range(last + 1)]
            clause.add_days(span)
        elif kind == "day":
            clause.add_days([WEEKDAYS.index(m.group())])

    def month_day(self, n: int) -> None:
        if not 1 <= n <= 31:
            raise _fail(self.original, f"{n}日は日付として正しくありません")
        if n not in self.clause.month_days:
            self.clause.month_days.append(n)

    def flush(self) -> None:
        """End the clause: its days with its hours (or hours written before them) as rules."""
        clause = self.clause
        if clause.has_days:
            times = clause.times or self.early_times or [("", "")]
            self.early_times = [] if not clause.times else self.early_times
            days = tuple(sorted(clause.days, key=lambda p: (p[0] == LAST, p[0], p[1])))
            for opens, closes in times:
                self.rules.append(Rule(days, tuple(sorted(clause.month_days)), opens, closes))
        elif clause.times:
            if self.rules:  # 「月 9:00〜12:00／13:00〜15:00」: more hours for the days before.
                last = self.rules[-1]
                for opens, closes in clause.times:
                    self.rules.append(Rule(last.days, last.month_days, opens, closes))
            else:
                self.early_times = clause.times
        self.clause = _Clause()

    def finish(self) -> Schedule:
        self.flush()
        original, rules = self.original, self.rules
        if self.early_times:
            raise _fail(original, "時刻に対応する曜日・日付がありません")
        if self.anytime and rules:
            raise _fail(original, "「随時」と曜日を一緒に書くことはできません")
        if not rules and not (self.anytime or self.noted):
            raise _fail(original, "曜日・日付がありません")
        return Schedule(original, tuple(rules), self.anytime or not rules)


_KINDS = {
    "anytime",
    "note",
    "biweekly",
    "time_range",
    "time",
    "nth",
    "last",
    "every_week",
    "every_month",
    "daily",
    "weekdays",
    "weekend",
    "month_day",
    "day_range",
    "day",
    "clause_sep",
    "sep",
}


def _kind_of(m: re.Match) -> str:
    """The alternative that matched (lastgroup names an inner group for some of them)."""
    for name in _KINDS:
        if m.group(name) is not None:
            return name
    raise AssertionError(m)


def mask_labels(mask: int) -> str:
    """「月・木」 for the bits of a weekday mask."""
    return "・".join(WEEKDAYS[i] for i in range(7) if mask & (1 << i))
