"""A large import saved by a real worker process (marker `worker`, as the notification worker
tests): `manage.py db_worker` in its own process picks up the confirmed import, saves every
row, writes one audit entry, and removes the staged file."""

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings

from tsunagu.notifications.tests.test_worker import (  # noqa: F401 (fixtures)
    MANAGE,
    PATIENCE,
    PYTHON,
    database_url,
    migrated_sqlite,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_worker_process_saves_a_large_import_once(database_url, tmp_path):  # noqa: F811
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "UPLOAD_STAGING_DIR": str(tmp_path / "staging"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
    }

    def step(name, *args):
        code = (
            "from tsunagu.tests import import_scenario; "
            f"import_scenario.{name}(*{json.dumps(list(args))})"
        )
        done = subprocess.run(
            [PYTHON, MANAGE, "shell", "-c", code],
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(done.stdout.strip().splitlines()[-1])

    queued = step("confirmed_import", "920001", 2500)
    staged = Path(environment["UPLOAD_STAGING_DIR"]) / queued["file"]
    assert staged.is_file()
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115
    worker = subprocess.Popen(
        [PYTHON, MANAGE, "db_worker", "--interval", "0.2", "--no-startup-delay"],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + PATIENCE
        while (now := step("outcome", queued["task"], queued["municipality"]))["status"] in (
            "READY",
            "RUNNING",
        ):
            if time.monotonic() > deadline:
                pytest.fail((tmp_path / "worker.log").read_text(errors="replace"))
            time.sleep(0.5)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=PATIENCE)
        log.close()
    assert now["status"] == "SUCCESSFUL", (tmp_path / "worker.log").read_text(errors="replace")
    assert now["value"] == {
        "ok": True,
        "count": 2500,
        "message": "2500件の会議を取り込みました。",
    }
    assert now["meetings"] == 2500 and now["audited"] == 1
    assert not staged.exists()
    assert settings.IMPORT_BACKGROUND_ROWS < 2500  # the page would have sent it here too
