"""Three 開催状況 PDFs asked for at once: the worker's memory, the layout's child processes,
how long each document took, and the dashboard answering meanwhile.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tsunagu_bench \\
        .venv/bin/python bench/worker_memory.py

Data: bench/data.py (350 centers, 10 年度; made by bench/matrix_stats.py on first use). The
script starts `manage.py run_worker` as the service does, queues the PDFs of three 年度 as
three members asking at the same moment would (kept copies are removed first, so each is laid
out), and every 0.2 s reads the resident memory (VmRSS) of the worker and of every process
below it. Meanwhile the bench user's dashboard is asked for again and again in this process:
before the task queue, three such exports held every web worker and the dashboard waited.
"""

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from pages import admin_client

from bench import data
from tsunagu.accounts.models import Membership
from tsunagu.lib.fiscal import fiscal_year_range
from tsunagu.reports import tasks

ROOT = Path(__file__).resolve().parent.parent
YEARS = (2022, 2023, 2024)


def resident_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (the layout server and its children)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            parents[int(entry.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        children = [child for child, parent in parents.items() if parent == current]
        found += children
        frontier += children
    return found


def main() -> None:
    from django.conf import settings
    from django_tasks_db.models import DBTaskResult

    member = Membership.objects.select_related("municipality").get(user__username=data.USERNAME)
    shutil.rmtree(Path(settings.MEDIA_ROOT) / "documents" / str(member.municipality_id), True)
    client = admin_client()
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--interval", "0.2", "--no-startup-delay"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(4)  # Django and the worker loaded
        idle = resident_mib(worker.pid)
        print(f"load average（開始時）: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"作業プロセス（待機中）: {idle:.0f} MiB")
        ids = []
        for year in YEARS:
            start, end = fiscal_year_range(year)
            ids.append(
                tasks.schedule_matrix_pdf.enqueue(
                    member.municipality_id, member.pk, start.isoformat(), end.isoformat(), year
                ).id
            )
        peak_worker = peak_children = 0.0
        dashboard = []
        begin = time.perf_counter()
        while DBTaskResult.objects.filter(pk__in=ids, finished_at=None).exists():
            peak_worker = max(peak_worker, resident_mib(worker.pid))
            peak_children = max(
                peak_children, max((resident_mib(p) for p in descendants(worker.pid)), default=0)
            )
            asked = time.perf_counter()
            assert client.get("/").status_code == 200
            dashboard.append((time.perf_counter() - asked) * 1000)
            time.sleep(0.2)
            if time.perf_counter() - begin > 600:
                raise SystemExit("10分たっても終わりません")
        time.sleep(1)
        after = resident_mib(worker.pid)
        print(f"3件の PDF（{'・'.join(f'{y}年度' for y in YEARS)}）を同時に依頼:")
        for row in DBTaskResult.objects.filter(pk__in=ids).order_by("enqueued_at"):
            took = (row.finished_at - row.started_at).total_seconds()
            waited = (row.started_at - row.enqueued_at).total_seconds()
            print(f"  {row.status}: 待ち {waited:.1f}秒・作成 {took:.1f}秒")
        print(
            f"作業プロセス: 最大 {peak_worker:.0f} MiB、終了後 {after:.0f} MiB"
            f"（待機中 {idle:.0f} MiB）"
        )
        print(f"組版の子プロセス（1つずつ）: 最大 {peak_children:.0f} MiB")
        print(
            f"その間のダッシュボード: {len(dashboard)}回、"
            f"中央値 {statistics.median(dashboard):.0f} ms、最大 {max(dashboard):.0f} ms"
        )
        print(f"load average（終了時）: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        worker.terminate()
        worker.wait(timeout=60)


if __name__ == "__main__":
    main()
