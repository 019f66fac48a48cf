"""Background tasks of the centerwork app (run by `manage.py run_worker`; see lib/background.py)."""

import datetime

from django_tasks import task

from tsunagu.accounts.models import Membership
from tsunagu.lib.background import save_output, write_progress

from . import exports, reporting
from .models import month_label


@task(takes_context=True)
def monthly_pdf(context, municipality_id: int, membership_id: int, month: str) -> dict:
    """The city-wide monthly report PDF as a file kept for download, made with the centers the
    member who asked may see (about 0.2 s a page to lay out; the pages grow with the centers)."""
    task_id = context.task_result.id
    member = Membership.objects.select_related("municipality").get(
        pk=membership_id, municipality_id=municipality_id
    )
    write_progress(task_id, step="センターごとの実績を集計しています", percent=10)
    first = datetime.date.fromisoformat(f"{month}-01")
    _statuses, table, title = reporting.monthly_report(member, first)
    write_progress(task_id, step="PDFを組版しています", percent=30)
    content = exports.monthly_pdf(title, table, member.municipality, first)
    name = f"{exports.monthly_pdf_name(first)}.pdf"
    save_output(task_id, name, content)
    write_progress(task_id, step="できあがりました", percent=100)
    return {"file": name, "period": month_label(first)}
