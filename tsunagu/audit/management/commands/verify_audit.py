"""python manage.py verify_audit: check that no audit entry was changed or deleted.

The chain is global (one chain for the whole installation), so there is no per-municipality
option: an entry of another municipality is a link of the same chain.
"""

import re

from django.core.management.base import BaseCommand, CommandError

from tsunagu.audit.verification import verify_database

ANCHOR = re.compile(r"^(\d+):([0-9a-f]{64})$")


def anchor(value: str) -> tuple[int, str]:
    match = ANCHOR.match(value.strip().lower())
    if not match:
        raise ValueError(value)
    return int(match[1]), match[2]


class Command(BaseCommand):
    help = "監査ログのハッシュチェーンを検証し、変更・削除された記録がないか確かめます。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            type=anchor,
            action="append",
            default=[],
            metavar="通番:ハッシュ",
            help=(
                "以前の検証で控えた「通番:ハッシュ」。その記録が今も同じハッシュで残っているかを"
                "確かめます（チェーン全体を計算し直す改ざんも見つけられます）。複数指定できます。"
            ),
        )

    def handle(self, *args, **options):
        result = verify_database(anchors=dict(options["anchor"]))
        if result.problems:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"監査ログに{len(result.problems)}件の問題が見つかりました"
                f"（検証した記録 {result.count}件）。"
            )
        self.stdout.write(self.style.SUCCESS(f"監査ログの検証に成功しました（{result.count}件）。"))
        if result.last is not None:
            # Worth writing down outside the database: a later --anchor run proves that
            # nothing up to here was rewritten, even by someone who recomputed the hashes.
            self.stdout.write(f"最新の記録: 通番 {result.last.seq} ハッシュ {result.last.hash}")
