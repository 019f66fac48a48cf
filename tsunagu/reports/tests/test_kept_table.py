"""The 開催状況 page keeps its table until something the table shows changes (issue 18).

Every way of changing what the table shows must show at once, also those that bypass the
models' save() (a bulk update, a delete of many): the changes are counted by database triggers
(meetings.ScheduleChange), so these tests run against the real triggers on each database.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import logged_in, make_user
from tsunagu.accounts.models import Role
from tsunagu.meetings import schedule_changes
from tsunagu.meetings.choices import Format, Status
from tsunagu.meetings.models import Meeting, MeetingType, PlanEntry, ScheduleChange
from tsunagu.organizations.models import Area, Center
from tsunagu.reports.tests.test_schedule_matrix import (
    FY2021,
    INDIVIDUAL,
    PROMOTION,
    headers,
    page,
    totals,
)

MEETINGS_TABLE = '"meetings_meeting"'


def table(html):
    return html[html.index('<div class="table-scroll">') : html.index("</table>")]


def viewed(client):
    """The page, and whether its table was built (the meetings were read) for this view."""
    with CaptureQueriesContext(connection) as queries:
        html = page(client, FY2021)
    return html, any(f"FROM {MEETINGS_TABLE}" in q["sql"] for q in queries.captured_queries)


def test_an_unchanged_table_is_not_built_again(city_client, sample):
    first, built = viewed(city_client)
    assert built
    again, built = viewed(city_client)
    assert not built and table(again) == table(first)


def test_another_member_of_the_city_is_shown_the_kept_table(
    client, city_client, sample, municipality
):
    first, _ = viewed(city_client)
    colleague = make_user("city_admin_2", (municipality, Role.CITY_ADMIN, None))
    html, built = viewed(logged_in(client, colleague))
    assert not built and "7月27日" in html and table(html) == table(first)


def move_a_meeting(sample):
    meeting = Meeting.objects.get(date="2021-07-27")
    meeting.date = datetime.date(2021, 7, 29)
    meeting.save()
    return lambda html: "7月29日" in html and "7月27日" not in html


def cancel_in_bulk(sample):
    # A queryset update: no save(), no signal. The database counts it all the same.
    Meeting.objects.filter(date="2021-07-27").update(status=Status.CANCELLED)
    return lambda html: "7月27日" not in html


def delete_a_meeting(sample):
    Meeting.objects.filter(date="2021-07-27").delete()
    return lambda html: "7月27日" not in html


def add_a_meeting(sample):
    Meeting.objects.create(
        municipality=sample["center"].municipality,
        meeting_type=sample["types"][INDIVIDUAL],
        center=sample["center"],
        date=datetime.date(2021, 12, 24),
        status=Status.PLANNED,
    )
    return lambda html: "12月24日" in html


def go_online(sample):
    Meeting.objects.filter(date="2021-07-27").update(format=Format.ONLINE)
    return lambda html: '<span class="online-full">7月27日' in html


def hold_jointly(sample):
    meeting = Meeting.objects.get(date="2021-07-27")
    meeting.joint_meeting_types.add(sample["types"][PROMOTION])
    return lambda html: dict(zip(headers(html), totals(html), strict=True))[PROMOTION] == 30


def plan_more(sample):
    PlanEntry.objects.create(
        municipality=sample["center"].municipality,
        fiscal_year=2021,
        meeting_type=sample["types"][INDIVIDUAL],
        center=sample["center"],
        planned_count=10,
    )
    return lambda html: "実施4／計画10" in html


def rename_a_body(sample):
    MeetingType.objects.filter(pk=sample["types"][INDIVIDUAL].pk).update(name="個別会議")
    return lambda html: "個別会議" in headers(html) and INDIVIDUAL not in headers(html)


def retire_a_body(sample):
    MeetingType.objects.filter(pk=sample["types"][PROMOTION].pk).update(is_active=False)
    return lambda html: PROMOTION not in headers(html)


def rename_a_center(sample):
    Center.objects.filter(pk=sample["center"].pk).update(name="明第一地域包括支援センター")
    return lambda html: "明第一地域包括支援センター" in html


def reorder_by_area(sample):
    # The center that came last comes first once its 圏域 is put first.
    centers = Center.objects.filter(municipality=sample["center"].municipality)
    last = list(centers)[-1]
    area = Area.objects.create(municipality=last.municipality, name="北部", sort_order=9)
    Center.objects.exclude(pk=last.pk).filter(municipality=last.municipality).update(area=area)
    second = Area.objects.create(municipality=last.municipality, name="南部", sort_order=5)
    Center.objects.filter(pk=last.pk).update(area=second)
    return lambda html: html.index(last.name) < html.index("明第1地域包括支援センター")


@pytest.mark.parametrize(
    "change",
    [
        move_a_meeting,
        cancel_in_bulk,
        delete_a_meeting,
        add_a_meeting,
        go_online,
        hold_jointly,
        plan_more,
        rename_a_body,
        retire_a_body,
        rename_a_center,
        reorder_by_area,
    ],
)
def test_every_change_to_what_the_table_shows_shows_at_once(city_client, sample, change):
    before, _ = viewed(city_client)
    shows = change(sample)
    assert not shows(before)
    after, built = viewed(city_client)
    assert built and shows(after)


def test_moving_an_area_up_moves_its_centers_up(city_client, sample):
    # Only the areas' order changes here, not any center: the area's own trigger counts it.
    municipality = sample["center"].municipality
    last = list(Center.objects.filter(municipality=municipality))[-1]
    first_area = Area.objects.create(municipality=municipality, name="北部", sort_order=1)
    last_area = Area.objects.create(municipality=municipality, name="南部", sort_order=9)
    Center.objects.filter(municipality=municipality).exclude(pk=last.pk).update(area=first_area)
    Center.objects.filter(pk=last.pk).update(area=last_area)
    before, _ = viewed(city_client)
    assert before.index(last.name) > before.index("明第1地域包括支援センター")
    Area.objects.filter(pk=last_area.pk).update(sort_order=0)
    after, built = viewed(city_client)
    assert built and after.index(last.name) < after.index("明第1地域包括支援センター")


def test_a_change_the_table_does_not_show_keeps_it(city_client, sample):
    viewed(city_client)
    Meeting.objects.filter(date="2021-07-27").update(venue="市役所 会議室", minutes="議事の記録")
    _, built = viewed(city_client)
    assert not built


def test_another_citys_change_keeps_it(city_client, sample, other_municipality):
    viewed(city_client)
    body = MeetingType.objects.create(
        municipality=other_municipality, name="地域個別ケア会議", category="individual"
    )
    Meeting.objects.create(
        municipality=other_municipality, meeting_type=body, date=datetime.date(2021, 7, 1)
    )
    _, built = viewed(city_client)
    assert not built


def test_pruning_folds_the_changes_and_the_table_is_built_once_more(
    city_client, sample, municipality
):
    viewed(city_client)
    assert ScheduleChange.objects.filter(municipality_id=municipality.pk).count() > 1
    before = schedule_changes.version(municipality.pk)
    assert schedule_changes.prune() > 0
    assert ScheduleChange.objects.filter(municipality_id=municipality.pk).count() == 1
    assert schedule_changes.version(municipality.pk) != before
    html, built = viewed(city_client)
    assert built and "7月27日" in html
    assert schedule_changes.prune() == 0  # nothing more to fold
    _, built = viewed(city_client)
    assert not built


def test_the_hourly_run_folds_the_changes(sample, municipality):
    grown = ScheduleChange.objects.filter(municipality_id=municipality.pk).count()
    out = io.StringIO()
    call_command("run_periodic", stdout=out)
    assert f"整理した開催状況の変更 {grown - 1}件" in out.getvalue()
    assert ScheduleChange.objects.filter(municipality_id=municipality.pk).count() == 1
