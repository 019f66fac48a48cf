from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from tsunagu.ops.backup import (
    PASSPHRASE_HELP,
    BackupError,
    passphrase_from_env,
    restore_backup,
    row_counts,
)


class Command(BaseCommand):
    help = (
        "backup で作ったファイルを空のデータベースに復元します。"
        "つなぐのデータが1行でもあるデータベースには復元しません。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="バックアップのファイル")
        parser.add_argument("--passphrase-env", metavar="VAR", help=PASSPHRASE_HELP)
        parser.add_argument("--yes", action="store_true", help="確認せずに復元します")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="復元先のデータベース")

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        path = Path(options["file"])
        target = connection.settings_dict["NAME"]
        if not options["yes"] and not self.confirmed(path, target):
            raise CommandError("復元を取りやめました。")
        try:
            passphrase = passphrase_from_env(options["passphrase_env"])
            restore_backup(connection, path, passphrase)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"{path} を {target} に復元しました。"))
        self.stdout.write("表ごとの行数:")
        for table, count in row_counts(connection):
            self.stdout.write(f"  {table:<40} {count:>8,}")

    def confirmed(self, path, target) -> bool:
        try:
            answer = input(f"{path} を {target} に復元します。よろしいですか？ [y/N] ")
        except EOFError:
            return False
        return answer.strip().lower() in ("y", "yes")
