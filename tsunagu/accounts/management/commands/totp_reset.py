from django.core.management.base import BaseCommand, CommandError

from ...models import User
from ...services import disable_two_factor


class Command(BaseCommand):
    help = (
        "二段階認証の設定を解除します（スマートフォンの紛失・機種変更のとき）。"
        "役割で必須の利用者は、次のログインで設定し直します。"
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="ログインID")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"ログインID {username} は登録されていません。")
        if not user.has_two_factor:
            raise CommandError(f"{username} は二段階認証を設定していません。")
        disable_two_factor(user=user, by=None, action="user.2fa_reset")
        self.stdout.write(self.style.SUCCESS(f"{username} の二段階認証を解除しました。"))
