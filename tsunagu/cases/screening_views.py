"""The 生活援助 screening page: upload a month's benefit data, see what is flagged, download
it as XLSX, and turn a flagged plan into a case for a 生活援助 review meeting in one step."""

from datetime import date

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tsunagu.audit.services import record
from tsunagu.lib import tabular
from tsunagu.lib.downloads import XLSX, attachment
from tsunagu.lib.gate import member_required
from tsunagu.lib.params import parse_id
from tsunagu.lib.tabular.flow import (
    TemplateSheet,
    offer_kept,
    receive,
    refuse,
    template_links,
    template_response,
)

from . import access, screening, services

SESSION_KEY = "care_plan_screening"
# A new upload waits here until it screens without problems, so that a failed one leaves the
# last result (and its download) in place.
PENDING_KEY = "care_plan_screening_pending"
MAX_BYTES = 10 * 1024 * 1024


class ScreeningForm(forms.Form):
    required_css_class = "required"
    file = forms.FileField(label="給付実績（.csv / .xlsx）")
    month = forms.CharField(
        label="サービス提供年月", max_length=30, help_text="例: 2021-10、令和3年10月、R3.10"
    )

    def clean_month(self):
        try:
            return screening.parse_month(self.cleaned_data["month"])
        except screening.MonthError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload is not None and upload.size > MAX_BYTES:
            raise forms.ValidationError("ファイルが大きすぎます（10MBまで）。")
        return upload


# The template file: the columns in their order and one example line (訪問介護 under the
# 2018 rule's threshold for 要介護1).
TEMPLATE = {
    "benefit": TemplateSheet(
        "給付実績",
        list(screening.COLUMNS),
        [
            "1270000011",
            "○○ケアプランセンター（記入例）",
            "U0001",
            "要介護1",
            "2026-10",
            "訪問介護",
            "12",
            "8",
            "98000",
            "167650",
        ],
    )
}


@member_required("screening.run")
def screening_template(request):
    return template_response(request, TEMPLATE, "benefit_data")


def run(staged: tabular.Staged, month):
    table = tabular.read_table(staged.path, staged.filename, screening.LIMITS)
    rows, problems = screening.parse_benefit_data(table)
    return (None, problems) if problems else (screening.screen(rows, month=month), [])


@member_required("screening.run")
def screening_page(request):
    """Upload → result. A file with a problem (or a month that does not read) stays staged
    for the next try; a good one replaces the last result (kept for its download)."""
    kept = tabular.staged(request.session, PENDING_KEY)
    form, result, problems = ScreeningForm(request.POST or None, request.FILES or None), None, []
    if kept is not None:
        offer_kept(form, kept)
    if request.method == "POST":
        staged = receive(request.session, form, PENDING_KEY, kept, limits=screening.LIMITS)
        if staged is not None:
            try:
                result, problems = run(staged, form.cleaned_data["month"])
            except tabular.UnreadableFile as error:
                refuse(request.session, form, PENDING_KEY, error)
        if result is not None:
            tabular.keep_as(request.session, PENDING_KEY, SESSION_KEY)
            record(
                "screening.run",
                request=request,
                summary=f"生活援助の点検（{staged.filename}）",
                plans=len(result.plans),
                offices=len(result.offices),
            )
    return render(
        request,
        "cases/screening.html",
        {
            "form": form,
            "result": result,
            "problems": problems,
            "centers": access.centers_for_screening(request.member),
            "template_links": template_links(reverse("cases:screening_template"), TEMPLATE),
        },
    )


def last_result(request):
    staged = tabular.staged(request.session, SESSION_KEY)
    if staged is None:
        return None
    result, _ = run(staged, date.fromisoformat(staged.meta["month"]))
    return result


@member_required("screening.run")
def screening_xlsx(request):
    result = last_result(request)
    if result is None:
        messages.error(request, "先にファイルを点検してください。")
        return redirect("cases:screening")
    record(
        "report.exported",
        request=request,
        summary="生活援助の点検結果（xlsx）",
        report="screening",
    )
    return attachment(screening.to_xlsx(result), XLSX, "screening.xlsx")


@require_POST
@member_required("screening.run")
def screening_to_case(request):
    """One step from a flagged plan to a draft case for a 生活援助 review meeting."""
    result = last_result(request)
    if result is None:
        return redirect("cases:screening")
    key = (request.POST.get("office_number"), request.POST.get("user_number"))
    plan = next((p for p in result.plans if (p.office_number, p.user_number) == key), None)
    center = access.center_for_screening(request.member, parse_id(request.POST.get("center")) or 0)
    if plan is None:
        messages.error(request, "点検結果にない計画です。")
        return redirect("cases:screening")
    case = services.case_from_screening(plan=plan, center=center, by=request.user, request=request)
    messages.success(request, f"{case}を作成しました。年齢・性別・世帯などを確かめてください。")
    return redirect("cases:case_edit", pk=case.pk)
