import json

from django.core.management.base import BaseCommand, CommandError

from tsunagu.lib.wareki import WarekiError, parse_date
from tsunagu.meetings.models import Meeting
from tsunagu.organizations.models import Municipality
from tsunagu.reports.meetings import meeting_stats


class Command(BaseCommand):
    help = "期間内の会議数と検討事例数を、会議体別・センター別に出力します（中止は数えません）。"

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="全国地方公共団体コード（6桁）")
        parser.add_argument("--from", dest="start", required=True, help="開始日（2021-06-01 など）")
        parser.add_argument("--to", dest="end", required=True, help="終了日（2021-11-30 など）")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, **options):
        municipality = Municipality.objects.filter(code=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"市町村コード {options['municipality']} は登録されていません。")
        try:
            start, end = parse_date(options["start"]), parse_date(options["end"])
        except WarekiError as error:
            raise CommandError(str(error)) from error
        if start > end:
            raise CommandError("開始日が終了日より後になっています。")
        stats = meeting_stats(Meeting.objects.filter(municipality=municipality), start, end)
        if options["format"] == "json":
            self.stdout.write(json.dumps(stats, ensure_ascii=False))
            return
        self.stdout.write(f"{municipality} {start}〜{end}: 全{stats['total']}回")
        for heading, key in (
            ("会議体別", "by_type"),
            ("主催別", "by_center"),
            ("圏域別", "by_area"),
        ):
            self.stdout.write(heading)
            for name, row in stats[key].items():
                self.stdout.write(f"  {name}: {row['meetings']}回、{row['cases']}事例")
