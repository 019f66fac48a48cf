"""Server time and query count of the schedule matrix and statistics for one 年度 of 350 centers.

    .venv/bin/python bench/matrix_stats.py                 # SQLite (var/bench.sqlite3)
    DATABASE_URL=postgres://... .venv/bin/python bench/matrix_stats.py

The first run creates the data set (bench/data.py); later runs reuse it.
"""

import time

from django.db import connection
from pages import admin_client, migrate, time_pages

from bench import data
from tsunagu.meetings.models import Meeting

PAGES = {
    "開催状況（一覧表）": "/reports/schedule/?fy=2024",
    "開催状況 Excel": "/reports/schedule/?fy=2024&format=xlsx",
    "統計": "/reports/meetings/?fy=2024",
}


def main():
    migrate()
    started = time.perf_counter()
    municipality = data.generate()
    meetings = Meeting.objects.filter(municipality=municipality).count()
    print(
        f"データベース: {connection.vendor}  会議 {meetings:,}件・センター {data.CENTERS}"
        f"（準備 {time.perf_counter() - started:.1f}秒）"
    )
    time_pages(admin_client(), PAGES)


if __name__ == "__main__":
    main()
