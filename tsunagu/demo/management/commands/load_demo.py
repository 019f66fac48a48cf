from django.core.management.base import BaseCommand
from django.db import transaction

from tsunagu.accounts.twofactor import DEMO_TOTP_SECRET
from tsunagu.demo.accounts import DEMO_PASSWORD, load_accounts
from tsunagu.demo.cases import load_cases
from tsunagu.demo.centerwork import load_centerwork
from tsunagu.demo.directory import load_directory
from tsunagu.demo.issues import load_issues
from tsunagu.demo.meetings import load_meetings
from tsunagu.demo.notifications import load_notifications
from tsunagu.demo.prefecture import load_prefecture
from tsunagu.demo.resources import load_resources


class Command(BaseCommand):
    help = "デモデータ（架空の2市）を読み込みます。何度実行しても重複しません。"

    def handle(self, *args, **options):
        with transaction.atomic():
            load_directory()
            logins = load_accounts()
            admins = {m.municipality.code: m.user for _, m in logins if m.role == "city_admin"}
            load_meetings(admins)
            load_cases()
            load_issues()
            load_resources()
            load_centerwork()
            load_notifications()
        self.stdout.write(self.style.SUCCESS("デモデータを読み込みました。"))
        self.stdout.write("")
        self.stdout.write(f"デモ用ログイン（パスワードはすべて {DEMO_PASSWORD} ）:")
        for username, membership in logins:
            center = f"・{membership.center}" if membership.center else ""
            self.stdout.write(
                f"  {username:<8} {membership.municipality} {membership.get_role_display()}{center}"
            )
        self.stdout.write(f"  {'sysadmin':<8} Django管理サイト /admin/（システム管理者）")
        load_prefecture(self.stdout)
        self.stdout.write("")
        key = " ".join(DEMO_TOTP_SECRET[i : i + 4] for i in range(0, len(DEMO_TOTP_SECRET), 4))
        self.stdout.write(
            "shi・kikan・ogawa・sysadmin は二段階認証が必須です。"
            "ログイン後に求められる6桁の確認コードは、"
            f"認証アプリにキー {key} を登録するか、次のコマンドで表示できます:\n"
            "  .venv/bin/python manage.py totp_code shi"
        )
