from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tsunagu.cases.services import purge_expired_cases
from tsunagu.lib.wareki import WarekiError, parse_date
from tsunagu.meetings.services import purge_expired_content


class Command(BaseCommand):
    help = (
        "保存年限を過ぎた会議の内容（議事録・決定事項・要約・テーマ）と、終結した事例の記述を"
        "消去します。回数・出席・要介護度・結果などの統計は残ります。何度実行しても安全です。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="基準日（省略時は今日）。確認用。")

    def handle(self, *args, **options):
        try:
            today = parse_date(options["today"]) if options["today"] else timezone.localdate()
        except WarekiError as error:
            raise CommandError(str(error)) from error
        meetings = purge_expired_content(today=today)
        cases = purge_expired_cases(today=today)
        if not meetings and not cases:
            self.stdout.write("消去の対象はありませんでした。")
        for code, count in meetings.items():
            self.stdout.write(f"{code}: {count}件の会議の内容を消去しました。")
        for code, count in cases.items():
            self.stdout.write(f"{code}: {count}件の事例の内容を消去しました。")
