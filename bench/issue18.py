"""Issue 18 in one run: every figure it names, side by side.

    .venv/bin/python bench/issue18.py \\
        --sqlite sqlite:///$PWD/var/bench.sqlite3 \\
        --pg postgres://postgres@127.0.0.1:5432/tsunagu_perf_pref \\
        [--before-code /tmp/perf-before \\
         --sqlite-before sqlite:////tmp/perf-before/var/bench.sqlite3 \\
         --pg-before postgres://…/tsunagu_perf_before] \\
        [--national-small postgres://…/tsunagu_perf_n10 \\
         --national-large postgres://…/tsunagu_perf_n1741] \\
        [--rounds 3]

1. Pages (bench/page_cost.py): the case list of a 200,000-case city and of a 1,000-case city,
   統計 and the schedule matrix with the plain SQL of its rows, per (code, database) column:
   before/after × SQLite/PostgreSQL, in interleaved rounds.
2. Documents, with this checkout on each database: the 開催状況 PDF and the 資料2/3 PDF (the
   worker's CPU time, as a task makes them) and the XLSX exports (schedule matrix, statistics,
   city documents: time on the request path and size), to decide which need the task queue.
3. National scale (bench/national.py compare): one municipality's pages with 10 and with
   1,741 municipalities in the database, when both databases are given.

Data: bench/data.py (350 centers, 200,000 cases), bench/small_city.py, bench/issue_data.py
(tags and community issues, for the city documents) and bench/national.py generate.
"""

import argparse
import datetime
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent
YEAR = 2024
PDF_RUNS = int(os.environ.get("BENCH_PDF_RUNS", "5"))


def documents() -> None:
    """In a child process (DATABASE_URL set): each document once, printed as JSON."""
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")
    import django

    django.setup()
    from weasyprint import HTML

    from bench import data
    from tsunagu.accounts.models import Membership
    from tsunagu.cases.access import follow_ups_visible_to
    from tsunagu.centerwork.exports import monthly_pdf_html
    from tsunagu.centerwork.reporting import monthly_report
    from tsunagu.issues import documents as city_documents
    from tsunagu.issues.overview import city_meeting_documents
    from tsunagu.lib import document_cache
    from tsunagu.lib.fiscal import fiscal_year_range
    from tsunagu.meetings.access import meetings_visible_to
    from tsunagu.reports import exports, stats_exports
    from tsunagu.reports.meetings import meeting_stats, schedule_matrix
    from tsunagu.reports.outcomes import outcome_stats

    HTML(string="<p>準備</p>").write_pdf()  # a worker has WeasyPrint and its fonts loaded
    document_cache.get = lambda *args: None  # every document made afresh, none reused
    member = Membership.objects.select_related("municipality").get(user__username=data.USERNAME)
    municipality = member.municipality
    start, end = fiscal_year_range(YEAR)
    result: dict = {"作業プロセスの常駐メモリ（準備の後）": resident_mib()}

    def timed(label, make, runs=1):
        walls = []
        for _ in range(runs):
            wall, cpu, children = time.perf_counter(), time.process_time(), children_cpu()
            body = make()
            walls.append((time.perf_counter() - wall) * 1000)
        result[label] = {
            "ms": statistics.median(walls),
            "ms_range": (min(walls), max(walls), runs) if runs > 1 else None,
            # A PDF laid out in a child process (tsunagu.lib.pdf_layout) counts there.
            "cpu_ms": (time.process_time() - cpu + children_cpu() - children) * 1000,
            "kb": len(body) / 1024,
            "pages": pdf_pages(body) if body[:4] == b"%PDF" else None,
            "rss_mib": resident_mib(),
        }

    timed(
        "開催状況 XLSX",
        lambda: exports.to_xlsx(schedule_matrix(member, start, end, fiscal_year=YEAR)),
    )
    timed(
        "統計 XLSX",
        lambda: stats_exports.to_xlsx(
            meeting_stats(meetings_visible_to(member), start, end),
            outcome_stats(follow_ups_visible_to(member), start, end),
            start,
            end,
        ),
    )
    timed(
        "市の会議資料 XLSX",
        lambda: city_documents.to_xlsx(city_meeting_documents(municipality, start, end)),
    )
    # Made afresh (the cache is off above): first as the worker makes it, in a child process
    # (the worker's own memory stays as it was), then laid out in this process as before.
    # The goal's figure (under 5 s of worker time), made the worker's way several times: the
    # machine's speed varies by a second from one run to the next.
    timed(
        "開催状況 PDF",
        lambda: exports.to_pdf(schedule_matrix(member, start, end, fiscal_year=YEAR), municipality),
        runs=PDF_RUNS,
    )
    timed(
        "開催状況 PDF（作業プロセス内で組版）",
        lambda: HTML(
            string=exports.pdf_html(
                schedule_matrix(member, start, end, fiscal_year=YEAR), municipality
            )
        ).write_pdf(),
    )
    # The city-wide monthly report: a column per center, so its pages grow with the centers.
    month = datetime.date(YEAR, 10, 1)
    _statuses, table, title = monthly_report(member, month)
    timed(
        "月次報告（全センター）PDF（作業プロセス内で組版）",
        lambda: HTML(string=monthly_pdf_html(title, table, municipality)).write_pdf(),
    )
    timed(
        "市の会議資料 PDF",
        lambda: city_documents.to_pdf(
            city_meeting_documents(municipality, start, end), municipality
        ),
    )
    print(json.dumps(result))


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def resident_mib() -> float:
    """This process's resident memory now (VmRSS), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pdf_pages(body: bytes) -> int | None:
    out = subprocess.run(["pdfinfo", "-"], input=body, capture_output=True)
    for line in out.stdout.decode().splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return None


def run(args: list[str], env: dict | None = None) -> str:
    out = subprocess.run(
        [sys.executable, *args], env={**os.environ, **(env or {})}, capture_output=True, text=True
    )
    if out.returncode:
        print(out.stderr[-3000:], file=sys.stderr)
        out.check_returncode()
    return out.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for name in ("sqlite", "pg", "before-code", "sqlite-before", "pg-before"):
        parser.add_argument(f"--{name}")
    parser.add_argument("--national-small")
    parser.add_argument("--national-large")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument(
        "--matrix-only",
        action="store_true",
        help="of the pages, the schedule matrix and its SQL alone (no case data needed)",
    )
    args = parser.parse_args()
    print(f"# issue 18（{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}）", flush=True)
    print(f"load average（開始時）: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    if not args.skip_pages:
        print("\n## 1. ページ（前後・SQLite/PostgreSQL）\n", flush=True)
        page_args = [str(HERE.parent / "page_cost.py"), "--rounds", str(args.rounds)]
        if args.matrix_only:
            page_args.append("--matrix-only")
        for flag, value in (
            ("--before-code", args.before_code),
            ("--sqlite-before", args.sqlite_before),
            ("--sqlite-after", args.sqlite),
            ("--pg-before", args.pg_before),
            ("--pg-after", args.pg),
        ):
            if value:
                page_args += [flag, value]
        print(run(page_args), flush=True)

    print(
        "## 2. 文書（このチェックアウト、各1回。CPU はその処理のプロセスと子プロセスの CPU 時間、"
        "メモリは作った後の作業プロセスの常駐メモリ）\n"
    )
    columns = {"SQLite": args.sqlite, "PostgreSQL": args.pg}
    figures = {}
    for title, url in columns.items():
        if url:
            out = run([str(HERE), "--documents"], {"DATABASE_URL": url})
            figures[title] = json.loads(out.strip().splitlines()[-1])
    for title, figure in figures.items():
        start_label = "作業プロセスの常駐メモリ（準備の後）"
        print(f"{title}: {start_label} {figure.pop(start_label):.0f} MiB")
    titles = list(figures)
    print("| 文書 | " + " | ".join(f"{t} 時間・CPU・大きさ" for t in titles) + " |")
    print("|---|" + "---:|" * len(titles))
    for label in next(iter(figures.values()), {}):
        cells = []
        for t in titles:
            f = figures[t][label]
            pages = f"・{f['pages']}ページ" if f["pages"] else ""
            spread = ""
            if f.get("ms_range"):
                low, high, runs = f["ms_range"]
                spread = f"（{runs}回の中央値、{low:.0f}〜{high:.0f}）"
            cells.append(
                f"{f['ms']:.0f} ms{spread}・CPU {f['cpu_ms']:.0f} ms・{f['kb']:.0f} KB{pages}"
                f"・作業プロセス {f['rss_mib']:.0f} MiB"
            )
        print(f"| {label} | " + " | ".join(cells) + " |")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)

    if args.national_small and args.national_large:
        print("\n## 3. 全国規模（PostgreSQL、10市町村 / 1,741市町村）\n", flush=True)
        print(
            run(
                [
                    str(HERE.parent / "national.py"),
                    "compare",
                    args.national_small,
                    args.national_large,
                    "--rounds",
                    str(args.rounds),
                ]
            )
        )
    print(f"load average（終了時）: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    if "--documents" in sys.argv:
        documents()
    else:
        main()
