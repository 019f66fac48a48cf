"""The only way views reach community issues, proposals and the tags on case reviews.

Issues and proposals are community-level records: every member with issues.view in the
municipality sees them (another municipality's are 404). Their evidence names cases by code
only. The tags sit on case reviews, so tagging goes through the case gate
(cases/access.py): in scope, content allowed, and allowed to change the case.
Text mining needs issues.mine; what it shows follows the case rule (see mining_refusal).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tsunagu.cases.access import may_edit, open_review, review_for_user
from tsunagu.cases.models import CaseReview
from tsunagu.confidentiality.gate import disclose

from . import mining
from .models import CommunityIssue, IssueTag, MiningJob, Proposal

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


def open_review_tags(request, pk, *, write: bool = False) -> CaseReview:
    """A case review's tags and their notes (content recorded at its meeting, shown beside
    its 支援方針 and advice): the case rule for that review, the showing recorded; with
    write=True also allowed to change the case and to record issues."""
    if write and not request.member.may("issues.edit"):
        raise PermissionDenied(NOT_EDITOR)
    return open_review(request, pk, write=write, action="review.tags_viewed")


def may_tag(member, review) -> bool:
    return member.may("issues.edit") and may_edit(member, review.case)


def tag_for_user(member, pk) -> IssueTag:
    tag = get_object_or_404(
        IssueTag.objects.select_related("review", "theme"),
        pk=pk,
        municipality_id=member.municipality_id if member else None,
    )
    review_for_user(member, tag.review_id, write=True)
    if not member.may("issues.edit"):
        raise PermissionDenied(NOT_EDITOR)
    return tag


def mining_refusal(member) -> str | None:
    """Why the member may not mine the records now, or None if they may. Word counts and the
    network cover the whole area and period but show only words found in at least
    mining.MIN_RECORDS records; the texts themselves (KWIC, similar reviews) are filtered by
    the case rule per record, so no pledge is asked here."""
    if member is None or not member.may("issues.mine"):
        return "テキストマイニングは市職員と基幹型センターの職員が行います。"
    return None


def require_mining(member) -> None:
    reason = mining_refusal(member)
    if reason:
        raise PermissionDenied(reason)


def job_for_user(member, pk) -> MiningJob:
    """One mining job of the member's municipality (404 otherwise), for members who mine."""
    job = get_object_or_404(
        MiningJob.objects.select_related("area", "municipality"),
        pk=pk,
        municipality_id=member.municipality_id if member else None,
    )
    require_mining(member)
    return job


# --- The gate for text-mining results: decided per viewer, and recorded ---------------------


def open_mining_job(request, pk) -> tuple[MiningJob, dict | None]:
    """A job and, once done, its result as this member may see it: words found in enough
    records, and only the similar-review groups whose every review they may read."""
    job = job_for_user(request.member, pk)
    if job.status != MiningJob.Status.DONE:
        return job, None
    result = mining.visible_result(request.member, job)
    disclose(
        request,
        "issues.mining_viewed",
        job,
        words=len(result["words"]),
        groups=len(result["groups"]),
        groups_withheld=result["groups_withheld"],
    )
    return job, result


def open_mining_network(request, pk) -> tuple[MiningJob, str | None]:
    """The co-occurrence network's SVG (None until there is one made under the threshold)."""
    job = job_for_user(request.member, pk)
    svg = mining.network_svg(job)
    if svg:
        disclose(request, "issues.network_viewed", job)
    return job, svg


def open_kwic(request, pk, word: str) -> tuple[MiningJob, list]:
    """A word in its contexts, from the texts of the job that this member may read."""
    job = job_for_user(request.member, pk)
    lines = []
    if word and job.status == MiningJob.Status.DONE:
        lines = mining.kwic(job, word, member=request.member)
        disclose(request, "issues.kwic_viewed", job, word=word, lines=len(lines))
    return job, lines
