from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tsunagu.centerwork import importing
from tsunagu.centerwork.services import import_records
from tsunagu.organizations.models import Municipality


class Command(BaseCommand):
    help = (
        "センターの総合相談または講座・行事の記録（.csv / .xlsx）を取り込みます。"
        "問題が1件でもあれば、行と列を示して何も取り込みません。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="取り込むファイル（.csv / .tsv / .xlsx）")
        parser.add_argument(
            "--municipality", required=True, metavar="CODE", help="全国地方公共団体コード（6桁）"
        )
        parser.add_argument(
            "--kind",
            required=True,
            choices=sorted(importing.KINDS),
            help="consultations（総合相談）または events（講座・行事・研修）",
        )
        parser.add_argument("--dry-run", action="store_true", help="確認だけして取り込みません。")

    def handle(self, *args, **options):
        code = options["municipality"]
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            raise CommandError(f"市町村コード「{code}」の市町村は登録されていません。")
        path = Path(options["file"])
        try:
            table = importing.read_upload(path.read_bytes(), path.name)
        except OSError:
            raise CommandError(f"ファイル「{path}」を開けません。") from None
        except importing.UnreadableFile as e:
            raise CommandError(str(e)) from None
        result = importing.parse(table, municipality=municipality, kind=options["kind"])
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{result.problems.total}件の問題があるため、何も取り込みませんでした。"
            )
        if options["dry_run"]:
            self.stdout.write(
                f"{len(result.rows)}件を取り込めます（--dry-run のため取り込んでいません）。"
            )
            return
        n = import_records(result, municipality=municipality, by=None, source=path.name)
        self.stdout.write(self.style.SUCCESS(f"{n}件を取り込みました。"))
