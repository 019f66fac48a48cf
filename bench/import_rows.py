"""How long an import's confirm step takes (read the file again, parse, save all or nothing)
as the rows grow: the figures behind IMPORT_BACKGROUND_ROWS (above it, the saving runs as a
background task instead of in the web request).

    .venv/bin/python bench/import_rows.py            # SQLite (var/bench_import.sqlite3)
    DATABASE_URL=postgres://... .venv/bin/python bench/import_rows.py

Every run starts from an empty municipality of its own and removes it at the end.
"""

import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_import.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from tsunagu.meetings import importing  # noqa: E402
from tsunagu.meetings.models import Meeting, MeetingType  # noqa: E402
from tsunagu.organizations.models import Center, Municipality  # noqa: E402

CENTERS = 20
STEPS = (500, 2_000, 9_000)  # the meeting import reads at most 10,000 rows


def write_file(folder: Path, rows: int) -> Path:
    first = datetime.date(2000, 4, 1)
    lines = ["センター,会議体,開催日,形式,状態,検討事例数"]
    for i in range(rows):
        day = first + datetime.timedelta(days=i // CENTERS)
        lines.append(f"センター{i % CENTERS:02d},地域ケア個別会議,{day},対面,実施済,2")
    path = folder / f"meetings_{rows}.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def main():
    call_command("migrate", verbosity=0)
    Municipality.objects.filter(code="999996").delete()
    municipality = Municipality.objects.create(code="999996", name="取込計測市", prefecture="99")
    try:
        for n in range(CENTERS):
            Center.objects.create(
                municipality=municipality, name=f"センター{n:02d}地域包括支援センター"
            )
        MeetingType.objects.create(
            municipality=municipality,
            name="地域ケア個別会議",
            category="individual",
            level="center",
            host="each_center",
        )
        print(f"データベース: {connection.vendor}  センター {CENTERS}か所")
        print(f"{'行数':>8} {'読み取り・解析 秒':>16} {'保存 秒':>10} {'合計 秒':>10}")
        with tempfile.TemporaryDirectory() as folder:
            for rows in STEPS:
                path = write_file(Path(folder), rows)
                start = time.perf_counter()
                table = importing.read_table(path, path.name)
                result = importing.parse_long(table, municipality=municipality)
                parsed = time.perf_counter()
                assert result.ok, result.problems[:3]
                importing.import_meetings(result, municipality=municipality, by=None)
                saved = time.perf_counter()
                print(
                    f"{rows:>8} {parsed - start:>16.2f} {saved - parsed:>10.2f}"
                    f" {saved - start:>10.2f}"
                )
                Meeting.objects.filter(municipality=municipality).delete()
    finally:
        Meeting.objects.filter(municipality=municipality).delete()
        MeetingType.objects.filter(municipality=municipality).delete()
        Center.objects.filter(municipality=municipality).delete()
        municipality.delete()


if __name__ == "__main__":
    main()
