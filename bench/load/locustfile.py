"""50 staff at work: what bench/load/run.py points locust at.

Each simulated user logs in once with a real login (password form, CSRF, session cookie) as
one of the bench users (bench/data.py load_users) and then clicks through a mix of pages with
a pause between clicks, as a person reading and typing would:

- センター職員 (4 in 5 users): dashboard, their center's case list (and searching it as they
  type, through htmx), case pages, review records, adding advice (POST with the CSRF token),
  the meeting list and meeting pages, the schedule matrix, statistics, and the case list as
  Excel.
- 介護支援専門員 (1 in 5): dashboard, their own cases, case pages, review records, advice, and
  the case list as Excel (they have no meeting list for the whole city or statistics).

Every response is checked: a page must answer 200 (a case page 200, not the 403 page that asks
for a pledge), adding advice must answer with the redirect back to the record. Anything else
counts as an error. Each request is also written to samples.csv (BENCH_SAMPLES) so that run.py
can give exact percentiles.

Targets (which cases, reviews and meetings each user may open) come from BENCH_TARGETS, a JSON
file written by run.py from the database, so no request is a guess that returns 404.
"""

import csv
import itertools
import json
import os
import random
import re
import threading
import time

import gevent
from locust import HttpUser, between, events, task

with open(os.environ["BENCH_TARGETS"], encoding="utf-8") as file:
    TARGETS = json.load(file)
PASSWORD = TARGETS["password"]
THINK = (
    float(os.environ.get("BENCH_THINK_MIN", "2")),
    float(os.environ.get("BENCH_THINK_MAX", "8")),
)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

_accounts = {
    role: itertools.cycle(sorted(name for name, t in TARGETS["users"].items() if t["role"] == role))
    for role in ("center_staff", "care_manager")
}
_accounts_lock = threading.Lock()

# The measured minutes start when the last user has logged in; locust is stopped this many
# seconds later (run.py gives --run-time only as a safety net).
USERS = int(os.environ.get("BENCH_USERS", "0"))
DURATION = float(os.environ.get("BENCH_DURATION", "0"))
_started_users = 0

_samples_file = open(os.environ["BENCH_SAMPLES"], "w", newline="", encoding="utf-8")  # noqa: SIM115
_samples = csv.writer(_samples_file)
_samples.writerow(["time", "page", "ms", "bytes", "error"])


@events.request.add_listener
def record(request_type, name, response_time, response_length, exception, **kwargs):
    _samples.writerow(
        [f"{time.time():.3f}", name, f"{response_time:.2f}", response_length, exception or ""]
    )


@events.quitting.add_listener
def close_samples(environment, **kwargs):
    _samples_file.flush()


class Staff(HttpUser):
    abstract = True
    role = ""
    wait_time = between(*THINK)

    def on_start(self):
        with _accounts_lock:
            self.username = next(_accounts[self.role])
        self.targets = TARGETS["users"][self.username]
        token = self.csrf("/login/", "ログイン画面")
        with self.client.post(
            "/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="ログイン",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"ログインできません: {response.status_code}")
        global _started_users
        _started_users += 1
        if USERS and DURATION and _started_users == USERS:
            gevent.spawn_later(DURATION, self.environment.runner.quit)

    def csrf(self, url: str, name: str) -> str:
        with self.client.get(url, name=name, catch_response=True) as response:
            found = CSRF.search(response.text)
            if response.status_code != 200 or not found:
                response.failure(f"{response.status_code}、フォームがありません")
                return ""
            return found.group(1)

    def page(self, url: str, name: str, *, must_contain: str = "", **kwargs):
        with self.client.get(url, name=name, catch_response=True, **kwargs) as response:
            if response.status_code != 200:
                response.failure(f"状態 {response.status_code}")
            elif must_contain and must_contain not in response.text:
                response.failure(f"「{must_contain}」がありません")

    # What every role does.

    @task(10)
    def dashboard(self):
        self.page("/", "ダッシュボード")

    @task(12)
    def case_list(self):
        status = random.choice(["", "", "reviewed", "monitoring", "closed"])
        self.page(f"/cases/?status={status}" if status else "/cases/", "事例一覧")

    @task(8)
    def case_search(self):
        # Typing in the search box: htmx asks for the results part only.
        words = random.choice(["2024", "2025-", "B0", str(random.randint(1, 20)).zfill(3)])
        self.page(f"/cases/?q={words}", "事例一覧（検索）", headers={"HX-Request": "true"})

    @task(20)
    def case_detail(self):
        self.page(f"/cases/{random.choice(self.targets['cases'])}/", "事例")

    @task(10)
    def review_record(self):
        self.page(
            f"/reviews/{random.choice(self.targets['reviews'])}/",
            "事例検討の記録",
            must_contain='value="advice"',
        )

    @task(4)
    def add_advice(self):
        review = random.choice(self.targets["recent_reviews"])
        url = f"/reviews/{review}/"
        token = self.csrf(url, "事例検討の記録")
        with self.client.post(
            url,
            {
                "csrfmiddlewaretoken": token,
                "form": "advice",
                "adviser_name": "負荷 試験",
                "profession": random.choice(["physiotherapist", "dietitian", "pharmacist"]),
                "text": "立ち上がりの練習を毎日の習慣にする。",
            },
            name="助言の保存（POST）",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or not response.headers.get("Location", "").endswith(
                url
            ):
                response.failure(f"状態 {response.status_code}")

    @task(2)
    def case_list_xlsx(self):
        with self.client.get(
            "/cases/export.xlsx", name="事例一覧 Excel", catch_response=True
        ) as response:
            if response.status_code != 200 or not response.content.startswith(b"PK"):
                response.failure(f"状態 {response.status_code}")


class CenterStaff(Staff):
    weight = 4
    role = "center_staff"

    @task(8)
    def meeting_list(self):
        self.page(f"/meetings/?fy={random.choice([2024, 2025])}", "会議一覧")

    @task(8)
    def meeting_detail(self):
        self.page(f"/meetings/{random.choice(self.targets['meetings'])}/", "会議")

    @task(3)
    def schedule_matrix(self):
        self.page(f"/reports/schedule/?fy={random.choice([2024, 2025])}", "開催状況（一覧表）")

    @task(3)
    def statistics(self):
        self.page(f"/reports/meetings/?fy={random.choice([2024, 2025])}", "統計")


class CareManager(Staff):
    weight = 1
    role = "care_manager"
