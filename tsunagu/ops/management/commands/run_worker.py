import threading

from django.db import OperationalError, close_old_connections, connection
from django_tasks_db.management.commands import db_worker

from tsunagu.ops.worker import recover_stalled, this_worker_id

RECOVERY_INTERVAL = 60


def recover_quietly(stdout) -> None:
    try:
        counts = recover_stalled()
    except OperationalError as error:  # SQLite busy: the next round tries again
        stdout.write(f"停止した作業の確認を次回に回します: {error}")
        return
    if counts["requeued"] or counts["failed"]:
        stdout.write(
            f"停止した作業プロセスの処理: 再実行 {counts['requeued']}件、中止 {counts['failed']}件"
        )


class Command(db_worker.Command):
    help = (
        "バックグラウンド処理（メール、テキストマイニング、PDF作成）を実行します。"
        "db_worker に、停止した作業プロセスの処理の再実行・中止を加えたものです。"
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=this_worker_id(), reload=False)

    def handle(self, *args, **options):
        recover_quietly(self.stdout)
        stop = threading.Event()

        def keep_recovering():
            while not stop.wait(RECOVERY_INTERVAL):
                close_old_connections()
                recover_quietly(self.stdout)
            connection.close()

        threading.Thread(target=keep_recovering, daemon=True).start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
