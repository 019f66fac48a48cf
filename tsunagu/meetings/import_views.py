"""Importing meetings from a spreadsheet: upload, preview with every problem, confirm
(the shared flow of lib/tabular/flow.py; large files are saved in the background)."""

from tsunagu.lib import tabular
from tsunagu.lib.tabular.flow import ImportFlow

from . import access, importing
from .forms import ImportForm


def parse_upload(member, staged: tabular.Staged):
    table = importing.read_table(staged.path, staged.filename)
    parse = importing.parse_matrix if staged.meta["layout"] == "matrix" else importing.parse_long
    return parse(table, municipality=member.municipality, fiscal_year=staged.meta["fiscal_year"])


FLOW = ImportFlow(
    key="meetings:meeting_import",
    path="tsunagu.meetings.import_views.FLOW",
    permission="meetings.import",
    title="会議の取り込み",
    form_class=ImportForm,
    page_template="meetings/meeting_import.html",
    parse=parse_upload,
    save=importing.import_meetings,
    done_message="{count}件の会議を取り込みました。",
    done_url="meetings:meeting_list",
    templates=importing.template_sheets,
    template_filename="meetings_import",
    form_kwargs=lambda request: {"fiscal_years": access.fiscal_years_for_import(request.member)},
)

meeting_import, meeting_import_template, meeting_import_job = FLOW.views()
