"""The directory in and out: CSV, XLSX, HSDS JSON and per-area PDF exports, and the import
from a spreadsheet with its confirm step."""

from django.http import JsonResponse

from tsunagu.audit.services import record
from tsunagu.lib import tabular
from tsunagu.lib.downloads import attachment
from tsunagu.lib.gate import member_required
from tsunagu.lib.tabular.flow import ImportFlow

from . import access, exports, hsds, importing, matching
from .forms import (
    ImportForm,
)
from .views import filtered_resources

VIEW, EDIT = access.VIEW, access.EDIT
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- Exports -------------------------------------------------------------------------------


def _log_export(request, kind: str, count: int, **data):
    record(
        "report.exported",
        request=request,
        summary=f"社会資源（{kind}・{count}件）",
        report="resources",
        format=kind,
        count=count,
        **data,
    )


@member_required(VIEW)
def resource_export_csv(request):
    _form, rows = filtered_resources(request)
    rows = list(rows)
    _log_export(request, "csv", len(rows))
    return attachment(exports.to_csv(rows), "text/csv; charset=utf-8", "resources.csv")


@member_required(VIEW)
def resource_export_xlsx(request):
    _form, rows = filtered_resources(request)
    rows = list(rows)
    _log_export(request, "xlsx", len(rows))
    return attachment(exports.to_xlsx(rows), XLSX, "resources.xlsx")


@member_required(VIEW)
def resource_hsds(request):
    """Read-only HSDS 3.0 JSON of the member's municipality: the directory only, no needs,
    cases or people (hsds.py). Any role that reads resources may fetch it."""
    municipality = request.member.municipality
    document = hsds.hsds_document(municipality)
    _log_export(request, "hsds", len(document["services"]))
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})
    # A file to hand to other systems, not a page: the browser saves it.
    response["Content-Disposition"] = (
        f'attachment; filename="hsds_{municipality.code or municipality.pk}.json"'
    )
    return response


@member_required(VIEW)
def resource_area_pdf(request, pk):
    """資源一覧 of one area, to hand to residents and care managers."""
    area = access.area_of(request.member, pk)
    rows = [m.resource for m in matching.resources_for(request.member.municipality, area=area)]
    body = exports.area_list_pdf(request.member.municipality, area, rows)
    _log_export(request, "pdf", len(rows), area=area.pk)
    return attachment(body, "application/pdf", f"resources_area_{area.pk}.pdf")


# --- Import --------------------------------------------------------------------------------


def parse_upload(member, staged: tabular.Staged):
    table = importing.read_table(staged.path, staged.filename)
    return importing.parse_resources(table, municipality=member.municipality)


# Upload → preview with every problem → confirm; parsed again on confirm, since resources may
# have been added in between (lib/tabular/flow.py).
IMPORT = ImportFlow(
    key="resources:resource_import",
    path="tsunagu.resources.transfer_views.IMPORT",
    permission=EDIT,
    title="社会資源の取り込み",
    form_class=ImportForm,
    page_template="resources/resource_import.html",
    parse=parse_upload,
    save=importing.import_resources,
    done_message="{count}件の社会資源を取り込みました。",
    done_url="resources:resource_list",
    templates=importing.template_sheets,
    template_filename="resources_import",
    extra_context=lambda request: {"columns": exports.COLUMNS},
)

resource_import, resource_import_template, resource_import_job = IMPORT.views()
