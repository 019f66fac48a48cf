import json
import re

from django.core.management.base import BaseCommand, CommandError

from tsunagu.centerwork.reporting import month_figures
from tsunagu.organizations.models import Municipality


class Command(BaseCommand):
    help = (
        "月次事業実施状況報告の数値を、記録から集計して表示します"
        "（月の境目は日本時間。相談は延べ件数・実人数・方法・区分・相談者別）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--municipality", required=True, metavar="CODE", help="全国地方公共団体コード（6桁）"
        )
        parser.add_argument("--month", required=True, help="対象月（例: 2026-10）")
        parser.add_argument("--format", choices=["json", "text"], default="json")
        parser.add_argument(
            "--all",
            action="store_true",
            help="JSON に実態把握・会議・ボランティアポイントも含めます"
            "（既定は相談 consultations と講座 events だけ）。",
        )

    def handle(self, *args, **options):
        code = options["municipality"]
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            raise CommandError(f"市町村コード「{code}」の市町村は登録されていません。")
        m = re.fullmatch(r"(\d{4})-(\d{1,2})", options["month"].strip())
        if m is None or not 1 <= int(m[2]) <= 12:
            raise CommandError("--month は 2026-10 のように年-月で指定してください。")
        figures = month_figures(municipality, int(m[1]), int(m[2]))
        if options["format"] == "json":
            if not options["all"]:
                figures = {
                    "centers": {name: _stated(f) for name, f in figures["centers"].items()},
                    "total": _stated(figures["total"]),
                }
            self.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2))
            return
        for name, center in [*figures["centers"].items(), ("市全体", figures["total"])]:
            c = center["consultations"]
            self.stdout.write(f"{name}: 相談 延べ{c['total']}件・実人数{c['people']}人")


# Each center's (and the city's) figures as the JSON output states them: consultations and
# events; --all adds the other items of the report.
STATED = ("consultations", "events")


def _stated(figures: dict) -> dict:
    return {key: figures[key] for key in STATED}
