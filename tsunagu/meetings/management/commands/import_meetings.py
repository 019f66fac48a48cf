from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tsunagu.lib.fiscal import parse_fiscal_year
from tsunagu.lib.wareki import WarekiError
from tsunagu.meetings.importing import (
    UnreadableFile,
    import_meetings,
    parse_long,
    parse_matrix,
    read_table,
)
from tsunagu.organizations.models import Municipality


class Command(BaseCommand):
    help = (
        "会議の一覧（.csv / .tsv / .xlsx）を取り込みます。"
        "問題が1件でもあれば、行と列を示して何も取り込みません。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="取り込むファイル（.csv / .tsv / .xlsx）")
        parser.add_argument(
            "--municipality", required=True, metavar="CODE", help="全国地方公共団体コード（6桁）"
        )
        parser.add_argument(
            "--fiscal-year",
            help="年度（2021、令和3、R3 など）。「7月27日」のような年のない日付に使います。",
        )
        parser.add_argument(
            "--matrix",
            action="store_true",
            help="センター×会議体の表（自治体の公表形式）として読みます（--fiscal-year が必要）。",
        )
        parser.add_argument("--dry-run", action="store_true", help="確認だけして取り込みません。")

    def handle(self, *args, **options):
        code = options["municipality"]
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            raise CommandError(f"市町村コード「{code}」の市町村は登録されていません。")
        fiscal_year = self._fiscal_year(options["fiscal_year"])
        if options["matrix"] and fiscal_year is None:
            raise CommandError("--matrix には --fiscal-year（年度）の指定が必要です。")

        path = Path(options["file"])
        try:
            table = read_table(path, path.name)
        except OSError:
            raise CommandError(f"ファイル「{path}」を開けません。") from None
        except UnreadableFile as e:
            raise CommandError(str(e)) from None

        if options["matrix"]:
            result = parse_matrix(table, municipality=municipality, fiscal_year=fiscal_year)
        else:
            result = parse_long(table, municipality=municipality, fiscal_year=fiscal_year)
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{result.problems.total}件の問題があるため、何も取り込みませんでした。"
            )
        if options["dry_run"]:
            self.stdout.write(
                f"{len(result.rows)}件の会議を取り込めます（--dry-run のため取り込んでいません）。"
            )
            return
        n = import_meetings(result, municipality=municipality, by=None, source=path.name)
        self.stdout.write(self.style.SUCCESS(f"{n}件の会議を取り込みました。"))

    def _fiscal_year(self, text):
        if not text:
            return None
        try:
            return parse_fiscal_year(text)
        except WarekiError as e:
            raise CommandError(str(e)) from None
