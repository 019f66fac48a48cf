"""Preparing a meeting: copying it, scheduling a year's series, and its handouts (配布資料)."""

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from tsunagu.audit.services import record
from tsunagu.confidentiality.access import current_policy
from tsunagu.lib.concurrency import add_refusal
from tsunagu.lib.gate import member_required

from . import access, services
from .forms import CopyForm, HandoutForm, SeriesForm
from .models import Meeting

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@member_required("meetings.view")
def meeting_copy(request, pk):
    """The same meeting on a new day: body, organiser, place, time and attendees."""
    meeting = access.meeting_for_user(request.member, pk, write=True)
    form = CopyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.copy_meeting(
                meeting=meeting, date=form.cleaned_data["date"], by=request.user, request=request
            )
            messages.success(request, f"「{copy}」を登録しました（出席者も招待済み）。")
            return redirect("meetings:meeting_detail", pk=copy.pk)
        except ValidationError as error:
            form.add_error("date", ValidationError(error.messages))
    return render(request, "meetings/meeting_copy.html", {"form": form, "meeting": meeting})


@member_required("meetings.view")
def meeting_series(request):
    """A year's meetings of one body at once (e.g. 年5回 on chosen dates)."""
    member = request.member
    if not (member.may("meetings.edit_all") or member.may("meetings.edit_own_center")):
        raise PermissionDenied("会議を登録する権限がありません。")
    meeting = Meeting(municipality=member.municipality)
    form = SeriesForm(request.POST or None, instance=meeting, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_series(
                meeting=form.instance,
                dates=form.dates(),
                joint_types=form.joint_types,
                by=request.user,
                request=request,
            )
            messages.success(request, f"{len(created)}回の会議を登録しました。")
            return redirect("meetings:meeting_list")
        except ValidationError as error:
            form.add_error(None, ValidationError(error.messages))
    return render(request, "meetings/meeting_series.html", {"form": form})


@member_required("meetings.view")
def meeting_handouts(request, pk):
    """The meeting's handouts: listed for whoever may see the meeting; added by its organisers."""
    member = request.member
    meeting = access.meeting_for_user(member, pk)
    may_edit = access.may_organize_for(member, meeting.center)
    form = HandoutForm()
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("この会議の配布資料を変更する権限がありません。")
        form = HandoutForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                handout = services.add_handout(
                    meeting=meeting,
                    upload=form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                    by=request.user,
                    request=request,
                )
                messages.success(request, f"配布資料「{handout}」を追加しました。")
                return redirect("meetings:meeting_handouts", pk=pk)
            except ValidationError as error:
                add_refusal(form, error)
    return render(
        request,
        "meetings/meeting_handouts.html",
        {
            "meeting": meeting,
            "form": form,
            "may_edit": may_edit and not meeting.is_closed,
            "handouts": access.handouts_of(meeting),
            "standard_handouts": access.standard_handouts(meeting),
        },
    )


@member_required("meetings.view")
def handout_download(request, pk, handout_pk):
    meeting = access.meeting_for_user(request.member, pk)
    handout = access.handout_of(meeting, handout_pk)
    try:
        opened = handout.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    record("meeting.handout_downloaded", target=meeting, request=request, title=handout.title)
    return FileResponse(
        opened,
        as_attachment=True,
        filename=f"{handout.title}{Path(handout.file.name).suffix}",
        content_type=CONTENT_TYPES.get(handout.kind, "application/octet-stream"),
    )


@member_required("meetings.view")
def handout_delete(request, pk, handout_pk):
    """Asks first (GET), then deletes the handout (POST)."""
    meeting = access.meeting_for_user(request.member, pk, write=True)
    handout = access.handout_of(meeting, handout_pk)
    if request.method != "POST":
        return render(
            request, "meetings/handout_delete.html", {"meeting": meeting, "handout": handout}
        )
    try:
        services.delete_handout(handout=handout, by=request.user, request=request)
        messages.success(request, f"配布資料「{handout}」を削除しました。")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("meetings:meeting_handouts", pk=pk)


@member_required("meetings.view")
def meeting_handout_policy(request, pk):
    """The current 個人情報基本方針, handed out at every meeting that handles personal
    information (a printable page)."""
    meeting = access.meeting_for_user(request.member, pk)
    if not meeting.meeting_type.handles_personal_info:
        raise Http404
    return render(
        request,
        "meetings/handout_text.html",
        {
            "meeting": meeting,
            "title": "個人情報基本方針",
            "policy": current_policy(meeting.municipality),
        },
    )


@member_required("meetings.view")
def meeting_handout_plan(request, pk):
    """The body's 実施計画, handed out with the policy (a printable page)."""
    meeting = access.meeting_for_user(request.member, pk)
    plan = meeting.meeting_type.implementation_plan.strip()
    if not meeting.meeting_type.handles_personal_info or not plan:
        raise Http404
    return render(
        request,
        "meetings/handout_text.html",
        {"meeting": meeting, "title": f"{meeting.meeting_type}実施計画", "text": plan},
    )
