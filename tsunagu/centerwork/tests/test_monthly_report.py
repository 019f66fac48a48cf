"""The monthly figures: 延べ件数 and 実人数, several 区分, JST month boundaries, SQL counts."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tsunagu.centerwork import services
from tsunagu.centerwork.models import Consultation, Event
from tsunagu.centerwork.reporting import month_figures
from tsunagu.organizations.models import Center


def categories(municipality, *names):
    by_name = {c.name: c for c in services.categories_of(municipality)}
    return [by_name[name] for name in names]


def consult(center, day, ref, *names, method="phone", consulter="family"):
    return services.record_consultation(
        consultation=Consultation(
            municipality=center.municipality,
            center=center,
            received_on=day,
            method=method,
            consulter=consulter,
            person_ref=ref,
            response="information",
        ),
        categories=categories(center.municipality, *names),
        by=None,
    )


def monthly_json(municipality, month):
    out = io.StringIO()
    call_command(
        "monthly_report", municipality=municipality.code, month=month, format="json", stdout=out
    )
    return json.loads(out.getvalue())


@pytest.fixture
def second_center(municipality):
    return Center.objects.create(municipality=municipality, name="明第2西地域包括支援センター")


def test_it_counts_visits_and_distinct_people_separately(center):
    day = datetime.date(2026, 10, 5)
    consult(center, day, "A-1", "認知症")
    consult(center, day + datetime.timedelta(days=3), "A-1", "介護保険")
    consult(center, day, "A-2", "認知症", method="visit_in")
    figures = monthly_json(center.municipality, "2026-10")["centers"][center.name]
    assert figures["consultations"]["total"] == 3
    assert figures["consultations"]["people"] == 2
    assert figures["consultations"]["by_method"] == {"来所": 1, "電話": 2}
    assert figures["consultations"]["by_consulter"] == {"家族": 3}


def test_it_counts_a_consultation_with_two_categories_once_in_total_and_once_under_each(center):
    consult(center, datetime.date(2026, 10, 1), "B-1", "認知症", "虐待(疑い)")
    consult(center, datetime.date(2026, 10, 2), "B-2", "認知症")
    figures = monthly_json(center.municipality, "2026-10")
    c = figures["centers"][center.name]["consultations"]
    assert c["total"] == 2
    assert c["by_category"] == {"認知症": 2, "虐待(疑い)": 1}
    assert figures["total"]["consultations"]["by_category"] == {"認知症": 2, "虐待(疑い)": 1}


def test_it_cuts_months_at_midnight_in_tokyo(center):
    # 2026-10-31 15:30 UTC is already 1 November in Tokyo.
    moment = datetime.datetime(2026, 10, 31, 15, 30, tzinfo=datetime.UTC)
    day = timezone.localdate(moment)
    consult(center, day, "C-1", "医療")
    consult(center, datetime.date(2026, 10, 31), "C-2", "医療")
    consult(center, datetime.date(2026, 9, 30), "C-3", "医療")
    october = monthly_json(center.municipality, "2026-10")["total"]["consultations"]
    november = monthly_json(center.municipality, "2026-11")["total"]["consultations"]
    assert (october["total"], november["total"]) == (1, 1)


def test_it_adds_centers_up_for_the_city_and_lists_events_by_kind(center, second_center):
    consult(center, datetime.date(2026, 10, 1), "X-1", "医療")
    consult(second_center, datetime.date(2026, 10, 1), "X-1", "医療")
    for c, n in ((center, 12), (second_center, 8), (second_center, 5)):
        Event.objects.create(
            municipality=c.municipality,
            center=c,
            kind="prevention",
            held_on=datetime.date(2026, 10, 20),
            title="いきいき体操",
            participants=n,
        )
    figures = monthly_json(center.municipality, "2026-10")
    assert figures["total"]["consultations"]["people"] == 2  # each center numbers its own
    assert figures["centers"][second_center.name]["events"] == {
        "介護予防講座": {"count": 2, "participants": 13}
    }
    assert figures["total"]["events"]["介護予防講座"] == {"count": 3, "participants": 25}


def test_its_number_of_queries_does_not_grow_with_the_records(center, second_center):
    services.categories_of(center.municipality)
    consult(center, datetime.date(2026, 10, 1), "Q-1", "医療")
    with CaptureQueriesContext(connection) as few:
        month_figures(center.municipality, 2026, 10)
    for i in range(30):
        consult(second_center, datetime.date(2026, 10, 1 + i % 28), f"Q-{i}", "医療", "認知症")
        Event.objects.create(
            municipality=center.municipality,
            center=center if i % 2 else second_center,
            kind="cafe",
            held_on=datetime.date(2026, 10, 3),
            title="カフェ",
            participants=i,
        )
    with CaptureQueriesContext(connection) as many:
        month_figures(center.municipality, 2026, 10)
    assert len(many) == len(few)


def test_the_command_refuses_an_unknown_city_and_a_bad_month(center):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="登録されていません"):
        call_command("monthly_report", municipality="999999", month="2026-10")
    with pytest.raises(CommandError, match="年-月"):
        call_command("monthly_report", municipality=center.municipality.code, month="10月")


def test_the_json_has_exactly_the_stated_shape(center, second_center):
    consult(center, datetime.date(2026, 10, 1), "J-1", "認知症", "虐待(疑い)")
    Event.objects.create(
        municipality=center.municipality,
        center=second_center,
        kind="cafe",
        held_on=datetime.date(2026, 10, 3),
        title="カフェ",
        participants=9,
    )
    figures = monthly_json(center.municipality, "2026-10")
    assert set(figures) == {"centers", "total"}
    assert set(figures["centers"]) == {center.name, second_center.name}
    for item in [*figures["centers"].values(), figures["total"]]:
        assert set(item) == {"consultations", "events"}
        assert set(item["consultations"]) == {
            "total",
            "people",
            "by_method",
            "by_category",
            "by_consulter",
        }
        for event in item["events"].values():
            assert set(event) == {"count", "participants"}
    assert figures["centers"][center.name]["consultations"] == {
        "total": 1,
        "people": 1,
        "by_method": {"電話": 1},
        "by_category": {"認知症": 1, "虐待(疑い)": 1},
        "by_consulter": {"家族": 1},
    }
    assert figures["total"]["events"] == {"認知症カフェ": {"count": 1, "participants": 9}}
    out = io.StringIO()
    call_command(
        "monthly_report",
        municipality=center.municipality.code,
        month="2026-10",
        format="json",
        all=True,
        stdout=out,
    )
    every = json.loads(out.getvalue())["centers"][center.name]
    assert {"outreach", "meetings", "volunteers"} <= set(every)
