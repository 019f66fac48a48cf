from django.core.management.base import BaseCommand
from django.utils import timezone

from tsunagu.lib import planner
from tsunagu.lib.background import prune_outputs
from tsunagu.meetings import schedule_changes
from tsunagu.notifications import scans
from tsunagu.ops.worker import recover_stalled


class Command(BaseCommand):
    help = (
        "定期の処理をまとめて行います: 停止した作業プロセスの処理の再実行・中止、開催前のお知らせ、"
        "期限を過ぎた役割分担（週1回）、確定していない会議、前日分のまとめメール、古いダウンロードの削除、"
        "開催状況の変更の記録の整理、"
        "SQLite の統計の更新（毎日3時台の実行で）。"
        "何回実行しても同じお知らせは1回しか送りません（systemd のタイマーから1時間ごとに実行）。"
    )

    def handle(self, *args, **options):
        tasks = recover_stalled()
        counts = scans.run_all()
        removed = prune_outputs()
        folded = schedule_changes.prune()
        analysed = planner.daily(timezone.localtime())
        self.stdout.write(
            f"作業の再実行 {tasks['requeued']}件・中止 {tasks['failed']}件、"
            f"開催前 {counts['reminders']}件、期限切れ {counts['overdue_work']}件、"
            f"未確定の会議 {counts['unclosed_meetings']}件、まとめメール {counts['digests']}人、"
            f"削除したダウンロード {removed}件、整理した開催状況の変更 {folded}件"
            + ("、SQLite の統計を更新しました" if analysed else "")
        )
