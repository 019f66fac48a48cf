"""The background task of a large import (run by `manage.py run_worker`; see flow.py)."""

from typing import Any

from django.apps import apps
from django.utils.module_loading import import_string
from django_tasks import task


@task(takes_context=True)
def run_import(
    context: Any,
    flow_path: str,
    municipality_id: int,
    membership_id: int,
    name: str,
    filename: str,
    meta: dict,
) -> dict:
    """Parse the staged file `name` again and save it all or nothing, acting as the member
    who confirmed it (the audit entry names them)."""
    flow = import_string(flow_path)
    # The membership model lives above lib; it is looked up by name, not imported.
    membership = apps.get_model("accounts", "Membership")
    member = membership.objects.select_related("municipality", "user").get(
        pk=membership_id, municipality_id=municipality_id
    )
    return flow.run(context.task_result.id, member, name, filename, meta)
