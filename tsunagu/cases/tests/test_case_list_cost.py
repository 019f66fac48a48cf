"""The work list costs what it shows: the same queries with a few cases and with many, and the
page's total taken from the counts per status instead of counting the rows again."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tsunagu.cases import access
from tsunagu.cases.models import Case

STATUSES = ["draft", "submitted", "ready", "reviewed", "monitoring", "closed"]


def add_cases(municipality, center, count, start=0):
    Case.objects.bulk_create(
        Case(
            municipality=municipality,
            code=f"L-{n}",
            center=center,
            status=STATUSES[n % len(STATUSES)],
            case_type="independence",
            age_band="80",
            sex="female",
            care_level="care_1",
            household="alone",
        )
        for n in range(start, start + count)
    )


def listing(client, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("cases:case_list"), params)
    assert response.status_code == 200
    return response, len(queries)


@pytest.mark.parametrize("params", [{}, {"status": "closed"}, {"q": "L-1"}, {"page": "2"}])
def test_it_runs_the_same_queries_with_few_and_many_cases(
    city_client, municipality, center, params
):
    add_cases(municipality, center, 6)  # one of each status, so no page is empty
    _, few = listing(city_client, params)
    add_cases(municipality, center, 120, start=6)
    _, many = listing(city_client, params)
    assert many == few


def test_it_takes_the_total_from_the_counts_per_status(city_client, municipality, center):
    add_cases(municipality, center, 70)
    response, plain = listing(city_client, {})
    assert response.context["page"].paginator.count == Case.objects.count()
    closed, _ = listing(city_client, {"status": "closed"})
    assert closed.context["page"].paginator.count == Case.objects.filter(status="closed").count()
    counts = {value: n for value, _label, n in response.context["statuses"]}
    assert counts["closed"] == Case.objects.filter(status="closed").count()
    # A search counts its own rows (one query more than the list without one).
    searched, with_search = listing(city_client, {"q": "L-1"})
    assert (
        searched.context["page"].paginator.count
        == Case.objects.filter(code__icontains="L-1").count()
    )
    assert with_search == plain + 1


def test_the_total_ignores_an_unknown_status(city_client, municipality, center):
    add_cases(municipality, center, 7)
    response, _ = listing(city_client, {"status": "nonsense"})
    assert response.context["page"].paginator.count == 7


def test_the_counts_leave_out_other_municipalities(
    city_client, municipality, center, other_municipality, other_rows
):
    add_cases(municipality, center, 4)
    add_cases(other_municipality, other_rows["center"], 9, start=100)
    response, _ = listing(city_client, {})
    assert response.context["page"].paginator.count == 4
    assert sum(n for _value, _label, n in response.context["statuses"]) == 4


def test_above_the_cap_it_says_at_least_and_pages_through_the_cap(
    city_client, municipality, center, monkeypatch, settings
):
    settings.PAGE_SIZE = 10
    monkeypatch.setattr(access, "COUNT_CAP", 15)
    add_cases(municipality, center, 120)  # 20 of each status
    add_cases(municipality, center, 6, start=120)  # and one more of each
    Case.objects.filter(status="draft").exclude(code="L-120").delete()  # drafts: 1
    response, _ = listing(city_client, {"status": "closed"})
    body = response.content.decode()
    assert "終結（15以上）" in body and "下書き（1）" in body and "全15件以上" in body
    assert response.context["page"].paginator.num_pages == 2
    response, _ = listing(city_client, {})
    assert response.context["page"].paginator.count == 15 * 5 + 1
    assert response.context["page"].paginator.more
    response, _ = listing(city_client, {"status": "draft"})
    assert response.context["page"].paginator.count == 1
    assert not response.context["page"].paginator.more


def test_the_capped_counts_are_exact_below_the_cap(city_admin, municipality, center):
    add_cases(municipality, center, 13)
    member = city_admin.memberships.get()
    with CaptureQueriesContext(connection) as queries:
        counts = access.counts_by_status(member, cap=3)
    assert len(queries) == 1
    exact = {s: Case.objects.filter(status=s).count() for s in STATUSES}
    assert counts == {s: min(n, 4) for s, n in exact.items() if n}
