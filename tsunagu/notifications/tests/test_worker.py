"""With a real worker process and a real SMTP server on loopback (marker `worker`; these also
run in the normal suite): an invitation arrives with an .ics that icalendar reads as
METHOD:REQUEST, a reminder arrives once across a worker restart, and a killed worker's task
is run again or, after its last attempt, fails with a Japanese message.

The worker is `manage.py db_worker` (or run_worker, db_worker with recovery) in its own
process, so it needs a database it can open: on SQLite a migrated file made for these tests,
on PostgreSQL the test database itself (the test commits, and the database is emptied after).
The steps that write are run in their own process too (scenario.py), the same on both."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from icalendar import Calendar

from tsunagu.notifications.tests.mailcheck import leaks, message_text

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PYTHON = sys.executable
MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
PATIENCE = 90  # seconds a step may take on a busy machine before the test gives up


class Inbox:
    """An SMTP server's handler keeping what it receives."""

    def __init__(self):
        self.received: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[bytes]:
        return [content for recipients, content in self.received if address in recipients]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    path = tmp_path_factory.mktemp("worker-db") / "template.sqlite3"
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}
    subprocess.run([PYTHON, MANAGE, "migrate", "--noinput", "-v", "0"], env=environment, check=True)
    return path


@pytest.fixture
def database_url(request, tmp_path):
    if connection.vendor == "sqlite":
        path = tmp_path / "worker.sqlite3"
        shutil.copy(request.getfixturevalue("migrated_sqlite"), path)
        return f"sqlite:///{path}"
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return (
        f"postgres://{quote(db['USER'])}{password}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


class Site:
    """The processes of one installation: scenario steps, the schedule and workers."""

    def __init__(self, database_url, smtp, tmp_path):
        self.tmp_path = tmp_path
        self.environment = {
            **os.environ,
            "DATABASE_URL": database_url,
            "EMAIL_DELIVERY": "smtp",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
            "MEDIA_ROOT": str(tmp_path / "media"),
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
        }
        self.workers = []

    def step(self, name, *args):
        code = (
            "from tsunagu.notifications.tests import scenario; "
            f"scenario.{name}(*{json.dumps(list(args))})"
        )
        done = subprocess.run(
            [PYTHON, MANAGE, "shell", "-c", code],
            env=self.environment,
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(done.stdout.strip().splitlines()[-1])

    def manage(self, *args):
        subprocess.run([PYTHON, MANAGE, *args], env=self.environment, check=True)

    def start_worker(self, command="db_worker", **environment):
        log = open(self.tmp_path / f"worker-{len(self.workers)}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(
            [PYTHON, MANAGE, command, "--interval", "0.2", "--no-startup-delay"],
            env={**self.environment, **environment},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.workers.append((process, log))
        return process

    def stop_worker(self, process):
        """As systemd stops it: SIGTERM, and the worker finishes its task first."""
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=PATIENCE)

    def logs(self) -> str:
        return "\n".join(
            path.read_text(errors="replace") for path in self.tmp_path.glob("worker-*.log")
        )

    def wait_until(self, condition, what: str):
        deadline = time.monotonic() + PATIENCE
        while not condition():
            if time.monotonic() > deadline:
                pytest.fail(f"{what}: not within {PATIENCE} s\n{self.logs()}")
            time.sleep(0.2)

    def close(self):
        for process, log in self.workers:
            if process.poll() is None:
                process.kill()
                process.wait()
            log.close()


@pytest.fixture
def site(database_url, smtp, tmp_path):
    site = Site(database_url, smtp, tmp_path)
    yield site
    site.close()


def calendar_part(raw: bytes) -> Calendar:
    import email
    import email.policy

    message = email.message_from_bytes(raw, policy=email.policy.default)
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return Calendar.from_ical(part.get_content())
    raise AssertionError("no text/calendar part")


def test_an_invitation_arrives_by_smtp_with_an_ics_request(site, smtp):
    address = "invited@example.jp"
    meeting = site.step("invite", "910001", address)["meeting"]
    worker = site.start_worker()
    site.wait_until(lambda: smtp.to(address), "the invitation")
    site.stop_worker(worker)
    (raw,) = smtp.to(address)
    calendar = calendar_part(raw)
    assert calendar["METHOD"] == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == f"meeting-{meeting}@tsunagu"
    assert "市役所 3階 会議室" in str(event["LOCATION"])
    text = message_text(raw)
    assert "会議のご案内" in text and "/notifications/unsubscribe/" in text
    assert leaks(text, set(site.step("recorded_texts"))) == []


def test_the_reminder_arrives_once_across_a_worker_restart(site, smtp):
    address = "reminded@example.jp"
    site.step("meeting_in_two_days", "910002", address)
    site.manage("run_periodic")  # queued while no worker runs: kept until one does
    first = site.start_worker()
    site.wait_until(lambda: smtp.to(address), "the reminder")
    site.stop_worker(first)
    site.manage("run_periodic")  # the schedule runs again
    site.step("resend", address, "reminder")  # and the send task itself runs twice
    second = site.start_worker()
    site.wait_until(lambda: site.step("pending_tasks") == 0, "the queue emptied")
    site.stop_worker(second)
    reminders = [raw for raw in smtp.to(address) if "開催前のお知らせ" in message_text(raw)]
    assert len(reminders) == 1
    assert leaks(message_text(reminders[0]), set(site.step("recorded_texts"))) == []


def test_a_killed_workers_task_runs_again_on_the_next_worker(site, tmp_path):
    folder = tmp_path / "hold"
    folder.mkdir()
    task = site.step("enqueue_hold", str(folder))["id"]
    doomed = site.start_worker("run_worker")
    site.wait_until(lambda: (folder / "started").exists(), "the task started")
    doomed.kill()  # SIGKILL: no chance to tidy up
    doomed.wait()
    assert site.step("task_state", task)["status"] == "RUNNING"
    (folder / "release").touch()
    rescuer = site.start_worker("run_worker")
    site.wait_until(lambda: site.step("task_state", task)["status"] != "RUNNING", "recovery")
    site.wait_until(
        lambda: site.step("task_state", task)["status"] == "SUCCESSFUL", "the second run"
    )
    site.stop_worker(rescuer)
    state = site.step("task_state", task)
    assert state["attempts"] == 2 and state["return_value"] == "finished"
    assert (folder / "started").read_text() == "xx"


def test_a_killed_workers_task_fails_in_japanese_after_its_last_attempt(site, tmp_path):
    folder = tmp_path / "hold"
    folder.mkdir()
    task = site.step("enqueue_hold", str(folder))["id"]
    doomed = site.start_worker("run_worker", TASK_MAX_ATTEMPTS="1")
    site.wait_until(lambda: (folder / "started").exists(), "the task started")
    doomed.kill()
    doomed.wait()
    rescuer = site.start_worker("run_worker", TASK_MAX_ATTEMPTS="1")
    site.wait_until(lambda: site.step("task_state", task)["status"] == "FAILED", "giving up")
    site.stop_worker(rescuer)
    state = site.step("task_state", task)
    assert "作業プロセスが停止したため、1回試して中止しました" in state["message"]
    assert (folder / "started").read_text() == "x"
