"""Durations read as staff say them (issue 16): 「1年11か月」, not 「1年, 11ヶ月」 or 「0分」."""

from datetime import date

from django.template import Context, Template

from tsunagu.lib.wareki import format_elapsed


def test_it_says_years_and_months():
    assert format_elapsed(date(2024, 1, 15), date(2025, 12, 20)) == "1年11か月"


def test_it_leaves_out_zero_months():
    assert format_elapsed(date(2024, 4, 1), date(2026, 4, 1)) == "2年"


def test_it_counts_a_month_only_when_the_day_is_reached():
    assert format_elapsed(date(2026, 1, 31), date(2026, 2, 27)) == "27日"


def test_it_says_the_same_day_in_words():
    assert format_elapsed(date(2026, 5, 1), date(2026, 5, 1)) == "当日"


def test_the_filter_reads_like_the_function():
    html = Template("{{ start|elapsed:end }}").render(
        Context({"start": date(2025, 1, 10), "end": date(2025, 4, 10)})
    )
    assert html == "3か月"
