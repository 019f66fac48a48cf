import json

from django.core.management.base import BaseCommand, CommandError

from tsunagu.organizations.models import Municipality
from tsunagu.resources.hsds import hsds_document


class Command(BaseCommand):
    help = (
        "市町村の社会資源を Open Referral HSDS 3.0 の JSON として標準出力に書き出します"
        "（ニーズ・事例・人の情報は含みません）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="全国地方公共団体コード（6桁）")

    def handle(self, *args, municipality, **options):
        code = municipality.strip()
        found = Municipality.objects.filter(code=code).first()
        if found is None:
            raise CommandError(
                f"市町村コード「{code}」の市町村は登録されていません。"
                "全国地方公共団体コード（6桁、例: 129909）を指定してください。"
            )
        document = hsds_document(found)
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
