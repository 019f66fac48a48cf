"""Time and query count of compiling a month's figures (the monthly report) as the month's
consultations grow, for a city of 50 centers.

    .venv/bin/python bench/centerwork_monthly.py            # SQLite (var/bench_centerwork.sqlite3)
    DATABASE_URL=postgres://... .venv/bin/python bench/centerwork_monthly.py

Every run starts from an empty municipality of its own and removes it at the end.
"""

import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_centerwork.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tsunagu.centerwork import services  # noqa: E402
from tsunagu.centerwork.models import Consultation  # noqa: E402
from tsunagu.centerwork.reporting import month_figures  # noqa: E402
from tsunagu.organizations.models import Center, Municipality  # noqa: E402

CENTERS = 50
STEPS = (1_000, 10_000, 50_000)
RUNS = 5


def add(municipality, centers, categories, n, rng):
    rows = Consultation.objects.bulk_create(
        Consultation(
            municipality=municipality,
            center=rng.choice(centers),
            received_on=datetime.date(2026, 10, rng.randint(1, 31)),
            method=rng.choice(["phone", "visit_in", "home_visit"]),
            consulter=rng.choice(["self", "family", "care_manager"]),
            person_ref=f"B-{rng.randint(1, n // 2 + 1)}",
            response="information",
        )
        for _ in range(n)
    )
    through = Consultation.categories.through
    through.objects.bulk_create(
        through(consultation_id=c.pk, consultationcategory_id=k.pk)
        for c in rows
        for k in rng.sample(categories, rng.choice([1, 1, 2]))
    )


def main():
    (ROOT / "var").mkdir(exist_ok=True)
    call_command("migrate", verbosity=0)
    Municipality.objects.filter(code="999997").delete()
    municipality = Municipality.objects.create(code="999997", name="ベンチ市", prefecture="13")
    try:
        centers = Center.objects.bulk_create(
            Center(municipality=municipality, name=f"センター{i:02d}") for i in range(CENTERS)
        )
        categories = services.categories_of(municipality)
        rng, total = random.Random(7), 0
        print(f"データベース: {connection.vendor}  センター {CENTERS}か所")
        for step in STEPS:
            add(municipality, centers, categories, step - total, rng)
            total = step
            timings = []
            for _ in range(RUNS):
                with CaptureQueriesContext(connection) as queries:
                    begin = time.perf_counter()
                    month_figures(municipality, 2026, 10)
                    timings.append((time.perf_counter() - begin) * 1000)
            print(
                f"相談 {total:>7,}件  中央値 {statistics.median(timings):8.1f} ms  "
                f"最大 {max(timings):8.1f} ms  問い合わせ {len(queries)}回"
            )
    finally:
        Consultation.objects.filter(municipality=municipality).delete()
        services.ConsultationCategory.objects.filter(municipality=municipality).delete()
        Center.objects.filter(municipality=municipality).delete()
        municipality.delete()


if __name__ == "__main__":
    main()
