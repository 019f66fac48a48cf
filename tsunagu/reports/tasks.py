"""Background tasks of the reports app (run by `manage.py run_worker`; see lib/background.py)."""

import datetime

from django_tasks import task

from tsunagu.accounts.models import Membership
from tsunagu.lib.background import save_output, write_progress
from tsunagu.lib.wareki import format_wareki

from . import exports
from .meetings import schedule_matrix


@task(takes_context=True)
def schedule_matrix_pdf(
    context, municipality_id: int, membership_id: int, start: str, end: str, fy: int | None
) -> dict:
    """The 開催状況 PDF as a file kept for download (about 5 s of layout for 350 centers),
    made with what the member who asked may see."""
    task_id = context.task_result.id
    member = Membership.objects.select_related("municipality").get(
        pk=membership_id, municipality_id=municipality_id
    )
    write_progress(task_id, step="開催状況を集計しています", percent=10)
    begin, finish = datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    matrix = schedule_matrix(member, begin, finish, fiscal_year=fy)
    write_progress(task_id, step="PDFを組版しています", percent=30)
    content = exports.to_pdf(matrix, member.municipality)
    name = f"{exports.pdf_name(matrix)}.pdf"
    save_output(task_id, name, content)
    write_progress(task_id, step="できあがりました", percent=100)
    return {"file": name, "period": f"{format_wareki(begin)}〜{format_wareki(finish)}"}
