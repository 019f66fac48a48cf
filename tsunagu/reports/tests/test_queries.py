"""The report pages run the same number of queries with one meeting and with a whole year."""

import datetime
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tsunagu.meetings.importing import import_meetings, parse_matrix, read_table
from tsunagu.meetings.models import Meeting, MeetingType, PlanEntry
from tsunagu.meetings.presets import load_preset
from tsunagu.organizations.models import Center
from tsunagu.tests.url_names import reverse

SAMPLE = Path(__file__).resolve().parents[3] / "data" / "samples" / "matsudo_r3_schedule.csv"
FY2021 = {"fy": 2021}


@pytest.fixture
def catalogue(municipality, city_admin, center):
    load_preset(municipality=municipality, key="matsudo", by=city_admin)
    body = MeetingType.objects.get(municipality=municipality, name="地域個別ケア会議")
    Meeting.objects.create(
        municipality=municipality,
        meeting_type=body,
        center=center,
        date=datetime.date(2021, 7, 27),
    )
    return body


def fill_the_year(municipality, city_admin, body):
    """Add the rest of the sample's centers and its 101 other meetings, and a plan for each."""
    for line in SAMPLE.read_text(encoding="utf-8-sig").splitlines()[2:]:
        Center.objects.create(
            municipality=municipality, name=f"{line.split(',')[0]}地域包括支援センター"
        )
    Meeting.objects.all().delete()
    table = read_table(SAMPLE.read_bytes(), SAMPLE.name)
    result = parse_matrix(table, municipality=municipality, fiscal_year=2021)
    assert result.ok, result.problems
    import_meetings(result, municipality=municipality, by=city_admin)
    for center in Center.objects.filter(municipality=municipality):
        PlanEntry.objects.create(
            municipality=municipality,
            fiscal_year=2021,
            meeting_type=body,
            center=center,
            planned_count=5,
        )
    assert Meeting.objects.count() == 102


def queries(client, name, params):
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse(name), params).status_code == 200
    return len(context)


@pytest.mark.parametrize(
    "name,params",
    [
        ("schedule_matrix", FY2021),
        ("schedule_matrix", {"start": "R3.6.1", "end": "R3.11.30"}),
        ("schedule_matrix", {**FY2021, "format": "csv"}),
        ("meeting_stats", FY2021),
    ],
)
def test_it_runs_the_same_number_of_queries_whatever_the_meetings(
    city_client, municipality, city_admin, catalogue, name, params
):
    few = queries(city_client, name, params)
    fill_the_year(municipality, city_admin, catalogue)
    assert queries(city_client, name, params) == few
