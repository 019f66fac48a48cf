import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from conftest import PASSWORD, logged_in
from tsunagu.accounts.models import User
from tsunagu.accounts.twofactor import DEMO_TOTP_SECRET, PENDING_KEY, SETUP_KEY
from tsunagu.audit.models import AuditEntry
from tsunagu.lib.security import STEP_SECONDS, new_totp_secret, totp
from tsunagu.tests.url_names import reverse

WRONG_CODE = "確認コードが正しくありません"


def password_step(client, username="city_admin", next_url=None):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data)


def code_step(client, code):
    return client.post(reverse("accounts:login_code"), {"code": code})


def previous_code(secret):
    return totp(secret, time.time() - STEP_SECONDS)


def wrong_code(secret):
    valid = {totp(secret, time.time() + steps * STEP_SECONDS) for steps in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


def with_two_factor(user):
    user.totp_secret = new_totp_secret()
    user.totp_confirmed_at = timezone.now()
    user.save()
    return user


# The login's second step


def test_it_asks_for_a_code_after_the_password_without_logging_in(client, city_admin):
    response = password_step(client)
    assert response.status_code == 302 and response.url == reverse("accounts:login_code")
    assert "_auth_user_id" not in client.session  # nobody is logged in between the steps
    assert client.get(reverse("reports:dashboard")).status_code == 302
    assert not AuditEntry.objects.filter(action="user.logged_in").exists()
    page = client.get(reverse("accounts:login_code")).content.decode()
    assert "確認コード（6桁）" in page and 'autocomplete="one-time-code"' in page


def test_it_logs_in_with_the_right_code(client, city_admin):
    password_step(client)
    response = code_step(client, totp(city_admin.totp_secret))
    assert response.status_code == 302 and response.url == reverse("reports:dashboard")
    assert client.session["_auth_user_id"] == str(city_admin.pk)
    assert PENDING_KEY not in client.session
    assert AuditEntry.objects.filter(action="user.logged_in", actor_id=city_admin.pk).exists()
    assert client.get(reverse("reports:dashboard")).status_code == 200


def test_it_keeps_where_the_user_was_going(client, city_admin):
    password_step(client, next_url=reverse("organizations:area_list"))
    assert code_step(client, totp(city_admin.totp_secret)).url == reverse("organizations:area_list")


def test_it_does_not_follow_a_next_to_another_site(client, city_admin):
    password_step(client, next_url="https://evil.example/")
    assert code_step(client, totp(city_admin.totp_secret)).url == reverse("reports:dashboard")


def test_it_accepts_full_width_digits_and_spaces(client, city_admin):
    code = totp(city_admin.totp_secret)
    typed = " ".join([code[:3], code[3:]]).translate(
        str.maketrans("0123456789", "０１２３４５６７８９")
    )
    password_step(client)
    assert code_step(client, typed).status_code == 302


def test_it_accepts_the_previous_code_for_a_slow_clock(client, city_admin):
    password_step(client)
    assert code_step(client, previous_code(city_admin.totp_secret)).status_code == 302


def test_it_refuses_a_wrong_code_and_audits_it(client, city_admin):
    password_step(client)
    response = code_step(client, wrong_code(city_admin.totp_secret))
    assert response.status_code == 200 and WRONG_CODE in response.content.decode()
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.get(action="user.2fa_failed")
    assert entry.actor_id == city_admin.pk


def test_it_refuses_letters(client, city_admin):
    password_step(client)
    response = code_step(client, "abcdef")
    assert "6桁の数字で入力してください" in response.content.decode()


def test_it_refuses_a_code_already_used(client, city_admin):
    code = totp(city_admin.totp_secret)
    password_step(client)
    assert code_step(client, code).status_code == 302
    client.post(reverse("accounts:logout"))
    password_step(client)
    response = code_step(client, code)  # seen over someone's shoulder
    assert response.status_code == 200 and WRONG_CODE in response.content.decode()


@pytest.mark.usefixtures("fast_passwords")
def test_it_locks_the_login_id_after_five_wrong_codes(client, city_admin):
    password_step(client)
    for _ in range(5):
        code_step(client, wrong_code(city_admin.totp_secret))
    response = code_step(client, totp(city_admin.totp_secret))
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session and PENDING_KEY not in client.session
    page = client.get(response.url).content.decode()
    assert "このIDは一時的にロックされています" in page
    # And the password step refuses it too, for the whole lockout.
    assert "一時的にロックされています" in password_step(client).content.decode()


def test_it_ends_the_second_step_after_five_minutes(client, city_admin, clock):
    password_step(client)
    clock.advance(minutes=5, seconds=1)
    response = code_step(client, totp(city_admin.totp_secret))
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert (
        "確認コードの入力時間が過ぎました" in client.get(reverse("accounts:login")).content.decode()
    )
    entry = AuditEntry.objects.get(action="user.2fa_expired")
    assert entry.actor_username == "city_admin"


def test_it_sends_a_visit_without_a_password_step_to_the_login(client, db):
    response = client.get(reverse("accounts:login_code"))
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    assert not AuditEntry.objects.exists()
    assert client.post(reverse("accounts:login_code"), {"code": "123456"}).url == reverse(
        "accounts:login"
    )
    assert AuditEntry.objects.get().action == "user.2fa_expired"


def test_it_refuses_a_pending_login_of_a_changed_password(client, city_admin):
    password_step(client)
    city_admin.set_password("another-long-passphrase")
    city_admin.save()
    response = code_step(client, totp(city_admin.totp_secret))
    assert response.url == reverse("accounts:login") and "_auth_user_id" not in client.session


def test_it_refuses_a_pending_login_of_a_deactivated_user(client, city_admin):
    password_step(client)
    User.objects.filter(pk=city_admin.pk).update(is_active=False)
    response = code_step(client, totp(city_admin.totp_secret))
    assert response.url == reverse("accounts:login") and "_auth_user_id" not in client.session


def test_it_logs_in_users_without_two_factor_in_one_step(client, viewer):
    response = password_step(client, "viewer")
    assert response.url == reverse("reports:dashboard") and "_auth_user_id" in client.session


# Setting it up


def test_it_sets_up_two_factor_authentication(client, viewer):
    client = logged_in(client, viewer)
    page = client.get(reverse("accounts:two_factor")).content.decode()
    secret = client.session[SETUP_KEY]
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page
    assert f"otpauth://totp/%E3%81%A4%E3%81%AA%E3%81%90%3Aviewer?secret={secret}" in page
    viewer.refresh_from_db()
    assert viewer.totp_secret == ""  # nothing stored before the code confirms it

    response = client.post(reverse("accounts:two_factor"), {"code": totp(secret)})
    assert response.status_code == 302 and response.url == reverse("reports:dashboard")
    viewer.refresh_from_db()
    assert viewer.has_two_factor and viewer.totp_secret == secret
    assert SETUP_KEY not in client.session
    assert AuditEntry.objects.filter(action="user.2fa_enabled", actor_id=viewer.pk).exists()
    assert secret not in str(list(AuditEntry.objects.values_list("data", flat=True)))
    # The key is never shown again.
    assert secret not in client.get(reverse("accounts:two_factor")).content.decode()


def test_it_keeps_the_key_on_reload_while_setting_up(client, viewer):
    client = logged_in(client, viewer)
    client.get(reverse("accounts:two_factor"))
    first = client.session[SETUP_KEY]
    client.get(reverse("accounts:two_factor"))
    assert client.session[SETUP_KEY] == first


def test_it_refuses_a_wrong_code_when_setting_up(client, viewer):
    client = logged_in(client, viewer)
    client.get(reverse("accounts:two_factor"))
    response = client.post(
        reverse("accounts:two_factor"), {"code": wrong_code(client.session[SETUP_KEY])}
    )
    assert WRONG_CODE in response.content.decode()
    viewer.refresh_from_db()
    assert not viewer.has_two_factor


def test_it_asks_a_user_who_set_it_up_for_a_code_next_time(client, viewer):
    with_two_factor(viewer)
    assert password_step(client, "viewer").url == reverse("accounts:login_code")


# Required for some roles


def test_it_sends_a_city_admin_without_two_factor_to_set_it_up(client, unprotected_admin):
    client = logged_in(client, unprotected_admin)
    for name in ("dashboard", "area_list", "member_list", "password_change"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url == reverse("accounts:two_factor"), name
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert "二段階認証が必須です" in page
    assert client.post(reverse("accounts:logout")).url == reverse("accounts:login")


def test_it_sends_an_htmx_request_to_set_it_up_by_hx_redirect(client, unprotected_admin):
    client = logged_in(client, unprotected_admin)
    response = client.get(reverse("organizations:area_list"), headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Redirect"] == reverse("accounts:two_factor")


def test_it_lets_the_city_admin_in_once_set_up(client, unprotected_admin):
    client = logged_in(client, unprotected_admin)
    client.get(reverse("accounts:two_factor"))
    client.post(reverse("accounts:two_factor"), {"code": totp(client.session[SETUP_KEY])})
    assert client.get(reverse("reports:dashboard")).status_code == 200


def test_it_requires_it_for_the_core_center(client, municipality, center):
    center.is_core = True
    center.save()
    user = User.objects.create_user("kikan", password=PASSWORD)
    user.memberships.create(municipality=municipality, role="core_center", center=center)
    assert logged_in(client, user).get(reverse("reports:dashboard")).url == reverse(
        "accounts:two_factor"
    )


def test_it_does_not_require_it_for_an_expired_admin_role(client, unprotected_admin):
    unprotected_admin.memberships.update(is_active=False)
    response = logged_in(client, unprotected_admin).get(reverse("reports:dashboard"))
    assert response.status_code == 403  # no membership: not sent to the setup page


def test_it_reads_the_required_roles_from_the_settings(client, unprotected_admin, settings):
    settings.TOTP_REQUIRED_ROLES = ["viewer"]
    assert logged_in(client, unprotected_admin).get(reverse("reports:dashboard")).status_code == 200


def test_it_does_not_require_it_for_other_roles(viewer_client):
    assert viewer_client.get(reverse("reports:dashboard")).status_code == 200


def test_it_requires_it_for_the_system_administrator(client, db):
    root = User.objects.create_superuser("root", password=PASSWORD)  # no membership at all
    client = logged_in(client, root)
    for url in ("/admin/", "/admin/accounts/user/", reverse("reports:dashboard")):
        response = client.get(url)
        assert response.status_code == 302 and response.url == reverse("accounts:two_factor"), url
    assert "二段階認証が必須です" in client.get(reverse("accounts:two_factor")).content.decode()
    client.post(reverse("accounts:two_factor"), {"code": totp(client.session[SETUP_KEY])})
    assert client.get("/admin/").status_code == 200


def test_the_system_administrator_logs_in_with_a_code(client, db):
    root = with_two_factor(User.objects.create_superuser("root", password=PASSWORD))
    response = password_step(client, "root", next_url="/admin/")
    assert response.url == reverse("accounts:login_code") and "_auth_user_id" not in client.session
    assert code_step(client, totp(root.totp_secret)).url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_system_administrator_cannot_turn_it_off(client, db):
    root = with_two_factor(User.objects.create_superuser("root", password=PASSWORD))
    response = logged_in(client, root).post(
        reverse("accounts:two_factor_disable"), {"code": totp(root.totp_secret)}
    )
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.has_two_factor


# Turning it off


def test_it_turns_off_optional_two_factor_with_a_code(client, viewer):
    with_two_factor(viewer)
    client = logged_in(client, viewer)
    assert "無効にする" in client.get(reverse("accounts:two_factor")).content.decode()
    response = client.post(
        reverse("accounts:two_factor_disable"), {"code": totp(viewer.totp_secret)}
    )
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert not viewer.has_two_factor and viewer.totp_secret == ""
    assert AuditEntry.objects.filter(action="user.2fa_disabled", actor_id=viewer.pk).exists()


def test_it_keeps_two_factor_on_for_a_wrong_code(client, viewer):
    with_two_factor(viewer)
    client = logged_in(client, viewer)
    response = client.post(
        reverse("accounts:two_factor_disable"), {"code": wrong_code(viewer.totp_secret)}
    )
    assert WRONG_CODE in response.content.decode()
    viewer.refresh_from_db()
    assert viewer.has_two_factor
    assert AuditEntry.objects.filter(action="user.2fa_failed").exists()


def test_it_refuses_turning_off_required_two_factor(city_client, city_admin):
    assert "無効にはできません" in city_client.get(reverse("accounts:two_factor")).content.decode()
    response = city_client.post(
        reverse("accounts:two_factor_disable"), {"code": totp(city_admin.totp_secret)}
    )
    assert response.status_code == 403
    city_admin.refresh_from_db()
    assert city_admin.has_two_factor


def test_it_needs_a_login_for_the_setup_page(client, db):
    assert client.get(reverse("accounts:two_factor")).url.startswith(reverse("accounts:login"))


# Commands


def test_it_prints_the_code_of_a_demo_login(city_admin, capsys):
    User.objects.filter(pk=city_admin.pk).update(totp_secret=DEMO_TOTP_SECRET)
    call_command("totp_code", "city_admin")
    assert capsys.readouterr().out.strip() in {
        totp(DEMO_TOTP_SECRET),
        previous_code(DEMO_TOTP_SECRET),
    }
    assert AuditEntry.objects.filter(action="user.2fa_code_shown").exists()


def test_it_prints_no_code_of_a_real_key(city_admin, capsys):
    with pytest.raises(CommandError):
        call_command("totp_code", "city_admin")
    with pytest.raises(CommandError):
        call_command("totp_code", "nobody")
    assert city_admin.totp_secret not in capsys.readouterr().out


def test_it_resets_two_factor_for_a_lost_phone(client, city_admin):
    call_command("totp_reset", "city_admin")
    city_admin.refresh_from_db()
    assert not city_admin.has_two_factor
    assert AuditEntry.objects.filter(action="user.2fa_reset").exists()
    # The next login goes straight to setting it up again.
    assert password_step(client).url == reverse("reports:dashboard")
    assert client.get(reverse("reports:dashboard")).url == reverse("accounts:two_factor")
