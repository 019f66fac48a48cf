"""Matching needs and resources, the gap table, and a gap turned into a community issue."""

import pytest
from django.core.exceptions import ValidationError

from tsunagu.audit.models import AuditEntry
from tsunagu.issues.models import CommunityIssue, StatusChange, Theme
from tsunagu.resources import matching, services
from tsunagu.resources.models import Need

from .conftest import make_need, make_resource

TUE, THU = 1 << 1, 1 << 3


def names(matches):
    return [m.resource.name for m in matches]


def test_from_an_area_the_areas_own_resources_then_the_whole_municipalitys(
    municipality, area, second_area
):
    make_resource(municipality, "市全域のサロン", areas=[], schedule_text="毎週火曜")
    make_resource(municipality, "明のサロン", areas=[area])
    make_resource(municipality, "西のサロン", areas=[second_area])
    make_resource(municipality, "休止中のサロン", areas=[area], status="paused")
    make_resource(municipality, "明の配食", areas=[area], kind="meals", schedule_text="")
    make_resource(municipality, "二圏域のサロン", areas=[second_area, area], provider_name="別")
    matches = matching.resources_for(municipality, area=area, kind="salon")
    assert names(matches) == ["二圏域のサロン", "明のサロン", "市全域のサロン"]  # each once
    assert [m.scope_label for m in matches] == ["圏域内", "圏域内", "市全域"]
    # Without a kind: every kind, the area's own first, those with known days before others.
    assert names(matching.resources_for(municipality, area=area)) == [
        "二圏域のサロン",
        "明のサロン",
        "明の配食",
        "市全域のサロン",
    ]


def test_on_suitable_days(municipality, area):
    make_resource(
        municipality, "火曜のサロン", areas=[area], schedule_text="第2・第4火曜 10:00〜12:00"
    )
    make_resource(municipality, "木曜のサロン", areas=[area], schedule_text="毎週木曜 13:00〜15:00")
    make_resource(municipality, "随時のサロン", areas=[area], schedule_text="随時")
    make_resource(municipality, "日時未登録のサロン", areas=[area], schedule_text="")
    matches = matching.resources_for(municipality, area=area, kind="salon", weekdays=THU)
    assert names(matches) == ["木曜のサロン", "随時のサロン", "日時未登録のサロン"]
    assert [m.day_match for m in matches] == [True, None, None]
    both = matching.resources_for(municipality, area=area, kind="salon", weekdays=TUE | THU)
    assert set(names(both)) == {
        "火曜のサロン",
        "木曜のサロン",
        "随時のサロン",
        "日時未登録のサロン",
    }


def test_from_a_resource_the_open_needs_it_could_meet(municipality, area, second_area):
    tuesday_salon = make_resource(municipality, "火曜のサロン", areas=[area])
    fits = make_need(municipality, area, people=2)
    fits_tuesday = make_need(municipality, area, weekdays=TUE)
    make_need(municipality, area, weekdays=THU)  # wants Thursday only
    make_need(municipality, second_area)  # another area
    make_need(municipality, area, kind="meals")  # another kind
    make_need(municipality, area, status="met")  # already met
    assert {n.pk for n in matching.needs_for(tuesday_salon)} == {fits.pk, fits_tuesday.pk}
    citywide = make_resource(municipality, "市全域のサロン", schedule_text="随時")
    assert len(matching.needs_for(citywide)) == 4  # any area, any day


def test_the_gap_table(municipality, area, second_area):
    make_resource(municipality, "明のサロン", areas=[area])
    make_resource(municipality, "市全域の配食", kind="meals")
    make_resource(
        municipality, "終了した移動支援", areas=[second_area], kind="transport", status="ended"
    )
    make_need(municipality, area, "salon")  # covered by the area's salon
    make_need(municipality, area, "meals")  # covered by the city-wide service
    make_need(municipality, second_area, "salon", people=4)
    make_need(municipality, second_area, "salon", people=2)
    make_need(municipality, second_area, "transport", people=5)
    make_need(municipality, second_area, "shopping", status="met")  # met needs are no gap
    table = matching.gap_table(municipality)
    gaps = {(g.area.name, g.kind): (g.needs, g.people) for g in table.gaps()}
    assert gaps == {("明第2西", "salon"): (2, 6), ("明第2西", "transport"): (1, 5)}
    assert table.cell(area, "salon").resources == 1
    assert table.cell(second_area, "meals").citywide == 1
    assert not table.cell(area, "meals").is_gap


def test_a_gap_becomes_a_community_issue_with_one_action(municipality, second_area, city_admin):
    first = make_need(municipality, second_area, "transport", people=3, source="council")
    second = make_need(municipality, second_area, "transport", people=2, source="liaison")
    issue, created = services.open_gap_issue(
        municipality=municipality, area=second_area, kind="transport", by=city_admin
    )
    assert created
    assert issue.theme.name == "移動・交通" and issue.area == second_area and issue.level == "area"
    assert issue.title == "明第2西圏域に移動支援がない（ニーズ2件・5人）"
    assert "協議体" in issue.description and "高齢者支援連絡会" in issue.description
    assert set(Need.objects.filter(issue=issue)) == {first, second}
    assert StatusChange.objects.filter(issue=issue).count() == 1
    assert AuditEntry.objects.filter(action="resource_gap.issue_opened").count() == 1
    gap = matching.gap_table(municipality).gaps()[0]
    assert gap.issue_id == issue.pk


def test_a_new_need_of_a_raised_gap_joins_its_issue(municipality, second_area, city_admin):
    make_need(municipality, second_area, "transport")
    issue, _ = services.open_gap_issue(
        municipality=municipality, area=second_area, kind="transport", by=city_admin
    )
    later = make_need(municipality, second_area, "transport")
    again, created = services.open_gap_issue(
        municipality=municipality, area=second_area, kind="transport", by=city_admin
    )
    assert (again, created) == (issue, False)
    later.refresh_from_db()
    assert later.issue == issue
    assert CommunityIssue.objects.count() == 1


def test_no_issue_where_there_is_no_gap(municipality, area, city_admin):
    make_resource(municipality, "明のサロン", areas=[area])
    make_need(municipality, area, "salon")
    with pytest.raises(ValidationError):
        services.open_gap_issue(municipality=municipality, area=area, kind="salon", by=city_admin)
    with pytest.raises(ValidationError):
        services.open_gap_issue(municipality=municipality, area=area, kind="meals", by=city_admin)
    assert not CommunityIssue.objects.exists()


def test_a_renamed_theme_falls_back_to_the_shortage_theme(municipality, second_area, city_admin):
    make_need(municipality, second_area, "dementia_cafe")
    themes = {t.name: t for t in services.themes_for(municipality)}
    Theme.objects.filter(pk=themes["認知症"].pk).update(name="認知症施策")
    issue, _ = services.open_gap_issue(
        municipality=municipality, area=second_area, kind="dementia_cafe", by=city_admin
    )
    assert issue.theme.name == "担い手・サービス不足"
