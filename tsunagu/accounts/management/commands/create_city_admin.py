"""The first 市職員（管理者） of a municipality, for a new installation (README「本番運用」).

The password comes from the environment variable TSUNAGU_ADMIN_PASSWORD or, at a terminal,
is asked twice; it is never an argument, which would leave it in the shell history and in
the process list. The role requires two-factor authentication, set up at the first login.
"""

import getpass
import os
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tsunagu.audit.services import log
from tsunagu.organizations.models import Municipality

from ...models import Membership, Role, User
from ...services import NewLogin, add_member
from .check_production import check_or_refuse

PASSWORD_ENV = "TSUNAGU_ADMIN_PASSWORD"


def messages_of(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(
            f"{field}: {message}"
            for field, messages in error.message_dict.items()
            for message in messages
        )
    return " ".join(error.messages)


class Command(BaseCommand):
    help = (
        "市町村の最初の市職員（管理者）を作ります。市町村がなければ作ります。"
        f"パスワードは環境変数 {PASSWORD_ENV} か、端末での入力（2回）で渡します。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--municipality-code", required=True, help="全国地方公共団体コード（6桁）"
        )
        parser.add_argument("--municipality-name", required=True, help="市町村名")
        parser.add_argument("--prefecture", help="都道府県コード（2桁）。省略するとコードの上2桁")
        parser.add_argument("--username", required=True, help="ログインID")
        parser.add_argument("--full-name", required=True, help="氏名")
        parser.add_argument(
            "--allow-unsafe",
            action="store_true",
            help="開発・検証用: 本番運用の設定の確認（check_production）で問題があっても作る",
        )

    def handle(self, *args, **options):
        if options["allow_unsafe"]:
            self.stderr.write(
                self.style.WARNING("--allow-unsafe: 本番運用の設定を確認せずに作ります。")
            )
        else:
            check_or_refuse(self)

        username = options["username"]
        full_name = options["full_name"]
        if User.objects.filter(username=username).exists():
            raise CommandError(f"ログインID {username} はすでに登録されています。")
        code = options["municipality_code"]
        name = options["municipality_name"]
        existing = Municipality.objects.filter(code=code).first()
        if existing is not None and existing.name != name:
            raise CommandError(
                f"コード {code} の市町村は「{existing.name}」として登録済みです"
                f"（指定は「{name}」）。コードか市町村名を確かめてください。"
            )

        password = self.read_password()
        try:
            validate_password(password, user=User(username=username, full_name=full_name))
        except ValidationError as error:
            raise CommandError(f"パスワードが弱すぎます。{messages_of(error)}") from error

        try:
            membership = self.create(
                existing,
                code=code,
                name=name,
                prefecture=options["prefecture"] or code[:2],
                username=username,
                full_name=full_name,
                password=password,
            )
        except ValidationError as error:
            raise CommandError(f"登録できませんでした。{messages_of(error)}") from error

        municipality = membership.municipality
        self.stdout.write(
            self.style.SUCCESS(
                f"{municipality}（{municipality.code}）の市職員（管理者）{full_name}"
                f"（ログインID {username}）を作りました。"
            )
        )
        self.stdout.write(
            "市職員は二段階認証（TOTP）が必須です。最初のログインで設定を求められるので、"
            "認証アプリ（Google Authenticator、Microsoft Authenticator など）を用意してください。"
        )

    @transaction.atomic
    def create(self, municipality, *, code, name, prefecture, username, full_name, password):
        if municipality is None:
            municipality = Municipality(code=code, name=name, prefecture=prefecture)
            municipality.full_clean()
            municipality.save()
            log(
                "municipality.created",
                municipality=municipality,
                target=municipality,
                summary=f"{name}（{code}）",
            )
        return add_member(
            membership=Membership(municipality=municipality, role=Role.CITY_ADMIN),
            login=NewLogin(username, full_name, password),
            by=None,
        )

    def read_password(self) -> str:
        password = os.environ.get(PASSWORD_ENV)
        if password:
            return password
        if not sys.stdin.isatty():
            raise CommandError(
                f"パスワードがありません。環境変数 {PASSWORD_ENV} に設定するか、"
                "端末から実行して入力してください。"
            )
        password = getpass.getpass("パスワード: ")
        if getpass.getpass("パスワード（確認）: ") != password:
            raise CommandError("2回入力したパスワードが一致しません。")
        if not password:
            raise CommandError("パスワードが空です。")
        return password
