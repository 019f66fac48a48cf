"""Joint meetings count for each of their bodies, and meetings held for one 圏域 are counted
per 圏域 (issue 15)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tsunagu.accounts.models import Membership
from tsunagu.meetings.choices import Status
from tsunagu.meetings.models import Meeting, MeetingType, PlanEntry
from tsunagu.organizations.models import Area
from tsunagu.reports.meetings import meeting_stats, schedule_matrix
from tsunagu.reports.today import centers_pending

START, END = datetime.date(2026, 4, 1), datetime.date(2027, 3, 31)


@pytest.fixture
def bodies(municipality):
    def body(name, order):
        return MeetingType.objects.create(
            municipality=municipality,
            name=name,
            category="promotion",
            level="city",
            host="city",
            sort_order=order,
        )

    return body("市地域ケア会議", 1), body("第1層協議体", 2), body("テーマ設定型会議", 3)


@pytest.fixture
def held(municipality, bodies, area):
    """One joint meeting of the first two bodies, and two meetings of the third for 圏域."""
    city, layer1, theme = bodies
    second = Area.objects.create(municipality=municipality, name="明第2", sort_order=2)
    joint = Meeting.objects.create(
        municipality=municipality,
        meeting_type=city,
        date=datetime.date(2026, 7, 1),
        status=Status.HELD,
        cases_reviewed=2,
    )
    joint.joint_meeting_types.set([layer1])
    for day, where in ((2, area), (3, second), (4, second)):
        Meeting.objects.create(
            municipality=municipality,
            meeting_type=theme,
            date=datetime.date(2026, 7, day),
            area=where,
        )
    return joint


def test_a_joint_meeting_counts_once_in_total_and_for_each_body(held, municipality):
    stats = meeting_stats(Meeting.objects.filter(municipality=municipality), START, END)
    assert stats["total"] == 4
    assert stats["by_type"] == {
        "市地域ケア会議": {"meetings": 1, "cases": 2},
        "第1層協議体": {"meetings": 1, "cases": 2},
        "テーマ設定型会議": {"meetings": 3, "cases": 0},
    }
    assert stats["by_area"] == {
        "明第1": {"meetings": 1, "cases": 0},
        "明第2": {"meetings": 2, "cases": 0},
    }


def test_the_statistics_page_shows_the_area_section(city_client, held):
    page = city_client.get(reverse("reports:meeting_stats"), {"fy": 2026}).content.decode()
    assert "圏域別" in page and "明第2" in page
    assert "全4回、2事例検討" in page  # the joint meeting's cases counted once


def test_the_schedule_matrix_puts_a_joint_meeting_in_both_columns(held, city_admin, bodies):
    member = Membership.objects.get(user=city_admin)
    matrix = schedule_matrix(member, START, END, fiscal_year=2026)
    city, layer1, theme = bodies
    assert matrix.cells[(None, city.pk)].held == 1
    assert matrix.cells[(None, layer1.pk)].held == 1
    assert matrix.cells[(None, theme.pk)].scheduled == 3
    page_matrix = matrix.column_totals()
    assert page_matrix == [1, 1, 3]


def test_the_matrix_runs_the_same_queries_with_more_joint_meetings(
    held, city_admin, bodies, municipality
):
    member = Membership.objects.get(user=city_admin)
    with CaptureQueriesContext(connection) as few:
        schedule_matrix(member, START, END, fiscal_year=2026)
    for day in range(10, 20):
        extra = Meeting.objects.create(
            municipality=municipality, meeting_type=bodies[0], date=datetime.date(2026, 8, day)
        )
        extra.joint_meeting_types.set(bodies[1:])
    with CaptureQueriesContext(connection) as many:
        schedule_matrix(member, START, END, fiscal_year=2026)
    assert len(many) == len(few)


def test_plan_progress_counts_a_joint_meeting_for_each_body(held, city_admin, bodies, municipality):
    city, layer1, _theme = bodies
    for body in (city, layer1):
        PlanEntry.objects.create(
            municipality=municipality, fiscal_year=2026, meeting_type=body, planned_count=1
        )
    member = Membership.objects.get(user=city_admin)
    pending = centers_pending(member, datetime.date(2026, 8, 1))
    assert [row[1] for row in pending.behind_plan] == []
    held.joint_meeting_types.clear()
    pending = centers_pending(member, datetime.date(2026, 8, 1))
    assert [row[1] for row in pending.behind_plan] == [layer1]
