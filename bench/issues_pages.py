"""Server time and query count of the 地域課題 register, the heat map and the city-meeting
documents for one 年度, on the prefecture-sized data with about 200,000 tagged cases.

    .venv/bin/python bench/issues_pages.py                 # SQLite (var/bench.sqlite3)
    DATABASE_URL=postgres://... .venv/bin/python bench/issues_pages.py

The first run creates the data set (bench/data.py, bench/issue_data.py); later runs reuse it.
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

from bench import data, issue_data  # noqa: E402
from tsunagu.accounts.models import User  # noqa: E402
from tsunagu.issues.models import CommunityIssue, IssueTag  # noqa: E402
from tsunagu.lib.security import new_totp_secret  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "10"))
YEAR = data.YEARS[-1]
PAGES = {
    "地域課題の一覧": "/issues/",
    "一覧（未解決・事例が多い順）": "/issues/?status=open&order=evidence",
    "ヒートマップ・推移": f"/issues/overview/?fy={YEAR}",
    "市の会議資料（画面）": f"/issues/documents/?fy={YEAR}",
    "市の会議資料（Excel）": f"/issues/documents.xlsx?fy={YEAR}",
    "市の会議資料（PDF）": f"/issues/documents.pdf?fy={YEAR}",
}


def main():
    (ROOT / "var").mkdir(exist_ok=True)
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    municipality = issue_data.generate()
    tags = IssueTag.objects.filter(municipality=municipality).count()
    issues = CommunityIssue.objects.filter(municipality=municipality).count()
    print(
        f"データベース: {connection.vendor}  タグ付き事例 {tags:,}件・地域課題 {issues:,}件"
        f"（準備 {time.perf_counter() - started:.1f}秒）"
    )
    User.objects.filter(username=data.USERNAME, totp_confirmed_at=None).update(
        totp_secret=new_totp_secret(), totp_confirmed_at=timezone.now()
    )
    client = Client()
    assert client.login(username=data.USERNAME, password=data.PASSWORD)
    issue = CommunityIssue.objects.filter(municipality=municipality, level="city").first()
    pages = {**PAGES, "市の課題の詳細（根拠・経過）": f"/issues/{issue.pk}/"}
    for label, url in pages.items():
        timings = []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                begin = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - begin) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        timings.sort()
        print(
            f"{label:<20} 中央値 {statistics.median(timings):7.1f} ms  "
            f"最大 {timings[-1]:7.1f} ms  クエリ {len(queries)}回  ({RUNS}回計測)"
        )


if __name__ == "__main__":
    main()
