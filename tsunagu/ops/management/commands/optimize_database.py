"""Refresh SQLite's query planner statistics (sampled ANALYZE). Run daily from a timer.

python manage.py optimize_database
"""

import time

from django.core.management.base import BaseCommand

from tsunagu.lib.planner import optimize


class Command(BaseCommand):
    help = "SQLite の問い合わせ計画のための統計を更新します（PostgreSQL では何もしません）。"

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        started = time.perf_counter()
        if optimize(options["database"]):
            elapsed = time.perf_counter() - started
            self.stdout.write(f"SQLite の統計を更新しました（{elapsed:.2f}秒）。")
        else:
            self.stdout.write("PostgreSQL は autovacuum が統計を更新するため、何もしません。")
