"""The access gate on every directory page: anonymous, other municipality, read-only, no role."""

import pytest

from conftest import logged_in, make_user
from tsunagu.accounts.models import Role
from tsunagu.organizations.models import Area, Center, Organization, Person
from tsunagu.tests.url_names import reverse

ENTITIES = ["area", "center", "organization", "person"]
MODELS = {"area": Area, "center": Center, "organization": Organization, "person": Person}


@pytest.fixture
def rows(area, center, organization, person):
    return {"area": area, "center": center, "organization": organization, "person": person}


def urls_of(entity, pk):
    return {
        "list": reverse(f"{entity}_list"),
        "create": reverse(f"{entity}_create"),
        "detail": reverse(f"{entity}_detail", args=[pk]),
        "edit": reverse(f"{entity}_edit", args=[pk]),
        "delete": reverse(f"{entity}_delete", args=[pk]),
    }


@pytest.mark.parametrize("entity", ENTITIES)
def test_it_sends_anonymous_users_to_login(client, rows, entity):
    for url in urls_of(entity, rows[entity].pk).values():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:login")), url


@pytest.mark.parametrize("entity", ENTITIES)
def test_it_answers_404_for_another_municipalitys_rows(outsider_client, rows, entity):
    urls = urls_of(entity, rows[entity].pk)
    for page in ("detail", "edit", "delete"):
        assert outsider_client.get(urls[page]).status_code == 404, page
        assert outsider_client.post(urls[page], {"name": "x"}).status_code == 404, page
    listing = outsider_client.get(urls["list"])
    assert listing.status_code == 200
    assert str(rows[entity]) not in listing.content.decode()
    assert MODELS[entity].objects.filter(pk=rows[entity].pk).exists()


@pytest.mark.parametrize("entity", ENTITIES)
def test_it_lets_a_viewer_read_but_not_write(viewer_client, rows, entity):
    urls = urls_of(entity, rows[entity].pk)
    for page in ("list", "detail"):
        response = viewer_client.get(urls[page])
        assert response.status_code == 200, page
        assert str(rows[entity]) in response.content.decode()
        assert "新規登録" not in response.content.decode()
    for page in ("create", "edit", "delete"):
        assert viewer_client.get(urls[page]).status_code == 403, page
        assert viewer_client.post(urls[page], {"name": "変更"}).status_code == 403, page
    assert MODELS[entity].objects.get(pk=rows[entity].pk).name == rows[entity].name


@pytest.mark.parametrize("entity", ENTITIES)
def test_it_refuses_a_user_without_membership(stranger_client, rows, entity):
    response = stranger_client.get(urls_of(entity, rows[entity].pk)["list"])
    assert response.status_code == 403
    assert "権限がありません" in response.content.decode()


@pytest.mark.parametrize(
    "entity,allowed", [("area", False), ("center", False), ("organization", True), ("person", True)]
)
def test_it_lets_center_staff_edit_only_organisations_and_people(
    staff_client, rows, entity, allowed
):
    urls = urls_of(entity, rows[entity].pk)
    expected = 200 if allowed else 403
    assert staff_client.get(urls["edit"]).status_code == expected
    assert staff_client.get(urls["create"]).status_code == expected


def test_it_refuses_an_expired_membership(client, municipality, area):
    import datetime

    user = make_user("expired", (municipality, Role.CITY_ADMIN, None))
    user.memberships.update(expires_on=datetime.date(2020, 3, 31))
    response = logged_in(client, user).get(reverse("organizations:area_list"))
    assert response.status_code == 403
