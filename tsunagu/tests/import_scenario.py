"""Steps of the import worker test, run in their own process (`manage.py shell -c`) against
the database the worker uses, each printing its answer as JSON on the last line."""

import datetime
import json
import secrets
from pathlib import Path

from django.conf import settings
from django_tasks_db.models import DBTaskResult

from tsunagu.accounts.models import Membership, Role, User
from tsunagu.audit.models import AuditEntry
from tsunagu.lib.tabular.tasks import run_import
from tsunagu.meetings.models import Meeting, MeetingType
from tsunagu.organizations.models import Center, Municipality

FLOW = "tsunagu.meetings.import_views.FLOW"


def answer(value) -> None:
    print(json.dumps(value, ensure_ascii=False, default=str))


def confirmed_import(code: str, rows: int) -> None:
    """A city with a center and a body, and a long-form file of `rows` meetings confirmed
    for import: staged in a temporary file and handed to the task, as the page does."""
    municipality = Municipality.objects.create(code=code, name=f"試験市{code}", prefecture="12")
    Center.objects.create(municipality=municipality, name="本町地域包括支援センター")
    MeetingType.objects.create(
        municipality=municipality,
        name="地域ケア個別会議",
        category="individual",
        level="center",
        host="each_center",
    )
    user = User.objects.create_user(username=f"import{code}", password="x" * 20, full_name="取込")
    member = Membership.objects.create(
        user=user, municipality=municipality, role=Role.CITY_ADMIN, center=None
    )
    lines = ["センター,会議体,開催日"]
    first = datetime.date(2018, 4, 1)  # one meeting a day: no two rows the same meeting
    lines += [f"本町,地域ケア個別会議,{first + datetime.timedelta(days=i)}" for i in range(rows)]
    folder = Path(settings.UPLOAD_STAGING_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.csv"
    (folder / name).write_text("\n".join(lines), encoding="utf-8")
    meta = {"layout": "long", "fiscal_year": None}
    queued = run_import.enqueue(FLOW, municipality.pk, member.pk, name, "meetings.csv", meta)
    answer({"task": str(queued.id), "municipality": municipality.pk, "file": name})


def outcome(task_id: str, municipality_id: int) -> None:
    row = DBTaskResult.objects.get(pk=task_id)
    answer(
        {
            "status": row.status,
            "value": row.return_value if row.status == "SUCCESSFUL" else None,
            "meetings": Meeting.objects.filter(municipality_id=municipality_id).count(),
            "audited": AuditEntry.objects.filter(
                action="meeting.imported", municipality_id=municipality_id
            ).count(),
        }
    )
