"""The pages of a document made by a background task: the page that watches the task and
the download of the file it made (tsunagu.lib.background keeps the file and the progress).

Each app keeps its own gate (who may ask for, watch and download its document) and its own
URL names; what the pages show and how they poll is here and in
templates/includes/document_job.html, the same for every such document.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django_tasks import TaskResultStatus

from .acting import MemberRequest
from .background import failure_message, read_output, read_progress
from .downloads import attachment
from .listing import is_htmx


def job_page(
    request: MemberRequest,
    result: Any,
    *,
    title: str,
    job_url: str,
    download_url: str,
    back_url: str,
    back_label: str,
) -> HttpResponse:
    """The job's page, or only its status part for the page's htmx poll (every 2 s until the
    file is made or the task failed). `job_url` and `download_url` are URL names taking the
    task's id; `back_url` is a path."""
    failed = result.status == TaskResultStatus.FAILED
    context = {
        "title": title,
        "result": result,
        "done": result.status == TaskResultStatus.SUCCESSFUL,
        "failed": failed,
        "progress": read_progress(result.id),
        "error": failure_message(result) if failed else "",
        "job_url": reverse(job_url, args=[result.id]),
        "download_url": reverse(download_url, args=[result.id]),
        "back_url": back_url,
        "back_label": back_label,
    }
    template = "includes/_document_job.html" if is_htmx(request) else "includes/document_job.html"
    return render(request, template, context)


def made_file(result: Any) -> tuple[bytes, dict] | None:
    """The file the task made and its return value, or None while it is not (or no longer,
    after a day) there: the caller then sends the member back to the job's page."""
    value = result.return_value if result.status == TaskResultStatus.SUCCESSFUL else None
    content = read_output(result.id, value["file"]) if value else None
    return (content, value) if content is not None and value else None


def pdf_download(
    result: Any, job_url: str, on_download: Callable[[dict], object] | None = None
) -> HttpResponse:
    """The PDF the task made, as a download; while it is not there, back to the job's page
    (`job_url`, a URL name taking the task's id). `on_download` gets the task's return value
    just before the file goes out: the place for the download's audit entry (or a last check
    of the gate, which may refuse)."""
    made = made_file(result)
    if made is None:
        return redirect(job_url, pk=result.id)
    content, value = made
    if on_download is not None:
        on_download(value)
    return attachment(content, "application/pdf", value["file"])
