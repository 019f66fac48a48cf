from django.core.management.base import BaseCommand, CommandError

from tsunagu.audit.services import log
from tsunagu.lib.security import totp

from ...models import User
from ...twofactor import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = (
        "デモ用ログインの現在の確認コード（二段階認証）を表示します。"
        "公開されているデモ用のキーを使うログインだけが対象です。"
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="ログインID（例: shi）")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        # Only the published demo key: a code made from it gives nothing away, while printing
        # the code of a real key would turn shell access into a way around the second factor.
        if user is None or not user.has_two_factor or user.totp_secret != DEMO_TOTP_SECRET:
            raise CommandError(
                "確認コードを表示できるのは、デモ用のキーで二段階認証を設定したログインだけです。"
            )
        log("user.2fa_code_shown", target=user, summary=username)
        self.stdout.write(totp(user.totp_secret))
