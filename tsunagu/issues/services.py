"""Changes to community issues and proposals: validated, atomic and logged. Every status
change is kept (StatusChange) for the timeline and the feedback to the source cases' staff."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count

from tsunagu.accounts.models import User
from tsunagu.audit.services import record
from tsunagu.lib import events
from tsunagu.lib.acting import MemberRequest
from tsunagu.lib.fiscal import fiscal_year
from tsunagu.organizations.models import Area, Municipality

from . import mining
from .choices import DEFAULT_THEMES, IssueStatus, Level
from .evidence import descendant_ids
from .models import (
    CommunityIssue,
    IssueDiscussion,
    IssueTag,
    Milestone,
    MiningJob,
    Proposal,
    StatusChange,
    Theme,
)


def themes_for(municipality: Municipality) -> list[Theme]:
    """The municipality's themes; the default taxonomy is created on first use."""
    themes = list(Theme.objects.filter(municipality=municipality))
    if not themes:
        Theme.objects.bulk_create(
            [
                Theme(municipality=municipality, name=name, sort_order=index)
                for index, name in enumerate(DEFAULT_THEMES, start=1)
            ],
            ignore_conflicts=True,
        )
        themes = list(Theme.objects.filter(municipality=municipality))
    return themes


def theme_named(municipality: Municipality, name: str) -> Theme | None:
    themes_for(municipality)
    return Theme.objects.filter(municipality=municipality, name=name).first()


@transaction.atomic
def save_theme(*, theme: Theme, by: User, request: MemberRequest | None = None) -> Theme:
    created = theme.pk is None
    theme.full_clean()
    theme.save()
    record("theme.created" if created else "theme.updated", target=theme, by=by, request=request)
    return theme


def _record_status(
    issue: CommunityIssue,
    old: str,
    new: str,
    *,
    by: User,
    proposal: Proposal | None = None,
    note: str = "",
) -> None:
    change = StatusChange.objects.create(
        municipality_id=issue.municipality_id,
        issue=issue,
        proposal=proposal,
        old_status=old,
        new_status=new,
        note=note[:300],
        changed_by=by if getattr(by, "is_authenticated", False) else None,
    )
    events.announce(events.issue_status_changed, change=change)


@transaction.atomic
def open_issue(
    *, issue: CommunityIssue, by: User, request: MemberRequest | None = None, note: str = ""
) -> CommunityIssue:
    """Register a new issue (from the register, a gap in resources, or an escalation)."""
    issue.full_clean()
    issue.save()
    _record_status(issue, "", issue.get_status_display(), by=by, note=note or "登録")
    record("issue.created", target=issue, by=by, request=request, level=issue.level)
    return issue


@transaction.atomic
def update_issue(
    *, issue: CommunityIssue, by: User, request: MemberRequest | None = None, note: str = ""
) -> CommunityIssue:
    """Save edits; a status change is recorded for the timeline and the feedback."""
    issue.full_clean()
    old = CommunityIssue.objects.select_for_update().get(pk=issue.pk)
    issue.save()
    if old.status != issue.status:
        _record_status(
            issue,
            old.get_status_display(),
            issue.get_status_display(),
            by=by,
            note=note,
        )
    record("issue.updated", target=issue, by=by, request=request, status=issue.status)
    return issue


@transaction.atomic
def escalate(
    *,
    issues: list[CommunityIssue],
    into: CommunityIssue,
    by: User,
    request: MemberRequest | None = None,
) -> CommunityIssue:
    """Raise several lower-level issues into one higher-level issue (new or existing).

    The lower issues keep their own evidence and point to the higher one (escalated_to), so
    the lineage can be read both ways; they become 「上位会議へ提起」.
    """
    if not issues:
        raise ValidationError("提起する課題を1つ以上選んでください。")
    if into.pk is None:
        open_issue(issue=into, by=by, request=request, note="下位の課題から提起")
    for issue in issues:
        if issue.municipality_id != into.municipality_id:
            raise ValidationError("他の市町村の課題は提起できません。")
        issue.escalated_to = into
        try:
            issue.full_clean()
        except ValidationError as error:
            messages = error.message_dict.get("escalated_to", error.messages)
            raise ValidationError(f"「{issue.title}」: {' '.join(messages)}") from error
        old_status = issue.get_status_display()
        issue.status = IssueStatus.RAISED
        issue.save()
        _record_status(
            issue, old_status, issue.get_status_display(), by=by, note=f"「{into.title}」へ提起"
        )
        record("issue.escalated", target=issue, by=by, request=request, into=into.pk)
    recount_cases([into.pk])
    return into


def recount_cases(issue_ids: Iterable[int | None]) -> None:
    """Store, for each issue and every higher issue it was raised into, how many distinct cases
    are tagged with it or with an issue beneath it: the one 事例数 that the register, the issue
    page and the dashboard all show (the issue page's evidence counts the same way)."""
    pending = {pk for pk in issue_ids if pk}
    affected: set[int] = set()
    while pending:
        affected |= pending
        pending = (
            set(
                CommunityIssue.objects.filter(
                    pk__in=pending, escalated_to__isnull=False
                ).values_list("escalated_to_id", flat=True)
            )
            - affected
        )
    for issue_id in affected:
        below = descendant_ids(CommunityIssue(pk=issue_id))
        n = IssueTag.objects.filter(issue_id__in=below).aggregate(
            n=Count("case_id", distinct=True)
        )["n"]
        CommunityIssue.objects.filter(pk=issue_id).update(case_count=n)


def recount_all_cases(municipality: Municipality) -> None:
    """Recount every issue of a municipality (after bulk loads such as the demo data)."""
    recount_cases(
        CommunityIssue.objects.filter(municipality=municipality).values_list("pk", flat=True)
    )


@transaction.atomic
def tag_review(*, tag: IssueTag, by: User, request: MemberRequest | None = None) -> IssueTag:
    """Tag a case review with a theme (and optionally an issue): evidence for the issue."""
    review = tag.review
    tag.municipality_id = review.case.municipality_id
    tag.case_id = review.case_id
    tag.area_id = review.case.center.area_id
    tag.tagged_on = review.meeting.date
    tag.fiscal_year = fiscal_year(review.meeting.date)
    tag.tagged_by = by if getattr(by, "is_authenticated", False) else None
    if tag.theme.municipality_id != tag.municipality_id or (
        tag.issue is not None and tag.issue.municipality_id != tag.municipality_id
    ):
        raise ValidationError("他の市町村のテーマや課題は選べません。")
    tag.full_clean()
    tag.save()
    recount_cases([tag.issue_id])
    record(
        "issue.tagged",
        by=by,
        municipality=tag.municipality_id,
        target=tag,
        request=request,
        summary=f"{tag.theme}（{review.case.code}）",
    )
    return tag


@transaction.atomic
def update_tag(*, tag: IssueTag, by: User, request: MemberRequest | None = None) -> IssueTag:
    """Save a tag's changed theme, note or issue link; both issues' 事例数 are counted
    again."""
    before = IssueTag.objects.select_for_update().get(pk=tag.pk).issue_id
    if tag.issue is not None and tag.issue.municipality_id != tag.municipality_id:
        raise ValidationError("他の市町村の課題は選べません。")
    if tag.theme.municipality_id != tag.municipality_id:
        raise ValidationError("他の市町村のテーマは選べません。")
    tag.full_clean()
    tag.save(update_fields=["theme", "note", "issue"])
    recount_cases([before, tag.issue_id])
    record(
        "issue.tag_updated",
        target=tag,
        by=by,
        request=request,
        municipality=tag.municipality_id,
        summary=f"{tag.theme}（{tag.issue or '課題なし'}）",
    )
    return tag


@transaction.atomic
def remove_tag(*, tag: IssueTag, by: User, request: MemberRequest | None = None) -> None:
    record(
        "issue.untagged",
        by=by,
        municipality=tag.municipality_id,
        target=tag,
        request=request,
        summary=str(tag.theme),
    )
    tag.delete()
    recount_cases([tag.issue_id])


@transaction.atomic
def save_discussion(
    *, discussion: IssueDiscussion, by: User, request: MemberRequest | None = None
) -> IssueDiscussion:
    issue = discussion.issue
    if discussion.meeting.municipality_id != issue.municipality_id:
        raise ValidationError("他の市町村の会議は選べません。")
    discussion.full_clean()
    discussion.save()
    if issue.status == IssueStatus.CANDIDATE:
        issue.status = IssueStatus.DISCUSSING
        update_issue(issue=issue, by=by, request=request, note=f"{discussion.meeting}で検討")
    record("issue.discussed", target=issue, by=by, request=request, meeting=discussion.meeting_id)
    return discussion


@transaction.atomic
def save_proposal(
    *, proposal: Proposal, by: User, request: MemberRequest | None = None
) -> Proposal:
    created = proposal.pk is None
    proposal.full_clean()
    old = None if created else Proposal.objects.select_for_update().get(pk=proposal.pk)
    proposal.save()
    issue = proposal.issue
    if old is None or old.status != proposal.status:
        _record_status(
            issue,
            "" if old is None else old.get_status_display(),
            proposal.get_status_display(),
            by=by,
            proposal=proposal,
            note=f"{proposal.get_kind_display()}「{proposal.title}」",
        )
    if issue.status in (IssueStatus.CANDIDATE, IssueStatus.DISCUSSING, IssueStatus.RAISED):
        issue.status = IssueStatus.IN_PROGRESS
        update_issue(issue=issue, by=by, request=request, note="施策・取組を登録")
    record(
        "proposal.created" if created else "proposal.updated",
        target=proposal,
        by=by,
        request=request,
        progress=proposal.progress,
    )
    return proposal


def issue_for_gap(
    *, municipality: Municipality, area: Area | None, theme: Theme, title: str, description: str
) -> CommunityIssue:
    """An unsaved area-level issue for a gap in resources (the caller passes it to open_issue)."""
    return CommunityIssue(
        municipality=municipality,
        area=area,
        theme=theme,
        level=Level.AREA,
        title=title[:120],
        description=description,
    )


@transaction.atomic
def save_milestone(
    *, milestone: Milestone, by: User, request: MemberRequest | None = None
) -> Milestone:
    """Save a milestone of a proposal (its date moved, or achieved)."""
    milestone.full_clean()
    milestone.save()
    record(
        "milestone.updated",
        target=milestone,
        by=by,
        request=request,
        municipality=milestone.proposal.municipality_id,
        done=milestone.done_on.isoformat() if milestone.done_on else "",
    )
    return milestone


def start_mining(
    *,
    municipality: Municipality,
    area: Area | None,
    start: datetime.date,
    end: datetime.date,
    sources: list[str],
    by: User,
    request: MemberRequest | None = None,
) -> MiningJob:
    """Queue a text-mining job over the records of `area` (None: the whole municipality) in a
    period; it runs in the background once the job row is committed."""
    with transaction.atomic():
        job = MiningJob(
            municipality=municipality,
            area=area,
            start=start,
            end=end,
            sources=sources,
            requested_by=by,
        )
        job.full_clean()
        job.save()
        record("issues.mining_started", request=request, by=by, target=job)
    mining.start(job)
    return job
