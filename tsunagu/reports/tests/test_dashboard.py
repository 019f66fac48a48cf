from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tsunagu.organizations.models import Person


def test_it_shows_real_counts_of_the_own_municipality(city_client, center, person, other_rows):
    body = city_client.get(reverse("dashboard")).content.decode()
    assert "松風テスト市 ダッシュボード" in body
    assert "介護支援専門員" in body
    # The other municipality's pharmacist is not counted.
    assert "薬剤師" not in body


def test_it_shows_the_fiscal_year_in_wareki(city_client):
    body = city_client.get(reverse("dashboard")).content.decode()
    assert "年度）です" in body and ("令和" in body)


def test_it_runs_a_fixed_number_of_queries(city_client, municipality, person):
    def queries():
        with CaptureQueriesContext(connection) as context:
            city_client.get(reverse("dashboard"))
        return len(context)

    before = queries()
    Person.objects.bulk_create(
        Person(municipality=municipality, name=f"人{i}", furigana="ヒト", profession=profession)
        for i, profession in enumerate(["nurse", "dentist"] * 10)
    )
    assert queries() == before


def test_it_sends_anonymous_users_to_login(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_it_refuses_a_user_without_membership(stranger_client):
    assert stranger_client.get(reverse("dashboard")).status_code == 403


def test_it_shows_a_viewer_the_dashboard(viewer_client):
    assert viewer_client.get(reverse("dashboard")).status_code == 200


def test_it_shows_the_other_municipality_only_its_own(outsider_client, person):
    body = outsider_client.get(reverse("dashboard")).content.decode()
    assert "小川平テスト市" in body and "松風テスト市" not in body
