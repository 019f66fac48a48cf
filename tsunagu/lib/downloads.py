"""Files users download: PDFs drawn from a template, and the response that saves a file."""

from django.http import HttpResponse
from django.template.loader import render_to_string

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def render_pdf(template: str, context: dict) -> bytes:
    # Imported here: WeasyPrint loads Pango at import, which only PDF requests need.
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context)).write_pdf()


def attachment(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
