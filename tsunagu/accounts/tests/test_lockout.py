import datetime

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from tsunagu.accounts.throttle import locked_until
from tsunagu.audit.models import AuditEntry

from .test_login import WRONG, attempt, fail

# Many wrong passwords: Argon2 would make each test take seconds.
pytestmark = pytest.mark.usefixtures("fast_passwords")

LOCKED = "ログインの失敗が続いたため、このIDは一時的にロックされています。"
ADDRESS_LOCKED = "この端末からのログインの失敗が続いたため"


def test_it_locks_a_login_id_after_five_failures(client, viewer):
    fail(client, "viewer", 5)
    response = attempt(client, "viewer", PASSWORD)  # the right password, too late
    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert "15分ほど待ってから再度お試しください。" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not AuditEntry.objects.filter(action="user.logged_in").exists()
    entry = AuditEntry.objects.get(action="user.locked_out")
    assert entry.actor_username == "viewer" and entry.data == {"scope": "username"}


def test_it_does_not_tell_whether_the_password_was_right_while_locked(client, viewer):
    fail(client, "viewer", 5)
    right = attempt(client, "viewer", PASSWORD).content.decode()
    wrong = attempt(client, "viewer", "wrong").content.decode()
    for page in (right, wrong):
        assert LOCKED in page and WRONG not in page
    # Refused attempts are not failures: hammering a locked ID does not lock it for longer.
    assert AuditEntry.objects.filter(action="user.login_failed").count() == 5


def test_it_keeps_other_login_ids_open(client, viewer, center_staff):
    fail(client, "viewer", 5)
    assert attempt(client, "center_staff", PASSWORD).status_code == 302


def test_it_unlocks_after_the_lockout_period(client, viewer, clock):
    fail(client, "viewer", 5)
    clock.advance(minutes=14)
    assert LOCKED in attempt(client, "viewer", PASSWORD).content.decode()
    clock.advance(minutes=1, seconds=1)
    assert attempt(client, "viewer", PASSWORD).status_code == 302


def test_it_locks_for_the_whole_period_after_the_last_failure(client, viewer, clock):
    fail(client, "viewer", 4)
    clock.advance(minutes=14)
    fail(client, "viewer", 1)  # five failures within 15 minutes
    clock.advance(minutes=14)
    assert LOCKED in attempt(client, "viewer", PASSWORD).content.decode()
    clock.advance(minutes=1, seconds=1)
    assert attempt(client, "viewer", PASSWORD).status_code == 302


def test_it_does_not_lock_for_failures_spread_out(client, viewer, clock):
    for _ in range(5):
        fail(client, "viewer", 1)
        clock.advance(minutes=4)
    assert attempt(client, "viewer", PASSWORD).status_code == 302


def test_it_forgives_failures_before_a_successful_login(client, viewer):
    fail(client, "viewer", 4)
    assert attempt(client, "viewer", PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    fail(client, "viewer", 4)
    assert attempt(client, "viewer", PASSWORD).status_code == 302


def test_it_reads_the_limits_from_the_settings(client, viewer, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    settings.LOGIN_LOCKOUT_MINUTES = 60
    fail(client, "viewer", 2)
    page = attempt(client, "viewer", PASSWORD).content.decode()
    assert LOCKED in page and "60分ほど" in page


def test_it_limits_failures_from_one_address(client, viewer, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 4
    for name in ("a", "b", "c", "d"):  # few per ID: no ID is locked
        fail(client, name, 1, ip="10.9.9.9")
    response = attempt(client, "viewer", PASSWORD, ip="10.9.9.9")
    assert ADDRESS_LOCKED in response.content.decode()
    assert AuditEntry.objects.get(action="user.locked_out").data == {"scope": "address"}
    assert attempt(client, "viewer", PASSWORD, ip="10.9.9.10").status_code == 302


def test_it_finds_when_a_lock_ends():
    t = [datetime.datetime(2026, 4, 1, 9, m) for m in (0, 1, 2, 3, 14, 40)]
    period = datetime.timedelta(minutes=15)
    assert locked_until(t[:4], 5, period) is None
    assert locked_until(t[:5], 5, period) == t[4] + period
    assert locked_until(t, 5, period) == t[4] + period  # the late one starts no new lock
    assert locked_until(t[:5], 6, period) is None


def test_it_locks_every_way_to_a_password_check(client, viewer):
    fail(client, "viewer", 5)
    assert not client.login(username="viewer", password=PASSWORD)
    # The admin has no login of its own: it sends everyone to the one login page.
    response = client.post("/admin/login/", {"username": "viewer", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302 and response.url.startswith("/login/")


# The password-change form: a wrong current password is a failed login


def change_password(client, old, ip="10.1.2.3"):
    new = "new-long-passphrase-2026"
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
        REMOTE_ADDR=ip,
    )


def test_it_audits_a_wrong_current_password(viewer_client, viewer):
    response = change_password(viewer_client, "wrong")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="user.password_change_failed")
    assert entry.actor_id == viewer.pk and entry.ip_address == "10.1.2.3"
    assert "wrong" not in str(entry.data)


def test_wrong_current_passwords_lock_the_login_id(viewer_client, viewer):
    for _ in range(5):
        change_password(viewer_client, "wrong")
    page = change_password(viewer_client, PASSWORD).content.decode()  # right, too late
    assert LOCKED in page
    viewer.refresh_from_db()
    assert viewer.check_password(PASSWORD)
    assert AuditEntry.objects.get(action="user.locked_out").actor_id == viewer.pk
    # The same lock as wrong passwords at the login: the login page refuses the ID too.
    assert LOCKED in attempt(Client(), "viewer", PASSWORD).content.decode()


def test_wrong_passwords_at_login_and_at_change_add_up(viewer_client, viewer):
    fail(Client(), "viewer", 3)
    change_password(viewer_client, "wrong")
    change_password(viewer_client, "wrong")
    assert LOCKED in change_password(viewer_client, PASSWORD).content.decode()
