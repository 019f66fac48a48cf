from django.urls import reverse

from conftest import logged_in, make_user
from tsunagu.accounts.models import Membership, Role
from tsunagu.audit.models import AuditEntry


def test_it_switches_between_own_municipalities(client, municipality, other_municipality):
    user = make_user(
        "both", (municipality, Role.ADVISER, None), (other_municipality, Role.ADVISER, None)
    )
    client = logged_in(client, user)
    assert (
        "松風テスト市 ダッシュボード" in client.get(reverse("reports:dashboard")).content.decode()
    )
    target = Membership.objects.get(user=user, municipality=other_municipality)
    response = client.post(
        reverse("accounts:switch_membership"), {"membership": target.pk}, follow=True
    )
    assert "小川平テスト市 ダッシュボード" in response.content.decode()
    assert AuditEntry.objects.filter(action="membership.switched", actor_id=user.pk).exists()


def test_it_refuses_switching_to_someone_elses_membership(city_client, outsider):
    theirs = outsider.memberships.get()
    response = city_client.post(reverse("accounts:switch_membership"), {"membership": theirs.pk})
    assert response.status_code == 403
    assert "松風テスト市" in city_client.get(reverse("reports:dashboard")).content.decode()


def test_it_refuses_nonsense(city_client):
    assert (
        city_client.post(reverse("accounts:switch_membership"), {"membership": "abc"}).status_code
        == 403
    )


def test_it_needs_a_post(city_client):
    assert city_client.get(reverse("accounts:switch_membership")).status_code == 405


def test_it_sends_anonymous_users_to_login(client):
    assert client.post(reverse("accounts:switch_membership"), {"membership": 1}).status_code == 302
