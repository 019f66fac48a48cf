import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tsunagu.accounts.management.commands import check_production, create_city_admin
from tsunagu.accounts.models import Membership, Role, User
from tsunagu.audit.models import AuditEntry
from tsunagu.organizations.models import Municipality
from tsunagu.organizations.validators import municipality_check_digit

SAFE_KEY = "Jq3v9-XkP2mR7tLw4ZbN8yHc6dFs1gUe5aVo0iTn_KjQ2xMp7rWs"
ADMIN_PASSWORD = "Minato-kogane-2021-tsunagu"
NEW_CODE = "12207" + str(municipality_check_digit("12207"))


@pytest.fixture
def safe(settings, monkeypatch):
    """Production-like settings on PostgreSQL; each test then breaks one thing."""
    settings.DEBUG = False
    settings.SECRET_KEY = SAFE_KEY
    settings.ALLOWED_HOSTS = ["tsunagu.example.lg.jp"]
    settings.SESSION_COOKIE_SECURE = True
    settings.TOTP_REQUIRED_ROLES = ["city_admin", "core_center"]
    settings.DEMO = False
    monkeypatch.setattr(
        check_production, "database_engine", lambda: "django.db.backends.postgresql"
    )
    monkeypatch.delenv("ALLOW_SQLITE_IN_PRODUCTION", raising=False)
    monkeypatch.delenv(create_city_admin.PASSWORD_ENV, raising=False)
    return settings


def run(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def refusal(*args, **options) -> str:
    with pytest.raises(CommandError) as raised:
        run(*args, **options)
    return str(raised.value)


# check_production


def test_it_accepts_safe_settings(safe):
    out, err = run("check_production")
    assert "本番運用の設定を確認しました。問題はありません。" in out
    assert err == ""


def test_it_refuses_debug(safe):
    safe.DEBUG = True
    assert "DEBUG が有効です" in refusal("check_production")


def test_it_refuses_the_demo(safe):
    safe.DEMO = True
    assert "デモ（tsunagu.demo）が有効です" in refusal("check_production")


def test_it_refuses_the_default_secret_key(safe):
    safe.SECRET_KEY = safe.INSECURE_DEFAULT_SECRET_KEY
    assert "SECRET_KEY が開発用の公開値のまま" in refusal("check_production")


def test_it_refuses_a_short_secret_key(safe):
    safe.SECRET_KEY = SAFE_KEY[:49]
    assert "SECRET_KEY が短すぎるか単純すぎます（49文字）" in refusal("check_production")


def test_it_refuses_a_simple_secret_key(safe):
    safe.SECRET_KEY = "ab" * 40
    assert "SECRET_KEY が短すぎるか単純すぎます" in refusal("check_production")


def test_it_refuses_empty_allowed_hosts(safe):
    safe.ALLOWED_HOSTS = []
    assert "ALLOWED_HOSTS が空です" in refusal("check_production")


def test_it_refuses_a_wildcard_host(safe):
    safe.ALLOWED_HOSTS = ["tsunagu.example.lg.jp", "*"]
    assert "ALLOWED_HOSTS に「*」があります" in refusal("check_production")


def test_it_refuses_sqlite(safe, monkeypatch):
    monkeypatch.setattr(check_production, "database_engine", lambda: "django.db.backends.sqlite3")
    assert "データベースが SQLite です" in refusal("check_production")


def test_it_allows_sqlite_when_told_to(safe, monkeypatch):
    monkeypatch.setattr(check_production, "database_engine", lambda: "django.db.backends.sqlite3")
    monkeypatch.setenv("ALLOW_SQLITE_IN_PRODUCTION", "1")
    out, err = run("check_production")
    assert "問題はありません" in out
    assert "警告: データベースが SQLite です" in err


def test_it_refuses_city_admins_without_two_factor(safe):
    safe.TOTP_REQUIRED_ROLES = ["core_center"]
    assert "TOTP_REQUIRED_ROLES に city_admin がありません" in refusal("check_production")


def test_it_only_warns_about_plain_http(safe):
    safe.SESSION_COOKIE_SECURE = False
    out, err = run("check_production")
    assert "問題はありません" in out
    assert "警告: SECURE_COOKIES が無効です" in err and "LGWAN" in err


def test_it_lists_every_problem_at_once(safe):
    safe.DEBUG = True
    safe.SECRET_KEY = safe.INSECURE_DEFAULT_SECRET_KEY
    safe.ALLOWED_HOSTS = ["*"]
    message = refusal("check_production")
    assert message.count("\n- ") == 3


def test_it_refuses_with_a_nonzero_exit_code(safe):
    safe.DEBUG = True
    with pytest.raises(SystemExit) as raised:
        check_production.Command().run_from_argv(["manage.py", "check_production"])
    assert raised.value.code == 1


# create_city_admin

ARGS = [
    "create_city_admin",
    "--municipality-code",
    NEW_CODE,
    "--municipality-name",
    "松戸テスト市",
    "--prefecture",
    "12",
    "--username",
    "first_admin",
    "--full-name",
    "市 太郎",
]


@pytest.fixture
def password(monkeypatch):
    monkeypatch.setenv(create_city_admin.PASSWORD_ENV, ADMIN_PASSWORD)


def nothing_created():
    return not User.objects.exists() and not Municipality.objects.filter(code=NEW_CODE).exists()


def test_it_creates_the_first_city_admin(safe, password, db):
    out, _ = run(*ARGS)
    municipality = Municipality.objects.get(code=NEW_CODE)
    assert municipality.name == "松戸テスト市" and municipality.prefecture == "12"
    user = User.objects.get(username="first_admin")
    assert user.full_name == "市 太郎" and user.check_password(ADMIN_PASSWORD)
    assert not user.is_staff and not user.is_superuser and not user.has_two_factor
    membership = Membership.objects.get(user=user)
    assert membership.municipality == municipality and membership.role == Role.CITY_ADMIN
    actions = list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))
    assert actions == ["municipality.created", "user.created", "membership.created"]
    assert "first_admin" in out and "二段階認証（TOTP）が必須" in out
    assert ADMIN_PASSWORD not in str(list(AuditEntry.objects.values_list("data", flat=True)))


def test_it_takes_the_prefecture_from_the_code(safe, password, db):
    args = [a for a in ARGS if a not in ("--prefecture", "12")]
    run(*args)
    assert Municipality.objects.get(code=NEW_CODE).prefecture == "12"


def test_it_uses_an_existing_municipality(safe, password, municipality):
    run(
        "create_city_admin",
        "--municipality-code",
        municipality.code,
        "--municipality-name",
        municipality.name,
        "--username",
        "second_admin",
        "--full-name",
        "市 花子",
    )
    assert Municipality.objects.count() == 1
    assert Membership.objects.get(user__username="second_admin").municipality == municipality


def test_it_refuses_an_existing_code_with_another_name(safe, password, municipality):
    message = refusal(
        "create_city_admin",
        "--municipality-code",
        municipality.code,
        "--municipality-name",
        "別の市",
        "--username",
        "second_admin",
        "--full-name",
        "市 花子",
    )
    assert "「松風テスト市」として登録済み" in message
    assert not User.objects.exists()


def test_it_refuses_unsafe_settings(safe, password, db):
    safe.DEBUG = True
    assert "DEBUG が有効です" in refusal(*ARGS)
    assert nothing_created()


def test_it_may_be_told_to_skip_the_checks(safe, password, db):
    safe.DEBUG = True
    _, err = run(*ARGS, "--allow-unsafe")
    assert "--allow-unsafe" in err
    assert User.objects.filter(username="first_admin").exists()


def test_it_refuses_a_weak_password(safe, monkeypatch, db):
    monkeypatch.setenv(create_city_admin.PASSWORD_ENV, "12345678")
    assert "パスワードが弱すぎます" in refusal(*ARGS)
    assert nothing_created()


def test_it_refuses_a_password_like_the_username(safe, monkeypatch, db):
    monkeypatch.setenv(create_city_admin.PASSWORD_ENV, "first_admin1")
    assert "パスワードが弱すぎます" in refusal(*ARGS)


def test_it_refuses_an_existing_username(safe, password, db):
    run(*ARGS)
    assert "ログインID first_admin はすでに登録されています" in refusal(*ARGS)
    assert User.objects.count() == 1 and Membership.objects.count() == 1


def test_it_refuses_an_invalid_code(safe, password, db):
    args = list(ARGS)
    args[2] = "122070" if NEW_CODE != "122070" else "122071"
    assert "検査数字" in refusal(*args)
    assert nothing_created()


def test_it_needs_a_password_when_not_at_a_terminal(safe, monkeypatch, db):
    monkeypatch.setattr(create_city_admin.sys, "stdin", io.StringIO())
    assert "TSUNAGU_ADMIN_PASSWORD" in refusal(*ARGS)
    assert nothing_created()


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_it_asks_for_the_password_twice_at_a_terminal(safe, monkeypatch, db):
    monkeypatch.setattr(create_city_admin.sys, "stdin", Terminal())
    answers = iter([ADMIN_PASSWORD, ADMIN_PASSWORD])
    monkeypatch.setattr(create_city_admin.getpass, "getpass", lambda prompt: next(answers))
    run(*ARGS)
    assert User.objects.get(username="first_admin").check_password(ADMIN_PASSWORD)


def test_it_refuses_two_different_passwords(safe, monkeypatch, db):
    monkeypatch.setattr(create_city_admin.sys, "stdin", Terminal())
    answers = iter([ADMIN_PASSWORD, ADMIN_PASSWORD + "x"])
    monkeypatch.setattr(create_city_admin.getpass, "getpass", lambda prompt: next(answers))
    assert "一致しません" in refusal(*ARGS)
    assert nothing_created()
