"""資料2 and 資料3 each on their own pages, without edit controls when printed (issue 16)."""

import datetime
import subprocess

from django.conf import settings
from django.urls import reverse

from tsunagu.issues import documents
from tsunagu.issues.overview import city_meeting_documents
from tsunagu.lib.fiscal import fiscal_year

from .conftest import new_issue


def _pages(pdf: bytes) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return text.split("\f")


def test_it_starts_sheet_3_on_a_new_page_of_the_pdf(municipality, area):
    docs = city_meeting_documents(
        municipality, datetime.date(2026, 4, 1), datetime.date(2027, 3, 31)
    )
    pages = _pages(documents.to_pdf(docs, municipality))
    first = next(i for i, page in enumerate(pages) if "資料2" in page)
    second = next(i for i, page in enumerate(pages) if "資料3" in page)
    assert second > first and "資料3" not in pages[first]


def test_it_marks_each_sheet_for_its_own_printed_page(city_client, municipality):
    issue = new_issue(municipality, "移動手段の確保", level="city")
    body = city_client.get(
        reverse("issues:city_documents"), {"fy": fiscal_year(issue.opened_on)}
    ).content.decode()
    assert body.count('<section class="print-sheet"') == 2
    css = (settings.BASE_DIR / "static" / "css" / "tsunagu.css").read_text(encoding="utf-8")
    assert ".print-sheet + .print-sheet { break-before: page; }" in css
