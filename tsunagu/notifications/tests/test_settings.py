"""Email and task settings come from the environment and are checked strictly at start."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

SETTINGS = Path(__file__).resolve().parents[2] / "settings.py"


def settings_with(monkeypatch, **environment) -> dict:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_it_writes_email_to_files_by_default(monkeypatch):
    monkeypatch.delenv("EMAIL_DELIVERY", raising=False)
    loaded = settings_with(monkeypatch)
    assert loaded["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert loaded["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def test_it_reads_an_smtp_relay_from_the_environment(monkeypatch):
    loaded = settings_with(
        monkeypatch,
        EMAIL_DELIVERY="smtp",
        EMAIL_HOST="relay.city.lg.jp",
        EMAIL_PORT="587",
        EMAIL_SECURITY="starttls",
        EMAIL_HOST_USER="tsunagu",
        EMAIL_HOST_PASSWORD="secret",
        DEFAULT_FROM_EMAIL="tsunagu@city.lg.jp",
    )
    assert loaded["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (loaded["EMAIL_HOST"], loaded["EMAIL_PORT"]) == ("relay.city.lg.jp", 587)
    assert loaded["EMAIL_USE_TLS"] and not loaded["EMAIL_USE_SSL"]


@pytest.mark.parametrize(
    "name, value, says",
    [
        ("EMAIL_DELIVERY", "smpt", "EMAIL_DELIVERY は smtp, file, console"),
        ("EMAIL_PORT", "25a", "EMAIL_PORT は 1〜65535"),
        ("EMAIL_PORT", "70000", "EMAIL_PORT は 1〜65535"),
        ("EMAIL_SECURITY", "tls", "EMAIL_SECURITY は none, starttls, ssl"),
        ("DEFAULT_FROM_EMAIL", "つなぐ", "DEFAULT_FROM_EMAIL はメールアドレス"),
        ("SITE_URL", "tsunagu.city.lg.jp", "SITE_URL は http:// か https://"),
        ("TASK_MAX_ATTEMPTS", "0", "TASK_MAX_ATTEMPTS は 1〜10"),
        ("TASKS_BACKEND", "django_tasks_rq.RQBackend", "REDIS_URL"),
    ],
)
def test_a_mistyped_setting_stops_the_start_with_a_japanese_message(monkeypatch, name, value, says):
    with pytest.raises(ImproperlyConfigured, match=says):
        settings_with(monkeypatch, **{name: value})


def test_a_user_without_a_password_is_refused(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_HOST_PASSWORD"):
        settings_with(monkeypatch, EMAIL_DELIVERY="smtp", EMAIL_HOST_USER="tsunagu")
