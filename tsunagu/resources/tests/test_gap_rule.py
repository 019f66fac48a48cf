"""The gap list and the need page use one rule of cover, and the need page leads to the gap
action (issue 16): a weekday-only city-wide resource is no cover for a weekend need."""

from django.urls import reverse

from tsunagu.issues.models import CommunityIssue
from tsunagu.resources import matching

from .conftest import make_need, make_resource

SATURDAY_AND_SUNDAY = 0b1100000


def test_a_weekday_resource_does_not_cover_a_weekend_need(municipality, area):
    make_resource(
        municipality, "平日の送迎", kind="transport", schedule_text="毎週月〜金 9:00〜17:00"
    )
    make_need(municipality, area, "transport", people=2, weekdays=SATURDAY_AND_SUNDAY)
    gaps = matching.gap_table(municipality).gaps()
    assert [(gap.area, gap.kind, gap.needs) for gap in gaps] == [(area, "transport", 1)]
    assert matching.gap_at(municipality, area, "transport") is not None


def test_a_resource_on_a_wanted_day_is_cover(municipality, area):
    make_resource(
        municipality, "土曜の送迎", kind="transport", schedule_text="毎週土曜 9:00〜12:00"
    )
    make_need(municipality, area, "transport", weekdays=SATURDAY_AND_SUNDAY)
    assert matching.gap_table(municipality).gaps() == []
    assert matching.gap_at(municipality, area, "transport") is None


def test_the_need_page_offers_the_gap_action_the_list_offers(city_client, municipality, area):
    make_resource(
        municipality, "平日の送迎", kind="transport", schedule_text="毎週月〜金 9:00〜17:00"
    )
    need = make_need(municipality, area, "transport", people=2, weekdays=SATURDAY_AND_SUNDAY)
    page = city_client.get(reverse("resources:need_match", args=[need.pk])).content.decode()
    assert "不足として地域課題にする" in page and reverse("resources:gap_issue") in page
    gaps = city_client.get(reverse("resources:gap_list")).content.decode()
    assert "地域課題にする" in gaps
    city_client.post(reverse("resources:gap_issue"), {"area": area.pk, "kind": "transport"})
    issue = CommunityIssue.objects.get()
    assert "希望する曜日に運営している" in issue.description


def test_the_gap_action_on_a_need_page_returns_to_the_need(city_client, municipality, area):
    make_resource(
        municipality, "平日の送迎", kind="transport", schedule_text="毎週月〜金 9:00〜17:00"
    )
    need = make_need(municipality, area, "transport", people=2, weekdays=SATURDAY_AND_SUNDAY)
    response = city_client.post(
        reverse("resources:gap_issue"), {"area": area.pk, "kind": "transport", "need": need.pk}
    )
    assert response.status_code == 302
    assert response.url == reverse("resources:need_match", args=[need.pk])
    issue = CommunityIssue.objects.get()
    page = city_client.get(response.url).content.decode()
    assert f"地域課題「{issue}」を登録しました。" in page
    assert reverse("issues:issue_detail", args=[issue.pk]) in page
    # From the gap list (no need named) the list is where the user goes back to.
    response = city_client.post(
        reverse("resources:gap_issue"), {"area": area.pk, "kind": "transport"}
    )
    assert response.url == reverse("resources:gap_list")
