from django.core.management.base import CommandError

from tsunagu.lib.fiscal import parse_fiscal_year
from tsunagu.lib.wareki import WarekiError
from tsunagu.meetings.importing import import_meetings, parse_long, parse_matrix
from tsunagu.organizations.import_command import MunicipalityImportCommand


class Command(MunicipalityImportCommand):
    help = (
        "会議の一覧（.csv / .tsv / .xlsx）を取り込みます。"
        "問題が1件でもあれば、行と列を示して何も取り込みません。"
    )
    counted = "件の会議"

    def add_import_arguments(self, parser):
        parser.add_argument(
            "--fiscal-year",
            help="年度（2021、令和3、R3 など）。「7月27日」のような年のない日付に使います。",
        )
        parser.add_argument(
            "--matrix",
            action="store_true",
            help="センター×会議体の表（自治体の公表形式）として読みます（--fiscal-year が必要）。",
        )

    def check_options(self, options):
        self.fiscal_year = self._fiscal_year(options["fiscal_year"])
        if options["matrix"] and self.fiscal_year is None:
            raise CommandError("--matrix には --fiscal-year（年度）の指定が必要です。")

    def parse(self, table, municipality, options):
        parse = parse_matrix if options["matrix"] else parse_long
        return parse(table, municipality=municipality, fiscal_year=self.fiscal_year)

    def save(self, result, municipality, source):
        return import_meetings(result, municipality=municipality, by=None, source=source)

    def _fiscal_year(self, text):
        if not text:
            return None
        try:
            return parse_fiscal_year(text)
        except WarekiError as e:
            raise CommandError(str(e)) from None
