"""Background work through Django's Tasks API (the django-tasks backport of Django 6.0).

Callers define tasks with `@task` in their app's tasks.py and start them with
`enqueue_after_commit(task, ...)`: the row a task reads must be committed before a worker
looks for it, and a change rolled back starts nothing. Which backend runs them (the database
and `manage.py run_worker`, or RQ on Redis) is settings only; callers do not change.

A worker that dies mid-task leaves its task 実行中. tsunagu.ops.worker finds such tasks and
runs them again, or, after TASK_MAX_ATTEMPTS, marks them failed and calls the handler the
task's app registered here with `on_abandoned`, so that the app's own job row (e.g. a text
mining job) also ends failed, with WORKER_LOST_MESSAGE.

Downloads made by a task (a PDF) are files under MEDIA_ROOT/jobs/<task id>/, with a small
progress file beside them that the page polls. MEDIA_ROOT is never served directly.
"""

import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django_tasks import default_task_backend
from django_tasks.exceptions import TaskResultDoesNotExist

WORKER_LOST_MESSAGE = (
    "処理中の作業プロセスが停止したため、{attempts}回試して中止しました。"
    "時間をおいてもう一度依頼してください。"
)
FAILED_MESSAGE = "処理に失敗しました。時間をおいてもう一度依頼してください。"


class WorkerLost(Exception):
    """Recorded as the failure of a task whose worker process died each time it ran it."""


_abandoned_handlers: dict[str, Callable] = {}


def on_abandoned(task: Any) -> Callable:
    """Register `handler(task_result)`, called when `task` is given up after its workers died."""

    def register(handler: Callable) -> Callable:
        _abandoned_handlers[task.module_path] = handler
        return handler

    return register


def abandoned_handler(task_path: str) -> Callable | None:
    return _abandoned_handlers.get(task_path)


def enqueue_after_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Queue the task once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs), robust=True)


def result_of(task: Any, municipality_id: int, task_id: object, asked_by: Any = None) -> Any:
    """The result of one run of `task` started for the municipality (its first argument), or
    404: a run of another task or for another municipality answers like a row out of scope.
    `asked_by` (a membership): also 404 unless that member asked for it (its second argument),
    for a document laid out with what its asker may see."""
    try:
        result = default_task_backend.get_result(str(task_id))
    except (TaskResultDoesNotExist, ValueError) as error:
        raise Http404 from error
    if result.task.module_path != task.module_path or result.args[0] != municipality_id:
        raise Http404
    if asked_by is not None and result.args[1] != asked_by.pk:
        raise Http404
    return result


def failure_message(result: Any) -> str:
    """What a page says about a failed task: never the traceback."""
    for error in result.errors:
        if error.exception_class_path.endswith(".WorkerLost"):
            return error.traceback.strip() or FAILED_MESSAGE
    return FAILED_MESSAGE


# -- Files made by tasks ------------------------------------------------------------------------


def job_dir(task_id: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "jobs" / str(task_id)


def write_progress(task_id: str, *, step: str, percent: int) -> None:
    folder = job_dir(task_id)
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / "progress.json.tmp"
    temporary.write_text(json.dumps({"step": step, "percent": percent}), encoding="utf-8")
    temporary.replace(folder / "progress.json")  # readers never see half a file


def read_progress(task_id: str) -> dict:
    try:
        return json.loads((job_dir(task_id) / "progress.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"step": "順番を待っています", "percent": 0}


def save_output(task_id: str, name: str, content: bytes) -> str:
    folder = job_dir(task_id)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(content)
    return name


def read_output(task_id: str, name: str) -> bytes | None:
    path = job_dir(task_id) / Path(name).name
    return path.read_bytes() if path.is_file() else None


def prune_outputs(*, older_than_seconds: int = 24 * 60 * 60) -> int:
    """Delete the files of jobs older than a day (downloads are meant to be fetched soon)."""
    root = Path(settings.MEDIA_ROOT) / "jobs"
    if not root.is_dir():
        return 0
    cutoff = time.time() - older_than_seconds
    removed = 0
    for folder in root.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
