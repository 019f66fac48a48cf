"""A big import of center records, a year's target list or a year's visits refreshes SQLite's
planner statistics once it commits (tsunagu.lib.planner.after_import), as the meetings and
resources imports do: a list of thousands of 管理番号 otherwise leaves the planner choosing
indexes as if the tables were small."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from tsunagu.audit import services as audit_services
from tsunagu.centerwork import services
from tsunagu.centerwork.models import Consultation, Event, OutreachTarget, OutreachVisit
from tsunagu.lib import planner

ROWS = planner.BIG_IMPORT + 1


def import_consultations(tmp_path, center, client):
    lines = ["センター,受付日,方法,相談者,区分,管理番号,対応,概要"]
    lines += [f"明第1,2026-10-01,電話,家族,認知症,M-{i:04d},訪問," for i in range(ROWS)]
    path = tmp_path / "soudan.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    call_command(
        "import_center_records",
        str(path),
        municipality=center.municipality.code,
        kind="consultations",
        stdout=io.StringIO(),
    )
    return Consultation.objects.count()


def import_events(tmp_path, center, client):
    lines = ["センター,種別,開催日,名称,参加者数"]
    lines += [f"明第1,認知症カフェ,2026-10-01,カフェ{i},10" for i in range(ROWS)]
    path = tmp_path / "events.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    call_command(
        "import_center_records",
        str(path),
        municipality=center.municipality.code,
        kind="events",
        stdout=io.StringIO(),
    )
    return Event.objects.count()


def upload_targets(tmp_path, center, client):
    text = "管理番号\n" + "".join(f"T-{i:04d}\n" for i in range(ROWS))
    response = client.post(
        reverse("centerwork:outreach"),
        {
            "action": "targets",
            "targets-kind": "survey",
            "targets-source_list": "a",
            "targets-fiscal_year": "R8",
            "targets-file": SimpleUploadedFile("list.csv", text.encode("utf-8")),
        },
    )
    assert response.status_code == 302
    return OutreachTarget.objects.count()


def import_visits(tmp_path, center, client):
    visits = [
        OutreachVisit(
            kind="survey",
            person_ref=f"V-{i:04d}",
            visited_on=datetime.date(2026, 10, 1),
            result="met",
        )
        for i in range(ROWS)
    ]
    services.import_visits(center=center, visits=visits, by=None)
    return OutreachVisit.objects.count()


@pytest.mark.parametrize(
    "run_import", [import_consultations, import_events, upload_targets, import_visits]
)
def test_a_big_import_refreshes_the_planner_statistics_once_committed(
    run_import, tmp_path, center, staff_client, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []

    def spy(rows, *args, **kwargs):
        calls.append(rows)
        return planner.after_import(rows, *args, **kwargs)

    # The record imports reach it through the import's audit entry (log_import), the lists
    # of targets and visits directly.
    monkeypatch.setattr(services, "after_import", spy)
    monkeypatch.setattr(audit_services, "after_import", spy)
    optimized = []
    monkeypatch.setattr(planner, "optimize", lambda using="default": optimized.append(using))
    with django_capture_on_commit_callbacks(execute=True):
        assert run_import(tmp_path, center, staff_client) == ROWS
    assert calls == [ROWS]
    assert optimized == ["default"]  # once, after the import's transaction committed
