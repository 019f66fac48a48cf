"""outcome_stats: recorded follow-ups by meeting body, outcome and goal, in the period."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tsunagu.cases.models import Case, CaseReview, FollowUp
from tsunagu.meetings.models import Meeting, MeetingType
from tsunagu.reports.outcomes import outcome_stats

START, END = datetime.date(2026, 4, 1), datetime.date(2027, 3, 31)


def body(municipality, name):
    return MeetingType.objects.create(
        municipality=municipality,
        name=name,
        category="individual",
        level="center",
        host="each_center",
        reviews_cases=True,
    )


@pytest.fixture
def follow_ups(municipality, center):
    individual = body(municipality, "地域個別ケア会議")
    independence = body(municipality, "自立支援型ケア会議")
    rows = [
        # (body, done_on, outcome, goal)
        (individual, datetime.date(2026, 6, 1), "improved", "fully"),
        (individual, datetime.date(2026, 7, 1), "improved", "mostly"),
        (individual, datetime.date(2026, 8, 1), "worsened", "not"),
        (independence, datetime.date(2026, 9, 1), "maintained", "mostly"),
        (independence, datetime.date(2027, 3, 31), "improved", ""),
        (independence, datetime.date(2027, 4, 1), "improved", "fully"),  # next year
        (independence, None, "", ""),  # not done yet
    ]
    for n, (meeting_type, done_on, outcome, goal) in enumerate(rows, start=1):
        case = Case.objects.create(
            municipality=municipality,
            code=f"O-{n}",
            center=center,
            case_type="independence",
            age_band="80",
            sex="female",
            care_level="care_1",
            household="alone",
        )
        meeting = Meeting.objects.create(
            municipality=municipality,
            meeting_type=meeting_type,
            center=center,
            date=datetime.date(2026, 5, n),
        )
        review = CaseReview.objects.create(case=case, meeting=meeting)
        FollowUp.objects.create(
            review=review,
            months_after=3,
            due_on=datetime.date(2026, 8, n),
            done_on=done_on,
            outcome=outcome,
            goal=goal,
        )
    return FollowUp.objects.all()


def test_it_counts_recorded_follow_ups_in_the_period(follow_ups):
    with CaptureQueriesContext(connection) as queries:
        stats = outcome_stats(follow_ups, START, END)
    assert len(queries) == 1  # one grouped query, whatever the number of follow-ups
    assert stats["total"] == 5
    assert stats["outcome"] == {"改善": 3, "維持": 1, "悪化": 1}
    assert stats["goal"] == {
        "◎ 達成": 1,
        "○ おおむね達成": 2,
        "△ 一部達成": 0,
        "× 未達成": 1,
        "未記入": 1,
    }
    individual = stats["by_type"]["地域個別ケア会議"]
    assert individual["total"] == 3
    assert individual["outcome"] == {"改善": 2, "維持": 0, "悪化": 1}
    assert individual["goal"]["◎ 達成"] == 1 and individual["goal"]["× 未達成"] == 1
    independence = stats["by_type"]["自立支援型ケア会議"]
    assert independence["total"] == 2
    assert independence["outcome"] == {"改善": 1, "維持": 1, "悪化": 0}


def test_it_counts_only_what_it_is_given(follow_ups, other_municipality):
    assert outcome_stats(FollowUp.objects.none(), START, END)["total"] == 0
    mine = follow_ups.filter(review__case__code="O-1")
    assert outcome_stats(mine, START, END)["outcome"]["改善"] == 1


def test_every_body_has_the_same_columns_in_the_same_order(follow_ups):
    # Only 自立支援型 has a follow-up without a goal (未記入); 地域個別 still gets the column.
    stats = outcome_stats(follow_ups, START, END)
    for row in stats["by_type"].values():
        assert list(row["goal"]) == list(stats["goal"])
        assert list(row["outcome"]) == list(stats["outcome"])
    assert stats["by_type"]["地域個別ケア会議"]["goal"]["未記入"] == 0
