import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tsunagu.cases.screening import (
    LIMITS,
    MonthError,
    UnreadableFile,
    format_month,
    parse_benefit_data,
    parse_month,
    read_table,
    screen,
    to_json_dict,
)


class Command(BaseCommand):
    help = (
        "給付実績（.csv / .tsv / .xlsx）から、生活援助中心型の訪問回数が基準回数以上の"
        "ケアプランと、2021年10月からの基準に該当する居宅介護支援事業所を一覧にします。"
        "問題が1件でもあれば、行と列を示して何も判定しません。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="給付実績のファイル（.csv / .tsv / .xlsx）")
        parser.add_argument(
            "--month",
            required=True,
            help="判定するサービス提供年月（2021-10、2021/10、202110、R3.10、令和3年10月 など）",
        )
        parser.add_argument(
            "--format",
            choices=("text", "json"),
            default="text",
            help="出力の形式（text: 読みやすい一覧、json: ほかのプログラム向け）",
        )

    def handle(self, *args, **options):
        try:
            month = parse_month(options["month"])
        except MonthError as e:
            raise CommandError(f"--month: {e}") from None

        path = Path(options["file"])
        try:
            table = read_table(path, path.name, LIMITS)
        except OSError:
            raise CommandError(f"ファイル「{path}」を開けません。") from None
        except UnreadableFile as e:
            raise CommandError(str(e)) from None

        rows, problems = parse_benefit_data(table)
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{problems.total}件の問題があるため、判定しませんでした。")

        result = screen(rows, month=month)
        if not result.plans_checked:
            # An empty list would read as "nothing to review"; a wrong --month is likelier.
            found = "、".join(format_month(m) for m in sorted({r.month for r in rows}))
            raise CommandError(
                f"サービス提供年月が{format_month(month)}の行がありません"
                f"（ファイルにある年月: {found}）。"
            )

        if options["format"] == "json":
            self.stdout.write(json.dumps(to_json_dict(result), ensure_ascii=False, indent=2))
            return
        self._write_text(result)

    def _write_text(self, result):
        write = self.stdout.write
        write(f"サービス提供年月: {format_month(result.month)}")
        write(
            f"確認したケアプラン: {result.plans_checked}件"
            f"（要介護のケアプランがある居宅介護支援事業所: {result.offices_checked}か所）"
        )
        write("")
        write(f"■ 生活援助中心型の訪問回数が基準回数以上のケアプラン: {len(result.plans)}件")
        for p in result.plans:
            write(
                f"  {p.office_number} {p.office_name}　利用者 {p.user_number}　{p.care_level}"
                f"　生活援助 {p.life_support_count}回（基準 {p.threshold}回）"
            )
        write("")
        write(
            "■ 区分支給限度基準額の7割以上かつ訪問介護が6割以上の居宅介護支援事業所: "
            f"{len(result.offices)}か所"
        )
        for o in result.offices:
            write(
                f"  {o.office_number} {o.office_name}　ケアプラン {o.plan_count}件"
                f"　限度額に占める割合 {o.limit_ratio:.1%}"
                f"（{o.total_cost:,}円／{o.limit_total:,}円）"
                f"　訪問介護の割合 {o.home_help_ratio:.1%}"
                f"（{o.home_help_cost:,}円／{o.total_cost:,}円）"
            )
