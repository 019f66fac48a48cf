"""Refuses settings that are unsafe in production (README「本番運用」).

Run before `collectstatic` and `migrate`, by `create_city_admin`, and by the systemd unit
before gunicorn starts (docs/deploy/tsunagu.service), so that the service does not start with
the development defaults.
"""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

MIN_SECRET_KEY_LENGTH = 50
# Django's own deployment check asks for this many different characters as well.
MIN_SECRET_KEY_UNIQUE_CHARACTERS = 5
NEW_SECRET_KEY_HINT = 'python3 -c "import secrets; print(secrets.token_urlsafe(50))" で作れます'
SUCCESS = "本番運用の設定を確認しました。問題はありません。"


def database_engine() -> str:
    return settings.DATABASES["default"]["ENGINE"]


def production_problems() -> tuple[list[str], list[str]]:
    """(errors, warnings): errors make the commands refuse, warnings are only shown."""
    errors, warnings = [], []
    if settings.DEBUG:
        errors.append("DEBUG が有効です。本番では DEBUG=0 にしてください。")

    key = settings.SECRET_KEY or ""
    if key == settings.INSECURE_DEFAULT_SECRET_KEY:
        errors.append(
            "SECRET_KEY が開発用の公開値のままです。"
            f"長い乱数を設定してください（{NEW_SECRET_KEY_HINT}）。"
        )
    elif len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < MIN_SECRET_KEY_UNIQUE_CHARACTERS:
        errors.append(
            f"SECRET_KEY が短すぎるか単純すぎます（{len(key)}文字）。"
            f"{MIN_SECRET_KEY_LENGTH}文字以上の乱数にしてください（{NEW_SECRET_KEY_HINT}）。"
        )

    if settings.DEMO:
        errors.append(
            "デモ（tsunagu.demo）が有効です。本番では TSUNAGU_DEMO を設定しないでください"
            "（デモのログインとパスワードは公開されています）。"
        )

    if not settings.ALLOWED_HOSTS:
        errors.append(
            "ALLOWED_HOSTS が空です。利用者が開くホスト名をカンマ区切りで設定してください。"
        )
    elif "*" in settings.ALLOWED_HOSTS:
        errors.append(
            "ALLOWED_HOSTS に「*」があります。利用者が開くホスト名だけを設定してください。"
        )

    if "sqlite" in database_engine():
        if os.environ.get("ALLOW_SQLITE_IN_PRODUCTION") == "1":
            warnings.append(
                "データベースが SQLite です（ALLOW_SQLITE_IN_PRODUCTION=1 により許可）。"
                "本番は PostgreSQL を推奨します。"
            )
        else:
            errors.append(
                "データベースが SQLite です。本番では DATABASE_URL で PostgreSQL を指定してください"
                "（どうしても SQLite で運用する場合は ALLOW_SQLITE_IN_PRODUCTION=1）。"
            )

    required = set(settings.TOTP_REQUIRED_ROLES)
    if "city_admin" not in required:
        errors.append(
            "TOTP_REQUIRED_ROLES に city_admin がありません。"
            "市職員（管理者）には二段階認証が必須です。"
        )

    if not settings.SESSION_COOKIE_SECURE:
        warnings.append(
            "SECURE_COOKIES が無効です（HTTP での運用）。閉域網（LGWAN）の内側では HTTP で"
            "運用することもあるため警告にとどめますが、HTTPS で運用する場合は"
            " SECURE_COOKIES=1 にしてください。"
        )
    return errors, warnings


def check_or_refuse(command: BaseCommand) -> None:
    """Write the warnings, and raise CommandError listing every error if there is any."""
    errors, warnings = production_problems()
    for warning in warnings:
        command.stderr.write(command.style.WARNING(f"警告: {warning}"))
    if errors:
        lines = "\n".join(f"- {error}" for error in errors)
        raise CommandError(f"本番運用には安全でない設定があります。\n{lines}")


class Command(BaseCommand):
    help = (
        "本番運用の設定（DEBUG、SECRET_KEY、ALLOWED_HOSTS、データベースなど）を確認し、"
        "安全でなければ終了コード1で終了します。"
    )
    # Settings only: it must also run before the database has been migrated.
    requires_system_checks = []

    def handle(self, *args, **options):
        check_or_refuse(self)
        self.stdout.write(self.style.SUCCESS(SUCCESS))
