from django.urls import reverse

from conftest import logged_in
from tsunagu.accounts.middleware import LAST_ACTIVITY_KEY
from tsunagu.audit.models import AuditEntry

IDLE = "一定時間操作がなかったため、ログアウトしました。"


def test_it_logs_out_after_thirty_idle_minutes(client, viewer, clock):
    client = logged_in(client, viewer)
    assert client.get(reverse("organizations:area_list")).status_code == 200
    clock.advance(minutes=30, seconds=1)
    response = client.get(reverse("organizations:area_list"))
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={reverse('organizations:area_list')}"
    assert IDLE in client.get(response.url).content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("reports:dashboard")).status_code == 302
    entry = AuditEntry.objects.get(action="user.session_expired")
    assert entry.actor_id == viewer.pk and entry.data["idle_seconds"] == 1801
    # Expiry is not a logout the user did.
    assert not AuditEntry.objects.filter(action="user.logged_out").exists()


def test_it_keeps_a_session_in_use(client, viewer, clock):
    client = logged_in(client, viewer)
    for _ in range(4):
        clock.advance(minutes=29)
        assert client.get(reverse("reports:dashboard")).status_code == 200


def test_it_counts_from_the_login(client, viewer, clock):
    client = logged_in(client, viewer)  # no page opened after logging in
    clock.advance(minutes=31)
    assert client.get(reverse("reports:dashboard")).status_code == 302


def test_it_writes_the_session_at_most_once_a_minute(client, viewer, clock):
    client = logged_in(client, viewer)
    start = client.session[LAST_ACTIVITY_KEY]
    clock.advance(seconds=59)
    response = client.get(reverse("reports:dashboard"))
    assert client.session[LAST_ACTIVITY_KEY] == start
    assert "sessionid" not in response.cookies  # the session was not saved
    clock.advance(seconds=2)
    client.get(reverse("reports:dashboard"))
    assert client.session[LAST_ACTIVITY_KEY] == start + 61


def test_it_reads_the_timeout_from_the_settings(client, viewer, clock, settings):
    settings.SESSION_IDLE_TIMEOUT = 60
    client = logged_in(client, viewer)
    clock.advance(seconds=61)
    assert client.get(reverse("reports:dashboard")).status_code == 302


def test_it_can_be_turned_off(client, viewer, clock, settings):
    settings.SESSION_IDLE_TIMEOUT = 0
    client = logged_in(client, viewer)
    clock.advance(hours=7)
    assert client.get(reverse("reports:dashboard")).status_code == 200


def test_it_sends_an_htmx_request_to_the_login_page(client, viewer, clock):
    client = logged_in(client, viewer)
    clock.advance(minutes=31)
    response = client.get(
        reverse("organizations:area_list"), {"q": "明"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("accounts:login") + "?next=")
