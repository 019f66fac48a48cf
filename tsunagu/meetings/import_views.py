"""Importing meetings from a spreadsheet: upload, preview with every problem, confirm."""

from django.contrib import messages
from django.shortcuts import redirect, render

from tsunagu.lib import tabular
from tsunagu.lib.gate import member_required

from . import importing
from .forms import ImportForm

IMPORT_SESSION_KEY = "meeting_import"


def parse_upload(member, staged: tabular.Staged):
    table = importing.read_table(staged.path, staged.filename)
    parse = importing.parse_matrix if staged.meta["layout"] == "matrix" else importing.parse_long
    return parse(table, municipality=member.municipality, fiscal_year=staged.meta["fiscal_year"])


@member_required("meetings.import")
def meeting_import(request):
    """Upload → preview with every problem → confirm. The file is parsed again on confirm,
    since meetings may have been added in between."""
    form, result = ImportForm(), None
    if request.method == "POST" and request.POST.get("action") == "confirm":
        staged = tabular.staged(request.session, IMPORT_SESSION_KEY)
        if staged is None:
            messages.error(
                request, "確認中のファイルがありません。もう一度アップロードしてください。"
            )
            return redirect("meeting_import")
        result = parse_upload(request.member, staged)
        if result.ok:
            count = importing.import_meetings(
                result,
                municipality=request.member.municipality,
                by=request.user,
                request=request,
                source=staged.filename,
            )
            tabular.discard(request.session, IMPORT_SESSION_KEY)
            messages.success(request, f"{count}件の会議を取り込みました。")
            return redirect("meeting_list")
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                staged = tabular.stage(
                    request.session,
                    IMPORT_SESSION_KEY,
                    form.cleaned_data["file"],
                    layout=form.cleaned_data["layout"],
                    fiscal_year=form.cleaned_data["fiscal_year"],
                )
                result = parse_upload(request.member, staged)
            except tabular.UnreadableFile as error:
                tabular.discard(request.session, IMPORT_SESSION_KEY)
                form.add_error("file", str(error))
    return render(
        request,
        "meetings/meeting_import.html",
        {
            "form": form,
            "result": result,
            "preview": result.rows[:100] if result is not None else [],
        },
    )
