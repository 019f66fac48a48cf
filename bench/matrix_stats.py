"""Server time and query count of the schedule matrix and statistics for one 年度 of 350 centers.

    .venv/bin/python bench/matrix_stats.py                 # SQLite (var/bench.sqlite3)
    DATABASE_URL=postgres://... .venv/bin/python bench/matrix_stats.py

The first run creates the data set (bench/data.py); later runs reuse it.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import data  # noqa: E402
from tsunagu.accounts.models import User  # noqa: E402
from tsunagu.lib.security import new_totp_secret  # noqa: E402
from tsunagu.meetings.models import Meeting  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "15"))
PAGES = {
    "開催状況（一覧表）": "/reports/schedule/?fy=2024",
    "開催状況 Excel": "/reports/schedule/?fy=2024&format=xlsx",
    "統計": "/reports/meetings/?fy=2024",
}


def main():
    (ROOT / "var").mkdir(exist_ok=True)
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    municipality = data.generate()
    meetings = Meeting.objects.filter(municipality=municipality).count()
    print(
        f"データベース: {connection.vendor}  会議 {meetings:,}件・センター {data.CENTERS}"
        f"（準備 {time.perf_counter() - started:.1f}秒）"
    )
    # The bench user is a 市職員, a role that must have two-factor authentication set up.
    User.objects.filter(username=data.USERNAME, totp_confirmed_at=None).update(
        totp_secret=new_totp_secret(), totp_confirmed_at=timezone.now()
    )
    client = Client()
    assert client.login(username=data.USERNAME, password=data.PASSWORD)
    for label, url in PAGES.items():
        timings = []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                begin = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - begin) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        timings.sort()
        print(
            f"{label:<16} 中央値 {statistics.median(timings):7.1f} ms  "
            f"最大 {timings[-1]:7.1f} ms  クエリ {len(queries)}回  ({RUNS}回計測)"
        )


if __name__ == "__main__":
    main()
