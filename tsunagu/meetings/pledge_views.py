"""Signing the 誓約書 for a meeting, recording paper pledges, and the blank form as PDF."""

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from tsunagu.audit.services import record
from tsunagu.confidentiality.access import privacy_settings
from tsunagu.confidentiality.models import PledgeScope
from tsunagu.confidentiality.services import policy_for_signing
from tsunagu.lib.downloads import attachment, render_pdf
from tsunagu.lib.fiscal import fiscal_year
from tsunagu.lib.gate import member_required

from . import access, services
from .content_rule import has_pledge
from .forms import PaperPledgeForm, SignForm
from .models import Pledge, PledgeMethod


def new_pledge(meeting, scope, **fields) -> Pledge:
    """A pledge covering this meeting, or its 年度 when the municipality signs per year."""
    if scope == PledgeScope.PER_FISCAL_YEAR:
        return Pledge(
            municipality=meeting.municipality, fiscal_year=fiscal_year(meeting.date), **fields
        )
    return Pledge(municipality=meeting.municipality, meeting=meeting, **fields)


@member_required("meetings.view")
def meeting_pledge(request, pk):
    """The participant reads the policy and signs on screen (time and version are kept)."""
    member = request.member
    meeting = access.meeting_for_user(member, pk)
    scope = privacy_settings(meeting.municipality).pledge_scope
    policy = policy_for_signing(meeting.municipality, by=request.user)
    if has_pledge(member, meeting, scope):
        messages.info(request, "この会議の誓約書には署名済みです。")
        return redirect("meetings:meeting_detail", pk=pk)
    pledge = new_pledge(
        meeting, scope, user=request.user, person=member.person, method=PledgeMethod.ONLINE
    )
    initial = {
        "signer_name": request.user.full_name,
        "affiliation": str(member.center or (member.person and member.person.affiliation) or ""),
    }
    form = SignForm(request.POST or None, instance=pledge, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_pledge(pledge=form.instance, by=request.user, request=request)
            messages.success(request, "誓約書に署名しました。")
            return redirect("meetings:meeting_detail", pk=pk)
        except ValidationError as error:
            form.add_error(None, error)
    return render(
        request,
        "meetings/meeting_pledge.html",
        {"meeting": meeting, "policy": policy, "form": form, "scope": scope},
    )


@member_required("meetings.view")
def meeting_pledge_paper(request, pk):
    """Staff record a pledge received on paper, with the scanned sheet if there is one."""
    meeting = access.meeting_for_user(request.member, pk, write=True)
    scope = privacy_settings(meeting.municipality).pledge_scope
    attendances = list(meeting.attendances.select_related("person"))
    people = [a.person for a in attendances if a.person_id]
    pledge = new_pledge(meeting, scope, method=PledgeMethod.PAPER)
    form = PaperPledgeForm(
        request.POST or None,
        request.FILES or None,
        instance=pledge,
        people=people,
        off_roster=[a for a in attendances if not a.person_id],
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_pledge(pledge=form.instance, by=request.user, request=request)
            messages.success(
                request, f"{form.instance.signer_name}さんの誓約書（紙）を記録しました。"
            )
            return redirect("meetings:meeting_detail", pk=pk)
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "meetings/meeting_pledge_paper.html", {"meeting": meeting, "form": form})


@member_required("meetings.view")
def meeting_pledge_pdf(request, pk):
    """The blank 誓約書 for this meeting, to print and hand out (seed 000's form)."""
    meeting = access.meeting_for_user(request.member, pk)
    policy = policy_for_signing(meeting.municipality, by=request.user)
    pdf = render_pdf("meetings/pledge_form_pdf.html", {"meeting": meeting, "policy": policy})
    return attachment(pdf, "application/pdf", f"pledge_{meeting.pk}.pdf")


@member_required("meetings.view")
def pledge_scan(request, pk, pledge_pk):
    """The scanned paper pledge, for those who run the meeting; never a public file URL."""
    meeting = access.meeting_for_user(request.member, pk, write=True)
    pledge = access.pledge_of(meeting, pledge_pk)
    if not pledge.scan:
        raise Http404
    record(
        "pledge.scan_viewed",
        target=pledge,
        request=request,
        summary=str(pledge),
    )
    return FileResponse(
        pledge.scan.open("rb"),
        as_attachment=True,
        filename=f"pledge_{pledge.pk}{Path(pledge.scan.name).suffix}",
    )
