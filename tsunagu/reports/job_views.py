"""The 開催状況 PDF made by a background task: ask, watch, download.

A PDF whose content has not changed since it was last made is kept
(tsunagu.lib.document_cache) and downloaded at once; otherwise a worker makes it, so that no
web worker lays out (and holds the memory of) a document of dozens of pages. The task's
first argument is the municipality, checked on every look: another municipality's job
answers 404 like any other row out of scope."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tsunagu.audit.services import record
from tsunagu.lib import document_cache
from tsunagu.lib.background import result_of
from tsunagu.lib.document_jobs import job_page, pdf_download
from tsunagu.lib.downloads import attachment
from tsunagu.lib.gate import member_required
from tsunagu.lib.period import PeriodForm

from . import exports, tasks


def kept_or_request(request, matrix, form, fy):
    """The kept PDF if its content is current, else the page that asks for a new one."""
    municipality = request.member.municipality
    html = exports.pdf_html(matrix, municipality)
    kept = document_cache.kept_pdf(municipality.pk, exports.pdf_name(matrix), html)
    if kept is not None:
        log_export(request, matrix.start, matrix.end)
        return attachment(kept, "application/pdf", f"{exports.pdf_name(matrix)}.pdf")
    return render(
        request,
        "reports/schedule_pdf_request.html",
        {"form": form, "start": matrix.start, "end": matrix.end, "fy": fy},
    )


@require_POST
@member_required("meetings.view_all")
def schedule_matrix_pdf(request):
    form = PeriodForm(request.POST or None)
    start, end, fy = form.period()
    result = tasks.schedule_matrix_pdf.enqueue(
        request.member.municipality_id, request.member.pk, start.isoformat(), end.isoformat(), fy
    )
    return redirect("reports:schedule_pdf_job", pk=result.id)


def job_for_member(request, pk):
    return result_of(tasks.schedule_matrix_pdf, request.member.municipality_id, pk)


@member_required("meetings.view_all")
def schedule_pdf_job(request, pk):
    return job_page(
        request,
        job_for_member(request, pk),
        title="開催状況（PDF）",
        job_url="reports:schedule_pdf_job",
        download_url="reports:schedule_pdf_job_download",
        back_url=reverse("reports:schedule_matrix"),
        back_label="開催状況の画面へ戻る",
    )


@member_required("meetings.view_all")
def schedule_pdf_job_download(request, pk):
    result = job_for_member(request, pk)
    return pdf_download(
        result, "reports:schedule_pdf_job", lambda value: log_export(request, *result.args[2:4])
    )


def log_export(request, start, end):
    record(
        "report.exported",
        request=request,
        summary="開催状況（pdf）",
        report="schedule_matrix",
        start=str(start),
        end=str(end),
    )
