"""Security headers, the Content Security Policy, cookies and refused forged forms."""

import re
import runpy
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from tsunagu.audit.models import AuditEntry
from tsunagu.lib.security import (
    DEFAULT_CONTENT_SECURITY_POLICY,
    group_secret,
    hotp,
    matching_totp_step,
    new_totp_secret,
    otpauth_uri,
    totp,
)

RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of b"12345678901234567890"

# TOTP


@pytest.mark.parametrize(
    ("at", "expected"),
    [  # RFC 6238 appendix B, SHA1
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_it_computes_the_rfc_6238_test_vectors(at, expected):
    assert totp(RFC_SECRET, at, digits=8) == expected
    assert totp(RFC_SECRET, at) == expected[-6:]


def test_it_computes_the_rfc_4226_test_vectors():
    codes = ["755224", "287082", "359152", "969429", "338314", "254676"]
    assert [hotp(b"12345678901234567890", i) for i in range(6)] == codes


def test_it_accepts_one_step_either_side_and_no_more():
    assert matching_totp_step(RFC_SECRET, "287082", at=59) == 1
    assert matching_totp_step(RFC_SECRET, "287082", at=89) == 1  # a step late
    assert matching_totp_step(RFC_SECRET, "287082", at=29) == 1  # a step early
    assert matching_totp_step(RFC_SECRET, "287082", at=90) is None
    assert matching_totp_step(RFC_SECRET, "２８７ ０８２", at=59) == 1
    assert matching_totp_step(RFC_SECRET, "28708", at=59) is None
    assert matching_totp_step("", "287082", at=59) is None


def test_it_makes_random_160_bit_keys():
    secret = new_totp_secret()
    assert len(secret) == 32 and re.fullmatch(r"[A-Z2-7]+", secret)
    assert secret != new_totp_secret()
    assert group_secret(secret).count(" ") == 7


def test_it_writes_the_uri_authenticator_apps_read():
    assert otpauth_uri(RFC_SECRET, "shi", "つなぐ") == (
        "otpauth://totp/%E3%81%A4%E3%81%AA%E3%81%90%3Ashi?secret="
        + RFC_SECRET
        + "&issuer=%E3%81%A4%E3%81%AA%E3%81%90&algorithm=SHA1&digits=6&period=30"
    )


# Headers


def test_it_sends_the_content_security_policy_on_every_page(client, viewer_client):
    for response in (
        client.get(reverse("accounts:login")),
        viewer_client.get(reverse("reports:dashboard")),
        viewer_client.get("/no-such-page/"),
    ):
        policy = response["Content-Security-Policy"]
        assert policy == DEFAULT_CONTENT_SECURITY_POLICY
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "form-action 'self'",
    ):
        assert directive in DEFAULT_CONTENT_SECURITY_POLICY
    assert (
        "unsafe" not in DEFAULT_CONTENT_SECURITY_POLICY
        and "http" not in DEFAULT_CONTENT_SECURITY_POLICY
    )


def test_it_sends_the_security_headers_without_debug(client, db):
    assert django_settings.DEBUG is False
    response = client.get(reverse("accounts:login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_it_sets_safe_cookies_at_login(client, viewer):
    response = client.post(reverse("accounts:login"), {"username": "viewer", "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert response.cookies["csrftoken"]["httponly"]


def test_it_redirects_to_https_and_sends_hsts_when_told(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 301 and response.url.startswith("https://")
    secure = client.get(reverse("accounts:login"), secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000"


def load_settings(monkeypatch, **env):
    for name in (
        "SECURE_COOKIES",
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "TRUST_X_FORWARDED_PROTO",
        "SESSION_IDLE_TIMEOUT",
        "LOGIN_FAILURE_LIMIT",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(django_settings.BASE_DIR) / "tsunagu" / "settings.py"))


def test_it_turns_on_https_settings_with_secure_cookies(monkeypatch):
    values = load_settings(monkeypatch, SECURE_COOKIES="1")
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_SSL_REDIRECT"] and values["SECURE_HSTS_SECONDS"] == 31536000
    assert "SECURE_PROXY_SSL_HEADER" not in values


def test_it_leaves_plain_http_alone_by_default(monkeypatch):
    values = load_settings(monkeypatch)
    assert not values["SESSION_COOKIE_SECURE"] and not values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SESSION_IDLE_TIMEOUT"] == 1800 and values["LOGIN_FAILURE_LIMIT"] == 5
    assert values["TOTP_REQUIRED_ROLES"] == ["city_admin", "core_center"]


def test_it_trusts_the_proxy_header_only_when_told(monkeypatch):
    values = load_settings(monkeypatch, SECURE_COOKIES="1", TRUST_X_FORWARDED_PROTO="1")
    assert values["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def test_it_does_not_redirect_in_debug(monkeypatch):
    values = load_settings(monkeypatch, SECURE_COOKIES="1", DEBUG="1")
    assert not values["SECURE_SSL_REDIRECT"] and values["SECURE_HSTS_SECONDS"] == 0


# Forged forms


def test_it_refuses_a_form_without_its_csrf_token_in_japanese_and_logs_it(viewer):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "viewer", "password": PASSWORD})
    assert response.status_code == 403
    assert "画面の有効期限が切れたか" in response.content.decode()
    entry = AuditEntry.objects.get(action="security.csrf_failed")
    assert entry.data["path"] == reverse("accounts:login")
    assert PASSWORD not in str(entry.data)
    assert "_auth_user_id" not in client.session


def test_it_refuses_a_logged_in_form_without_its_csrf_token(viewer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(viewer)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 403
    assert AuditEntry.objects.get(action="security.csrf_failed").actor_id == viewer.pk


# Templates


TEMPLATES = Path(django_settings.BASE_DIR) / "templates"
# Inline styles and scripts are blocked by the policy.
# Templates named *_pdf.html are rendered by WeasyPrint, never served to a browser.
NOT_YET_MOVED: set[str] = set()
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|javascript:", re.I)


def test_no_template_uses_inline_styles_or_scripts():
    offenders = {
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if not path.name.endswith("_pdf.html") and INLINE.search(path.read_text(encoding="utf-8"))
    }
    assert offenders <= NOT_YET_MOVED
