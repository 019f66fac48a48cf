"""A task whose worker died is run again, or after the last attempt marked failed."""

import subprocess

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import run_queued_tasks
from tsunagu.issues.models import MiningJob
from tsunagu.issues.tasks import run_mining_job
from tsunagu.ops.worker import recover_stalled, this_worker_id

pytestmark = pytest.mark.django_db


def dead_worker_id() -> str:
    process = subprocess.Popen(["true"])
    process.wait()
    host = this_worker_id().rpartition(":")[0]
    return f"{host}:{process.pid}"


def running(task_result_id, *worker_ids):
    DBTaskResult.objects.filter(pk=task_result_id).update(
        status="RUNNING", started_at=timezone.now(), worker_ids=list(worker_ids)
    )


@pytest.fixture
def mining_job(municipality):
    return MiningJob.objects.create(
        municipality=municipality,
        start=timezone.localdate(),
        end=timezone.localdate(),
        sources=["advice"],
        status=MiningJob.Status.RUNNING,
    )


def test_a_task_of_a_dead_worker_goes_back_to_the_queue(mining_job):
    result = run_mining_job.enqueue(mining_job.pk)
    running(result.id, dead_worker_id())
    assert recover_stalled() == {"requeued": 1, "failed": 0}
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "READY" and len(row.worker_ids) == 1


def test_a_task_of_a_live_worker_is_left_alone(mining_job):
    result = run_mining_job.enqueue(mining_job.pk)
    running(result.id, this_worker_id())
    assert recover_stalled() == {"requeued": 0, "failed": 0}


def test_a_task_of_another_host_is_given_up_only_when_stale(mining_job, settings):
    result = run_mining_job.enqueue(mining_job.pk)
    running(result.id, "other-host:123")
    assert recover_stalled() == {"requeued": 0, "failed": 0}
    later = timezone.now() + timezone.timedelta(seconds=settings.TASK_STALE_SECONDS + 1)
    assert recover_stalled(now=later) == {"requeued": 1, "failed": 0}


def test_after_the_last_attempt_the_task_and_its_mining_job_fail_in_japanese(mining_job, settings):
    settings.TASK_MAX_ATTEMPTS = 2
    result = run_mining_job.enqueue(mining_job.pk)
    running(result.id, dead_worker_id(), dead_worker_id())
    assert recover_stalled() == {"requeued": 0, "failed": 1}
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "FAILED" and "2回試して中止しました" in row.traceback
    mining_job.refresh_from_db()
    assert mining_job.status == MiningJob.Status.FAILED
    assert "作業プロセスが停止" in mining_job.error


def test_a_requeued_mining_job_runs_again_from_the_start(mining_job):
    result = run_mining_job.enqueue(mining_job.pk)
    running(result.id, dead_worker_id())
    recover_stalled()
    assert run_queued_tasks() == 1
    mining_job.refresh_from_db()
    assert mining_job.status == MiningJob.Status.DONE
