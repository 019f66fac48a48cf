"""What the page benchmarks share: Django set up on the bench database, a logged-in 市職員,
and the median server time and query count of each page."""

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

from bench import data  # noqa: E402
from tsunagu.accounts.models import User  # noqa: E402
from tsunagu.lib.security import new_totp_secret  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "15"))


def migrate():
    (ROOT / "var").mkdir(exist_ok=True)
    call_command("migrate", verbosity=0)


def admin_client() -> Client:
    # The bench user is a 市職員, a role that must have two-factor authentication set up.
    User.objects.filter(username=data.USERNAME, totp_confirmed_at=None).update(
        totp_secret=new_totp_secret(), totp_confirmed_at=timezone.now()
    )
    client = Client()
    assert client.login(username=data.USERNAME, password=data.PASSWORD)
    return client


def time_pages(client: Client, pages: dict[str, str], runs: int = RUNS) -> None:
    """Print the median and maximum server time and the query count of each page."""
    for label, url in pages.items():
        timings = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                begin = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - begin) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        timings.sort()
        print(
            f"{label:<20} 中央値 {statistics.median(timings):7.1f} ms  "
            f"最大 {timings[-1]:7.1f} ms  クエリ {len(queries)}回  ({runs}回計測)"
        )
