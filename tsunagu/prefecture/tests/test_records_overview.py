"""派遣実績 (screen and XLSX) and the view above the municipalities: right counts, no case
content, and a number of queries that does not grow with the data."""

import datetime
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from conftest import logged_in
from tsunagu.cases.models import FollowUp
from tsunagu.issues.models import CommunityIssue, Proposal
from tsunagu.issues.services import theme_named
from tsunagu.lib.fiscal import fiscal_months
from tsunagu.meetings.models import Meeting, MeetingType
from tsunagu.prefecture import records
from tsunagu.prefecture.choices import AssignmentStatus
from tsunagu.prefecture.models import Assignment, DispatchRequest

from .conftest import CASE_TEXT, make_adviser, make_case

FY = 2025


def dispatch(meeting, adviser, status=AssignmentStatus.ACCEPTED):
    """A past dispatch as it stands once answered (made directly: services refuse the past)."""
    request = DispatchRequest.objects.create(
        municipality=meeting.municipality,
        prefecture=adviser.prefecture,
        meeting=meeting,
        profession=adviser.profession,
        status="accepted",
    )
    return Assignment.objects.create(request=request, adviser=adviser, status=status)


def held(body, date, cases=0, center=None):
    return Meeting.objects.create(
        municipality=body.municipality,
        meeting_type=body,
        center=center,
        date=date,
        status="held",
        cases_reviewed=cases,
        minutes=CASE_TEXT,
    )


def test_it_counts_dispatches_per_municipality_profession_and_month(
    prefecture, municipality, town, body
):
    town_body = MeetingType.objects.create(
        municipality=town, name="個別会議", category="individual", level="center", host="city"
    )
    pt = make_adviser(prefecture, municipalities=[municipality, town])
    dietitian = make_adviser(prefecture, profession="dietitian", municipalities=[municipality])
    dispatch(held(body, datetime.date(FY, 4, 10)), pt)
    dispatch(held(body, datetime.date(FY, 4, 20)), pt)
    dispatch(held(body, datetime.date(FY + 1, 3, 5)), dietitian)
    dispatch(held(town_body, datetime.date(FY, 6, 1)), pt)
    dispatch(held(body, datetime.date(FY, 6, 2)), pt, status=AssignmentStatus.DECLINED)
    dispatch(held(body, datetime.date(FY + 1, 4, 1)), pt)  # next 年度
    rows = {tuple(row.label): row for row in records.by_municipality(prefecture, FY)}
    months = fiscal_months(FY)
    assert rows[(municipality.name, "理学療法士")].months[months.index((FY, 4))] == 2
    assert rows[(municipality.name, "管理栄養士")].months[months.index((FY + 1, 3))] == 1
    assert rows[(town.name, "理学療法士")].total == 1
    assert sum(row.total for row in rows.values()) == 4
    advisers = {row.label[0]: row.total for row in records.by_adviser(prefecture, FY)}
    assert advisers == {pt.name: 3, dietitian.name: 1}


def test_the_xlsx_neutralises_cells_a_spreadsheet_would_run(
    client, prefecture, municipality, body, pref_staff
):
    adviser = make_adviser(prefecture, municipalities=[municipality])
    adviser.name = '=HYPERLINK("http://x")'
    adviser.association = "\tタブ"
    adviser.save()
    dispatch(held(body, datetime.date(FY, 5, 1)), adviser)
    response = logged_in(client, pref_staff).get(
        reverse("prefecture:pref_records_xlsx"), {"fy": FY}
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["アドバイザー別"]
    # The titles name the 年度 in 和暦 (FY 2025 is 令和7年度).
    assert "（令和7年度・アドバイザー別）" in sheet["A1"].value
    assert "（令和7年度・市町村・職種別）" in book["市町村・職種別"]["A1"].value
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row}
    for text in ('=HYPERLINK("http://x")', "\tタブ"):
        assert cells[text].data_type == "s" and cells[text].quotePrefix
    assert all(cell.data_type != "f" for cell in cells.values())


def queries(client, url, params):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params).status_code == 200
    return len(context)


def test_the_records_page_runs_the_same_queries_with_more_dispatches(
    client, prefecture, municipality, body, pref_staff
):
    client = logged_in(client, pref_staff)
    adviser = make_adviser(prefecture, municipalities=[municipality])
    dispatch(held(body, datetime.date(FY, 5, 1)), adviser)
    few = queries(client, reverse("prefecture:pref_records"), {"fy": FY})
    for day in range(2, 12):
        other = make_adviser(prefecture, profession="dietitian", municipalities=[municipality])
        dispatch(held(body, datetime.date(FY, 7, day)), other)
    assert queries(client, reverse("prefecture:pref_records"), {"fy": FY}) == few


def raise_issue(municipality, title, cases):
    theme = theme_named(municipality, "移動・交通")
    area_issue = CommunityIssue.objects.create(
        municipality=municipality,
        title=f"{title}（圏域）",
        theme=theme,
        level="area",
        case_count=cases,
    )
    city_issue = CommunityIssue.objects.create(
        municipality=municipality,
        title=f"{title}（市）",
        theme=theme,
        level="city",
        case_count=cases,
    )
    area_issue.escalated_to = city_issue
    area_issue.save()
    top = CommunityIssue.objects.create(
        municipality=municipality,
        title=title,
        theme=theme,
        level="prefecture",
        case_count=cases,
        status="raised",
    )
    city_issue.escalated_to = top
    city_issue.save()
    Proposal.objects.create(
        municipality=municipality, issue=top, kind="policy", title=f"{title}の提案", owner="課"
    )
    return top


def test_the_overview_shows_issues_raised_to_the_prefecture_with_lineage_and_proposals(
    client, prefecture, municipality, other_municipality, pref_staff, body, center
):
    raise_issue(municipality, "山間部の移動手段", 7)
    raise_issue(other_municipality, "他県の課題", 3)
    theme = theme_named(municipality, "認知症")
    CommunityIssue.objects.create(
        municipality=municipality, title="市止まり", theme=theme, level="city"
    )
    make_case(held(body, datetime.date(FY, 5, 1), center=center), "X-1")
    page = (
        logged_in(client, pref_staff)
        .get(reverse("prefecture:pref_overview"), {"fy": FY})
        .content.decode()
    )
    assert "山間部の移動手段（圏域）" in page and "山間部の移動手段（市）" in page
    assert "山間部の移動手段の提案" in page and "根拠となった事例: 7件" in page
    assert "他県の課題" not in page and "市止まり" not in page
    assert CASE_TEXT not in page


def test_the_comparison_counts_meetings_cases_and_outcomes_per_municipality(
    prefecture, municipality, town, other_municipality, body, center
):
    from tsunagu.prefecture.overview import comparison

    promo = MeetingType.objects.create(
        municipality=municipality, name="推進会議", category="promotion", level="city", host="city"
    )
    first = held(body, datetime.date(FY, 5, 1), cases=2, center=center)
    held(body, datetime.date(FY, 6, 1), cases=1)
    held(promo, datetime.date(FY, 7, 1))
    held(body, datetime.date(FY - 1, 7, 1), cases=9)  # the year before
    Meeting.objects.create(
        municipality=municipality, meeting_type=body, date=datetime.date(FY, 8, 1)
    )  # planned, not held
    case = make_case(first, "C-1")
    review = case.reviews.get()
    FollowUp.objects.create(
        review=review, months_after=3, due_on=first.date, done_on=first.date, outcome="improved"
    )
    FollowUp.objects.create(
        review=review, months_after=6, due_on=first.date, done_on=first.date, outcome="maintained"
    )
    rows = {row["municipality"].pk: row for row in comparison(prefecture, FY)}
    assert set(rows) == {municipality.pk, town.pk}
    mine = rows[municipality.pk]
    assert mine["held"]["individual"] == 2 and mine["held"]["promotion"] == 1
    assert mine["held_total"] == 3 and mine["cases"] == 3
    assert mine["outcomes"]["improved"] == 1 and mine["outcomes"]["maintained"] == 1
    assert rows[town.pk]["held_total"] == 0


def test_the_overview_runs_the_same_queries_with_more_data(
    client, prefecture, municipality, town, pref_staff, body, center
):
    client = logged_in(client, pref_staff)
    raise_issue(municipality, "課題A", 2)
    held(body, datetime.date(FY, 5, 1), cases=1)
    few = queries(client, reverse("prefecture:pref_overview"), {"fy": FY})
    for i in range(5):
        raise_issue(municipality, f"課題B{i}", i)
        raise_issue(town, f"課題C{i}", i)
        case = make_case(held(body, datetime.date(FY, 6, 1 + i), cases=2, center=center), f"C-{i}")
        FollowUp.objects.create(
            review=case.reviews.get(),
            months_after=3,
            due_on=datetime.date(FY, 9, 1),
            done_on=datetime.date(FY, 9, 1),
            outcome="worsened",
        )
    assert queries(client, reverse("prefecture:pref_overview"), {"fy": FY}) == few
