"""Server time and query count of the 地域課題 register, the heat map and the city-meeting
documents for one 年度, on the prefecture-sized data with about 200,000 tagged cases.

    .venv/bin/python bench/issues_pages.py                 # SQLite (var/bench.sqlite3)
    DATABASE_URL=postgres://... .venv/bin/python bench/issues_pages.py

The first run creates the data set (bench/data.py, bench/issue_data.py); later runs reuse it.
"""

import time

from django.db import connection
from pages import admin_client, migrate, time_pages

from bench import data, issue_data
from tsunagu.issues.models import CommunityIssue, IssueTag

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
    migrate()
    started = time.perf_counter()
    municipality = issue_data.generate()
    tags = IssueTag.objects.filter(municipality=municipality).count()
    issues = CommunityIssue.objects.filter(municipality=municipality)
    print(
        f"データベース: {connection.vendor}  タグ付き事例 {tags:,}件・地域課題 {issues.count():,}件"
        f"（準備 {time.perf_counter() - started:.1f}秒）"
    )
    city_issue = issues.filter(level="city").first()
    time_pages(
        admin_client(),
        {**PAGES, "市の課題の詳細（根拠・経過）": f"/issues/{city_issue.pk}/"},
        runs=10,
    )


if __name__ == "__main__":
    main()
