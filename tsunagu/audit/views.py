import itertools
import json

from django.apps import apps
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from tsunagu.lib.gate import member_required
from tsunagu.lib.listing import is_htmx, paginate
from tsunagu.lib.tabular import csv_lines
from tsunagu.lib.wareki import format_wareki

from .access import AUDIT_PERMISSION, entries_visible_to
from .forms import AuditFilterForm
from .labels import action_choices
from .services import record

CSV_HEADER = [
    "通番",
    "日時",
    "和暦",
    "操作",
    "操作コード",
    "利用者ID",
    "利用者名",
    "対象の種類",
    "対象ID",
    "概要",
    "詳細",
    "接続元",
    "ハッシュ",
]


@member_required(AUDIT_PERMISSION)
def entry_list(request):
    form = AuditFilterForm(request.GET or None)
    form.is_valid()
    visible = entries_visible_to(request.member)
    if request.GET.get("format") == "csv" and not form.errors:
        return export_csv(request, form, form.filter(visible))
    context = {"form": form, "page": paginate(request, form.filter(visible))}
    if is_htmx(request):
        return render(request, "audit/_entry_results.html", context)
    context["actions"] = action_choices()
    context["target_types"] = target_types()
    return render(request, "audit/entry_list.html", context)


def target_types() -> list[tuple[str, str]]:
    """Every model of the system as (target_type, name), from the code: no query of the log,
    which may hold millions of rows."""
    models = [
        model
        for config in apps.get_app_configs()
        if config.name.startswith("tsunagu.")
        for model in config.get_models()
    ]
    return sorted(
        ((model._meta.label_lower, str(model._meta.verbose_name)) for model in models),
        key=lambda choice: choice[1],
    )


def export_csv(request, form, entries):
    """The filtered entries as CSV, streamed: the log can be far larger than memory."""
    record(
        "audit.exported",
        request=request,
        summary="監査ログ（CSV）",
        conditions=form.used(),
    )
    rows = (csv_row(entry) for entry in entries.order_by("-seq").iterator(chunk_size=2000))
    response = StreamingHttpResponse(
        csv_lines(itertools.chain([CSV_HEADER], rows)), content_type="text/csv; charset=utf-8"
    )
    filename = f"audit_{timezone.localtime():%Y%m%d_%H%M%S}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_row(entry) -> list:
    at = timezone.localtime(entry.at)
    return [
        entry.seq,
        f"{at:%Y-%m-%d %H:%M:%S}",
        f"{format_wareki(at.date())} {at:%H:%M:%S}",
        entry.action_label,
        entry.action,
        entry.actor_id if entry.actor_id is not None else "",
        entry.actor_username,
        entry.target_label,
        entry.target_id,
        entry.summary,
        json.dumps(entry.data, ensure_ascii=False, sort_keys=True) if entry.data else "",
        entry.ip_address or "",
        entry.hash,
    ]
