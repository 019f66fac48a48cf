"""Importing meetings from a spreadsheet: upload, preview with every problem, confirm."""

import base64

from django.contrib import messages
from django.shortcuts import redirect, render

from tsunagu.lib.gate import member_required

from . import importing
from .forms import ImportForm

IMPORT_SESSION_KEY = "meeting_import"


def parse_upload(member, data: bytes, filename: str, layout: str, fiscal_year):
    table = importing.read_table(data, filename)
    if layout == "matrix":
        return importing.parse_matrix(
            table, municipality=member.municipality, fiscal_year=fiscal_year
        )
    return importing.parse_long(table, municipality=member.municipality, fiscal_year=fiscal_year)


@member_required("meetings.import")
def meeting_import(request):
    """Upload → preview with every problem → confirm. The file is parsed again on confirm,
    since meetings may have been added in between."""
    form, result = ImportForm(), None
    if request.method == "POST" and request.POST.get("action") == "confirm":
        pending = request.session.get(IMPORT_SESSION_KEY)
        if pending is None:
            messages.error(
                request, "確認中のファイルがありません。もう一度アップロードしてください。"
            )
            return redirect("meeting_import")
        data = base64.b64decode(pending["data"])
        result = parse_upload(
            request.member, data, pending["filename"], pending["layout"], pending["fiscal_year"]
        )
        if result.ok:
            count = importing.import_meetings(
                result,
                municipality=request.member.municipality,
                by=request.user,
                request=request,
                source=pending["filename"],
            )
            del request.session[IMPORT_SESSION_KEY]
            messages.success(request, f"{count}件の会議を取り込みました。")
            return redirect("meeting_list")
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload, cleaned = form.cleaned_data["file"], form.cleaned_data
            data = upload.read()
            try:
                result = parse_upload(
                    request.member, data, upload.name, cleaned["layout"], cleaned["fiscal_year"]
                )
            except importing.UnreadableFile as error:
                form.add_error("file", str(error))
            else:
                request.session[IMPORT_SESSION_KEY] = {
                    "data": base64.b64encode(data).decode(),
                    "filename": upload.name,
                    "layout": cleaned["layout"],
                    "fiscal_year": cleaned["fiscal_year"],
                }
    return render(
        request,
        "meetings/meeting_import.html",
        {
            "form": form,
            "result": result,
            "preview": result.rows[:100] if result is not None else [],
        },
    )
