"""事例数 is one figure: the register, its sort and the issue page agree (issue 16)."""

from django.urls import reverse

from tsunagu.issues import services
from tsunagu.issues.evidence import descendant_ids, evidence
from tsunagu.issues.models import CommunityIssue

from .conftest import new_issue, reviewed_case, tag


def test_it_counts_the_cases_of_lower_issues_in_the_higher_one(municipality, center, area):
    lower = new_issue(municipality, "買い物の足がない", area=area)
    for n in range(3):
        tag(reviewed_case(municipality, center, n), "移動・交通", issue=lower)
    city = CommunityIssue(
        municipality=municipality,
        title="移動手段の確保",
        theme=lower.theme,
        level="city",
    )
    services.escalate(issues=[lower], into=city, by=None)
    city.refresh_from_db()
    page = evidence(descendant_ids(city))
    assert city.case_count == page.case_count == 3


def test_it_keeps_the_higher_count_when_cases_are_tagged_after_raising(municipality, center, area):
    lower = new_issue(municipality, "ごみ出しが難しい", area=area)
    city = CommunityIssue(
        municipality=municipality, title="ごみ出し支援", theme=lower.theme, level="city"
    )
    services.escalate(issues=[lower], into=city, by=None)
    tag(reviewed_case(municipality, center, 1), "移動・交通", issue=lower)
    city.refresh_from_db()
    assert city.case_count == evidence(descendant_ids(city)).case_count == 1


def test_it_shows_the_same_count_in_the_register_and_on_the_issue_page(
    city_client, municipality, center, area
):
    lower = new_issue(municipality, "通いの場が遠い", area=area)
    for n in range(2):
        tag(reviewed_case(municipality, center, n), "移動・交通", issue=lower)
    city = CommunityIssue(
        municipality=municipality, title="通いの場の移動支援", theme=lower.theme, level="city"
    )
    services.escalate(issues=[lower], into=city, by=None)
    register = city_client.get(reverse("issues:issue_list"), {"sort": "evidence"}).content.decode()
    page = city_client.get(reverse("issues:issue_detail", args=[city.pk])).content.decode()
    assert "事例 <strong>2</strong> 件" in page
    url = reverse("issues:issue_detail", args=[city.pk])
    row = register[register.index(f'<tr><td><a href="{url}">') :]
    assert '<td class="num">2</td>' in row[: row.index("</tr>")]


def test_an_edit_from_an_earlier_copy_keeps_the_count(municipality, center, area):
    issue = new_issue(municipality, "見守りの担い手が足りない", area=area)
    stale = CommunityIssue.objects.get(pk=issue.pk)
    tag(reviewed_case(municipality, center, 1), "移動・交通", issue=issue)
    stale.status = "raised"
    services.update_issue(issue=stale, by=None)
    stale.refresh_from_db()
    assert stale.case_count == 1
