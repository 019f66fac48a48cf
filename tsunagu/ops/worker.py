"""Keeping the database task queue honest: no task stays 実行中 after its worker died.

`manage.py run_worker` is django-tasks-db's `db_worker` with a worker id that names its host
and process ("host:pid") and with `recover_stalled` run when it starts and every minute.
A running task whose worker is a dead process on this host (or, on another host, that has
run longer than TASK_STALE_SECONDS) is put back in the queue, keeping the ids of the workers
that tried it; after TASK_MAX_ATTEMPTS it is marked failed with a Japanese message, and the
handler its app registered with tsunagu.lib.background.on_abandoned is called.

Tasks are written so that running one again is harmless (an email is sent once, a job's
row is rewritten), so "run again" is the right answer to a worker that vanished.
"""

import datetime
import logging
import os
import socket
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tsunagu.lib.background import WORKER_LOST_MESSAGE, WorkerLost, abandoned_handler

logger = logging.getLogger(__name__)


def this_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[-64:]


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: it exists
    return True


def worker_is_gone(worker_id: str, started_at, now) -> bool:
    host, _, pid = worker_id.rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        return not process_alive(int(pid))
    stale = datetime.timedelta(seconds=settings.TASK_STALE_SECONDS)
    return started_at is None or started_at < now - stale


def recover_stalled(*, now=None) -> dict:
    """Requeue or fail the running tasks whose worker is gone. Returns how many of each."""
    now = now or timezone.now()
    counts = {"requeued": 0, "failed": 0}
    for pk in DBTaskResult.objects.running().values_list("pk", flat=True):
        with transaction.atomic():
            row = DBTaskResult.objects.select_for_update().filter(pk=pk).first()
            if row is None or row.status != TaskResultStatus.RUNNING:
                continue
            last = row.worker_ids[-1] if row.worker_ids else ""
            if not worker_is_gone(last, row.started_at, now):
                continue
            attempts = len(row.worker_ids)
            if attempts < settings.TASK_MAX_ATTEMPTS:
                row.status = TaskResultStatus.READY
                row.started_at = None
                row.save(update_fields=["status", "started_at"])
                counts["requeued"] += 1
                logger.warning("task %s requeued: worker %s is gone", row.pk, last)
                continue
            row.set_failed(WorkerLost(WORKER_LOST_MESSAGE.format(attempts=attempts)))
            # The message, not a traceback of this function, is what the pages show.
            row.traceback = WORKER_LOST_MESSAGE.format(attempts=attempts)
            row.save(update_fields=["traceback"])
            counts["failed"] += 1
            logger.warning("task %s failed: worker %s is gone", row.pk, last)
            try:
                import_module(row.task_path.rpartition(".")[0])  # registers its handler
            except ImportError:  # a task removed since: nothing to call
                logger.warning("task %s: %s cannot be imported", row.pk, row.task_path)
            handler = abandoned_handler(row.task_path)
            if handler is not None:
                handler(row.task_result)
    return counts
