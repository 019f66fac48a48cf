"""Pages and time of the documents made on a request or by a task, on the demo data: which
need the task queue (docs/performance.md, 「文書をバックグラウンドで作る基準」).

    DATABASE_URL=sqlite:///$PWD/var/measure_demo.sqlite3 TSUNAGU_DEMO=1 \\
        .venv/bin/python manage.py migrate && ... manage.py load_demo   # once
    DATABASE_URL=sqlite:///$PWD/var/measure_demo.sqlite3 .venv/bin/python bench/document_pages.py

For each municipality of the demo: the city-wide monthly report PDF of every month that has
submissions, every submission's one-center PDF and every closed meeting's 会議録 PDF; and
a long meeting (the demo's longest agenda repeated to --cases reviews) to see how the 会議録
grows. Each made once, afresh (WeasyPrint loaded first, as in a worker); pages by pdfinfo.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")

import django  # noqa: E402

django.setup()


def pdf_pages(body: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=body, capture_output=True, check=True).stdout
    line = next(x for x in info.decode().splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def timed(make, *args):
    wall, cpu = time.perf_counter(), time.process_time()
    body = make(*args)
    return body, (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def summary(label, runs):
    if not runs:
        print(f"{label}: なし")
        return
    pages = [p for p, _w, _c in runs]
    cpu = [c for _p, _w, c in runs]
    print(
        f"{label}: {len(runs)}件 ページ {min(pages)}〜{max(pages)}"
        f"（中央値 {statistics.median(pages)}）、CPU 中央値 {statistics.median(cpu):.0f} ms・"
        f"最大 {max(cpu):.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20, help="reviews of the long meeting")
    options = parser.parse_args()

    from weasyprint import HTML

    from tsunagu.accounts.models import Membership
    from tsunagu.cases import access as case_access
    from tsunagu.cases import minutes
    from tsunagu.cases.models import CaseReview
    from tsunagu.centerwork import exports, report_views, reporting
    from tsunagu.centerwork.models import Submission
    from tsunagu.lib import document_cache
    from tsunagu.meetings.models import Meeting

    HTML(string="<p>準備</p>").write_pdf()
    document_cache.get = lambda *args: None  # every document made afresh, none reused
    document_cache.put = lambda *args: None
    admins = Membership.objects.filter(role="city_admin").select_related("municipality")
    for member in {m.municipality_id: m for m in admins}.values():
        print(f"== {member.municipality}（センター {member.municipality.center_set.count()}）")
        months, singles, rooms = [], [], []
        submissions = Submission.objects.filter(municipality=member.municipality)
        monthly = submissions.filter(kind="monthly")
        for first in sorted({s.period_start for s in monthly}):
            _s, table, title = reporting.monthly_report(member, first)
            body, wall, cpu = timed(exports.monthly_pdf, title, table, member.municipality, first)
            months.append((pdf_pages(body), wall, cpu))
        summary("月次報告（市全体）PDF", months)
        for submission in submissions:
            request = type("R", (), {"member": member})()
            context = report_views._context(request, submission)
            context["municipality"] = member.municipality
            body, wall, cpu = timed(exports.to_pdf, "centerwork/submission_pdf.html", context)
            singles.append((pdf_pages(body), wall, cpu))
        summary("報告（1センター）PDF", singles)
        longest = None
        for meeting in Meeting.objects.filter(
            municipality=member.municipality, closed_at__isnull=False
        ):
            # Every review of the agenda (the bench is not a member who may lack a pledge).
            room = case_access.Room(
                meeting,
                list(
                    CaseReview.objects.filter(meeting=meeting)
                    .select_related("case")
                    .prefetch_related("advice", "actions__responsible")
                    .order_by("order", "id")
                ),
                list(meeting.attendances.select_related("person")),
                set(),
            )
            body, wall, cpu = timed(minutes.minutes_pdf, room)
            rooms.append((pdf_pages(body), wall, cpu))
            if longest is None or len(room.reviews) > len(longest.reviews):
                longest = room
        summary("会議録 PDF（終了した会議）", rooms)
        if longest is not None and longest.reviews:
            reviews = (longest.reviews * options.cases)[: options.cases]
            long_room = case_access.Room(
                longest.meeting, reviews, longest.attendances, longest.signed
            )
            body, wall, cpu = timed(minutes.minutes_pdf, long_room)
            print(
                f"会議録 PDF（{options.cases}事例の長い会議、デモの議題を繰り返し）: "
                f"{pdf_pages(body)}ページ、CPU {cpu:.0f} ms"
            )
            body, wall, cpu = timed(minutes.minutes_docx, long_room)
            print(f"会議録 Word（同じ）: CPU {cpu:.0f} ms")


if __name__ == "__main__":
    main()
