from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tsunagu.confidentiality import review as masking
from tsunagu.lib.concurrency import FIELD as FINGERPRINT
from tsunagu.lib.concurrency import add_refusal, stamp
from tsunagu.lib.gate import member_required
from tsunagu.lib.jtext import normalize
from tsunagu.lib.listing import is_htmx, paginate
from tsunagu.lib.params import MAX_ID, parse_id, parse_int
from tsunagu.meetings.access import meeting_for_user

from . import access, services
from .choices import ActionStatus, CaseStatus
from .forms import (
    CASE_TEXT_FIELDS,
    ActionForm,
    AdviceForm,
    AssessmentFormSet,
    CaseForm,
    FollowUpForm,
    ReviewForm,
    ServiceFormSet,
    assessment_initial,
)
from .models import (
    AssessmentRow,
    CarePlanService,
    Case,
    end_of_next_month,
)

# Every field of the case form, its care plan and its 課題整理総括表 at their length limits
# (lib/limits.py), percent-encoded, fit well under this.
AUTOSAVE_MAX_BYTES = 512 * 1024


@member_required("meetings.view")
def case_list(request):
    """The work list: cases by status, newest first, with search by code and reference."""
    q = request.GET.get("q", "")
    cases = access.cases_visible_to(request.member).select_related("center")
    cases = access.search_cases(request.member, cases, q)
    status = request.GET.get("status", "")
    if status in CaseStatus.values:
        cases = cases.filter(status=status)
    # The counts per status come from one index (case_list_status_order), each up to
    # access.COUNT_CAP; without a search they also give the page's total, so the rows are not
    # counted again. Above the cap the list says "以上" and pages through the first cap rows.
    cap = access.COUNT_CAP
    counts = access.counts_by_status(request.member, cap)
    total, more = None, False
    if not normalize(q).split():
        shown = [counts.get(status, 0)] if status in CaseStatus.values else counts.values()
        more = any(n > cap for n in shown)
        total = sum(min(n, cap) for n in shown)
    template = "cases/_case_results.html" if is_htmx(request) else "cases/case_list.html"
    return render(
        request,
        template,
        {
            "page": paginate(request, cases, count=total, more=more),
            "q": request.GET.get("q", ""),
            "status": status,
            "statuses": [
                (value, label, capped(counts.get(value, 0), cap))
                for value, label in CaseStatus.choices
            ],
            "may_create": access.may_create(request.member),
        },
    )


def edit_labels(form) -> dict[str, str]:
    """The case form's field labels, for naming the fields a conflicting save changed."""
    return {name: str(field.label) for name, field in form.fields.items() if name != "version"}


def capped(n: int, cap: int) -> int | str:
    return f"{cap:,}以上" if n > cap else n


def save_with_version(request, form):
    """Save the case form unless someone saved since it was opened (then say what differs)."""
    labels = edit_labels(form)
    services.save_case(
        case=form.instance,
        seen_version=form.cleaned_data["version"],
        changed=[labels[name] for name in form.changed_data if name in labels],
        labels=labels,
        by=request.user,
        request=request,
    )


def save_case_and_plan(request, form, services_formset, assessment, *, creating: bool):
    """The case, its care plan and its 課題整理総括表 are saved together or not at all
    (services.save_case_and_plan holds the transaction)."""
    labels = edit_labels(form)
    services.save_case_and_plan(
        case=form.instance,
        creating=creating,
        seen_version=None if creating else form.cleaned_data["version"],
        changed=[labels[name] for name in form.changed_data if name in labels],
        labels=labels,
        plan=[
            CarePlanService(**{k: v for k, v in f.cleaned_data.items() if k != "DELETE"})
            for f in services_formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ],
        rows=[
            AssessmentRow(**f.cleaned_data)
            for f in assessment.forms
            if any(f.cleaned_data.get(k) for k in ("current", "factors", "prospect", "note"))
        ],
        by=request.user,
        request=request,
    )


def save_case_page(request, case, *, creating: bool):
    """The case form with its care plan and 課題整理総括表; identifiers offered masked."""
    form = CaseForm(
        request.POST or None,
        instance=case,
        member=request.member,
        initial={"version": case.version},
    )
    services_formset = ServiceFormSet(
        request.POST or None,
        prefix="services",
        initial=[
            {"service_type": s.service_type, "monthly_count": s.monthly_count, "note": s.note}
            for s in case.services.all()
        ]
        if case.pk
        else None,
    )
    assessment = AssessmentFormSet(
        request.POST or None, prefix="assessment", initial=assessment_initial(case)
    )
    reviews = None
    valid = request.method == "POST" and all(
        [form.is_valid(), services_formset.is_valid(), assessment.is_valid()]
    )
    if valid:
        reviews = masking.apply_choice(request, form, CASE_TEXT_FIELDS)
    if valid and reviews is None:
        try:
            save_case_and_plan(request, form, services_formset, assessment, creating=creating)
            messages.success(request, f"{form.instance}を保存しました。")
            same = form.cases_with_same_reference()
            if same:
                messages.warning(
                    request,
                    f"センターの管理番号「{form.instance.center_reference}」は"
                    f"{'、'.join(same)}でも使われています。同じ方の事例か確かめてください。",
                )
            return redirect("cases:case_detail", pk=form.instance.pk)
        except ValidationError as error:
            if creating:  # the new case was rolled back with the rest
                form.instance.pk = None
            form.add_error(None, error)
    return render(
        request,
        "cases/case_form.html",
        {
            "form": form,
            "services_formset": services_formset,
            "assessment": assessment,
            "case": case,
            "reviews": reviews,
        },
    )


@member_required("meetings.view")
def case_create(request):
    if not access.may_create(request.member):
        raise PermissionDenied("事例を作成する権限がありません。")
    case = Case(municipality=request.member.municipality, center=request.member.center)
    if request.member.may("cases.view_presented"):
        case.care_manager = request.member.person
    return save_case_page(request, case, creating=True)


@member_required("meetings.view")
def case_edit(request, pk):
    case = access.open_case(request, pk, write=True).case
    return save_case_page(request, case, creating=False)


@require_POST
@member_required("meetings.view")
def case_autosave(request, pk):
    """Drafts save as they go. A field in which personal identifiers were found is not saved
    here: it waits for the save button, which offers the masked text first.

    A body larger than the whole form can be at its limits is refused before anything is
    read from it: autosave runs on every change, so it must stay cheap."""
    if (
        parse_int(request.META.get("CONTENT_LENGTH"), low=0, high=MAX_ID) or 0
    ) > AUTOSAVE_MAX_BYTES:
        return render(
            request,
            "cases/_autosave.html",
            {"error": "入力が大きすぎるため自動保存できません。文章を短くしてください。"},
            status=413,
        )
    case = access.case_for_user(request.member, pk, write=True)
    form = CaseForm(request.POST, instance=case, member=request.member)
    held, saved_at = [], None
    if case.status == CaseStatus.DRAFT and form.is_valid():
        current = access.as_saved(case)
        for item in masking.review(form, CASE_TEXT_FIELDS):
            setattr(form.instance, item.name, getattr(current, item.name))
            held.append(str(item.label))
        try:
            save_with_version(request, form)
            saved_at = timezone.localtime()
        except ValidationError as error:
            return render(request, "cases/_autosave.html", {"error": " ".join(error.messages)})
    return render(
        request,
        "cases/_autosave.html",
        {
            "saved_at": saved_at,
            "held": held,
            "version": form.instance.version,
            "incomplete": not form.is_valid(),
            "not_draft": case.status != CaseStatus.DRAFT,
        },
    )


@member_required("meetings.view")
def case_detail(request, pk):
    """The case's own fields, and its reviews: each one linked for those who may read it, the
    others with the reason and where to sign."""
    content = access.open_case(request, pk)
    case = content.case
    plan = list(case.services.all())
    life_support = sum(s.monthly_count for s in plan if s.service_type == "home_help_life")
    threshold = case.life_support_threshold
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "plan": plan,
            "life_support": life_support,
            "threshold": threshold,
            "flagged": threshold is not None and life_support >= threshold,
            "deadline": end_of_next_month(case.plan_changed_on) if case.plan_changed_on else None,
            "assessment": case.assessment.all(),
            "reviews": content.reviews,
            "moves": [
                (s, CaseStatus(s).label)
                for s in services.TRANSITIONS[case.status]
                if s != CaseStatus.REVIEWED
            ],
            "may_edit": access.may_edit(request.member, case),
            "meetings": access.upcoming_review_meetings(request.member, case),
        },
    )


@require_POST
@member_required("meetings.view")
def case_move(request, pk):
    case = access.case_for_user(request.member, pk, write=True)
    try:
        services.move(case=case, to=request.POST.get("to", ""), by=request.user, request=request)
        messages.success(request, f"「{case.get_status_display()}」にしました。")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("cases:case_detail", pk=pk)


@require_POST
@member_required("meetings.view")
def case_delete(request, pk):
    case = access.case_for_user(request.member, pk, write=True)
    try:
        services.delete_draft(case=case, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("cases:case_detail", pk=pk)
    messages.success(request, f"下書きの{case}を削除しました。")
    return redirect("cases:case_list")


@require_POST
@member_required("meetings.view")
def case_put_on_agenda(request, pk):
    case = access.case_for_user(request.member, pk, write=True)
    meeting = meeting_for_user(request.member, parse_id(request.POST.get("meeting")) or 0)
    try:
        services.put_on_agenda(case=case, meeting=meeting, by=request.user, request=request)
        messages.success(request, f"{meeting}の議題に載せました。")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("cases:case_detail", pk=pk)


@member_required("meetings.view")
def review_record(request, pk):
    """At the meeting: the agreed 支援方針, each adviser's advice, and who does what."""
    review = access.open_review(request, pk)
    may_edit = access.may_edit(request.member, review.case)
    forms = {
        "policy": ReviewForm(initial={"support_policy": review.support_policy}, record=review),
        "advice": AdviceForm(),
        "action": ActionForm(review=review),
    }
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("この事例を変更する権限がありません。")
        kind = request.POST.get("form")
        try:
            if kind == "policy":
                forms["policy"] = ReviewForm(request.POST, record=review)
                if forms["policy"].is_valid():
                    services.record_review(
                        review=review,
                        support_policy=forms["policy"].cleaned_data["support_policy"],
                        fingerprint=forms["policy"].seen_fingerprint,
                        by=request.user,
                        request=request,
                    )
                    return redirect("cases:review_record", pk=pk)
            elif kind == "advice":
                forms["advice"] = AdviceForm(request.POST)
                if forms["advice"].is_valid():
                    forms["advice"].instance.review = review
                    services.add_advice(
                        advice=forms["advice"].instance, by=request.user, request=request
                    )
                    return redirect("cases:review_record", pk=pk)
            elif kind == "action":
                forms["action"] = ActionForm(request.POST, review=review)
                if forms["action"].is_valid():
                    forms["action"].instance.review = review
                    services.add_action(
                        action=forms["action"].instance, by=request.user, request=request
                    )
                    return redirect("cases:review_record", pk=pk)
        except ValidationError as error:
            add_refusal(forms.get(kind, forms["policy"]), error)
    return render(
        request,
        "cases/review_record.html",
        {
            "review": review,
            "case": review.case,
            "forms": forms,
            "may_edit": may_edit,
            "advice": review.advice.all(),
            "actions": stamp(review.actions.select_related("responsible"), services.ACTION_FIELDS),
            "action_statuses": ActionStatus.choices,
            "follow_ups": review.follow_ups.all(),
        },
    )


@require_POST
@member_required("meetings.view")
def action_status(request, pk):
    action = access.action_for_user(request.member, pk, write=True)
    try:
        services.set_action_status(
            action=action,
            status=request.POST.get("status", ""),
            fingerprint=request.POST.get(FINGERPRINT) or None,
            by=request.user,
            request=request,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("cases:review_record", pk=action.review_id)


@member_required("meetings.view")
def follow_up_record(request, pk):
    follow_up = access.open_follow_up(request, pk)
    form = FollowUpForm(request.POST or None, instance=follow_up)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_follow_up(
                follow_up=form.instance,
                fingerprint=form.seen_fingerprint,
                by=request.user,
                request=request,
            )
            messages.success(request, "モニタリングの結果を記録しました。")
            return redirect("cases:review_record", pk=follow_up.review_id)
        except ValidationError as error:
            add_refusal(form, error)
    return render(
        request,
        "cases/follow_up_form.html",
        {"form": form, "follow_up": follow_up, "case": follow_up.review.case},
    )
