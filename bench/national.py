"""National scale: 1,741 municipalities (7,173 centers with branches) in one PostgreSQL
database, and one municipality's main pages compared with the same municipality in a
database of 10.

    .venv/bin/python bench/national.py generate postgres://…/tsunagu_perf_n1741 1741
    .venv/bin/python bench/national.py generate postgres://…/tsunagu_perf_n10 10
    .venv/bin/python bench/national.py compare postgres://…/tsunagu_perf_n10 \\
        postgres://…/tsunagu_perf_n1741 --rounds 5

Municipality number i is the same in every database (its own random seed): number 0, the
one measured, is a 中核市 of TARGET_CENTERS centers; the others share the rest of the 7,173
centers (4 or 5 each). Per center and 年度: MEETINGS meetings of the center-hosted bodies and
CASES anonymised cases, reviewed ones with their follow-ups. Written with bulk_create in
batches (a database of 1,741 municipalities takes some minutes).
"""

import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent
MUNICIPALITIES = 1_741
CENTERS = 7_173
TARGET_CENTERS = 20
YEARS = (2024, 2025)
MEETINGS = 12  # per center and 年度
CASES = 8  # per center and 年度
USERNAME = "bench-national-admin"
PASSWORD = "bench-password-2026"
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
PAGES = [
    ("ダッシュボード", "/"),
    ("事例一覧", "/cases/"),
    ("会議一覧", "/meetings/"),
    ("開催状況（一覧表）", f"/reports/schedule/?fy={YEARS[-1]}"),
    ("統計", f"/reports/meetings/?fy={YEARS[-1]}"),
]


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def centers_of(i: int) -> int:
    """Centers of municipality i: the target's, then 4 or 5 so that 1,741 make 7,173."""
    if i == 0:
        return TARGET_CENTERS
    rest = CENTERS - TARGET_CENTERS
    extra = rest - 4 * (MUNICIPALITIES - 1)  # municipalities with a fifth (branch) center
    return 5 if i <= extra else 4


def generate(count: int) -> None:
    import datetime

    from django.core.management import call_command
    from django.db import transaction

    from bench import data
    from tsunagu.accounts.models import Membership, Role, User
    from tsunagu.cases.models import Case, CaseReview, FollowUp
    from tsunagu.cases.services import add_months
    from tsunagu.lib.fiscal import fiscal_year_range
    from tsunagu.meetings.models import Meeting, MeetingType
    from tsunagu.meetings.presets import load_preset
    from tsunagu.organizations.models import Area, Center, Municipality
    from tsunagu.organizations.validators import municipality_check_digit

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    have = Municipality.objects.filter(name__startswith="全国ベンチ").count()
    if have >= count:
        print(f"{have} 市町村あり")
        return
    today = datetime.date.today()
    fields = [
        f.name
        for f in MeetingType._meta.concrete_fields
        if f.name not in ("id", "municipality", "host_organization")
    ]
    template = None
    for first in range(have, count, 50):
        with transaction.atomic():
            batch = range(first, min(count, first + 50))
            municipalities = Municipality.objects.bulk_create(
                Municipality(
                    code=f"{20000 + i:05d}{municipality_check_digit(f'{20000 + i:05d}')}",
                    name=f"全国ベンチ{i:04d}市",
                    prefecture=f"{1 + i % 47:02d}",
                )
                for i in batch
            )
            if template is None:
                target = Municipality.objects.get(name="全国ベンチ0000市")
                if not MeetingType.objects.filter(municipality=target).exists():
                    user = User.objects.create_user(USERNAME, password=PASSWORD, full_name="全国")
                    Membership.objects.create(user=user, municipality=target, role=Role.CITY_ADMIN)
                    load_preset(municipality=target, key="matsudo", by=user)
                template = list(
                    MeetingType.objects.filter(municipality=target, host_organization=None)
                    .order_by("id")
                    .values(*fields)
                )
            types = MeetingType.objects.bulk_create(
                MeetingType(municipality=m, **values)
                for m in municipalities
                if m.name != "全国ベンチ0000市"
                for values in template
            )
            types = list(
                MeetingType.objects.filter(municipality__in=municipalities, host="each_center")
            )
            by_municipality = {}
            for t in types:
                by_municipality.setdefault(t.municipality_id, []).append(t)
            areas, centers = [], []
            for i, m in zip(batch, municipalities, strict=True):
                for c in range(centers_of(i)):
                    area = Area(municipality=m, name=f"圏域{c:02d}", sort_order=c)
                    areas.append(area)
                    centers.append(
                        Center(municipality=m, name=f"第{c:02d}地域包括支援センター", area=area)
                    )
            Area.objects.bulk_create(areas)
            for center in centers:
                center.area_id = center.area.pk
            Center.objects.bulk_create(centers)
            meetings, cases = [], []
            for i, m in zip(batch, municipalities, strict=True):
                rng = random.Random(i)
                bodies = sorted(by_municipality[m.pk], key=lambda t: t.name)
                for center in (c for c in centers if c.municipality_id == m.pk):
                    for year in YEARS:
                        start, _ = fiscal_year_range(year)
                        for _ in range(MEETINGS):
                            day = start + datetime.timedelta(days=rng.randrange(365))
                            meetings.append(
                                Meeting(
                                    municipality=m,
                                    center=center,
                                    meeting_type=rng.choice(bodies),
                                    date=day,
                                    status="held" if day < today else "planned",
                                    cases_reviewed=rng.randrange(3),
                                )
                            )
                        for n in range(CASES):
                            cases.append(
                                Case(
                                    municipality=m,
                                    code=f"{year}-{center.pk}-{n}",
                                    center=center,
                                    status=rng.choice(
                                        ["reviewed", "monitoring", "closed", "closed", "draft"]
                                    ),
                                    case_type="independence",
                                    age_band="80",
                                    sex=rng.choice(["female", "male"]),
                                    care_level="care_1",
                                    household="alone",
                                )
                            )
            Meeting.objects.bulk_create(meetings, batch_size=5000)
            Case.objects.bulk_create(cases, batch_size=5000)
            held = {}
            for meeting in meetings:
                if meeting.status == "held" and meeting.meeting_type.reviews_cases:
                    held.setdefault(meeting.center_id, []).append(meeting)
            reviews = []
            for case in cases:
                options = held.get(case.center_id)
                if case.status != "draft" and options:
                    meeting = options[hash(case.code) % len(options)]
                    reviews.append(CaseReview(case=case, meeting=meeting, order=1))
            CaseReview.objects.bulk_create(reviews, batch_size=5000)
            follow_ups = []
            for review in reviews:
                meeting = review.meeting
                for months in meeting.meeting_type.follow_up_intervals:
                    due = add_months(meeting.date, months)
                    done = due < today
                    follow_ups.append(
                        FollowUp(
                            review=review,
                            municipality_id=meeting.municipality_id,
                            meeting_type_id=meeting.meeting_type_id,
                            months_after=months,
                            due_on=due,
                            done_on=due if done else None,
                            outcome=random.choice(["improved", "maintained", "worsened"])
                            if done
                            else "",
                            goal="mostly" if done else "",
                        )
                    )
            FollowUp.objects.bulk_create(follow_ups, batch_size=5000)
        print(f"  {first + len(batch)}/{count} 市町村（{time.perf_counter() - started:.0f}秒）")
    data.refresh_statistics()
    print(f"作成 {time.perf_counter() - started:.0f}秒")


def measure() -> None:
    """In a child process: the target municipality's pages, printed as JSON."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from tsunagu.accounts.models import User
    from tsunagu.lib.security import new_totp_secret

    User.objects.filter(username=USERNAME, totp_confirmed_at=None).update(
        totp_secret=new_totp_secret(), totp_confirmed_at=timezone.now()
    )
    client = Client()
    assert client.login(username=USERNAME, password=PASSWORD)
    result = {}
    for label, url in PAGES:
        # Once untimed: the first request of a process compiles the page's templates, and the
        # first read of a municipality in a database finds its rows on disk, not in memory.
        assert client.get(url).status_code == 200
        timings = []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                begin = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - begin) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        result[label] = timings
        result[label + " クエリ"] = len(queries)
        result[label + " SQL"] = sql_time(queries.captured_queries)
    print(json.dumps(result))


def sql_time(captured: list[dict]) -> float:
    """The page's reads run again on their own: the sum of each one's median ms over RUNS.
    The database's share of the page, without Python's, which the machine's load moves."""
    from django.db import connection

    total = 0.0
    for query in captured:
        if not query["sql"].startswith("SELECT"):
            continue
        timings = []
        for _ in range(RUNS):
            begin = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(query["sql"])
                cursor.fetchall()
            timings.append((time.perf_counter() - begin) * 1000)
        total += statistics.median(timings)
    return total


def counts() -> str:
    from tsunagu.cases.models import Case, FollowUp
    from tsunagu.meetings.models import Meeting
    from tsunagu.organizations.models import Center, Municipality

    return (
        f"市町村 {Municipality.objects.count():,}・センター {Center.objects.count():,}・"
        f"会議 {Meeting.objects.count():,}・事例 {Case.objects.count():,}・"
        f"モニタリング {FollowUp.objects.count():,}"
    )


def compare(small: str, large: str, rounds: int) -> None:
    print(f"load average（開始時）: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    columns = {"10市町村": small, "1,741市町村": large}
    results = {title: [] for title in columns}
    sizes = {}
    for n in range(rounds):
        for title, url in columns.items():
            env = {**os.environ, "BENCH_NATIONAL": "measure", "BENCH_URL": url}
            out = (
                subprocess.run(
                    [sys.executable, str(HERE)], env=env, capture_output=True, text=True, check=True
                )
                .stdout.strip()
                .splitlines()
            )
            sizes[title] = out[0]
            results[title].append(json.loads(out[-1]))
        print(f"  {n + 1}/{rounds} 回目 load average {os.getloadavg()[0]:.2f}", flush=True)
    print(f"load average（終了時）: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for title, size in sizes.items():
        print(f"{title}: {size}")
    print(
        f"全国ベンチ0000市（{TARGET_CENTERS}センター）の市職員。"
        f"各ページ {RUNS}回 × {rounds}ラウンド"
    )
    print(
        "| ページ | 10市町村 | 1,741市町村 | 比（1,741 / 10） | SQLだけ 10 / 1,741 | SQLの比 "
        "| クエリ数 |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, _ in PAGES:
        a = [statistics.median(r[label]) for r in results["10市町村"]]
        b = [statistics.median(r[label]) for r in results["1,741市町村"]]
        ratios = sorted(y / x for x, y in zip(a, b, strict=True))
        sql_a = [r[label + " SQL"] for r in results["10市町村"]]
        sql_b = [r[label + " SQL"] for r in results["1,741市町村"]]
        sql_ratios = sorted(y / x for x, y in zip(sql_a, sql_b, strict=True))
        queries = {results[t][0][label + " クエリ"] for t in results}
        print(
            f"| {label} | {statistics.median(a):.1f}（{min(a):.0f}〜{max(a):.0f}） | "
            f"{statistics.median(b):.1f}（{min(b):.0f}〜{max(b):.0f}） | "
            f"{statistics.median(ratios):.2f}（{ratios[0]:.2f}〜{ratios[-1]:.2f}） | "
            f"{statistics.median(sql_a):.1f} / {statistics.median(sql_b):.1f} | "
            f"{statistics.median(sql_ratios):.2f}（{sql_ratios[0]:.2f}〜{sql_ratios[-1]:.2f}） | "
            f"{'/'.join(str(q) for q in sorted(queries))} |"
        )


if __name__ == "__main__":
    if os.environ.get("BENCH_NATIONAL") == "measure":
        setup(os.environ["BENCH_URL"])
        print(counts())
        measure()
    elif sys.argv[1] == "generate":
        setup(sys.argv[2])
        generate(int(sys.argv[3]))
        print(counts())
    elif sys.argv[1] == "compare":
        rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 3
        compare(sys.argv[2], sys.argv[3], rounds)
