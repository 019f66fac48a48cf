"""How long the admin's "add a member" answer takes for a login that exists and for a new one.

The answer must not tell the two apart (README「メンバー管理」): the same page, the same
message, and no time difference worth measuring next to the password hashing both share.
Run: .venv/bin/python bench/invite_timing.py   (SQLite in a temporary folder, Argon2 as in
production; BENCH_RUNS sets the number of invitations of each kind.)
"""

import atexit
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FOLDER = tempfile.mkdtemp(prefix="tsunagu-bench-")
atexit.register(shutil.rmtree, FOLDER, ignore_errors=True)
os.environ["DATABASE_URL"] = f"sqlite:///{FOLDER}/invite.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ["REQUEST_LOG"] = "0"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from tsunagu.accounts.models import Membership, Role, User  # noqa: E402
from tsunagu.lib.security import new_totp_secret  # noqa: E402
from tsunagu.organizations.models import Municipality  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "20"))
PASSWORD = "bench-password-long-enough"


def login(username: str, municipality: Municipality, role: str) -> User:
    user = User.objects.create_user(username, password=PASSWORD, full_name=username)
    Membership.objects.create(user=user, municipality=municipality, role=role)
    return user


def main() -> None:
    call_command("migrate", verbosity=0)
    home = Municipality.objects.create(code="129909", name="松風テスト市", prefecture="12")
    other = Municipality.objects.create(code="139904", name="小川平テスト市", prefecture="13")
    admin = login("bench_admin", home, Role.CITY_ADMIN)
    User.objects.filter(pk=admin.pk).update(
        totp_secret=new_totp_secret(), totp_confirmed_at=timezone.now()
    )
    for i in range(RUNS):
        login(f"existing{i}", other, Role.VIEWER)
    client = Client()
    client.force_login(admin)
    results: dict[str, list[tuple[float, int]]] = {"既存のID": [], "新しいID": []}
    for i in range(RUNS):
        # Alternating, so that a slow moment of the machine falls on both alike.
        for label, username in (("既存のID", f"existing{i}"), ("新しいID", f"new{i}")):
            data = {
                "username": username,
                "full_name": "田中 直樹",
                "password": "long-initial-pass-1",
                "role": Role.VIEWER,
            }
            with CaptureQueriesContext(connection) as queries:
                begin = time.perf_counter()
                response = client.post("/members/new/", data)
                elapsed = (time.perf_counter() - begin) * 1000
            assert response.status_code == 302, response.status_code
            results[label].append((elapsed, len(queries)))
    print(f"メンバー追加（招待）の応答時間、各 {RUNS} 回、パスワードは Argon2")
    for label, rows in results.items():
        times = sorted(t for t, _ in rows)
        print(
            f"  {label}: 中央値 {statistics.median(times):6.1f} ms"
            f"  最小 {times[0]:6.1f} ms  最大 {times[-1]:6.1f} ms"
            f"  クエリ {statistics.median(q for _, q in rows):.0f}"
        )


if __name__ == "__main__":
    main()
