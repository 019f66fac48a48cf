"""The city-meeting documents PDF made by a background task: ask, watch, download.

The task's result is the job: its first argument is the municipality, checked on every look
so that another municipality's job answers 404 like any other row out of scope."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django_tasks import TaskResultStatus

from tsunagu.audit.services import record
from tsunagu.lib.background import failure_message, read_output, read_progress, result_of
from tsunagu.lib.downloads import attachment
from tsunagu.lib.gate import member_required
from tsunagu.lib.listing import is_htmx
from tsunagu.lib.period import PeriodForm

from . import tasks


@require_http_methods(["GET", "POST"])
@member_required("issues.view")
def city_documents_pdf(request):
    """GET: what will be made; POST: queue it and go to its page."""
    form = PeriodForm(request.POST or request.GET or None)
    start, end, _fy = form.period()
    if request.method == "POST":
        result = tasks.city_documents_pdf.enqueue(
            request.member.municipality_id, start.isoformat(), end.isoformat()
        )
        return redirect("issues:city_documents_job", pk=result.id)
    return render(
        request, "issues/city_documents_request.html", {"form": form, "start": start, "end": end}
    )


def job_for_member(request, pk):
    return result_of(tasks.city_documents_pdf, request.member.municipality_id, pk)


@member_required("issues.view")
def city_documents_job(request, pk):
    result = job_for_member(request, pk)
    context = {
        "result": result,
        "done": result.status == TaskResultStatus.SUCCESSFUL,
        "failed": result.status == TaskResultStatus.FAILED,
        "progress": read_progress(result.id),
        "error": failure_message(result) if result.status == TaskResultStatus.FAILED else "",
    }
    template = "issues/_documents_job.html" if is_htmx(request) else "issues/documents_job.html"
    return render(request, template, context)


@member_required("issues.view")
def city_documents_job_download(request, pk):
    result = job_for_member(request, pk)
    value = result.return_value if result.status == TaskResultStatus.SUCCESSFUL else None
    content = read_output(result.id, value["file"]) if value else None
    if content is None:
        return redirect("issues:city_documents_job", pk=result.id)
    record("issues.documents_exported", request=request, summary=value["period"], format="pdf")
    return attachment(content, "application/pdf", value["file"])
