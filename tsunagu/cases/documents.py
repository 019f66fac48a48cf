"""Printed documents of a case: the 事例提供シート and the 会議録 as PDF, and the work list
as XLSX. Views fetch the rows through cases.access; this module only lays them out."""

from django.utils import timezone

from tsunagu.lib.downloads import render_pdf
from tsunagu.lib.tabular import XlsxBook
from tsunagu.lib.wareki import format_wareki

from .models import Case, CaseReview

# The work list export holds what the work list page shows to anyone in scope, and nothing
# that describes the person (no age, sex, care level, household or free text): that is case
# content, behind the 誓約書.
WORK_LIST_COLUMNS = ["事例番号", "状態", "センター", "事例の種類", "更新日"]


def case_sheet_pdf(case: Case) -> bytes:
    """事例提供シート: what the case's preparers bring to the meeting, without names."""
    return render_pdf(
        "cases/case_sheet_pdf.html",
        {
            "case": case,
            "plan": list(case.services.all()),
            "assessment": list(case.assessment.all()),
            "printed_on": format_wareki(timezone.localdate()),
        },
    )


def meeting_record_pdf(review: CaseReview) -> bytes:
    """会議録 of one case review: the meeting, the agreed policy, advice and actions."""
    meeting = review.meeting
    return render_pdf(
        "cases/meeting_record_pdf.html",
        {
            "review": review,
            "case": review.case,
            "meeting": meeting,
            "meeting_date": format_wareki(meeting.date),
            "advice": list(review.advice.all()),
            "actions": [
                (action, format_wareki(action.due_on) if action.due_on else "")
                for action in review.actions.select_related("responsible")
            ],
            "printed_on": format_wareki(timezone.localdate()),
        },
    )


def work_list_rows(cases) -> list[list]:
    """One row per case; `cases` should have `center` selected."""
    return [
        [
            case.code,
            case.get_status_display(),
            case.center.name,
            case.get_case_type_display(),
            timezone.localtime(case.updated_at).date(),
        ]
        for case in cases
    ]


def work_list_xlsx(cases) -> bytes:
    book = XlsxBook()
    sheet = book.sheet("事例")
    sheet.header(WORK_LIST_COLUMNS)
    for row in work_list_rows(cases):
        sheet.append(row)[-1].number_format = "yyyy-mm-dd"  # the last column: 更新日
    sheet.widths([22, 14, 28, 34, 12])
    sheet.freeze("A2")
    return book.to_bytes()
