import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tsunagu.audit.models import AuditEntry
from tsunagu.organizations.models import Area, Center
from tsunagu.tests.url_names import reverse


def test_it_lists_and_searches_areas(city_client, municipality):
    for name in ["明第1", "小金", "小金原"]:
        Area.objects.create(municipality=municipality, name=name)
    response = city_client.get(reverse("organizations:area_list"), {"q": "小金"})
    body = response.content.decode()
    assert "小金原" in body and "明第1" not in body
    assert "全2件" in body


def test_it_answers_htmx_with_the_results_only(city_client, area):
    response = city_client.get(
        reverse("organizations:area_list"), {"q": "明"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "明第1" in body
    assert "<html" not in body


def test_it_paginates(city_client, municipality):
    Area.objects.bulk_create(
        Area(municipality=municipality, name=f"圏域{i:02d}", sort_order=i) for i in range(30)
    )
    first = city_client.get(reverse("organizations:area_list")).content.decode()
    second = city_client.get(reverse("organizations:area_list"), {"page": 2}).content.decode()
    assert "圏域00" in first and "圏域29" not in first
    assert "圏域29" in second and "全30件" in second


def test_it_runs_the_same_number_of_queries_whatever_the_rows(city_client, municipality):
    def queries():
        with CaptureQueriesContext(connection) as context:
            assert city_client.get(reverse("organizations:center_list")).status_code == 200
        return len(context)

    area = Area.objects.create(municipality=municipality, name="A")
    Center.objects.create(municipality=municipality, name="最初のセンター", area=area)
    few = queries()
    for i in range(20):
        area = Area.objects.create(municipality=municipality, name=f"圏域{i}")
        Center.objects.create(municipality=municipality, name=f"センター{i}", area=area)
    assert queries() == few


def test_it_creates_an_area_and_logs_it(city_client, municipality):
    response = city_client.post(
        reverse("organizations:area_create"),
        {"name": " 明第2西 ", "sort_order": 2, "description": ""},
    )
    area = Area.objects.get(municipality=municipality)
    assert response.status_code == 302
    assert area.name == "明第2西"
    entry = AuditEntry.objects.get(action="area.created")
    assert entry.target_id == str(area.pk) and entry.municipality_id == municipality.pk


def test_it_refuses_a_duplicate_name_and_keeps_the_input(city_client, area):
    response = city_client.post(
        reverse("organizations:area_create"),
        {"name": "明第1", "sort_order": 7, "description": "入力した説明"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "同じ名前の日常生活圏域がすでに登録されています" in body
    assert "入力した説明" in body
    assert Area.objects.count() == 1


def test_it_allows_the_same_area_name_in_another_municipality(outsider_client, area):
    response = outsider_client.post(
        reverse("organizations:area_create"), {"name": "明第1", "sort_order": 1}
    )
    assert response.status_code == 302
    assert Area.objects.filter(name="明第1").count() == 2


def test_it_asks_before_deleting_and_refuses_while_centers_use_the_area(city_client, center):
    area = center.area
    confirm = city_client.get(reverse("organizations:area_delete", args=[area.pk]))
    assert "削除しますか" in confirm.content.decode()
    response = city_client.post(reverse("organizations:area_delete", args=[area.pk]), follow=True)
    assert "参照されているため削除できません" in response.content.decode()
    assert Area.objects.filter(pk=area.pk).exists()
    assert not AuditEntry.objects.filter(action="area.deleted").exists()


@pytest.mark.parametrize("page", ["area_detail", "area_edit"])
def test_it_shows_an_area(city_client, center, page):
    response = city_client.get(reverse(page, args=[center.area.pk]))
    assert response.status_code == 200
    assert "明第1" in response.content.decode()
