"""The schedule parser: the forms staff write, what they become, and the errors it gives."""

import pytest

from tsunagu.resources.schedule import (
    ALL_DAYS_MASK,
    LAST,
    Rule,
    Schedule,
    ScheduleError,
    parse_schedule,
)

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def only_rule(text) -> Rule:
    schedule = parse_schedule(text)
    assert len(schedule.rules) == 1, schedule.rules
    return schedule.rules[0]


@pytest.mark.parametrize(
    ("text", "days", "opens", "closes"),
    [
        ("毎週月・木 9:00〜12:00", [(0, MON), (0, THU)], "09:00", "12:00"),
        ("第2・第4火曜 10:00–12:00", [(2, TUE), (4, TUE)], "10:00", "12:00"),
        ("平日 11:00-13:00", [(0, d) for d in range(5)], "11:00", "13:00"),
        ("月1回（第3土曜）13:30〜15:30", [(3, SAT)], "13:30", "15:30"),
        ("月〜金 8:30〜17:15", [(0, d) for d in range(5)], "08:30", "17:15"),
        ("第1月曜と第3木曜 14時〜16時", [(1, MON), (3, THU)], "14:00", "16:00"),
        ("最終金曜 午後1時〜午後3時", [(LAST, FRI)], "13:00", "15:00"),
        ("土日祝 10:00〜15:00", [(0, SAT), (0, SUN)], "10:00", "15:00"),
        ("毎週水曜日 10時半〜12時", [(0, WED)], "10:30", "12:00"),
        ("第一・第三水曜日　１０：００～１２：００", [(1, WED), (3, WED)], "10:00", "12:00"),
        ("第2・4木曜 13:00〜", [(2, THU), (4, THU)], "13:00", ""),
        ("10:00〜12:00 毎週月曜", [(0, MON)], "10:00", "12:00"),
        ("週3日（月・水・金）", [(0, MON), (0, WED), (0, FRI)], "", ""),
        ("毎週火曜（要予約）", [(0, TUE)], "", ""),
        ("平日（祝日を除く）9:00～17:00", [(0, d) for d in range(5)], "09:00", "17:00"),
        ("金〜月 10:00〜11:00", [(0, MON), (0, FRI), (0, SAT), (0, SUN)], "10:00", "11:00"),
    ],
)
def test_it_reads_the_forms_staff_write(text, days, opens, closes):
    rule = only_rule(text)
    assert sorted(rule.days) == sorted(days)
    assert (rule.opens, rule.closes) == (opens, closes)


def test_every_day_and_month_days():
    daily = only_rule("毎日 7:00〜19:00")
    assert daily.weekday_mask == ALL_DAYS_MASK
    monthly = only_rule("毎月1日・15日 10:00〜11:30")
    assert monthly.month_days == (1, 15) and monthly.days == ()
    # The 15th can fall on any weekday: it is offered whatever day is asked for.
    assert monthly.weekday_mask == ALL_DAYS_MASK


def test_several_hours_and_clauses_become_several_rules():
    two_sessions = parse_schedule("月 9:00〜12:00、13:00〜15:00")
    assert [(r.days, r.opens) for r in two_sessions.rules] == [
        (((0, MON),), "09:00"),
        (((0, MON),), "13:00"),
    ]
    two_days = parse_schedule("月 9:00〜12:00／木 13:00〜15:00")
    assert [(r.days, r.opens, r.closes) for r in two_days.rules] == [
        (((0, MON),), "09:00", "12:00"),
        (((0, THU),), "13:00", "15:00"),
    ]
    assert two_days.weekday_mask == (1 << MON) | (1 << THU)


@pytest.mark.parametrize("text", ["随時", "要相談", "不定期（お問い合わせください）", "申込制"])
def test_no_fixed_days(text):
    schedule = parse_schedule(text)
    assert schedule.anytime and not schedule.rules
    assert schedule.weekday_mask == ALL_DAYS_MASK


def test_an_empty_text_is_an_empty_schedule():
    schedule = parse_schedule("  ")
    assert schedule.is_empty and schedule.weekday_mask == 0


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("毎週ごろ", "「ごろ」の部分"),
        ("隔週水曜 10:00〜12:00", "「隔週」は開始日がないと週を決められません"),
        ("第6月曜", "「第6」は使えません"),
        ("25:00〜26:00", "「25:00」は時刻として正しくありません"),
        ("毎週月 12:00〜10:00", "終了時刻（10:00）が開始時刻（12:00）より前です"),
        ("10:00〜12:00", "時刻に対応する曜日・日付がありません"),
        ("随時 毎週月", "「随時」と曜日を一緒に書くことはできません"),
        ("毎月32日", "32日は日付として正しくありません"),
        ("4月〜9月の第2火曜", "の部分"),
    ],
)
def test_it_says_in_japanese_what_it_cannot_read(text, says):
    with pytest.raises(ScheduleError) as error:
        parse_schedule(text)
    assert says in str(error.value)
    assert f"「{text}」" in str(error.value)


def test_hsds_fields_follow_rfc_5545():
    weekly = only_rule("毎週月・木 9:00〜12:00").hsds()
    assert weekly == [
        {
            "freq": "WEEKLY",
            "wkst": "MO",
            "byday": "MO,TH",
            "opens_at": "09:00+09:00",
            "closes_at": "12:00+09:00",
        }
    ]
    nth = only_rule("第2・第4火曜 10:00〜12:00").hsds()
    assert [(r["freq"], r["byday"]) for r in nth] == [("MONTHLY", "2TU,4TU")]
    last = only_rule("最終金曜").hsds()
    assert [(r["freq"], r["byday"]) for r in last] == [("MONTHLY", "-1FR")]
    assert "opens_at" not in last[0]
    monthday = only_rule("毎月15日").hsds()
    assert [(r["freq"], r["bymonthday"]) for r in monthday] == [("MONTHLY", "15")]


def test_a_rule_mixing_weekly_and_nth_days_needs_two_rrules():
    rule = Rule(days=((0, MON), (2, TUE)), opens="10:00", closes="11:00")
    assert [(r["freq"], r["byday"]) for r in rule.hsds()] == [
        ("WEEKLY", "MO"),
        ("MONTHLY", "2TU"),
    ]


def test_the_stored_form_reads_back_the_same():
    schedule = parse_schedule("第2・第4火曜 10:00〜12:00／毎月15日")
    again = Schedule.from_dict(schedule.text, schedule.as_dict())
    assert again == schedule
    assert again.summary() == "第2・第4火 10:00〜12:00 ／ 毎月15日"
