"""The login pages in their own words, said once; the QR code; the system administrator's
landing page (issue 16)."""

from django.urls import reverse

from conftest import PASSWORD, logged_in, make_superuser
from tsunagu.accounts.tests.test_two_factor import code_step, password_step
from tsunagu.lib.security import totp


def test_it_says_a_wrong_password_once_in_the_pages_words(client, viewer):
    page = client.post(
        reverse("accounts:login"), {"username": "viewer", "password": "wrong"}
    ).content.decode()
    assert page.count("ログインIDまたはパスワードが正しくありません。") == 1
    assert "ユーザー名" not in page
    # Not an input mistake to look for field by field.
    assert "入力内容に誤りがあります" not in page
    assert '<label for="id_username">ログインID</label>' in page


def test_it_does_not_call_the_code_page_a_set_up(client, city_admin):
    password_step(client)
    page = client.get(reverse("accounts:login_code")).content.decode()
    assert "設定しています" not in page and "二段階認証を使っています" in page


def test_it_draws_the_key_as_a_qr_code_beside_it(client, viewer):
    page = logged_in(client, viewer).get(reverse("accounts:two_factor")).content.decode()
    qr = page[page.index('id="totp-qr"') :]
    assert qr.index("<svg") < qr.index('id="totp-secret"')
    assert "<path" in qr[: qr.index("</svg>")]
    assert "http" not in qr[: qr.index("</svg>")].replace("http://www.w3.org", "")


def test_it_sends_the_system_administrator_to_the_administration_site(client, db):
    root = make_superuser()
    password_step(client, username=root.get_username())
    response = code_step(client, totp(root.totp_secret))
    assert response.status_code == 302 and response.url == reverse("admin:index")


def test_it_keeps_a_members_landing_on_the_dashboard(client, viewer):
    response = client.post(reverse("accounts:login"), {"username": "viewer", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"
