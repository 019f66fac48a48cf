"""Background tasks of the cases app (run by `manage.py run_worker`; see lib/background.py)."""

from django_tasks import task

from tsunagu.accounts.models import Membership
from tsunagu.lib.background import save_output, write_progress
from tsunagu.lib.wareki import format_wareki

from . import access, minutes


@task(takes_context=True)
def meeting_minutes_pdf(context, municipality_id: int, membership_id: int, meeting_id: int) -> dict:
    """The 会議録 PDF of one meeting as a file kept for download, laid out with what the member
    who asked may read. The gate is asked again here (a pledge may have been withdrawn since
    the request); nothing is recorded until the member downloads the file."""
    task_id = context.task_result.id
    member = Membership.objects.select_related("municipality").get(
        pk=membership_id, municipality_id=municipality_id
    )
    write_progress(task_id, step="会議録をまとめています", percent=10)
    room = access.room_unshown(member, meeting_id)
    write_progress(task_id, step="PDFを組版しています", percent=30)
    content = minutes.minutes_pdf(room)
    name = f"{minutes.pdf_name(room)}.pdf"
    save_output(task_id, name, content)
    write_progress(task_id, step="できあがりました", percent=100)
    meeting = room.meeting
    return {"file": name, "period": f"{meeting.meeting_type} {format_wareki(meeting.date)}"}
