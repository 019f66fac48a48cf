"""Soak run: staff keep saving while the server is killed (SIGKILL) and restarted; then check
that nothing acknowledged was lost and nothing was half written.

    .venv/bin/pip install -e '.[bench]'      # requests comes with locust
    .venv/bin/python bench/soak.py           # 3 minutes, 4 clients, killed 3 times
    .venv/bin/python bench/soak.py --duration 600 --kills 5 --keep

1. Makes a new PostgreSQL database (tsunagu_bench_soak on 127.0.0.1, user postgres), migrates
   it and adds one municipality with the 松戸市 preset of meeting bodies, a center per client
   and a センター職員 per client (pledges signed for the 年度).
2. Starts gunicorn (3 sync workers, DEBUG=0) and lets each client log in and repeat, without
   pause, what a center does with a case, every step over HTTP with the CSRF token:
   schedule a 地域個別ケア会議 → create a case (with 2 care-plan services and a row of the
   課題整理総括表) → submit it → mark it ready → put it on the meeting's agenda → record the
   support policy (one save: the policy, the case's status, the 3- and 6-month follow-ups and
   the audit entry) → add 2 advice and an action → edit the case (its text, care plan and
   課題整理総括表 together). Each write carries a unique token. A write is acknowledged
   when the server answered with its redirect (or, for moves, the page saying it was done).
3. Kills gunicorn and all its workers with SIGKILL at evenly spaced moments, restarts it 2
   seconds later. A client whose request failed waits for the server and starts a new case;
   the failed write is "in flight": it may or may not have been saved, but never half.
4. Stops, then checks in the database:
   - every acknowledged write is there (and each at most once);
   - every write in flight is there completely or not at all;
   - no half-written records: a recorded review has its follow-ups and its case moved on;
     every case has its care plan and 課題整理総括表 row; a case's text, care plan and
     課題整理総括表 carry the same edit's token; the case's version matches the changes the
     audit log records; every meeting, case, advice and action has its audit entry and
     every such entry its row;
   - the audit log's hash chain verifies (manage.py verify_audit).
   Prints the figures; exit code 1 if any check failed. The database is dropped unless --keep.
"""

import argparse
import collections
import datetime
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
SERVER = "postgres://postgres@127.0.0.1:5432"
PASSWORD = "soak-staff-password-2026"
REVIEW_BODY = "地域個別ケア会議"


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=180, help="seconds (default 180)")
    parser.add_argument("--kills", type=int, default=3, help="SIGKILLs, evenly spaced")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--database", default="tsunagu_bench_soak")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args()


# The database and the rows the clients start from.


def recreate_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def set_up(clients: int) -> dict:
    """Migrate; one municipality, a center and a センター職員 per client. Returns what the
    clients need: usernames, their center ids, the review body's id."""
    from django.core.management import call_command
    from django.utils import timezone

    from tsunagu.accounts.models import Membership, Role, User
    from tsunagu.confidentiality.models import PledgeScope, PrivacySettings
    from tsunagu.confidentiality.services import policy_for_signing
    from tsunagu.lib.fiscal import fiscal_year
    from tsunagu.meetings.models import MeetingType, Pledge
    from tsunagu.meetings.presets import load_preset
    from tsunagu.organizations.models import Area, Center, Municipality
    from tsunagu.organizations.validators import municipality_check_digit

    call_command("migrate", verbosity=0)
    code = "13997" + str(municipality_check_digit("13997"))
    municipality = Municipality.objects.create(code=code, name="耐久テスト市", prefecture="13")
    admin = User.objects.create_user("soak-admin", password=PASSWORD, full_name="耐久 管理者")
    Membership.objects.create(user=admin, municipality=municipality, role=Role.CITY_ADMIN)
    load_preset(municipality=municipality, key="matsudo", by=admin)
    PrivacySettings.objects.create(
        municipality=municipality, pledge_scope=PledgeScope.PER_FISCAL_YEAR
    )
    policy = policy_for_signing(municipality)
    this_year = fiscal_year(timezone.localdate())
    users = []
    for n in range(clients):
        area = Area.objects.create(municipality=municipality, name=f"耐久圏域{n}", sort_order=n)
        center = Center.objects.create(
            municipality=municipality, name=f"耐久第{n}地域包括支援センター", area=area
        )
        user = User.objects.create_user(
            f"soak-staff-{n}", password=PASSWORD, full_name=f"耐久 職員{n}"
        )
        Membership.objects.create(
            user=user, municipality=municipality, role=Role.CENTER_STAFF, center=center
        )
        for year in (this_year, this_year + 1):
            Pledge.objects.create(
                municipality=municipality,
                policy_version=policy,
                fiscal_year=year,
                user=user,
                signer_name=user.full_name,
                affiliation=center.name,
                method="online",
            )
        users.append((user.username, center.pk))
    body = MeetingType.objects.get(municipality=municipality, name=REVIEW_BODY)
    assert body.reviews_cases and body.follow_up_intervals == [3, 6]
    return {"users": users, "body": body.pk}


# The server.


class Server:
    def __init__(self, args, env, log_path: Path):
        self.args, self.env, self.log_path = args, env, log_path
        self.process = None
        self.log = log_path.open("a")
        self.down = threading.Event()  # set while the server is being killed or restarted

    @property
    def url(self):
        return f"http://127.0.0.1:{self.args.port}"

    def start(self):
        import requests

        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "tsunagu.wsgi",
                "--bind",
                f"127.0.0.1:{self.args.port}",
                "--workers",
                str(self.args.workers),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,  # its own process group: killpg reaches every worker
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/healthz", timeout=5).status_code == 200:
                    self.down.clear()
                    return
            except requests.RequestException:
                time.sleep(0.2)
        raise SystemExit(f"gunicorn が起動しませんでした（{self.log_path}）")

    def kill(self):
        """SIGKILL to the master and every worker at once: no worker finishes its request."""
        self.down.set()
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


# The clients.


class InFlight(Exception):
    """The request got no answer (the server was killed): the write may or may not be saved."""


class NotSent(InFlight):
    """The page before the save got no answer: the save itself was never sent."""


class Unexpected(Exception):
    """The server answered, but not as a successful save does."""


@dataclass
class Workflow:
    client: int
    number: int
    steps: list = field(default_factory=list)  # (step, "ok" | "in_flight", token)
    meeting: int | None = None
    case: int | None = None
    review: int | None = None

    def token(self, step: str) -> str:
        # Letters and short numbers only, so that the masking check sees no identifier.
        return f"soak-k{self.client}w{self.number}-{step}"


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
REVIEW_LINK = re.compile(r'href="/reviews/(\d+)/"')
TODAY_PLUS = 7


def case_form(center: int, token: str, reference: str, version: int = 1) -> dict:
    """The case page's form; `token` marks the text, the care plan and the 課題整理総括表."""
    form = {
        "center": str(center),
        "center_reference": reference,
        "care_manager": "",
        "case_type": "independence",
        "age_band": "80",
        "sex": "female",
        "care_level": "care_1",
        "household": "alone",
        "main_diseases": "変形性膝関節症",
        "medication_count": "5",
        "wishes": "自分で買い物に行きたい",
        "question": f"外出の機会を増やすには（{token}）",
        "plan_changed_on": "",
        "version": str(version),
        "services-TOTAL_FORMS": "2",
        "services-INITIAL_FORMS": "0",
        "services-0-service_type": "day_service",
        "services-0-monthly_count": "8",
        "services-0-note": token,
        "services-1-service_type": "home_help_life",
        "services-1-monthly_count": "12",
        "services-1-note": token,
        "assessment-TOTAL_FORMS": "1",
        "assessment-INITIAL_FORMS": "0",
        "assessment-0-item": "shopping",
        "assessment-0-current": "partial",
        "assessment-0-factors": "膝の痛み",
        "assessment-0-prospect": "improve",
        "assessment-0-note": token,
    }
    for name in ("exercise", "oral", "nutrition", "cognition", "social"):
        form[name] = ""
    return form


class Client(threading.Thread):
    def __init__(self, number, username, center, body, server, stop, journal, counts):
        super().__init__(daemon=True)
        self.number, self.username, self.center, self.body = number, username, center, body
        self.server, self.stop_event, self.journal, self.counts = server, stop, journal, counts

    def request(self, method, path, *, data=None, follow=False):
        import requests

        try:
            response = self.session.request(
                method, self.server.url + path, data=data, allow_redirects=follow, timeout=60
            )
        except requests.RequestException as error:
            self.counts["no answer"] += 1
            raise InFlight(str(error)) from error
        self.counts[f"HTTP {response.status_code}"] += 1
        if response.status_code >= 500:  # 502/503 while restarting: no answer from the app
            raise InFlight(f"HTTP {response.status_code}")
        return response

    def get(self, path):
        try:
            return self.request("GET", path)
        except InFlight as error:
            raise NotSent(str(error)) from error

    def csrf(self, path) -> str:
        response = self.get(path)
        found = CSRF.search(response.text)
        if response.status_code != 200 or not found:
            raise Unexpected(f"GET {path}: {response.status_code}")
        return found.group(1)

    def post(self, path, data, *, expect: str = "", follow=False, page: str = ""):
        """POST with the CSRF token of the page the form is on (`page`, or `path` itself).
        Returns the response of an acknowledged save."""
        data = {**data, "csrfmiddlewaretoken": self.csrf(page or path)}
        response = self.request("POST", path, data=data, follow=follow)
        if follow:
            if response.status_code != 200 or expect not in response.text:
                raise Unexpected(f"POST {path}: {response.status_code}, 「{expect}」なし")
        elif response.status_code != 302 or expect not in response.headers.get("Location", ""):
            raise Unexpected(f"POST {path}: {response.status_code}")
        return response

    def step(self, workflow, name, action):
        token = workflow.token(name)
        try:
            result = action(token)
        except NotSent:
            self.counts["not sent"] += 1
            raise
        except InFlight:
            workflow.steps.append((name, "in_flight", token))
            raise
        workflow.steps.append((name, "ok", token))
        return result

    def log_in(self):
        import requests

        self.session = requests.Session()
        while True:
            try:
                token = self.csrf("/login/")
                response = self.request(
                    "POST",
                    "/login/",
                    data={
                        "username": self.username,
                        "password": PASSWORD,
                        "csrfmiddlewaretoken": token,
                    },
                )
                if response.status_code == 302:
                    return
                raise Unexpected(f"ログイン: {response.status_code}")
            except InFlight:
                self.wait_for_server()

    def wait_for_server(self):
        import requests

        while not self.stop_event.is_set():
            if not self.server.down.is_set():
                try:
                    if requests.get(f"{self.server.url}/healthz", timeout=5).status_code == 200:
                        return
                except requests.RequestException:
                    pass
            time.sleep(0.2)

    def run(self):
        self.log_in()
        day = (datetime.date.today() + datetime.timedelta(days=TODAY_PLUS)).isoformat()
        number = 0
        while not self.stop_event.is_set():
            number += 1
            workflow = Workflow(self.number, number)
            self.journal.append(workflow)
            try:
                self.one_case(workflow, day)
            except InFlight:
                self.wait_for_server()
            except Unexpected as error:
                self.counts["unexpected"] += 1
                self.counts[f"unexpected: {error}"] += 1

    def one_case(self, w: Workflow, day: str):
        def schedule(token):
            response = self.post(
                "/meetings/new/",
                {
                    "meeting_type": str(self.body),
                    "center": str(self.center),
                    "date": day,
                    "start_time": "14:00",
                    "end_time": "16:00",
                    "venue": "会議室",
                    "format": "in_person",
                    "theme": token,
                },
                expect="/meetings/",
            )
            return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])

        w.meeting = self.step(w, "meeting", schedule)

        def create(token):
            form = case_form(self.center, token, token)
            response = self.post("/cases/new/", form, expect="/cases/")
            return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])

        w.case = self.step(w, "case", create)
        case_path = f"/cases/{w.case}/"
        for status, label in (("submitted", "提出済"), ("ready", "会議準備完了")):
            self.step(
                w,
                status,
                lambda token, s=status, label=label: self.post(
                    f"{case_path}move/",
                    {"to": s},
                    follow=True,
                    expect=f"「{label}」にしました",
                    page=case_path,
                ),
            )

        def agenda(token):
            self.post(
                f"{case_path}agenda/",
                {"meeting": str(w.meeting)},
                follow=True,
                expect="議題に載せました",
                page=case_path,
            )

        self.step(w, "agenda", agenda)
        found = REVIEW_LINK.search(self.get(case_path).text)
        if not found:
            raise Unexpected("事例のページに検討の記録へのリンクがありません")
        w.review = int(found.group(1))
        review_path = f"/reviews/{w.review}/"
        self.step(
            w,
            "policy",
            lambda token: self.post(
                review_path, {"form": "policy", "support_policy": token}, expect=review_path
            ),
        )
        for name in ("advice1", "advice2"):
            self.step(
                w,
                name,
                lambda token: self.post(
                    review_path,
                    {
                        "form": "advice",
                        "adviser_name": "青木 修",
                        "profession": "physiotherapist",
                        "text": token,
                    },
                    expect=review_path,
                ),
            )
        self.step(
            w,
            "action",
            lambda token: self.post(
                review_path,
                {"form": "action", "responsible_label": "地域包括支援センター", "what": token},
                expect=review_path,
            ),
        )

        def edit(token):
            page = self.get(f"{case_path}edit/")
            found = VERSION.search(page.text)
            if page.status_code != 200 or not found:
                raise Unexpected(f"GET {case_path}edit/: {page.status_code}")
            form = case_form(self.center, token, w.token("case"), version=int(found.group(1)))
            self.post(f"{case_path}edit/", form, expect=case_path)

        self.step(w, "edit", edit)


# The checks.

STEPS = [
    "meeting",
    "case",
    "submitted",
    "ready",
    "agenda",
    "policy",
    "advice1",
    "advice2",
    "action",
    "edit",
]
STATUS_AFTER = {"case": "draft", "submitted": "submitted", "ready": "ready", "policy": "reviewed"}


def check(journal: list[Workflow], municipality_code: str) -> tuple[list[str], dict]:
    """Returns (problems, figures)."""
    from django.db.models import Count

    from tsunagu.audit.models import AuditEntry
    from tsunagu.audit.verification import verify_database
    from tsunagu.cases.models import Action, Advice, AssessmentRow, Case, CaseReview, FollowUp
    from tsunagu.meetings.models import Meeting

    problems: list[str] = []
    figures = collections.Counter()

    def present(step, token, w) -> int:
        """How many times the write of `step` with `token` is in the database."""
        if step == "meeting":
            return Meeting.objects.filter(theme=token).count()
        if step == "case":
            return Case.objects.filter(center_reference=token).count()
        if step in ("submitted", "ready"):
            return int(
                Case.objects.filter(pk=w.case).exists()
                and AuditEntry.objects.filter(
                    action="case.moved", target_id=str(w.case), data__status=step
                ).exists()
            )
        if step == "agenda":
            return CaseReview.objects.filter(case_id=w.case, meeting_id=w.meeting).count()
        if step == "policy":
            return CaseReview.objects.filter(pk=w.review, support_policy=token).count()
        if step.startswith("advice"):
            return Advice.objects.filter(text=token).count()
        if step == "action":
            return Action.objects.filter(what=token).count()
        if step == "edit":
            return Case.objects.filter(pk=w.case, question__contains=f"（{token}）").count()
        raise ValueError(step)

    for w in journal:
        for step, outcome, token in w.steps:
            found = present(step, token, w)
            figures[f"{outcome}:{step}"] += 1
            if outcome == "ok" and found != 1:
                problems.append(f"確認済みの書き込みが{found}件: {token}")
            if outcome == "in_flight":
                figures["in_flight_saved" if found else "in_flight_not_saved"] += 1
                if found > 1:
                    problems.append(f"途中の書き込みが{found}件: {token}")
        ok = [step for step, outcome, _ in w.steps if outcome == "ok"]
        flying = [step for step, outcome, _ in w.steps if outcome == "in_flight"]
        status_steps = [s for s in ok if s in STATUS_AFTER]
        if w.case and status_steps:
            allowed = {STATUS_AFTER[status_steps[-1]]} | {
                STATUS_AFTER[s] for s in flying if s in STATUS_AFTER
            }
            status = Case.objects.get(pk=w.case).status
            if status not in allowed:
                problems.append(f"事例 {w.case} の状態 {status}（あり得るのは {allowed}）")

    # Half-written records, over everything in the database (acknowledged or not).
    cases = Case.objects.filter(municipality__code=municipality_code)
    for review in CaseReview.objects.filter(case__in=cases).select_related(
        "case", "meeting__meeting_type"
    ):
        months = sorted(review.follow_ups.values_list("months_after", flat=True))
        if review.reviewed_at and months != review.meeting.meeting_type.follow_up_intervals:
            problems.append(f"検討の記録 {review.pk}: モニタリング {months}")
        if review.reviewed_at and review.case.status in ("draft", "submitted", "ready"):
            problems.append(f"検討の記録 {review.pk}: 事例の状態が {review.case.status} のまま")
        if not review.reviewed_at and months:
            problems.append(f"検討の記録 {review.pk}: 未記録なのにモニタリングがある")
    figures["cases"] = cases.count()
    for case in cases.prefetch_related("services", "assessment"):
        notes = {s.note for s in case.services.all()} | {a.note for a in case.assessment.all()}
        if len(case.services.all()) != 2 or len(case.assessment.all()) != 1:
            problems.append(
                f"事例 {case.pk}: ケアプラン {len(case.services.all())}行・"
                f"課題整理総括表 {len(case.assessment.all())}行（作成が途中）"
            )
        elif len(notes) != 1 or f"（{notes.pop()}）" not in case.question:
            problems.append(f"事例 {case.pk}: 本文とケアプラン・課題整理総括表が別の保存のもの")
        # Each save of the case, move and recorded review (always from 会議準備完了 here)
        # moves the version on by one, in the same transaction as its audit entry.
        changes = AuditEntry.objects.filter(
            target_id=str(case.pk),
            target_type="cases.case",
            action__in=["case.updated", "case.moved", "case.reviewed"],
        ).count()
        if case.version != 1 + changes:
            problems.append(f"事例 {case.pk}: 版 {case.version}、監査ログの変更 {changes}件")

    def audit_targets(action, target_type):
        return set(
            AuditEntry.objects.filter(action=action, target_type=target_type).values_list(
                "target_id", flat=True
            )
        )

    meetings = Meeting.objects.filter(municipality__code=municipality_code)
    pairs = [
        ("会議", {str(pk) for pk in meetings.values_list("pk", flat=True)},
         audit_targets("meeting.scheduled", "meetings.meeting")),
        ("事例", {str(pk) for pk in cases.values_list("pk", flat=True)},
         audit_targets("case.created", "cases.case")),
    ]  # fmt: skip
    for label, rows, logged in pairs:
        if rows != logged:
            problems.append(
                f"{label}: 監査ログのない行 {sorted(rows - logged)[:5]}、"
                f"行のない監査ログ {sorted(logged - rows)[:5]}"
            )
    for action, model, label in (
        ("case.advice_added", Advice, "助言"),
        ("case.action_added", Action, "役割分担"),
    ):
        rows = dict(
            model.objects.filter(review__case__in=cases)
            .values_list("review__case_id")
            .annotate(n=Count("id"))
        )
        logged = dict(
            AuditEntry.objects.filter(action=action)
            .values_list("target_id")
            .annotate(n=Count("id"))
        )
        if {str(k): v for k, v in rows.items()} != logged:
            problems.append(f"{label}: 行の数と監査ログの数が合いません")
    figures["meetings"] = meetings.count()
    figures["reviews"] = CaseReview.objects.filter(case__in=cases).count()
    figures["follow_ups"] = FollowUp.objects.filter(review__case__in=cases).count()
    figures["advice"] = Advice.objects.filter(review__case__in=cases).count()
    figures["actions"] = Action.objects.filter(review__case__in=cases).count()
    figures["assessment_rows"] = AssessmentRow.objects.filter(case__in=cases).count()
    verified = verify_database()
    figures["audit_entries"] = verified.count
    for problem in verified.problems:
        problems.append(f"監査ログ: {problem}")
    return problems, figures


def main():
    args = arguments()
    out = ROOT / "var" / "bench" / "soak" / time.strftime("%Y%m%d-%H%M%S")
    out.mkdir(parents=True, exist_ok=True)
    url = f"{SERVER}/{args.database}"
    recreate_database(args.database)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from tsunagu.organizations.models import Municipality

    setup = set_up(args.clients)
    code = Municipality.objects.get(name="耐久テスト市").code
    connections.close_all()

    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),  # the same across restarts: sessions survive
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REQUEST_LOG": "1",
    }
    server = Server(args, env, out / "gunicorn.log")
    stop = threading.Event()
    journal: list[Workflow] = []
    counts = collections.Counter()
    load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    started = time.monotonic()
    kills = []
    try:
        server.start()
        clients = [
            Client(n, username, center, setup["body"], server, stop, journal, counts)
            for n, (username, center) in enumerate(setup["users"])
        ]
        for client in clients:
            client.start()
        moments = [args.duration * (k + 1) / (args.kills + 1) for k in range(args.kills)]
        for moment in moments:
            time.sleep(max(0, started + moment - time.monotonic()))
            server.kill()
            killed_at = time.monotonic() - started
            time.sleep(2)
            server.start()
            kills.append((killed_at, time.monotonic() - started))
        time.sleep(max(0, started + args.duration - time.monotonic()))
        stop.set()
        for client in clients:
            client.join(120)
    finally:
        stop.set()
        server.stop()
    elapsed = time.monotonic() - started
    load_after = " ".join(Path("/proc/loadavg").read_text().split()[:3])

    problems, figures = check(journal, code)
    call_command("verify_audit", stdout=(out / "verify_audit.txt").open("w"))
    verify_text = (out / "verify_audit.txt").read_text(encoding="utf-8").strip()

    acked = sum(v for k, v in figures.items() if k.startswith("ok:"))
    flying = sum(v for k, v in figures.items() if k.startswith("in_flight:"))
    complete = sum(
        len(w.steps) == len(STEPS) and all(o == "ok" for _, o, _ in w.steps) for w in journal
    )
    print(f"耐久試験: {elapsed:.0f}秒、クライアント {args.clients}、sync ワーカー {args.workers}")
    print(f"load average（1・5・15分）: 開始前 {load_before} → 終了時 {load_after}")
    for n, (killed, back) in enumerate(kills, 1):
        print(f"SIGKILL {n}回目: {killed:.0f}秒目、{back:.0f}秒目に再開")
    shown = sorted(k for k in counts if not k.startswith("unexpected:"))
    print("HTTP: " + "、".join(f"{k} {counts[k]:,}" for k in shown))
    for k, v in counts.items():
        if k.startswith("unexpected:"):
            print(f"  想定外の応答: {k[12:]}（{v}件）")
    print(f"事例の流れ: {len(journal)}件（{len(STEPS)}の書き込みすべて確認済み {complete}件）")
    print(f"確認済みの書き込み: {acked:,}件（すべてデータベースにあるかを確認）")
    for step in STEPS:
        print(
            f"  {step}: 確認済み {figures[f'ok:{step}']}、応答なし {figures[f'in_flight:{step}']}"
        )
    print(
        f"送ったが応答のなかった書き込み: {flying}件"
        f"（保存されていた {figures['in_flight_saved']}件、"
        f"されていなかった {figures['in_flight_not_saved']}件）"
    )
    print(
        f"データベース: 会議 {figures['meetings']}、事例 {figures['cases']}、"
        f"検討 {figures['reviews']}、モニタリング {figures['follow_ups']}、"
        f"助言 {figures['advice']}、役割分担 {figures['actions']}、"
        f"監査ログ {figures['audit_entries']:,}件"
    )
    print(f"verify_audit: {verify_text}")
    if problems:
        print(f"問題 {len(problems)}件:")
        for problem in problems[:50]:
            print(f"  {problem}")
    else:
        print("問題なし: 確認済みの書き込みはすべてあり、途中で書きかけの記録はありません。")
    print(f"記録: {out.relative_to(ROOT)}/")
    connections.close_all()
    if not args.keep:
        drop_database(args.database)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
