"""Issue 18's pages, before and after, on SQLite and PostgreSQL, side by side in one run.

    .venv/bin/python bench/page_cost.py \\
        --before-code /tmp/tsunagu-before \\
        --sqlite-before sqlite:////tmp/tsunagu-before/var/bench.sqlite3 \\
        --sqlite-after sqlite:///$PWD/var/bench.sqlite3 \\
        --pg-before postgres://postgres@127.0.0.1:5432/tsunagu_perf_pref \\
        --pg-after postgres://postgres@127.0.0.1:5432/tsunagu_perf_pref_after

Each column is one (code, database) pair; give only the --*-after ones to measure this
checkout alone. The data: bench/data.py's prefecture-sized city with 200,000 cases
(data.generate_cases(200_000)) and bench/small_city.py's city of 1,000 cases, made once with
the "before" code and copied (the "after" database then migrated). Rounds run the columns in
turn (A B C D A B C D …) so that a change of the machine's load falls on all of them; each
figure is the median over the rounds of each round's median, with the range of the rounds.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
YEAR = 2024

# (label, user, url); user "big" is the 市職員 of the 200,000-case city, "small" of 1,000.
PAGES = [
    ("事例一覧（事例200,000件の市）", "big", "/cases/"),
    ("事例一覧・終結で絞り込み（同）", "big", "/cases/?status=closed"),
    ("事例一覧・2ページ目（同）", "big", "/cases/?page=2"),
    ("事例一覧（事例1,000件の市）", "small", "/cases/"),
    ("統計（350センター・1年度）", "big", f"/reports/meetings/?fy={YEAR}"),
    ("開催状況（一覧表）", "big", f"/reports/schedule/?fy={YEAR}"),
]
MATRIX = "開催状況（一覧表）"
# The same page just after a change: its kept table is dropped before each request
# (reports/kept_tables.py), so the table is built from the rows every time.
MATRIX_BUILT = "開催状況（変更の直後、表を作り直す）"
RAW_SQL = "開催状況の行を取るSQLだけ"


def measure() -> None:
    """In a child process: set up Django on DATABASE_URL with the code at BENCH_CODE and print
    {label: [ms, …], label + " クエリ": n} as JSON."""
    root = Path(os.environ["BENCH_CODE"])
    sys.path[:0] = [str(root), str(root / "bench")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bench import data, small_city
    from tsunagu.accounts.models import Membership, User
    from tsunagu.lib.fiscal import fiscal_year_range
    from tsunagu.lib.security import new_totp_secret
    from tsunagu.meetings.access import meetings_visible_to
    from tsunagu.meetings.models import PlanEntry
    from tsunagu.reports.meetings import counted

    clients = {}
    users = [("big", data.USERNAME)]
    if not os.environ.get("BENCH_MATRIX_ONLY"):
        users.append(("small", small_city.SMALL_USERNAME))
    for key, username in users:
        User.objects.filter(username=username, totp_confirmed_at=None).update(
            totp_secret=new_totp_secret(), totp_confirmed_at=timezone.now()
        )
        clients[key] = Client()
        assert clients[key].login(username=username, password=data.PASSWORD)
    result = {}
    # --matrix-only: the schedule matrix and its SQL alone (bench/data.py's city, no cases).
    pages = [p for p in PAGES if p[0] == MATRIX] if os.environ.get("BENCH_MATRIX_ONLY") else PAGES
    try:
        from tsunagu.reports import kept_tables
    except ImportError:  # the code before the matrix's table was kept
        kept_tables = None

    def timed(label, client, url, before_each=None):
        timings = []
        for _ in range(RUNS):
            if before_each:
                before_each()
            with CaptureQueriesContext(connection) as queries:
                begin = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - begin) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        result[label] = timings
        result[label + " クエリ"] = len(queries)

    for label, user, url in pages:
        if label == MATRIX:
            clients[user].get(url)  # untimed: from then on the table is kept, as after any view
        timed(label, clients[user], url)
        if label == MATRIX and kept_tables is not None:
            timed(MATRIX_BUILT, clients[user], url, before_each=kept_tables.forget)
    # The rows the matrix shows, fetched with plain SQL: its meetings, plans, centers, bodies.
    member = Membership.objects.get(user__username=data.USERNAME)
    start, end = fiscal_year_range(YEAR)
    statements = [
        counted(meetings_visible_to(member), start, end)
        .order_by("date", "start_time")
        .values_list("center_id", "meeting_type_id", "date", "format", "status")
        .query.sql_with_params(),
        PlanEntry.objects.filter(municipality_id=member.municipality_id, fiscal_year=YEAR)
        .values_list("center_id", "meeting_type_id", "planned_count")
        .query.sql_with_params(),
    ]
    timings = []
    for _ in range(RUNS):
        begin = time.perf_counter()
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()
        timings.append((time.perf_counter() - begin) * 1000)
    result[RAW_SQL] = timings
    print(json.dumps(result))


def ratio(rounds: list[dict], label: str) -> str:
    """The page's time over its rows' SQL: the median of the rounds' ratios, and their range."""
    ratios = sorted(statistics.median(r[label]) / statistics.median(r[RAW_SQL]) for r in rounds)
    return f"{statistics.median(ratios):.1f}倍（{ratios[0]:.1f}〜{ratios[-1]:.1f}）"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before-code", help="a checkout of the code before the change")
    for name in ("sqlite-before", "sqlite-after", "pg-before", "pg-after"):
        parser.add_argument(f"--{name}")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--matrix-only", action="store_true", help="the schedule matrix and its SQL alone"
    )
    args = parser.parse_args()
    labels = [MATRIX] if args.matrix_only else [label for label, _, _ in PAGES]
    labels.insert(labels.index(MATRIX) + 1, MATRIX_BUILT)
    after_code = str(HERE.parent.parent)
    columns = [
        (title, url, code)
        for title, url, code in [
            ("SQLite 前", args.sqlite_before, args.before_code),
            ("SQLite 後", args.sqlite_after, after_code),
            ("PostgreSQL 前", args.pg_before, args.before_code),
            ("PostgreSQL 後", args.pg_after, after_code),
        ]
        if url and code
    ]
    print(f"load average（開始時）: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    rounds: dict[str, list[dict]] = {title: [] for title, _, _ in columns}
    for n in range(args.rounds):
        for title, url, code in columns:
            env = {**os.environ, "DATABASE_URL": url, "BENCH_CODE": code, "BENCH_MEASURE": "1"}
            if args.matrix_only:
                env["BENCH_MATRIX_ONLY"] = "1"
            out = subprocess.run(
                [sys.executable, str(HERE)], env=env, capture_output=True, text=True, check=True
            ).stdout
            rounds[title].append(json.loads(out.strip().splitlines()[-1]))
        print(f"  {n + 1}/{args.rounds} 回目 load average {os.getloadavg()[0]:.2f}", flush=True)
    print(f"load average（終了時）: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"各ページ {RUNS}回 × {args.rounds}ラウンド。中央値 ms（各ラウンドの中央値の範囲）")
    titles = [title for title, _, _ in columns]
    print("| ページ | " + " | ".join(titles) + " |")
    print("|---|" + "---:|" * len(titles))
    for label in labels + [RAW_SQL]:
        cells = []
        for title in titles:
            if label not in rounds[title][0]:
                cells.append("—")  # a page this code does not have
                continue
            medians = [statistics.median(r[label]) for r in rounds[title]]
            queries = rounds[title][0].get(label + " クエリ")
            cell = f"{statistics.median(medians):.1f}（{min(medians):.0f}〜{max(medians):.0f}）"
            cells.append(cell + (f"・{queries}回" if queries is not None else ""))
        print(f"| {label} | " + " | ".join(cells) + " |")
    for title in titles:
        matrix = f"{title}: 開催状況 / その行のSQL = {ratio(rounds[title], MATRIX)}"
        if MATRIX_BUILT in rounds[title][0]:
            matrix += f"、変更の直後 {ratio(rounds[title], MATRIX_BUILT)}"
        if args.matrix_only:
            print(matrix)
            continue
        big = [statistics.median(r[PAGES[0][0]]) for r in rounds[title]]
        small = [statistics.median(r[PAGES[3][0]]) for r in rounds[title]]
        city = sorted(b / s for b, s in zip(big, small, strict=True))
        print(
            f"{matrix}、事例一覧 200,000件 / 1,000件 = "
            f"{statistics.median(city):.1f}倍（{city[0]:.1f}〜{city[-1]:.1f}）"
        )


if __name__ == "__main__":
    if os.environ.get("BENCH_MEASURE"):
        measure()
    else:
        main()
