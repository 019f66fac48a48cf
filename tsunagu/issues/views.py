"""The 地域課題 register, an issue's page, escalation, discussions, proposals and tagging."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tsunagu.confidentiality import review as masking
from tsunagu.lib.gate import member_required
from tsunagu.lib.listing import is_htmx, paginate, search

from . import access, evidence, services
from .choices import OPEN_STATUSES, IssueStatus
from .forms import (
    DiscussionForm,
    EscalateForm,
    IssueFilterForm,
    IssueForm,
    MilestoneForm,
    ProposalForm,
    TagEditForm,
    TagForm,
    ThemeForm,
    too_long,
)
from .models import CommunityIssue
from .suggestions import similar_issues
from .textmining import MAX_TEXT_CHARS

ORDERS = {
    "open": ["opened_on", "id"],
    "new": ["-opened_on", "-id"],
    "evidence": ["-case_count", "id"],
}


def ready_to_save(request, form) -> bool:
    """A valid POST whose free text was checked for names, addresses and the like: saved
    masked or as typed on purpose (otherwise the page offers the choice)."""
    if request.method != "POST" or not form.is_valid():
        return False
    form.masking_reviews = masking.apply_choice(request, form, form.free_text_fields)
    return form.masking_reviews is None


def form_page(request, form, *, title, cancel_url, row=None):
    return render(
        request,
        "organizations/form.html",
        {
            "form": form,
            "model_name": title,
            "row": row,
            "cancel_url": cancel_url,
            "reviews": getattr(form, "masking_reviews", None),
        },
    )


@member_required("issues.view")
def issue_list(request):
    member = request.member
    filters = IssueFilterForm(
        request.GET or None, municipality=member.municipality, statuses=IssueStatus.choices
    )
    issues = access.issues_visible_to(member).select_related("theme", "area", "escalated_to")
    chosen = filters.cleaned_data if filters.is_valid() else {}
    issues = search(issues, chosen.get("q", ""), ["title", "description"])
    for name in ("theme", "level", "area"):
        if chosen.get(name):
            issues = issues.filter(**{name: chosen[name]})
    status = chosen.get("status")
    if status == "open":
        issues = issues.filter(status__in=OPEN_STATUSES)
    elif status:
        issues = issues.filter(status=status)
    issues = issues.order_by(*ORDERS.get(chosen.get("order") or "open"))
    template = "issues/_issue_results.html" if is_htmx(request) else "issues/issue_list.html"
    return render(request, template, {"filters": filters, "page": paginate(request, issues)})


@member_required("issues.edit")
def issue_create(request):
    municipality = request.member.municipality
    services.themes_for(municipality)
    form = IssueForm(request.POST or None, municipality=municipality)
    if ready_to_save(request, form):
        try:
            issue = services.open_issue(issue=form.instance, by=request.user, request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"地域課題「{issue}」を登録しました。")
            return redirect("issues:issue_detail", pk=issue.pk)
    return form_page(request, form, title="地域課題", cancel_url=reverse("issues:issue_list"))


@member_required("issues.view")
def issue_detail(request, pk):
    issue = access.issue_for_user(request.member, pk)
    lineage = evidence.descendant_ids(issue)
    proposals = evidence.proposal_tree(list(issue.proposals.prefetch_related("milestones")))
    return render(
        request,
        "issues/issue_detail.html",
        {
            "issue": issue,
            "ancestors": evidence.ancestors(issue),
            "children": issue.escalated_from.select_related("theme", "area"),
            "evidence": evidence.evidence(lineage),
            "discussions": issue.discussions.select_related("meeting__meeting_type"),
            "proposals": proposals,
            "progress": evidence.overall_progress(proposals),
            "timeline": evidence.timeline(issue, lineage),
        },
    )


@member_required("issues.edit")
def issue_edit(request, pk):
    issue = access.issue_for_user(request.member, pk, write=True)
    form = IssueForm(request.POST or None, instance=issue, municipality=issue.municipality)
    if ready_to_save(request, form):
        try:
            services.update_issue(
                issue=form.instance, by=request.user, request=request, note="編集"
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "地域課題を保存しました。")
            return redirect("issues:issue_detail", pk=pk)
    return form_page(
        request,
        form,
        title="地域課題",
        row=issue,
        cancel_url=reverse("issues:issue_detail", args=[pk]),
    )


@member_required("issues.manage")
def issue_escalate(request):
    """Raise several area issues into one city issue (new or existing)."""
    member = request.member
    form = EscalateForm(
        request.POST or None,
        municipality=member.municipality,
        initial={"issues": request.GET.getlist("issues")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        into = data["into"] or CommunityIssue(
            municipality=member.municipality,
            title=data["title"],
            theme=data["theme"],
            level=data["level"],
            status=IssueStatus.DISCUSSING,
        )
        try:
            into = services.escalate(
                issues=list(data["issues"]), into=into, by=request.user, request=request
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{len(data['issues'])}件の課題を「{into}」へ提起しました。")
            return redirect("issues:issue_detail", pk=into.pk)
    return render(request, "issues/issue_escalate.html", {"form": form})


@member_required("issues.edit")
def discussion_create(request, pk):
    issue = access.issue_for_user(request.member, pk, write=True)
    form = DiscussionForm(request.POST or None, municipality=issue.municipality)
    form.instance.issue = issue
    if ready_to_save(request, form):
        try:
            services.save_discussion(discussion=form.instance, by=request.user, request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "会議での検討を記録しました。")
            return redirect("issues:issue_detail", pk=pk)
    return form_page(
        request,
        form,
        title=f"「{issue}」の会議での検討",
        cancel_url=reverse("issues:issue_detail", args=[pk]),
    )


def save_proposal_page(request, issue, proposal=None):
    form = ProposalForm(request.POST or None, instance=proposal, issue=issue)
    if ready_to_save(request, form):
        try:
            services.save_proposal(proposal=form.instance, by=request.user, request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "施策・取組を保存しました。")
            return redirect("issues:issue_detail", pk=issue.pk)
    return form_page(
        request,
        form,
        title=f"「{issue}」の施策・取組",
        row=proposal,
        cancel_url=reverse("issues:issue_detail", args=[issue.pk]),
    )


@member_required("issues.manage")
def proposal_create(request, pk):
    return save_proposal_page(request, access.issue_for_user(request.member, pk, manage=True))


@member_required("issues.manage")
def proposal_edit(request, pk):
    proposal = access.proposal_for_user(request.member, pk, write=True)
    return save_proposal_page(request, proposal.issue, proposal)


@require_POST
@member_required("issues.manage")
def milestone_create(request, pk):
    proposal = access.proposal_for_user(request.member, pk, write=True)
    form = MilestoneForm(request.POST)
    form.instance.proposal = proposal
    if form.is_valid():
        form.save()
        messages.success(request, "節目を追加しました。")
    else:
        messages.error(
            request,
            "節目を追加できませんでした: "
            + " ".join(error for errors in form.errors.values() for error in errors),
        )
    return redirect("issues:issue_detail", pk=proposal.issue_id)


@require_POST
@member_required("issues.manage")
def milestone_edit(request, pk, milestone_pk):
    """Change a milestone, or mark it achieved today (「達成」), from the issue page."""
    milestone = access.milestone_for_user(request.member, pk, milestone_pk, write=True)
    proposal = milestone.proposal
    data = request.POST.copy()
    if "achieve" in data:
        data.setdefault("title", milestone.title)
        data.setdefault("due_on", milestone.due_on.isoformat())
        data["done_on"] = timezone.localdate().isoformat()
    form = MilestoneForm(data, instance=milestone)
    if form.is_valid():
        services.save_milestone(milestone=form.instance, by=request.user, request=request)
        messages.success(request, f"節目「{form.instance}」を保存しました。")
    else:
        messages.error(
            request,
            "節目を保存できませんでした: "
            + " ".join(error for errors in form.errors.values() for error in errors),
        )
    return redirect("issues:issue_detail", pk=proposal.issue_id)


@member_required("issues.view")
def review_tags(request, pk):
    """Tagging a case review with the community issues it shows, with suggestions."""
    member = request.member
    review = access.open_review_tags(request, pk, write=request.method == "POST")
    services.themes_for(member.municipality)
    form = TagForm(request.POST or None, municipality=member.municipality)
    form.instance.review = review
    if ready_to_save(request, form):
        try:
            services.tag_review(tag=form.instance, by=request.user, request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"「{form.instance.theme}」を記録しました。")
            return redirect("issues:review_tags", pk=pk)
    may_edit = access.may_tag(member, review)
    suggestions = []
    if may_edit:  # only the tagging form shows them
        texts = [review.support_policy, *review.advice.values_list("text", flat=True)]
        suggestions = suggest(member, "\n".join(texts))
    return render(
        request,
        "issues/review_tags.html",
        {
            "review": review,
            "case": review.case,
            "form": form,
            "tags": review.issue_tags.select_related("theme", "issue"),
            "may_edit": may_edit,
            "suggestions": suggestions,
            "reviews": getattr(form, "masking_reviews", None),
            "linkable_issues": TagEditForm(municipality=member.municipality)
            .fields["issue"]
            .queryset
            if may_edit
            else [],
            "tag_themes": TagEditForm(municipality=member.municipality).fields["theme"].queryset
            if may_edit
            else [],
        },
    )


@require_POST
@member_required("issues.edit")
def tag_delete(request, pk):
    tag = access.tag_for_user(request.member, pk)
    services.remove_tag(tag=tag, by=request.user, request=request)
    messages.success(request, "タグを削除しました。")
    return redirect("issues:review_tags", pk=tag.review_id)


@require_POST
@member_required("issues.edit")
def tag_edit(request, pk):
    """Change a recorded tag: its theme, its note, the issue it is linked to (another one, or
    none). A note with what looks like a name or an address is shown for masking first; an
    error is shown beside its field on the tag's own form."""
    tag = access.tag_for_user(request.member, pk)
    form = TagEditForm(request.POST, instance=tag, municipality=request.member.municipality)
    reviews = None
    if form.is_valid():
        checked = ("note",) if "note" in form.changed_data else ()
        reviews = masking.apply_choice(request, form, checked)
        if reviews is None:
            try:
                services.update_tag(tag=form.instance, by=request.user, request=request)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"「{form.instance.theme}」のタグを変更しました。")
                return redirect("issues:review_tags", pk=tag.review_id)
    return render(request, "issues/tag_edit.html", {"form": form, "tag": tag, "reviews": reviews})


def suggest(member, text: str):
    return similar_issues(access.issues_visible_to(member), member.municipality_id, text)


@member_required("issues.view")
def issue_suggest(request):
    """htmx: suggestions for the text being written (the note on the tagging form)."""
    text = request.GET.get("note", "") or request.GET.get("text", "")
    error = too_long(text) if len(text) > MAX_TEXT_CHARS else ""
    return render(
        request,
        "issues/_suggestions.html",
        {"suggestions": [] if error else suggest(request.member, text), "error": error},
    )


@member_required("issues.view")
def theme_list(request):
    member = request.member
    services.themes_for(member.municipality)
    form = None
    if member.may("issues.themes"):
        form = ThemeForm(request.POST or None, municipality=member.municipality)
        if request.method == "POST" and form.is_valid():
            services.save_theme(theme=form.instance, by=request.user, request=request)
            messages.success(request, f"テーマ「{form.instance}」を追加しました。")
            return redirect("issues:theme_list")
    themes = access.themes_of(member)
    return render(request, "issues/theme_list.html", {"themes": themes, "form": form})


@member_required("issues.themes")
def theme_edit(request, pk):
    theme = access.theme_for_user(request.member, pk)
    form = ThemeForm(request.POST or None, instance=theme, municipality=theme.municipality)
    if request.method == "POST" and form.is_valid():
        services.save_theme(theme=form.instance, by=request.user, request=request)
        messages.success(request, "テーマを保存しました。")
        return redirect("issues:theme_list")
    return form_page(
        request, form, title="テーマ", row=theme, cancel_url=reverse("issues:theme_list")
    )
