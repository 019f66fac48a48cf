from django.urls import reverse

from conftest import PASSWORD, make_user
from tsunagu.audit.models import AuditEntry

WRONG = "ログインIDまたはパスワードが正しくありません"


def attempt(client, username, password, ip="10.1.2.3"):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def fail(client, username, times, ip="10.1.2.3"):
    for _ in range(times):
        assert WRONG in attempt(client, username, "wrong", ip).content.decode()


def test_it_logs_in_and_audits_it(client, viewer):
    response = attempt(client, "viewer", PASSWORD)
    assert response.status_code == 302 and response.url == reverse("reports:dashboard")
    entry = AuditEntry.objects.get(action="user.logged_in")
    assert entry.actor_id == viewer.pk and entry.ip_address == "10.1.2.3"


def test_it_refuses_a_wrong_password_in_japanese_and_audits_it(client, city_admin):
    response = client.post(
        reverse("accounts:login"), {"username": "city_admin", "password": "wrong"}
    )
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    entry = AuditEntry.objects.get(action="user.login_failed")
    assert entry.actor_username == "city_admin" and entry.actor_id is None
    assert "wrong" not in str(entry.data)


def test_it_logs_out_by_post_and_audits_it(city_client, city_admin):
    response = city_client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="user.logged_out", actor_id=city_admin.pk).exists()
    assert city_client.get(reverse("reports:dashboard")).status_code == 302


def test_it_stores_passwords_with_argon2(settings, db):
    from tsunagu.settings import PASSWORD_HASHERS

    settings.PASSWORD_HASHERS = PASSWORD_HASHERS  # as configured, not the tests' fast hash
    user = make_user("argon")
    assert user.password.startswith("argon2")
    assert user.check_password(PASSWORD)


def test_it_changes_the_password(city_client, city_admin):
    response = city_client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "new-long-passphrase-2026",
            "new_password2": "new-long-passphrase-2026",
        },
    )
    assert response.status_code == 302
    city_admin.refresh_from_db()
    assert city_admin.check_password("new-long-passphrase-2026")


def test_it_refuses_a_short_new_password_in_japanese(city_client):
    response = city_client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    assert "短すぎます" in response.content.decode()


def test_it_requires_login_for_the_password_page(client):
    assert client.get(reverse("accounts:password_change")).status_code == 302
