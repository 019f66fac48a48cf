import dataclasses
import json
import sys

from django.core.management.base import BaseCommand

from tsunagu.confidentiality.masking import find


class Command(BaseCommand):
    help = (
        "標準入力のテキストから個人を特定できる情報（氏名・住所・電話番号・被保険者番号・"
        "生年月日・メールアドレス）を検出し、マスクした文を1行ずつ出力します。"
        "同じ人物には入力全体を通して同じ記号（A氏、B氏…）を割り当てます。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--json",
            action="store_true",
            help="1行ごとに JSON（line, masked, findings: kind/start/end/text/replacement）を"
            "出力します。位置はその行の先頭からの文字数です。",
        )

    def handle(self, *args, **options):
        lines = sys.stdin.read().splitlines()
        # The whole input is one text, so that 山田さん is A氏 on every line it appears on;
        # no finding crosses a line break, so each one belongs to exactly one line.
        text = "\n".join(lines)
        findings = find(text)
        offset = 0
        for number, line in enumerate(lines, start=1):
            end = offset + len(line)
            here = [f for f in findings if offset <= f.start < end]
            masked, pos = [], 0
            for f in here:
                masked += [line[pos : f.start - offset], f.replacement]
                pos = f.end - offset
            masked.append(line[pos:])
            if options["json"]:
                record = {
                    "line": number,
                    "masked": "".join(masked),
                    "findings": [
                        dataclasses.asdict(
                            dataclasses.replace(f, start=f.start - offset, end=f.end - offset)
                        )
                        for f in here
                    ],
                }
                self.stdout.write(json.dumps(record, ensure_ascii=False))
            else:
                self.stdout.write("".join(masked))
            offset = end + 1
