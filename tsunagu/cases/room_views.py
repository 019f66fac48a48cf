"""会議モード: the meeting room on a tablet, its presenter screen, closing and the 会議録.

The room page is one page of small forms, each posting on its own through htmx and answered
with only its own part (a row, a status line), so a save that fails shows its error next to
its field and never discards what was typed elsewhere on the page. Without JavaScript each
form still posts and comes back to the room.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tsunagu.confidentiality import services as pledges
from tsunagu.confidentiality.access import privacy_settings
from tsunagu.lib.background import result_of
from tsunagu.lib.concurrency import FIELD as FINGERPRINT
from tsunagu.lib.concurrency import add_refusal, fingerprint_of
from tsunagu.lib.document_jobs import job_page, pdf_download
from tsunagu.lib.downloads import attachment
from tsunagu.lib.gate import member_required
from tsunagu.lib.listing import is_htmx
from tsunagu.meetings.services import closing_problems

from . import access, minutes, services, tasks
from .forms import RoomActionForm, RoomAdviceForm, RoomCloseForm, RoomSignForm
from .models import Action, Advice

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def back(request, meeting_id, anchor=""):
    """Without htmx a form comes back to the room (at its section)."""
    response = redirect("cases:meeting_room", pk=meeting_id)
    response["Location"] += f"#{anchor}" if anchor else ""
    return response


def advice_form(review, advice=None, data=None, choices=None):
    initial = {"attendance": advice.attendance_id, "text": advice.text} if advice else None
    return RoomAdviceForm(
        data,
        meeting=review.meeting,
        choices=choices,
        record=advice,
        initial=initial,
        auto_id=f"id_advice{advice.pk if advice else f'new{review.pk}'}_%s",
    )


def action_form(review, action=None, data=None, choices=None):
    return RoomActionForm(
        data,
        instance=action or Action(review=review),
        review=review,
        choices=choices,
        auto_id=f"id_action{action.pk if action else f'new{review.pk}'}_%s",
    )


def sign_form(attendance, data=None):
    return RoomSignForm(
        data,
        initial={"affiliation": attendance.affiliation},
        auto_id=f"id_sign{attendance.pk}_%s",
    )


@member_required("meetings.view")
def meeting_room(request, pk):
    """The room: check-in and pledges, the agenda with its timers, and each case's summary,
    question, advice, 支援方針 and 役割分担, then closing."""
    room = access.open_room(request, pk)
    meeting = room.meeting
    policy = pledges.policy_for_signing(meeting.municipality, by=request.user)
    # The choices of the selects are read once (the attendees for the meeting, the people
    # around each case for its 役割分担), not once per row.
    attendees = list(RoomAdviceForm(meeting=meeting).fields["attendance"].choices)
    for review in room.reviews:
        people = list(action_form(review).fields["responsible"].choices)
        review.advice_rows = [
            (a, advice_form(review, a, choices=attendees)) for a in review.advice.all()
        ]
        review.new_advice = advice_form(review, choices=attendees)
        review.action_rows = [
            (a, action_form(review, a, choices=people)) for a in review.actions.all()
        ]
        review.new_action = action_form(review, choices=people)
        review.policy_fingerprint = fingerprint_of(review, services.REVIEW_FIELDS)
    return render(
        request,
        "cases/room.html",
        {
            "room": room,
            "meeting": meeting,
            "policy": policy,
            "attendees": [(a, a.pk in room.signed, sign_form(a)) for a in room.attendances],
            "now": timezone.now(),
            "problems": closing_problems(meeting),
            "close_form": RoomCloseForm(initial={"summary": meeting.summary}),
            "reviewed": services.reviewed_count(meeting),
        },
    )


def attendee_row(request, attendance, signed, form, status=200):
    return render(
        request,
        "cases/_room_attendee.html",
        {"a": attendance, "signed": signed, "form": form, "meeting": attendance.meeting},
        status=status,
    )


@require_POST
@member_required("meetings.view")
def room_present(request, pk, attendance_pk):
    attendance = access.room_attendance(request.member, pk, attendance_pk)
    error = None
    try:
        services.set_present(
            attendance=attendance,
            present=request.POST.get("present") == "1",
            by=request.user,
            request=request,
        )
    except ValidationError as refusal:
        error = " ".join(refusal.messages)
    if not is_htmx(request):
        if error:
            messages.error(request, error)
        return back(request, pk, "checkin")
    signed = attendance.pk in access.signed_attendance_ids(attendance.meeting)
    form = sign_form(attendance)
    if error:
        form.add_error(None, error)
    return attendee_row(request, attendance, signed, form)


@require_POST
@member_required("meetings.view")
def room_sign(request, pk, attendance_pk):
    """The attendee signs as themselves on the tablet (name typed, consent)."""
    attendance = access.room_attendance(request.member, pk, attendance_pk)
    form = sign_form(attendance, request.POST)
    signed = False
    if form.is_valid():
        try:
            services.sign_in_room(
                attendance=attendance,
                signer_name=form.cleaned_data["signer_name"],
                affiliation=form.cleaned_data["affiliation"],
                scope=privacy_settings(attendance.meeting.municipality_id).pledge_scope,
                by=request.user,
                request=request,
            )
            signed = True
        except ValidationError as error:
            form.add_error(None, error)
    if not is_htmx(request):
        if not signed:
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return back(request, pk, "checkin")
    return attendee_row(request, attendance, signed, form, 200 if signed else 422)


@require_POST
@member_required("meetings.view")
def room_timer(request, pk):
    review = access.room_review(request.member, pk)
    try:
        services.run_timer(
            review=review,
            start=request.POST.get("run") == "start",
            by=request.user,
            request=request,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if is_htmx(request):
        return JsonResponse(access.room_state(request.member, review.meeting_id))
    return back(request, review.meeting_id, f"case-{review.pk}")


@require_POST
@member_required("meetings.view")
def room_policy(request, pk):
    """支援方針, saved as it is typed. The answer is a status line (and the new fingerprint):
    the text being typed is never replaced."""
    review = access.room_review(request.member, pk)
    text = request.POST.get("support_policy", "")
    error, saved_at, conflict = None, None, None
    try:
        services.save_room_policy(
            review=review,
            support_policy=text,
            fingerprint=request.POST.get(FINGERPRINT) or None,
            by=request.user,
            request=request,
        )
        saved_at = timezone.localtime()
    except ValidationError as refusal:
        error = " ".join(refusal.messages)
        conflict = getattr(refusal, "fingerprint", None)
    if not is_htmx(request):
        if error:
            messages.error(request, error)
        return back(request, review.meeting_id, f"case-{review.pk}")
    return render(
        request,
        "cases/_room_saved.html",
        {
            "error": error,
            "saved_at": saved_at,
            "fingerprint": fingerprint_of(review, services.REVIEW_FIELDS) if saved_at else None,
            "review": review,
            "conflict": conflict,
        },
        status=422 if error else 200,
    )


@require_POST
@member_required("meetings.view")
def room_advice_add(request, pk):
    review = access.room_review(request.member, pk)
    return save_advice(request, review, Advice(review=review))


@require_POST
@member_required("meetings.view")
def room_advice(request, pk):
    """Change or (with delete=1) delete one advice row."""
    advice = access.room_advice(request.member, pk)
    if request.POST.get("delete") == "1":
        return delete_row(request, advice, advice_form, "cases/_room_advice.html")
    return save_advice(request, advice.review, advice)


def delete_row(request, row, form_for, template):
    """The delete=1 branch of an advice or 役割分担 row: gone (an empty row for htmx), or
    refused with 409 and the row as it is, with the reason."""
    review = row.review
    try:
        services.delete_room_row(
            row=row,
            fingerprint=request.POST.get(FINGERPRINT) or None,
            by=request.user,
            request=request,
        )
    except ValidationError as error:
        form = form_for(review, row)
        add_refusal(form, error)
        return render(request, template, {"review": review, "a": row, "form": form}, status=409)
    if not is_htmx(request):
        return back(request, review.meeting_id, f"case-{review.pk}")
    return HttpResponse("")


def save_advice(request, review, advice):
    adding = advice.pk is None
    form = advice_form(review, None if adding else advice, request.POST)
    if form.is_valid():
        try:
            services.save_room_advice(
                advice=advice,
                attendance=form.cleaned_data["attendance"],
                text=form.cleaned_data["text"],
                fingerprint=form.seen_fingerprint,
                by=request.user,
                request=request,
            )
            if not is_htmx(request):
                return back(request, review.meeting_id, f"case-{review.pk}")
            context = {"review": review, "a": advice, "form": advice_form(review, advice)}
            if adding:
                context["new_form"] = advice_form(review)
                return render(request, "cases/_room_advice_added.html", context)
            return render(request, "cases/_room_advice.html", context)
        except ValidationError as error:
            add_refusal(form, error)
    if not is_htmx(request):
        messages.error(request, "助言を保存できませんでした。入力を確かめてください。")
        return back(request, review.meeting_id, f"case-{review.pk}")
    template = "cases/_room_advice_new.html" if adding else "cases/_room_advice.html"
    return render(
        request,
        template,
        {"review": review, "a": None if adding else advice, "form": form, "new_form": form},
        status=422,
    )


@require_POST
@member_required("meetings.view")
def room_action_add(request, pk):
    review = access.room_review(request.member, pk)
    return save_action(request, review, Action(review=review))


@require_POST
@member_required("meetings.view")
def room_action(request, pk):
    """Change or (with delete=1) delete one 役割分担 row."""
    action = access.room_action(request.member, pk)
    if request.POST.get("delete") == "1":
        return delete_row(request, action, action_form, "cases/_room_action.html")
    return save_action(request, action.review, action)


def save_action(request, review, action):
    adding = action.pk is None
    form = action_form(review, None if adding else action, request.POST)
    if adding:
        form.instance = action
    if form.is_valid():
        try:
            services.save_room_action(
                action=form.instance,
                fingerprint=form.seen_fingerprint,
                by=request.user,
                request=request,
            )
            if not is_htmx(request):
                return back(request, review.meeting_id, f"case-{review.pk}")
            saved = form.instance
            context = {"review": review, "a": saved, "form": action_form(review, saved)}
            if adding:
                context["new_form"] = action_form(review)
                return render(request, "cases/_room_action_added.html", context)
            return render(request, "cases/_room_action.html", context)
        except ValidationError as error:
            add_refusal(form, error)
    if not is_htmx(request):
        messages.error(request, "役割分担を保存できませんでした。入力を確かめてください。")
        return back(request, review.meeting_id, f"case-{review.pk}")
    template = "cases/_room_action_new.html" if adding else "cases/_room_action.html"
    return render(
        request,
        template,
        {"review": review, "a": None if adding else action, "form": form, "new_form": form},
        status=422,
    )


@require_POST
@member_required("meetings.view")
def room_close(request, pk):
    """Close the meeting from the room; refused (with who has not signed) otherwise."""
    meeting = access.room_meeting(request.member, pk)
    form = RoomCloseForm(request.POST)
    if form.is_valid():
        try:
            services.close_from_room(
                meeting=meeting,
                summary=form.cleaned_data["summary"],
                by=request.user,
                request=request,
            )
            messages.success(request, "会議を終了し、記録を確定しました。会議録を出力できます。")
            return back(request, pk, "close")
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
    else:
        messages.error(request, "開催結果の要約を入力してください。")
    return back(request, pk, "close")


@member_required("meetings.view")
def meeting_room_screen(request, pk):
    """大画面表示: the current case's summary and question in large type, the agenda's
    progress and the timer. Nothing that identifies a person (no 管理番号, no names)."""
    room = access.open_room(request, pk, action="meeting.screen_viewed", summary="大画面表示")
    return render(
        request,
        "cases/room_screen.html",
        {"room": room, "meeting": room.meeting, "current": room.current, "now": timezone.now()},
    )


@member_required("meetings.view")
def meeting_room_state(request, pk):
    """Where the meeting stands, without content, for the presenter screen and the timers."""
    return JsonResponse(access.room_state(request.member, pk))


MINUTES_PDF = {"action": "meeting.minutes_printed", "summary": "会議録（PDF）", "document": "pdf"}


@member_required("meetings.view")
def meeting_minutes_pdf(request, pk):
    """The whole meeting's 会議録 (A4 PDF, fonts embedded): case codes, never a name. The kept
    file if what it shows is unchanged; otherwise the page that asks a worker to lay it out
    (a long meeting runs to several pages: docs/performance.md)."""
    room = access.room_unshown(request.member, pk)
    kept = minutes.kept_pdf(room)
    if kept is not None:
        access.show_room(request, room, **MINUTES_PDF)
        return attachment(kept, "application/pdf", f"{minutes.pdf_name(room)}.pdf")
    return render(request, "cases/minutes_pdf_request.html", {"meeting": room.meeting})


@require_POST
@member_required("meetings.view")
def meeting_minutes_pdf_make(request, pk):
    meeting = access.room_meeting(request.member, pk)
    result = tasks.meeting_minutes_pdf.enqueue(
        request.member.municipality_id, request.member.pk, meeting.pk
    )
    return redirect("cases:meeting_minutes_job", pk=result.id)


def minutes_job(request, pk):
    """A 会議録 job the member asked for (404 for anyone else's: the file was laid out with
    what its asker may read), of a meeting whose content the member may still read."""
    result = result_of(
        tasks.meeting_minutes_pdf, request.member.municipality_id, pk, asked_by=request.member
    )
    return result, access.room_meeting(request.member, result.args[2])


@member_required("meetings.view")
def meeting_minutes_job(request, pk):
    result, meeting = minutes_job(request, pk)
    return job_page(
        request,
        result,
        title="会議録（PDF）",
        job_url="cases:meeting_minutes_job",
        download_url="cases:meeting_minutes_job_download",
        back_url=reverse("meetings:meeting_detail", args=[meeting.pk]),
        back_label="会議の画面へ戻る",
    )


@member_required("meetings.view")
def meeting_minutes_job_download(request, pk):
    result, meeting = minutes_job(request, pk)
    # The gate again, and the one audit entry of the showing (written on the 200).
    return pdf_download(
        result,
        "cases:meeting_minutes_job",
        lambda value: access.open_room(request, meeting.pk, **MINUTES_PDF),
    )


@member_required("meetings.view")
def meeting_minutes_docx(request, pk):
    """The same 会議録 as a Word file, which municipalities file and amend."""
    room = access.open_room(
        request, pk, action="meeting.minutes_printed", summary="会議録（Word）", document="docx"
    )
    body = minutes.minutes_docx(room)
    return attachment(body, DOCX, f"minutes_{room.meeting.pk}.docx")
