"""A meeting's agenda (議題の事例): the cases in order with the time planned for each; its
organisers add the host center's ready cases, reorder them (up and down buttons), set the time
and take a case off before it is discussed."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from tsunagu.lib.gate import member_required
from tsunagu.lib.params import parse_id
from tsunagu.meetings.access import may_organize_for, meeting_for_user

from . import access, services

MINUTES_RANGE = {"min_value": 1, "max_value": 240}


class AgendaAddForm(forms.Form):
    case = forms.ModelChoiceField(label="載せる事例（会議準備完了）", queryset=None)
    planned_minutes = forms.IntegerField(label="予定時間（分）", **MINUTES_RANGE)

    def __init__(self, *args, cases, minutes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases
        self.fields["case"].label_from_instance = lambda case: f"{case.code}（{case.center}）"
        self.fields["case"].empty_label = "選んでください"
        self.fields["planned_minutes"].initial = minutes


class MinutesForm(forms.Form):
    minutes = forms.IntegerField(label="予定時間（分）", **MINUTES_RANGE)


def _editable(member, meeting) -> bool:
    return (
        may_organize_for(member, meeting.center)
        and meeting.closed_at is None
        and meeting.meeting_type.reviews_cases
    )


@member_required("meetings.view")
def meeting_agenda(request, pk):
    """The cases on one meeting's agenda, in order, with where each review stands."""
    member = request.member
    meeting = meeting_for_user(member, pk)
    may_edit = _editable(member, meeting)
    ready = access.ready_cases_for_agenda(member, meeting) if may_edit else None
    minutes = meeting.meeting_type.minutes_per_case
    add_form = AgendaAddForm(cases=ready, minutes=minutes) if may_edit else None
    row_errors: dict[int, str] = {}
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("この会議の議題を変更する権限がありません。")
        action = request.POST.get("action")
        try:
            if action == "add":
                add_form = AgendaAddForm(request.POST, cases=ready, minutes=minutes)
                if add_form.is_valid():
                    case = add_form.cleaned_data["case"]
                    services.put_on_agenda(
                        case=case,
                        meeting=meeting,
                        planned_minutes=add_form.cleaned_data["planned_minutes"],
                        by=request.user,
                        request=request,
                    )
                    messages.success(request, f"{case.code}を議題に加えました。")
                    return redirect("cases:meeting_agenda", pk=pk)
            elif action in ("up", "down", "minutes"):
                review = access.agenda_review_of(meeting, parse_id(request.POST.get("review")) or 0)
                if action == "minutes":
                    form = MinutesForm(request.POST)
                    if form.is_valid():
                        services.set_planned_minutes(
                            review=review,
                            minutes=form.cleaned_data["minutes"],
                            by=request.user,
                            request=request,
                        )
                        messages.success(request, f"{review.case.code}の予定時間を保存しました。")
                        return redirect("cases:meeting_agenda", pk=pk)
                    row_errors[review.pk] = "予定時間は1〜240分の数字で入力してください。"
                else:
                    services.move_on_agenda(
                        review=review, up=action == "up", by=request.user, request=request
                    )
                    return redirect("cases:meeting_agenda", pk=pk)
            else:
                messages.error(request, "操作を選んでください。")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            if action == "add" and add_form is not None:
                add_form.add_error(None, error)
    reviews = list(access.agenda_reviews(member, meeting))
    return render(
        request,
        "cases/meeting_agenda.html",
        {
            "meeting": meeting,
            "reviews": reviews,
            "may_edit": may_edit,
            "add_form": add_form,
            "row_errors": row_errors,
            "posted_minutes": request.POST.get("minutes", ""),
            "total_minutes": sum(r.planned_minutes for r in reviews),
        },
    )


@member_required("meetings.view")
def agenda_remove(request, pk, review_pk):
    """Asks first (GET), then takes the case off the agenda (POST)."""
    member = request.member
    meeting = meeting_for_user(member, pk, write=True)
    review = access.agenda_review_of(meeting, review_pk)
    if request.method != "POST":
        return render(request, "cases/agenda_remove.html", {"meeting": meeting, "review": review})
    try:
        services.remove_from_agenda(review=review, by=request.user, request=request)
        messages.success(request, f"{review.case.code}を議題から外しました。")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("cases:meeting_agenda", pk=pk)
