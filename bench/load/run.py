"""Load test: 50 staff for 5 minutes against gunicorn and PostgreSQL on this machine.

    .venv/bin/pip install -e '.[bench]'              # locust, once
    .venv/bin/python bench/load/run.py               # 50 users, 5 minutes
    .venv/bin/python bench/load/run.py --users 10 --duration 60    # a quick try

What it does:

1. Creates the PostgreSQL database (default tsunagu_bench on 127.0.0.1, user postgres) if it is
   missing, migrates it and loads the prefecture-sized data set if it is not there yet
   (bench/data.py: 350 centers, 70,000 meetings, 70,000 cases with their reviews, advice,
   actions and follow-ups) and the staff who log in.
2. Starts gunicorn as in production (DEBUG=0, a random SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL,
   the JSON request log on) on 127.0.0.1, and waits for /healthz.
3. Runs locust headless (bench/load/locustfile.py): users log in one per second, then each
   clicks through the staff's mix of pages; the measured minutes start when the last one has
   logged in. Locust's own CSV files and every request's time are kept under
   var/bench/load/<date-time>/.
4. Stops gunicorn and prints, per page: requests, errors, requests per second, and the 50th,
   95th and 99th percentile and the slowest time (exact, from every request), with the load
   average before and after and the CPU time the machine was busy.

gunicorn runs 3 sync workers by default, as docs/deploy/tsunagu.service does. The machine has 2
cores, and a request here is mostly Python work (templates, the ORM) with short waits for
PostgreSQL on the same machine: one process per core, plus one to use a core while another
waits for the database. More processes (the usual 2 × cores + 1) only add memory and switching
while locust and PostgreSQL need the same 2 cores. --workers and --threads change it.
"""

import argparse
import csv
import datetime
import json
import math
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/tsunagu_bench"


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument(
        "--duration",
        type=int,
        default=300,
        help="seconds measured once every user has logged in (default 300)",
    )
    parser.add_argument(
        "--spawn-rate",
        type=float,
        default=1,
        help="users started per second (default 1: 50 logins, at about 0.3 s of Argon2 each, "
        "spread over 50 s as staff arriving, not all in the same second)",
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn process")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--cases", type=int, default=None, help="cases in the data set")
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    )
    return parser.parse_args()


def ensure_database(url: str) -> None:
    """CREATE DATABASE if it does not exist (connecting to the server's postgres database)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"データベース {name} を作りました。")


def prepare(args) -> dict:
    """Migrate, load the data set and the users if missing; return what each user may open."""
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from bench import data
    from tsunagu.accounts.models import Membership
    from tsunagu.cases.access import cases_visible_to
    from tsunagu.cases.models import Case, CaseReview
    from tsunagu.lib.fiscal import fiscal_year_range
    from tsunagu.meetings.access import meetings_visible_to

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    municipality = data.generate_cases(args.cases or data.CASES)
    users = data.load_users(args.users)
    recent = fiscal_year_range(data.YEARS[-1])[0]
    targets = {"password": data.STAFF_PASSWORD, "users": {}}
    for username, role in users:
        member = Membership.objects.select_related("municipality").get(user__username=username)
        cases = cases_visible_to(member)
        reviews = CaseReview.objects.filter(case__in=cases)
        meetings = (
            meetings_visible_to(member).filter(center_id=member.center_id)
            if member.center_id
            else meetings_visible_to(member).none()
        )
        targets["users"][username] = {
            "role": str(role),
            "cases": list(cases.values_list("pk", flat=True)),
            "reviews": list(reviews.values_list("pk", flat=True)),
            "recent_reviews": list(
                reviews.filter(meeting__date__gte=recent).values_list("pk", flat=True)
            ),
            "meetings": list(meetings.values_list("pk", flat=True)),
        }
        needed = ["cases", "reviews", "recent_reviews"] + (["meetings"] if member.center_id else [])
        empty = [key for key in needed if not targets["users"][username][key]]
        if empty:
            raise SystemExit(f"{username} が開ける {', '.join(empty)} がありません。")
    summary = {
        "cases": Case.objects.filter(municipality=municipality).count(),
        "seconds": time.perf_counter() - started,
    }
    connections.close_all()
    return {"targets": targets, **summary}


def cpu_times() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine since boot."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def start_gunicorn(args, log) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REQUEST_LOG": "1",
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        str(BIN / "gunicorn"),
        "tsunagu.wsgi",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
    ]
    if args.threads > 1:
        command += ["--threads", str(args.threads)]
    # A session of its own, so that stopping it stops the workers too.
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{args.port}/healthz", timeout=5) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
        if server.poll() is not None:
            break
    stop(server)
    raise SystemExit(f"gunicorn が起動しませんでした（{log.name} を見てください）。")


def warm_up(args) -> None:
    """First requests in a new worker load the URLs, templates and libraries: do that before
    measuring (a server in production has been running for days). Several at once, so that
    each worker gets some."""
    from concurrent.futures import ThreadPoolExecutor

    def fetch(_):
        with urllib.request.urlopen(f"http://127.0.0.1:{args.port}/login/", timeout=60) as r:
            r.read()

    with ThreadPoolExecutor(args.workers * 2) as pool:
        list(pool.map(fetch, range(args.workers * 6)))


def stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def percentile(ordered: list[float], q: float) -> float:
    """Nearest rank: the smallest time at or under which q of the requests finished."""
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


LOGIN_PAGES = ("ログイン画面", "ログイン")


def table(pages: dict[str, list[float]], errors: dict[str, list[str]], seconds: float):
    lines = [
        "| ページ | 件数 | エラー | 件/秒 | p50 | p95 | p99 | 最大 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def row(label, times, failed):
        times = sorted(times)
        return (
            f"| {label} | {len(times):,} | {failed} | {len(times) / seconds:.2f} | "
            f"{percentile(times, 0.50):.0f} ms | {percentile(times, 0.95):.0f} ms | "
            f"{percentile(times, 0.99):.0f} ms | {times[-1]:.0f} ms |"
        )

    for page, times in sorted(pages.items(), key=lambda item: -len(item[1])):
        lines.append(row(page, times, len(errors.get(page, []))))
    everything = [t for times in pages.values() for t in times]
    lines.append(row("**全体**", everything, sum(len(e) for e in errors.values())))
    return lines


def report(samples_path: Path) -> list[str]:
    """Two tables: the pages once every user has logged in (the measured minutes), and the
    logins themselves (while users were starting). Errors are listed by message."""
    with samples_path.open(encoding="utf-8") as file:
        rows = [
            {**row, "time": float(row["time"]), "ms": float(row["ms"])}
            for row in csv.DictReader(file)
        ]
    logins = [row for row in rows if row["page"] in LOGIN_PAGES]
    everyone_in = max(row["time"] for row in logins)
    measured = [row for row in rows if row["time"] > everyone_in and row["page"] not in LOGIN_PAGES]
    seconds = max(row["time"] for row in measured) - everyone_in
    lines = [f"全員がログインしてからの {seconds:.0f}秒:"]
    for subset, span in ((measured, seconds), (logins, everyone_in - rows[0]["time"])):
        pages: dict[str, list[float]] = {}
        errors: dict[str, list[str]] = {}
        for row in subset:
            pages.setdefault(row["page"], []).append(row["ms"])
            if row["error"]:
                errors.setdefault(row["page"], []).append(row["error"])
        if subset is logins:
            lines.append(f"ログイン（利用者が順に始めた {span:.0f}秒間）:")
        lines += table(pages, errors, max(span, 1))
        for page, messages in errors.items():
            for message in sorted(set(messages), key=messages.count, reverse=True)[:5]:
                lines.append(f"エラー: {page}: {message}（{messages.count(message)}件）")
    failed_outside = [
        row
        for row in rows
        if row["error"] and row["page"] not in LOGIN_PAGES and row["time"] <= everyone_in
    ]
    lines.append(f"ログインが終わる前のページのエラー: {len(failed_outside)}件")
    return lines


def server_statuses(log_path: Path) -> dict[int, int]:
    """Status codes from the application's JSON request log (one line per request)."""
    counts: dict[int, int] = {}
    for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("{") and '"status"' in line:
            try:
                status = json.loads(line)["status"]
            except (ValueError, KeyError):
                continue
            counts[status] = counts.get(status, 0) + 1
    return counts


def main():
    args = arguments()
    out = ROOT / "var" / "bench" / "load" / datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    out.mkdir(parents=True, exist_ok=True)
    ensure_database(args.database_url)
    prepared = prepare(args)
    targets_path = out / "targets.json"
    targets_path.write_text(json.dumps(prepared["targets"]), encoding="utf-8")
    roles = [t["role"] for t in prepared["targets"]["users"].values()]
    print(
        f"データ: 事例 {prepared['cases']:,}件（準備 {prepared['seconds']:.1f}秒）、"
        f"利用者 センター職員 {roles.count('center_staff')}人・"
        f"介護支援専門員 {roles.count('care_manager')}人"
    )

    server_log = (out / "gunicorn.log").open("w")
    server = start_gunicorn(args, server_log)
    samples = out / "samples.csv"
    try:
        print(
            f"gunicorn: sync ワーカー {args.workers}（スレッド {args.threads}）、ポート {args.port}"
        )
        warm_up(args)
        ramp = math.ceil(args.users / args.spawn_rate)
        before, busy_before = loadavg(), cpu_times()
        started = time.time()
        with (out / "locust.log").open("w") as locust_log:
            subprocess.run(
                [
                    str(BIN / "locust"),
                    "-f",
                    str(Path(__file__).with_name("locustfile.py")),
                    "--headless",
                    "--users",
                    str(args.users),
                    "--spawn-rate",
                    str(args.spawn_rate),
                    "--run-time",
                    f"{ramp * 4 + args.duration + 60}s",  # a safety net: see locustfile.py
                    "--host",
                    f"http://127.0.0.1:{args.port}",
                    "--csv",
                    str(out / "locust"),
                    "--only-summary",
                    "--stop-timeout",
                    "30",
                    "--exit-code-on-error",
                    "0",
                ],
                cwd=ROOT,
                env={
                    **os.environ,
                    "BENCH_TARGETS": str(targets_path),
                    "BENCH_SAMPLES": str(samples),
                    "BENCH_USERS": str(args.users),
                    "BENCH_DURATION": str(args.duration),
                },
                stdout=locust_log,
                stderr=subprocess.STDOUT,
                check=True,
            )
        elapsed = time.time() - started
        busy_after, after = cpu_times(), loadavg()
    finally:
        stop(server)
        server_log.close()
    busy = (busy_after[0] - busy_before[0]) / max(1, busy_after[1] - busy_before[1])
    print(
        f"負荷: {args.users}人、{elapsed:.0f}秒（{args.spawn_rate:g}人/秒で順にログインし、"
        f"全員がそろってから{args.duration}秒）"
    )
    print(f"load average（1・5・15分）: 開始前 {before} → 終了時 {after}")
    print(f"CPU使用率（2コア全体、他の処理を含む）: {busy:.0%}")
    for line in report(samples):
        print(line)
    statuses = server_statuses(out / "gunicorn.log")
    print(
        "サーバーの記録: "
        + "、".join(f"{status} {count:,}件" for status, count in sorted(statuses.items()))
    )
    print(f"記録: {out.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
