"""The frame of a management command that imports one spreadsheet for one municipality."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tsunagu.lib.tabular import DEFAULT_LIMITS, Limits, UnreadableFile, read_table

from .models import Municipality


class MunicipalityImportCommand(BaseCommand):
    """Reads the file, parses it for the municipality named by --municipality, and saves it
    all or nothing: with a problem in any row, every problem is written (by row and column)
    and nothing is saved. --dry-run stops after the check.

    A subclass adds its own options (add_import_arguments), parses (parse) and saves (save);
    `counted` names what is counted in the messages (「件」, 「件の会議」)."""

    counted = "件"
    limits: Limits = DEFAULT_LIMITS

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="取り込むファイル（.csv / .tsv / .xlsx）")
        parser.add_argument(
            "--municipality", required=True, metavar="CODE", help="全国地方公共団体コード（6桁）"
        )
        self.add_import_arguments(parser)
        parser.add_argument("--dry-run", action="store_true", help="確認だけして取り込みません。")

    def add_import_arguments(self, parser: CommandParser) -> None:
        pass

    def check_options(self, options: dict[str, Any]) -> None:
        """Refuse (CommandError) options that do not go together, before the file is read."""

    def parse(self, table: list[list[str]], municipality: Municipality, options: dict) -> Any:
        """The parsed result: `ok`, `problems` and `rows`."""
        raise NotImplementedError

    def save(self, result: Any, municipality: Municipality, source: str) -> int:
        """Save the parsed result; how many rows were saved."""
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["municipality"]
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            raise CommandError(f"市町村コード「{code}」の市町村は登録されていません。")
        self.check_options(options)
        path = Path(options["file"])
        try:
            table = read_table(path, path.name, self.limits)
        except OSError:
            raise CommandError(f"ファイル「{path}」を開けません。") from None
        except UnreadableFile as e:
            raise CommandError(str(e)) from None
        result = self.parse(table, municipality, options)
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{result.problems.total}件の問題があるため、何も取り込みませんでした。"
            )
        if options["dry_run"]:
            self.stdout.write(
                f"{len(result.rows)}{self.counted}を取り込めます"
                "（--dry-run のため取り込んでいません）。"
            )
            return
        n = self.save(result, municipality, path.name)
        self.stdout.write(self.style.SUCCESS(f"{n}{self.counted}を取り込みました。"))
