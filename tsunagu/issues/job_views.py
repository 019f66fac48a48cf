"""The city-meeting documents PDF made by a background task: ask, watch, download.

The task's result is the job: its first argument is the municipality, checked on every look
so that another municipality's job answers 404 like any other row out of scope."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from tsunagu.audit.services import record
from tsunagu.lib.background import result_of
from tsunagu.lib.document_jobs import job_page, pdf_download
from tsunagu.lib.gate import member_required
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
    return job_page(
        request,
        job_for_member(request, pk),
        title="市の会議の資料（PDF）",
        job_url="issues:city_documents_job",
        download_url="issues:city_documents_job_download",
        back_url=reverse("issues:city_documents"),
        back_label="資料の画面へ戻る",
    )


@member_required("issues.view")
def city_documents_job_download(request, pk):
    return pdf_download(
        job_for_member(request, pk),
        "issues:city_documents_job",
        lambda value: record(
            "issues.documents_exported", request=request, summary=value["period"], format="pdf"
        ),
    )
