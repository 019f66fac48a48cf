"""outcome_stats: recorded follow-ups by meeting body, outcome and goal, in the period."""

import datetime
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tsunagu.cases import services
from tsunagu.cases.access import follow_ups_visible_to
from tsunagu.cases.models import Case, CaseReview, FollowUp
from tsunagu.meetings import services as meeting_services
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
    # One grouped count and the bodies' names, whatever the number of follow-ups.
    assert len(queries) == 2
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


def test_follow_ups_carry_their_municipality_and_body(follow_ups, municipality):
    for follow_up in follow_ups.select_related("review__meeting"):
        assert follow_up.municipality_id == municipality.pk
        assert follow_up.meeting_type_id == follow_up.review.meeting.meeting_type_id


def test_the_follow_ups_of_a_review_recorded_by_the_service_carry_them(
    municipality, center, city_admin
):
    individual = body(municipality, "地域個別ケア会議")
    case = Case.objects.create(
        municipality=municipality,
        code="S-1",
        center=center,
        status="ready",
        case_type="independence",
        age_band="80",
        sex="female",
        care_level="care_1",
        household="alone",
    )
    meeting = Meeting.objects.create(
        municipality=municipality,
        meeting_type=individual,
        center=center,
        date=datetime.date(2026, 5, 1),
    )
    review = CaseReview.objects.create(case=case, meeting=meeting)
    services.record_review(review=review, support_policy="通いの場へ", by=city_admin)
    made = FollowUp.objects.filter(review=review)
    assert made.count() == len(individual.follow_up_intervals) > 0
    assert set(made.values_list("municipality_id", "meeting_type_id")) == {
        (municipality.pk, individual.pk)
    }


def test_a_meeting_moved_to_another_body_takes_its_follow_ups_along(
    follow_ups, municipality, city_admin
):
    follow_up = follow_ups.get(review__case__code="O-1")
    meeting = follow_up.review.meeting
    other = MeetingType.objects.get(municipality=municipality, name="自立支援型ケア会議")
    meeting.meeting_type = other
    meeting_services.save_meeting(meeting=meeting, by=city_admin)
    follow_up.refresh_from_db()
    assert follow_up.meeting_type_id == other.pk
    stats = outcome_stats(follow_ups_visible_to(city_admin.memberships.get()), START, END)
    assert stats["by_type"]["自立支援型ケア会議"]["total"] == 3


def test_the_statistics_count_only_the_members_municipality(
    follow_ups, city_admin, other_municipality, other_rows
):
    other_body = body(other_municipality, "地域個別ケア会議")
    case = Case.objects.create(
        municipality=other_municipality,
        code="X-1",
        center=other_rows["center"],
        case_type="independence",
        age_band="80",
        sex="female",
        care_level="care_1",
        household="alone",
    )
    meeting = Meeting.objects.create(
        municipality=other_municipality,
        meeting_type=other_body,
        center=other_rows["center"],
        date=datetime.date(2026, 5, 1),
    )
    FollowUp.objects.create(
        review=CaseReview.objects.create(case=case, meeting=meeting),
        months_after=3,
        due_on=datetime.date(2026, 8, 1),
        done_on=datetime.date(2026, 8, 1),
        outcome="improved",
    )
    member = city_admin.memberships.get()
    with CaptureQueriesContext(connection) as queries:
        stats = outcome_stats(follow_ups_visible_to(member), START, END)
    assert len(queries) == 2
    assert stats["total"] == 5
    assert stats["by_type"]["地域個別ケア会議"]["outcome"]["改善"] == 2


def test_the_migration_fills_follow_ups_saved_before_the_columns_existed(follow_ups):
    backfill = import_module("tsunagu.cases.migrations.0004_perf_follow_up_tenant_body").backfill
    expected = set(follow_ups.values_list("pk", "municipality_id", "meeting_type_id"))
    FollowUp.objects.update(municipality=None, meeting_type=None)
    backfill(django_apps, SimpleNamespace(connection=connection))
    assert set(follow_ups.values_list("pk", "municipality_id", "meeting_type_id")) == expected
