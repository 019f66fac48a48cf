"""What the issues app adds to lower apps' pages (tsunagu.lib.panels): the community issues
discussed at a meeting, for members who may see issues (one query, whatever their number)."""

from collections.abc import Mapping
from typing import Any

from .models import IssueDiscussion


def meeting_discussions(page: Mapping[str, Any]) -> dict[str, Any] | None:
    if "issues.view" not in page.get("can", ()):
        return None
    discussed = IssueDiscussion.objects.filter(meeting=page["meeting"]).select_related("issue")
    return {"discussed": list(discussed)}
