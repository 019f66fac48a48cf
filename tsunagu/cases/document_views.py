"""Downloads of case documents, each behind the same gate as the page it comes from."""

from django.utils import timezone

from tsunagu.audit.services import record
from tsunagu.lib.downloads import attachment
from tsunagu.lib.gate import member_required

from . import access, documents
from .choices import CaseStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@member_required("meetings.view")
def case_sheet_pdf(request, pk):
    """事例提供シート: scope 404, then the content rule (pledge) 403, as the case page."""
    case = access.open_case(
        request, pk, action="case.printed", summary="事例提供シート", document="case_sheet"
    ).case
    body = documents.case_sheet_pdf(case)
    return attachment(body, "application/pdf", f"case_sheet_{case.code}.pdf")


@member_required("meetings.view")
def meeting_record_pdf(request, pk):
    """会議録 of one case review, gated by the review's case."""
    review = access.open_review(
        request, pk, action="case.printed", summary="会議録", document="meeting_record"
    )
    body = documents.meeting_record_pdf(review)
    return attachment(body, "application/pdf", f"meeting_record_{review.pk}.pdf")


@member_required("meetings.view")
def case_list_xlsx(request):
    """The work list as XLSX, with the list's filters. Coded columns only, no free text,
    so no 誓約書 is needed (the same rows the work list shows to anyone in scope)."""
    cases = access.cases_visible_to(request.member).select_related("center")
    q = request.GET.get("q", "")
    cases = access.search_cases(request.member, cases, q)
    status = request.GET.get("status", "")
    if status in CaseStatus.values:
        cases = cases.filter(status=status)
    cases = list(cases)
    body = documents.work_list_xlsx(cases)
    record(
        "report.exported",
        request=request,
        summary=f"事例ワークリスト（xlsx・{len(cases)}件）",
        report="case_list",
        status=status,
        searched=bool(q),  # Not the words typed: they could be anything.
        count=len(cases),
    )
    return attachment(body, XLSX, f"cases_{timezone.localdate():%Y%m%d}.xlsx")
