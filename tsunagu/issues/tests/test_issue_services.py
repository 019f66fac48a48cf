"""Issues, escalation, proposals and their progress, evidence and the city-meeting documents."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tsunagu.cases.access import cases_visible_to
from tsunagu.issues import evidence, overview, services, suggestions
from tsunagu.issues.models import CommunityIssue, IssueDiscussion, Proposal, StatusChange
from tsunagu.lib.fiscal import fiscal_year

from .conftest import TODAY, meeting, new_issue, reviewed_case, tag


def test_the_default_themes_are_created_once(municipality):
    first = services.themes_for(municipality)
    assert len(first) == 16 and first[0].name == "移動・交通"
    assert len(services.themes_for(municipality)) == 16


def test_a_tag_copies_case_area_and_date_from_the_review(municipality, center, area):
    review = reviewed_case(municipality, center, 1, date=datetime.date(2025, 5, 10))
    made = tag(review, "買い物・配食")
    assert (made.case_id, made.area_id, made.tagged_on) == (
        review.case_id,
        area.pk,
        datetime.date(2025, 5, 10),
    )
    assert made.fiscal_year == 2025


def test_an_issue_cannot_be_escalated_into_itself_a_lower_level_or_a_cycle(municipality, area):
    low = new_issue(municipality, "バス路線廃止", area=area)
    with pytest.raises(ValidationError, match="それ自身"):
        low.escalated_to = low
        low.full_clean()
    peer = new_issue(municipality, "別の圏域の課題", area=area)
    with pytest.raises(ValidationError, match="上のレベル"):
        services.escalate(issues=[low], into=peer, by=None)
    city = new_issue(municipality, "移動手段の確保", level="city")
    services.escalate(issues=[low], into=city, by=None)
    prefecture = new_issue(municipality, "県の交通政策", level="prefecture")
    services.escalate(issues=[city], into=prefecture, by=None)
    # Closing the loop: the prefecture issue "into" the area issue is refused by level and cycle.
    prefecture.escalated_to = low
    with pytest.raises(ValidationError):
        prefecture.full_clean()


def test_escalating_keeps_lineage_both_ways_and_records_the_change(
    municipality, center, second_center, area, second_area
):
    north = new_issue(municipality, "北部の移動", area=area)
    south = new_issue(municipality, "南部の移動", area=second_area)
    for n in range(3):
        tag(reviewed_case(municipality, center, n), "移動・交通", issue=north)
    tag(reviewed_case(municipality, second_center, 9), "移動・交通", issue=south)
    city = CommunityIssue(
        municipality=municipality,
        title="移動手段の確保",
        theme=north.theme,
        level="city",
    )
    services.escalate(issues=[north, south], into=city, by=None)
    north.refresh_from_db()
    assert north.escalated_to == city and north.status == "raised"
    assert set(city.escalated_from.values_list("title", flat=True)) == {"北部の移動", "南部の移動"}
    found = evidence.evidence(evidence.descendant_ids(city))
    assert found.case_count == 4
    assert dict(found.by_area) == {area.name: 3, second_area.name: 1}
    assert StatusChange.objects.filter(issue=north, new_status="上位会議へ提起").exists()
    assert [a.pk for a in evidence.ancestors(north)] == [city.pk]


def test_a_discussion_moves_a_candidate_to_under_discussion(municipality, center, area):
    issue = new_issue(municipality, "ゴミ出しが困難", theme="ゴミ出し・住環境", area=area)
    services.save_discussion(
        discussion=IssueDiscussion(
            issue=issue, meeting=meeting(municipality, center, level="area"), conclusion="調査する"
        ),
        by=None,
    )
    issue.refresh_from_db()
    assert issue.status == "discussing"


def proposal(issue, title, *, parent=None, progress=0, weight=1, status="in_progress"):
    return services.save_proposal(
        proposal=Proposal(
            municipality=issue.municipality,
            issue=issue,
            parent=parent,
            kind="resource",
            title=title,
            owner="高齢者支援課",
            progress=progress,
            weight=weight,
            status=status,
        ),
        by=None,
    )


def test_parent_progress_is_the_weighted_mean_of_its_children(municipality):
    issue = new_issue(municipality, "移動手段の確保", level="city")
    parent = proposal(issue, "移動支援の創設")
    proposal(issue, "担い手養成", parent=parent, progress=100, weight=1)
    proposal(issue, "車両の確保", parent=parent, progress=40, weight=3)
    proposal(issue, "中止した案", parent=parent, progress=0, weight=5, status="dropped")
    done = proposal(issue, "要綱の改正", status="done", progress=10)
    tree = evidence.proposal_tree(list(issue.proposals.all()))
    by_title = {node.proposal.title: node for node in tree}
    # (100*1 + 40*3) / 4 = 55; the dropped child does not count.
    assert by_title["移動支援の創設"].progress == 55
    assert by_title[done.title].progress == 100
    assert evidence.overall_progress(tree) == round((55 + 100) / 2)
    issue.refresh_from_db()
    assert issue.status == "in_progress"


def test_a_proposal_cannot_be_its_own_ancestor(municipality):
    issue = new_issue(municipality, "移動手段の確保", level="city")
    top = proposal(issue, "上")
    child = proposal(issue, "下", parent=top)
    top.parent = child
    with pytest.raises(ValidationError, match="循環"):
        top.full_clean()


def test_heat_map_counts_each_case_once_per_area_and_theme(municipality, center, second_center):
    review = reviewed_case(municipality, center, 1)
    tag(review, "移動・交通")
    again = reviewed_case(municipality, center, 2)
    tag(again, "移動・交通")
    tag(again, "認知症")
    tag(reviewed_case(municipality, second_center, 3), "認知症")
    heat = overview.heat_map(municipality, TODAY - datetime.timedelta(days=1), TODAY)
    names = [theme.name for theme in heat.themes]
    rows = {name: cells for name, cells, _total in heat.rows}
    assert rows[center.area.name][names.index("移動・交通")] == 2
    assert rows[center.area.name][names.index("認知症")] == 1
    assert rows[second_center.area.name][names.index("認知症")] == 1
    assert heat.maximum == 2
    _themes, trend = overview.trend(municipality, [fiscal_year(TODAY)])
    assert sum(trend[0][1]) == 4


def test_city_meeting_documents_organise_area_discussions_and_city_issues(
    municipality, center, area
):
    area_issue = new_issue(municipality, "北部の買い物困難", theme="買い物・配食", area=area)
    for n in range(2):
        tag(reviewed_case(municipality, center, n), "買い物・配食", issue=area_issue)
    services.save_discussion(
        discussion=IssueDiscussion(
            issue=area_issue,
            meeting=meeting(municipality, center, level="area"),
            discussion="移動販売の誘致を検討",
            conclusion="市の会議へ提起",
        ),
        by=None,
    )
    city = new_issue(municipality, "買い物支援の仕組み", theme="買い物・配食", level="city")
    services.escalate(issues=[area_issue], into=city, by=None)
    proposal(city, "移動販売の誘致", progress=30)
    docs = overview.city_meeting_documents(municipality, TODAY - datetime.timedelta(days=7), TODAY)
    north = next(summary for summary in docs.areas if summary.area == area.name)
    assert north.case_count == 2 and north.top_themes == [("買い物・配食", 2)]
    assert [d.conclusion for d in north.discussions] == ["市の会議へ提起"]
    [row] = docs.issues
    assert (row.issue, row.case_count, row.areas) == (city, 2, [area.name])
    assert row.proposals[0].progress == 30
    assert not docs.is_empty


def test_city_issue_rows_count_the_period_and_keep_the_stored_count_beside_it(
    municipality, center, area
):
    area_issue = new_issue(municipality, "北部の買い物困難", theme="買い物・配食", area=area)
    tag(reviewed_case(municipality, center, 1), "買い物・配食", issue=area_issue)
    long_ago = TODAY - datetime.timedelta(days=400)
    for n in (2, 3):
        tag(reviewed_case(municipality, center, n, date=long_ago), "買い物・配食", issue=area_issue)
    city = new_issue(municipality, "買い物支援の仕組み", theme="買い物・配食", level="city")
    services.escalate(issues=[area_issue], into=city, by=None)
    docs = overview.city_meeting_documents(municipality, TODAY - datetime.timedelta(days=7), TODAY)
    [row] = docs.issues
    assert (row.case_count, row.issue.case_count) == (1, 3)


def test_an_empty_period_gives_an_empty_document(municipality, area):
    docs = overview.city_meeting_documents(
        municipality, datetime.date(2001, 4, 1), datetime.date(2002, 3, 31)
    )
    assert docs.is_empty and docs.issues == []


def test_feedback_reaches_the_cases_staff_through_escalation(
    municipality, center, area, center_staff
):
    review = reviewed_case(municipality, center, 1)
    low = new_issue(municipality, "北部の移動", area=area)
    tag(review, "移動・交通", issue=low)
    city = new_issue(municipality, "移動手段の確保", level="city")
    services.escalate(issues=[low], into=city, by=None)
    proposal(city, "乗合タクシーの実証", status="planned")
    member = center_staff.memberships.get()
    changes = overview.feedback_for(member, cases_visible_to(member))
    texts = {(change.issue.title, change.new_status) for change in changes}
    assert ("北部の移動", "上位会議へ提起") in texts
    assert ("移動手段の確保", "未着手") in texts


def test_the_suggestion_index_is_kept_until_the_open_issues_change(municipality, area, monkeypatch):
    built = []
    original = suggestions.SimilarityIndex

    def counting(documents):
        built.append(1)
        return original(documents)

    monkeypatch.setattr(suggestions, "SimilarityIndex", counting)
    new_issue(municipality, "バスの減便で通院できない", area=area)
    issues = CommunityIssue.objects.filter(municipality=municipality)
    ask = lambda: suggestions.similar_issues(issues, municipality.pk, "バスが減った")  # noqa: E731
    assert [issue.title for issue, _ in ask()] == ["バスの減便で通院できない"]
    ask()
    assert len(built) == 1
    new_issue(municipality, "バス停が遠い", area=area)
    assert {issue.title for issue, _ in ask()} == {"バスの減便で通院できない", "バス停が遠い"}
    assert len(built) == 2
