"""The resource directory as CSV and XLSX (the columns the importer reads back), and the
printable list of one area's resources as PDF, for residents and care managers."""

from itertools import groupby

from django.utils import timezone

from tsunagu.lib.downloads import render_pdf
from tsunagu.lib.tabular import XlsxBook, csv_bytes
from tsunagu.lib.tabular.writing import WRAP
from tsunagu.lib.wareki import format_wareki

from .choices import ResourceKind, ResourceStatus
from .models import Resource

# The same columns for export and import (importing.py), so a file goes back in unchanged.
# Several places: one per line in the three 会場 columns.
COLUMNS = [
    "名称",
    "種別",
    "提供主体",
    "内容",
    "対象圏域",
    "会場名",
    "郵便番号",
    "会場住所",
    "日時",
    "対象者",
    "費用",
    "定員",
    "電話番号",
    "メールアドレス",
    "状態",
    "最終確認日",
]
ALL_AREAS = "市全域"
AREA_SEPARATOR = "、"


def _lines(values) -> str:
    """One value per line, the lines of the three 会場 columns matching up; empty if none."""
    values = list(values)
    return "\n".join(values) if any(values) else ""


def resource_row(resource: Resource) -> list:
    """One resource as the cells of COLUMNS; `resource` has provider, areas and places."""
    places = list(resource.places.all())
    areas = [area.name for area in resource.areas.all()]
    return [
        resource.name,
        resource.get_kind_display(),
        resource.provider_label,
        resource.description,
        AREA_SEPARATOR.join(areas) or ALL_AREAS,
        _lines(place.name for place in places),
        _lines(place.postal_code for place in places),
        _lines(place.address for place in places),
        resource.schedule_text,
        resource.eligibility,
        resource.cost,
        resource.capacity if resource.capacity is not None else "",
        resource.phone,
        resource.email,
        resource.get_status_display(),
        resource.last_confirmed_on or "",
    ]


def to_csv(resources) -> bytes:
    """UTF-8 with BOM, so that Excel on Japanese Windows opens it without garbling."""
    return csv_bytes([COLUMNS, *(resource_row(resource) for resource in resources)])


def to_xlsx(resources) -> bytes:
    book = XlsxBook()
    sheet = book.sheet("社会資源")
    sheet.header(COLUMNS)
    confirmed = COLUMNS.index("最終確認日")
    for resource in resources:
        cells = sheet.append(resource_row(resource))
        for cell in cells:
            cell.alignment = WRAP
        cells[confirmed].number_format = "yyyy-mm-dd"
    widths = {"名称": 28, "内容": 40, "日時": 26, "会場名": 22, "会場住所": 28, "提供主体": 24}
    sheet.widths([widths.get(name, 14) for name in COLUMNS])
    sheet.freeze("A2")
    return book.to_bytes()


def area_list_pdf(municipality, area, resources) -> bytes:
    """資源一覧 of one area: its own resources and the whole municipality's, by kind.

    Only resources that run (運営中) are printed: a list for residents must not send them to
    a salon that has stopped. `resources` come with provider, areas and places.
    """
    running = [r for r in resources if r.status == ResourceStatus.ACTIVE]
    order = ResourceKind.values
    running.sort(key=lambda r: (order.index(r.kind), r.name))
    groups = [
        (ResourceKind(kind).label, list(rows))
        for kind, rows in groupby(running, key=lambda r: r.kind)
    ]
    return render_pdf(
        "resources/resource_list_pdf.html",
        {
            "municipality": municipality,
            "area": area,
            "groups": groups,
            "count": len(running),
            "printed_on": format_wareki(timezone.localdate()),
        },
    )
