"""Every import URL answers each hostile or broken file with a Japanese message on the form,
never a server error, and keeps nothing of it (issue: uploads with limits)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tsunagu.cases import screening
from tsunagu.centerwork import importing as center_records
from tsunagu.lib.tabular import DEFAULT_LIMITS
from tsunagu.lib.tests import hostile
from tsunagu.meetings.models import Meeting
from tsunagu.resources.models import Resource
from tsunagu.tests.url_names import reverse

JAPANESE = re.compile(r"[ぁ-んァ-ヶ一-龥]")

# Each import page with the fields it needs beside the file.
IMPORTS = {
    "meeting_import": {"layout": "long", "fiscal_year": "令和3年度"},
    "resource_import": {},
    "screening": {"month": "令和3年10月"},
    "business_import": {"kind": "consultations"},
}
# Imports whose row limit differs from the default.
ROW_LIMITS = {"screening": screening.LIMITS, "business_import": center_records.LIMITS}


@pytest.mark.parametrize("url", sorted(IMPORTS))
@pytest.mark.parametrize("name", sorted(hostile.ALL))
def test_it_refuses_each_hostile_file_with_a_japanese_message(city_client, settings, url, name):
    if name == "too_many_rows":
        # Benefit data may be longer than the lists staff type: one row past its own limit.
        limits = ROW_LIMITS.get(url, DEFAULT_LIMITS)
        filename, data = hostile.too_many_rows(limits.max_rows + 1)
    else:
        filename, data = hostile.ALL[name]()
    response = city_client.post(
        reverse(url), {"file": SimpleUploadedFile(filename, data), **IMPORTS[url]}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors and all(JAPANESE.search(error) for error in errors)
    assert not Meeting.objects.exists() and not Resource.objects.exists()
    assert list(settings.UPLOAD_STAGING_DIR.iterdir()) == []


def test_a_problem_list_shows_the_first_200_and_the_total(city_client):
    rows = "".join(f"サロン{n},ないもの,提供者\n" for n in range(300))
    data = ("名称,種別,提供主体\n" + rows).encode()
    response = city_client.post(
        reverse("resources:resource_import"), {"file": SimpleUploadedFile("r.csv", data)}
    )
    body = response.content.decode()
    assert "300件の問題があるため" in body
    assert "ほか100件の問題があります（先頭200件を表示しています）" in body
    assert body.count("「種別」列") == 200
