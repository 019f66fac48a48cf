"""The only way views reach community issues, proposals and the tags on case reviews.

Issues and proposals are community-level records: every member with issues.view in the
municipality sees them (another municipality's are 404). Their evidence names cases by code
only. The tags sit on case reviews, so tagging goes through the case gate
(cases/access.py): in scope, content allowed, and allowed to change the case.
Text mining reads advice and minutes across many meetings, so it needs issues.mine and a
pledge signed this 年度 (for the year, or for one of its meetings).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tsunagu.cases.access import case_for_user, may_edit
from tsunagu.cases.models import CaseReview
from tsunagu.confidentiality.models import Pledge
from tsunagu.lib.fiscal import fiscal_year, fiscal_year_range

from .models import CommunityIssue, IssueTag, Proposal

NOT_EDITOR = "地域課題を変更する権限がありません。"
NOT_MANAGER = "課題の提起と施策・取組の管理は、市職員と基幹型センターの職員が行います。"


def issues_visible_to(member) -> QuerySet[CommunityIssue]:
    if member is None or not member.may("issues.view"):
        return CommunityIssue.objects.none()
    return CommunityIssue.objects.filter(municipality_id=member.municipality_id)


def issue_for_user(member, pk, *, write: bool = False, manage: bool = False) -> CommunityIssue:
    """One issue of the member's municipality (404 otherwise); write/manage → 403 if not allowed."""
    issue = get_object_or_404(
        issues_visible_to(member).select_related("theme", "area", "escalated_to"), pk=pk
    )
    if write and not member.may("issues.edit"):
        raise PermissionDenied(NOT_EDITOR)
    if manage and not member.may("issues.manage"):
        raise PermissionDenied(NOT_MANAGER)
    return issue


def proposal_for_user(member, pk, *, write: bool = False) -> Proposal:
    proposal = get_object_or_404(
        Proposal.objects.filter(
            municipality_id=member.municipality_id if member else None,
            issue__in=issues_visible_to(member),
        ).select_related("issue", "parent"),
        pk=pk,
    )
    if write and not member.may("issues.manage"):
        raise PermissionDenied(NOT_MANAGER)
    return proposal


def review_for_tagging(member, pk, *, write: bool = False) -> CaseReview:
    """A case review whose tags the member may see (its content is shown next to them) and,
    with write=True, change. Out of scope → 404; no pledge or read-only → 403."""
    review = get_object_or_404(
        CaseReview.objects.select_related(
            "case__center", "meeting__meeting_type", "meeting__municipality"
        ),
        pk=pk,
        case__municipality_id=member.municipality_id if member else None,
    )
    case_for_user(member, review.case_id, write=write)
    if write and not member.may("issues.edit"):
        raise PermissionDenied(NOT_EDITOR)
    return review


def may_tag(member, review) -> bool:
    return member.may("issues.edit") and may_edit(member, review.case)


def tag_for_user(member, pk) -> IssueTag:
    tag = get_object_or_404(
        IssueTag.objects.select_related("review", "theme"),
        pk=pk,
        municipality_id=member.municipality_id if member else None,
    )
    review_for_tagging(member, tag.review_id, write=True)
    return tag


def mining_refusal(member) -> str | None:
    """Why the member may not mine the case records now, or None if they may."""
    if member is None or not member.may("issues.mine"):
        return "テキストマイニングは市職員と基幹型センターの職員が行います。"
    signer = Q(user_id=member.user_id)
    if member.person_id:
        signer |= Q(person_id=member.person_id)
    year = fiscal_year(timezone.localdate())
    this_year = Q(fiscal_year=year) | Q(meeting__date__range=fiscal_year_range(year))
    signed = Pledge.objects.filter(
        signer & this_year, municipality_id=member.municipality_id
    ).exists()
    if not signed:
        return (
            "会議録や助言をまとめて分析するには、今年度の誓約書への署名が必要です"
            "（今年度のいずれかの会議で署名してください）。"
        )
    return None


def require_mining(member) -> None:
    reason = mining_refusal(member)
    if reason:
        raise PermissionDenied(reason)
