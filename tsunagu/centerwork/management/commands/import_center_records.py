from tsunagu.centerwork import importing
from tsunagu.centerwork.services import import_records
from tsunagu.organizations.import_command import MunicipalityImportCommand


class Command(MunicipalityImportCommand):
    help = (
        "センターの総合相談または講座・行事の記録（.csv / .xlsx）を取り込みます。"
        "問題が1件でもあれば、行と列を示して何も取り込みません。"
    )
    limits = importing.LIMITS  # a center's log, refused whole when too large to be one

    def add_import_arguments(self, parser):
        parser.add_argument(
            "--kind",
            required=True,
            choices=sorted(importing.KINDS),
            help="consultations（総合相談）または events（講座・行事・研修）",
        )

    def parse(self, table, municipality, options):
        return importing.parse(table, municipality=municipality, kind=options["kind"])

    def save(self, result, municipality, source):
        return import_records(result, municipality=municipality, by=None, source=source)
