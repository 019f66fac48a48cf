"""The issue pages as users meet them: forms keep what was typed, documents open back, pages
run a fixed number of queries. Who may open which page is in tests/test_authorization_matrix."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from conftest import logged_in, run_queued_tasks
from tsunagu.cases.tests.test_documents import pdf_text
from tsunagu.issues.models import (
    CommunityIssue,
    IssueDiscussion,
    IssueTag,
    Milestone,
    MiningJob,
    Proposal,
)
from tsunagu.issues.services import escalate, themes_for, update_issue
from tsunagu.issues.textmining import MAX_TEXT_CHARS
from tsunagu.tests.url_names import reverse

from .conftest import TODAY, meeting, new_issue, reviewed_case, sign, tag

HTMX = {"HTTP_HX_REQUEST": "true"}


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_the_register_filters_and_searches(city_client, municipality, area):
    new_issue(municipality, "バス路線の廃止で通院できない", area=area)
    new_issue(municipality, "認知症の人の見守り", theme="認知症", area=area)
    page = city_client.get(reverse("issues:issue_list"), {"q": "ばす"}).content.decode()
    assert "バス路線の廃止" in page and "認知症の人" not in page
    theme = CommunityIssue.objects.get(title__startswith="認知症").theme_id
    partial = city_client.get(
        reverse("issues:issue_list"), {"theme": theme}, **HTMX
    ).content.decode()
    assert "認知症の人の見守り" in partial and "<html" not in partial


def test_a_new_issue_with_huge_text_is_refused_and_keeps_what_was_typed(city_client, municipality):
    theme = themes_for(municipality)[0]
    huge = "買い物に行けない。" * (MAX_TEXT_CHARS // 9 + 10)
    response = city_client.post(
        reverse("issues:issue_create"),
        {
            "title": "買い物困難",
            "theme": theme.pk,
            "level": "city",
            "status": "candidate",
            "description": huge,
            "opened_on": "令和8年4月1日",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "文章が長すぎます" in page
    assert 'value="買い物困難"' in page and not CommunityIssue.objects.exists()


def test_creating_an_issue_records_its_first_status(city_client, municipality, area):
    theme = themes_for(municipality)[1]
    response = city_client.post(
        reverse("issues:issue_create"),
        {
            "title": "配食の空白地域",
            "theme": theme.pk,
            "level": "area",
            "area": area.pk,
            "status": "candidate",
            "description": "北部に配食サービスがない",
            "opened_on": "R8.5.1",
        },
    )
    issue = CommunityIssue.objects.get()
    assert response.status_code == 302 and issue.opened_on == datetime.date(2026, 5, 1)
    assert issue.status_changes.get().new_status == "候補"


def test_escalation_refuses_an_issue_into_itself_and_keeps_the_form(city_client, municipality):
    city = new_issue(municipality, "移動手段の確保", level="city")
    response = city_client.post(
        reverse("issues:issue_escalate"), {"issues": [city.pk], "into": city.pk, "level": "city"}
    )
    assert "それ自身へ提起することはできません" in response.content.decode()
    city.refresh_from_db()
    assert city.escalated_to is None


def test_escalating_two_area_issues_into_a_new_city_issue(city_client, municipality, area):
    first = new_issue(municipality, "北部の移動", area=area)
    second = new_issue(municipality, "中部の移動", area=area)
    response = city_client.post(
        reverse("issues:issue_escalate"),
        {
            "issues": [first.pk, second.pk],
            "title": "移動手段の確保",
            "level": "city",
            "theme": first.theme_id,
        },
    )
    city = CommunityIssue.objects.get(level="city")
    assert response.url == reverse("issues:issue_detail", args=[city.pk])
    page = city_client.get(response.url).content.decode()
    assert "北部の移動" in page and "中部の移動" in page


def test_progress_outside_0_to_100_is_refused_with_a_message(city_client, municipality):
    issue = new_issue(municipality, "移動手段の確保", level="city")
    response = city_client.post(
        reverse("issues:proposal_create", args=[issue.pk]),
        {
            "kind": "policy",
            "title": "乗合タクシー",
            "owner": "交通政策課",
            "status": "in_progress",
            "progress": "150",
            "weight": "1",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Proposal.objects.exists()
    assert "100" in page and 'value="乗合タクシー"' in page


def test_the_issue_page_shows_evidence_proposals_and_timeline_in_fixed_queries(
    city_client, municipality, center, area
):
    issue = new_issue(municipality, "北部の移動", area=area)
    tag(reviewed_case(municipality, center, 1), "移動・交通", issue=issue)
    Proposal.objects.create(
        municipality=municipality, issue=issue, kind="resource", title="移動支援", owner="課"
    )
    url = reverse("issues:issue_detail", args=[issue.pk])
    few = count_queries(city_client, url)
    for n in range(2, 12):
        tag(reviewed_case(municipality, center, n), "移動・交通", issue=issue)
    child = new_issue(municipality, "個別の課題", level="individual", area=area)
    child.escalated_to = issue
    child.save()
    many = count_queries(city_client, url)
    page = city_client.get(url).content.decode()
    assert "事例 <strong>11</strong> 件" in page
    assert "移動支援" in page and "個別の課題" in page
    assert many == few + 1  # one more level of lineage to read, not one query per case


def test_tagging_a_review_with_a_suggestion(client, municipality, center, area, center_staff):
    review = reviewed_case(
        municipality, center, 1, policy="バスが減り通院と買い物に行けない。移動手段を探す。"
    )
    issue = new_issue(
        municipality, "バスの減便で移動手段がない", area=area, description="通院や買い物に困る"
    )
    new_issue(municipality, "認知症カフェが足りない", theme="認知症", area=area)
    staff = logged_in(client, center_staff)
    sign(center_staff, municipality, review.meeting)
    page = staff.get(reverse("issues:review_tags", args=[review.pk])).content.decode()
    suggestions = page.split("似ている地域課題")[1]
    assert "バスの減便で移動手段がない" in suggestions
    assert "認知症カフェ" not in suggestions
    response = staff.post(
        reverse("issues:review_tags", args=[review.pk]),
        {"theme": issue.theme_id, "issue": issue.pk, "note": "バス停まで歩けない"},
    )
    assert response.status_code == 302
    assert IssueTag.objects.get().issue == issue


def test_suggestions_refuse_huge_text_with_a_message(city_client, municipality):
    response = city_client.get(
        reverse("issues:issue_suggest"), {"note": "あ" * (MAX_TEXT_CHARS + 1)}
    )
    assert "文章が長すぎます" in response.content.decode()


def seed_period(municipality, center, area, n):
    issue = new_issue(municipality, "北部の買い物困難", theme="買い物・配食", area=area)
    for index in range(n):
        tag(reviewed_case(municipality, center, index), "買い物・配食", issue=issue)
    return issue


@pytest.mark.parametrize("name", ["issue_overview", "city_documents", "issue_list"])
def test_overview_pages_run_fixed_queries(city_client, municipality, center, area, name):
    def city_issue_with_proposals(title, n):
        city = new_issue(municipality, title, level="city")
        for index in range(n):
            proposal = Proposal.objects.create(
                municipality=municipality, issue=city, kind="plan", title=f"取組{index}", owner="課"
            )
            Milestone.objects.create(proposal=proposal, title="節目", due_on=TODAY)
        return city

    seed_period(municipality, center, area, 2)
    city_issue_with_proposals("市の課題", 1)
    few = count_queries(city_client, reverse(name))
    issue = seed_period(municipality, center, area, 0)
    for index in range(20, 40):
        tag(reviewed_case(municipality, center, index), "認知症", issue=issue)
    city_issue_with_proposals("市の別の課題", 5)
    assert count_queries(city_client, reverse(name)) == few


def documents_pdf(client, query=None) -> bytes:
    """Ask for the PDF, let the worker make it, and download it from the job's page."""
    asked = client.get(reverse("issues:city_documents_pdf"), query or {})
    assert "PDFを作成する" in asked.content.decode()
    job_page = client.post(reverse("issues:city_documents_pdf"), query or {})
    assert run_queued_tasks() == 1
    page = client.get(job_page.url).content.decode()
    download = reverse("issues:city_documents_job_download", args=[job_page.url.split("/")[-2]])
    assert download in page
    return client.get(download).content


def test_city_meeting_documents_as_pdf_and_xlsx(city_client, municipality, center, area):
    issue = seed_period(municipality, center, area, 3)
    city = new_issue(municipality, "買い物支援の仕組み", theme="買い物・配食", level="city")
    issue.escalated_to = city
    issue.save()
    Proposal.objects.create(
        municipality=municipality,
        issue=city,
        kind="resource",
        title="移動販売",
        owner="課",
        progress=40,
    )
    pdf = pdf_text(documents_pdf(city_client))
    assert "資料2" in pdf and "資料3" in pdf and "買い物支援の仕組み" in pdf
    assert "移動販売" in pdf and "40%" in pdf
    response = city_client.get(reverse("issues:city_documents_xlsx"))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["資料2", "資料3"]
    rows = list(workbook["資料3"].iter_rows(values_only=True))
    assert rows[2][0] == "買い物支援の仕組み" and rows[2][3] == 3


def test_document_3_labels_the_periods_evidence_beside_the_issues_count(
    city_client, municipality, center, area
):
    issue = seed_period(municipality, center, area, 2)
    long_ago = TODAY - datetime.timedelta(days=800)
    tag(reviewed_case(municipality, center, 50, date=long_ago), "買い物・配食", issue=issue)
    city = new_issue(municipality, "買い物支援の仕組み", theme="買い物・配食", level="city")
    escalate(issues=[issue], into=city, by=None)
    page = city_client.get(reverse("issues:city_documents")).content.decode()
    assert "期間内の根拠の事例 2 件（事例数 3 件）" in page
    response = city_client.get(reverse("issues:city_documents_xlsx"))
    rows = list(load_workbook(io.BytesIO(response.content))["資料3"].iter_rows(values_only=True))
    assert rows[1][3:5] == ("期間内の根拠の事例", "事例数")
    assert rows[2][0] == "買い物支援の仕組み" and rows[2][3:5] == (2, 3)


def test_an_empty_period_gives_a_document_that_says_so(city_client, municipality):
    query = {"start": "2001-04-01", "end": "2002-03-31"}
    page = city_client.get(reverse("issues:city_documents"), query).content.decode()
    assert "この期間に記録された圏域の検討・地域課題はありません" in page
    pdf = pdf_text(documents_pdf(city_client, query))
    assert "この期間に記録された圏域の検討・地域課題はありません" in pdf


def test_a_mining_job_runs_and_shows_words_network_groups_and_kwic(
    city_client, city_admin, municipality, center, area
):
    sign(city_admin, municipality)
    texts = [
        "バスの本数が減り、買い物に行けない。",
        "買い物の手段がなく、配食を検討した。",
        "バス停まで歩けず、通院に困っている。",
        "近くのスーパーが閉店し、買い物が難しい。",
    ]
    reviews = [
        reviewed_case(municipality, center, index, advice=[text], policy=text)
        for index, text in enumerate(texts)
    ]
    # KWIC shows sentences only from meetings the user signed for (issue: a pledge for
    # another meeting this year no longer lets one read every meeting's advice).
    sign(city_admin, municipality, for_meeting=reviews[0].meeting)
    response = city_client.post(
        reverse("issues:mining"),
        {"start": "令和8年4月1日", "end": "令和9年3月31日", "sources": ["advice", "minutes"]},
    )
    job = MiningJob.objects.get()
    assert response.url == reverse("issues:mining_job", args=[job.pk])
    assert job.status == "done" and job.total == 8
    page = city_client.get(response.url).content.decode()
    assert "買い物" in page and "共起ネットワーク" in page
    svg = city_client.get(reverse("issues:mining_network", args=[job.pk]))
    assert svg["Content-Type"].startswith("image/svg+xml") and b"<svg" in svg.content
    kwic = city_client.get(reverse("issues:mining_kwic", args=[job.pk]), {"word": "買い物"})
    assert "行けない" in kwic.content.decode()
    assert "閉店" not in kwic.content.decode()
    assert job.result["untagged"] == 4


def test_mining_over_a_period_without_records_says_so(city_client, city_admin, municipality):
    sign(city_admin, municipality)
    city_client.post(
        reverse("issues:mining"),
        {"start": "2001-04-01", "end": "2002-03-31", "sources": ["advice"]},
    )
    job = MiningJob.objects.get()
    page = city_client.get(reverse("issues:mining_job", args=[job.pk])).content.decode()
    assert "分析できる記録がありません" in page


def test_the_dashboard_tells_the_cases_staff_what_became_of_their_issue(
    client, municipality, center, area, center_staff
):
    issue = new_issue(municipality, "北部の移動", area=area)
    tag(reviewed_case(municipality, center, 1), "移動・交通", issue=issue)
    issue.status = "in_progress"
    update_issue(issue=issue, by=None, note="市の会議で施策化")
    page = logged_in(client, center_staff).get(reverse("reports:dashboard")).content.decode()
    assert "担当事例から上がった地域課題の動き" in page and "市の会議で施策化" in page


def test_a_discussion_at_a_city_meeting(city_client, municipality, center):
    issue = new_issue(municipality, "移動手段の確保", level="city")
    city_meeting = meeting(municipality, level="city", date=TODAY - datetime.timedelta(days=3))
    response = city_client.post(
        reverse("issues:discussion_create", args=[issue.pk]),
        {"meeting": city_meeting.pk, "discussion": "実証の結果を報告", "conclusion": "継続する"},
    )
    assert response.status_code == 302
    page = city_client.get(reverse("issues:issue_detail", args=[issue.pk])).content.decode()
    assert "継続する" in page and "検討中" in page


def test_the_meeting_page_lists_the_issues_discussed_there(city_client, municipality, center):
    issue = new_issue(municipality, "移動手段の確保", level="city")
    city_meeting = meeting(municipality, level="city")
    city_client.post(
        reverse("issues:discussion_create", args=[issue.pk]),
        {"meeting": city_meeting.pk, "discussion": "報告を受けた", "conclusion": "施策化する"},
    )
    url = reverse("meetings:meeting_detail", args=[city_meeting.pk])
    page = city_client.get(url).content.decode()
    assert "この会議で検討した地域課題" in page and "施策化する" in page
    few = count_queries(city_client, url)
    for title in ("買い物支援", "見守り体制", "認知症の早期発見"):
        other = new_issue(municipality, title, level="city")
        IssueDiscussion.objects.create(issue=other, meeting=city_meeting, conclusion="継続")
    assert count_queries(city_client, url) == few


def test_identifiers_in_an_issue_are_offered_masked_before_saving(city_client, municipality):
    theme = themes_for(municipality)[0]
    data = {
        "title": "買い物困難",
        "theme": theme.pk,
        "level": "city",
        "status": "candidate",
        "description": "山田花子さん（090-1234-5678）がバス停まで歩けない。",
        "opened_on": "令和8年4月1日",
    }
    page = city_client.post(reverse("issues:issue_create"), data).content.decode()
    assert "個人を特定できる情報が含まれている可能性があります" in page
    assert not CommunityIssue.objects.exists()
    city_client.post(reverse("issues:issue_create"), {**data, "masking_choice": "masked"})
    description = CommunityIssue.objects.get().description
    assert "090-1234-5678" not in description and "山田花子" not in description
