from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from tsunagu.audit.services import log
from tsunagu.ops.backup import PASSPHRASE_HELP, BackupError, create_backup, passphrase_from_env


class Command(BaseCommand):
    help = (
        "データベース全体を日時入りのファイル（tsunagu-年月日-時分秒）にバックアップします。"
        "SQLite はオンラインバックアップ、PostgreSQL は pg_dump を使います。"
        "既にあるファイルは上書きしません。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            default=str(Path(settings.BASE_DIR) / "var" / "backups"),
            help="書き出すフォルダ（既定: var/backups）",
        )
        parser.add_argument("--passphrase-env", metavar="VAR", help=PASSPHRASE_HELP)
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="対象のデータベース")

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        try:
            passphrase = passphrase_from_env(options["passphrase_env"])
            backup = create_backup(connection, Path(options["output_dir"]), passphrase)
        except BackupError as error:
            raise CommandError(str(error)) from error
        log(
            "ops.backup",
            summary=f"バックアップを作成しました: {backup.path.name}",
            file=backup.path.name,
            size=backup.size,
            encrypted=backup.encrypted,
            vendor=connection.vendor,
        )
        encrypted = "（暗号化）" if backup.encrypted else ""
        self.stdout.write(
            self.style.SUCCESS(f"バックアップを作成しました{encrypted}: {backup.path}")
        )
        self.stdout.write(f"大きさ: {backup.size:,} バイト")
