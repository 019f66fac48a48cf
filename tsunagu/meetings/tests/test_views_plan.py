"""The annual plan: planned counts per organiser and meeting body."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tsunagu.audit.models import AuditEntry
from tsunagu.meetings.models import PlanEntry
from tsunagu.organizations.models import Center

FY = 2026
DASH = '<td class="num">—</td>'


@pytest.fixture
def other_center(municipality):
    return Center.objects.create(municipality=municipality, name="小金地域包括支援センター")


def key(center, meeting_type):
    return f"c{center.pk if center else 0}_t{meeting_type.pk}"


def save(client, data):
    return client.post(f"{reverse('meetings:plan')}?fy={FY}", data)


def plans():
    return {
        (p.center_id, p.meeting_type.name): p.planned_count
        for p in PlanEntry.objects.filter(fiscal_year=FY).select_related("meeting_type")
    }


def test_it_saves_counts_per_center_and_body(city_client, body, city_body, center, other_center):
    response = save(
        city_client,
        {key(center, body): 6, key(other_center, body): 4, key(None, city_body): 2},
    )
    assert response.status_code == 302
    assert response.url == f"{reverse('meetings:plan')}?fy={FY}"
    assert plans() == {
        (center.pk, "地域個別ケア会議"): 6,
        (other_center.pk, "地域個別ケア会議"): 4,
        (None, "市地域ケア会議"): 2,
    }
    entry = AuditEntry.objects.get(action="plan.saved")
    assert entry.data == {"fiscal_year": FY, "changed": 3}


def test_it_removes_a_plan_saved_as_zero_or_empty(city_client, body, center, other_center):
    save(city_client, {key(center, body): 6, key(other_center, body): 4})
    response = save(city_client, {key(center, body): 0, key(other_center, body): ""})
    assert response.status_code == 302
    assert plans() == {}


def test_it_keeps_another_fiscal_years_plan(city_client, body, center):
    save(city_client, {key(center, body): 6})
    city_client.post(f"{reverse('meetings:plan')}?fy={FY + 1}", {key(center, body): 3})
    assert plans() == {(center.pk, "地域個別ケア会議"): 6}
    assert PlanEntry.objects.get(fiscal_year=FY + 1).planned_count == 3


def test_it_ignores_cells_a_body_cannot_be_hosted_in(city_client, body, city_body, center):
    save(city_client, {key(None, body): 5, key(center, city_body): 5, key(center, body): 1})
    assert plans() == {(center.pk, "地域個別ケア会議"): 1}


def test_it_refuses_a_negative_count(city_client, body, center):
    response = save(city_client, {key(center, body): -1})
    assert response.status_code == 200
    assert not PlanEntry.objects.exists()


def test_it_lets_center_staff_change_only_their_own_centers_cells(
    staff_client, municipality, body, city_body, center, other_center
):
    PlanEntry.objects.create(
        municipality=municipality,
        fiscal_year=FY,
        meeting_type=body,
        center=other_center,
        planned_count=4,
    )
    response = save(
        staff_client,
        {key(center, body): 6, key(other_center, body): 9, key(None, city_body): 9},
    )
    assert response.status_code == 302
    assert plans() == {(center.pk, "地域個別ケア会議"): 6, (other_center.pk, "地域個別ケア会議"): 4}

    page = staff_client.get(reverse("meetings:plan"), {"fy": FY}).content.decode()
    assert f'name="{key(center, body)}"' in page
    assert f'name="{key(other_center, body)}"' not in page
    assert f'name="{key(None, city_body)}"' not in page


def test_it_shows_a_dash_for_bodies_an_organiser_cannot_host(
    city_client, body, city_body, center, other_center
):
    page = city_client.get(reverse("meetings:plan"), {"fy": FY}).content.decode()
    # The city cannot host the centers' body; neither center can host the city's.
    assert page.count(DASH) == 3
    assert f'name="{key(center, body)}"' in page
    assert f'name="{key(None, city_body)}"' in page
    assert f'name="{key(None, body)}"' not in page


def test_it_shows_the_saved_counts(viewer_client, municipality, body, center):
    PlanEntry.objects.create(
        municipality=municipality, fiscal_year=FY, meeting_type=body, center=center, planned_count=7
    )
    page = viewer_client.get(reverse("meetings:plan"), {"fy": FY}).content.decode()
    assert '<td class="num">7</td>' in page
    assert "<input" not in page.split("<table", 1)[1].split("</table>")[0]


def test_saving_an_unchanged_grid_costs_the_same_however_many_cells(
    city_client, municipality, body, center
):
    def post_unchanged():
        data = {key(c, body): 5 for c in Center.objects.filter(municipality=municipality)}
        save(city_client, data)  # first save writes the cells
        with CaptureQueriesContext(connection) as queries:
            assert save(city_client, data).status_code == 302
        return len(queries)

    few = post_unchanged()
    for n in range(10):
        Center.objects.create(municipality=municipality, name=f"追加センター{n}")
    assert post_unchanged() == few
