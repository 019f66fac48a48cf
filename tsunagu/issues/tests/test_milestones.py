"""Milestones can be changed and marked achieved after they were made (issue 16)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from tsunagu.audit.models import AuditEntry
from tsunagu.issues.models import Milestone, Proposal

from .conftest import new_issue


def _milestone(municipality, area):
    issue = new_issue(municipality, "北部の移動", area=area)
    proposal = Proposal.objects.create(
        municipality=municipality, issue=issue, kind="resource", title="移動支援", owner="課"
    )
    return Milestone.objects.create(
        proposal=proposal, title="協議体で検討", due_on=datetime.date(2026, 9, 1)
    )


def test_it_marks_a_milestone_achieved_from_the_issue_page(city_client, municipality, area):
    milestone = _milestone(municipality, area)
    url = reverse("issues:milestone_edit", args=[milestone.proposal_id, milestone.pk])
    page = city_client.get(reverse("issues:issue_detail", args=[milestone.proposal.issue_id]))
    assert url in page.content.decode() and "達成にする" in page.content.decode()
    city_client.post(url, {"achieve": "1"})
    milestone.refresh_from_db()
    assert milestone.done_on == timezone.localdate()
    assert AuditEntry.objects.filter(action="milestone.updated").exists()


def test_it_moves_a_milestone_and_accepts_wareki(city_client, municipality, area):
    milestone = _milestone(municipality, area)
    url = reverse("issues:milestone_edit", args=[milestone.proposal_id, milestone.pk])
    city_client.post(url, {"title": "協議体で決定", "due_on": "令和8年10月1日", "done_on": ""})
    milestone.refresh_from_db()
    assert (milestone.title, milestone.due_on) == ("協議体で決定", datetime.date(2026, 10, 1))


def test_staff_without_the_right_cannot_change_it(staff_client, municipality, area):
    milestone = _milestone(municipality, area)
    url = reverse("issues:milestone_edit", args=[milestone.proposal_id, milestone.pk])
    assert staff_client.post(url, {"achieve": "1"}).status_code == 403
    milestone.refresh_from_db()
    assert milestone.done_on is None
