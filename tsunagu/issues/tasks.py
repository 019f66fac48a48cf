"""Background tasks of the issues app (run by `manage.py run_worker`; see lib/background.py)."""

import datetime

from django.utils import timezone
from django_tasks import task

from tsunagu.lib.background import WORKER_LOST_MESSAGE, on_abandoned, save_output, write_progress
from tsunagu.organizations.models import Municipality

from . import documents, mining, overview
from .models import MiningJob


@task()
def run_mining_job(job_id: int) -> str:
    return mining.run(job_id).status


@on_abandoned(run_mining_job)
def mining_job_abandoned(result) -> None:
    """The worker died on every attempt: the job ends failed instead of 実行中 forever."""
    MiningJob.objects.filter(
        pk=result.args[0], status__in=[MiningJob.Status.QUEUED, MiningJob.Status.RUNNING]
    ).update(
        status=MiningJob.Status.FAILED,
        error=WORKER_LOST_MESSAGE.format(attempts=result.attempts)[:300],
        finished_at=timezone.now(),
    )


@task(takes_context=True)
def city_documents_pdf(context, municipality_id: int, start: str, end: str) -> dict:
    """資料2・3 as a PDF file kept for download (about 5 s for 350 圏域)."""
    task_id = context.task_result.id
    municipality = Municipality.objects.get(pk=municipality_id)
    write_progress(task_id, step="圏域ごとの検討と課題を集計しています", percent=10)
    docs = overview.city_meeting_documents(
        municipality, datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    )
    write_progress(task_id, step="PDFを組版しています", percent=40)
    content = documents.to_pdf(docs, municipality)
    name = f"city-meeting-{docs.start:%Y%m%d}-{docs.end:%Y%m%d}.pdf"
    save_output(task_id, name, content)
    write_progress(task_id, step="できあがりました", percent=100)
    return {"file": name, "period": documents.period_label(docs)}
