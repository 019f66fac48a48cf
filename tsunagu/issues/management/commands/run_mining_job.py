from django.core.management.base import BaseCommand, CommandError

from tsunagu.issues import mining
from tsunagu.issues.models import MiningJob


class Command(BaseCommand):
    help = "テキストマイニングの依頼を1件この場で実行します（画面からの依頼はワーカーが実行）。"

    def add_arguments(self, parser):
        parser.add_argument("job", type=int, help="依頼の番号")

    def handle(self, *args, job, **options):
        if not MiningJob.objects.filter(pk=job).exists():
            raise CommandError(f"テキストマイニングの依頼 {job} は見つかりません。")
        result = mining.run(job)
        self.stdout.write(f"{result.get_status_display()}: {result.total}件")
