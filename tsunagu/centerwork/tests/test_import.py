"""Importing a year of logs: all or nothing, every problem with its row and column."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from tsunagu.centerwork import importing
from tsunagu.centerwork.models import Consultation, Event, Submission

HEADER = "センター,受付日,方法,相談者,区分,管理番号,対応,概要\n"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(path, municipality, kind):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_center_records",
        str(path),
        municipality=municipality.code,
        kind=kind,
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


def test_it_imports_consultations_with_several_categories(tmp_path, center):
    path = write(
        tmp_path,
        "soudan.csv",
        HEADER
        + "明第1,2026-10-01,電話,家族,認知症、虐待（疑い）,M-001,訪問,物忘れと生傷\n"
        + "明第1地域包括支援センター,令和8年10月2日,来所,本人,介護保険,M-002,情報提供,\n",
    )
    out, _ = run(path, center.municipality, "consultations")
    assert "2件" in out
    first = Consultation.objects.get(person_ref="M-001")
    assert sorted(c.name for c in first.categories.all()) == ["虐待(疑い)", "認知症"]
    assert Consultation.objects.get(person_ref="M-002").received_on == datetime.date(2026, 10, 2)


def test_it_imports_nothing_and_names_row_and_column_of_each_problem(tmp_path, center):
    path = write(
        tmp_path,
        "soudan.csv",
        HEADER
        + "明第1,2026-10-01,電話,家族,認知症,M-001,訪問,\n"
        + "明第9,2026-10-01,電話,家族,認知症,M-002,訪問,\n"
        + "明第1,2026-13-01,伝書鳩,家族,占い,,訪問,\n",
    )
    with pytest.raises(CommandError, match="5件の問題"):
        run(path, center.municipality, "consultations")
    assert Consultation.objects.count() == 0
    table = importing.read_upload(path.read_bytes(), path.name)
    result = importing.parse(table, municipality=center.municipality, kind="consultations")
    where = [(p.row, p.column) for p in result.problems]
    assert where[:1] == [(3, "センター")]
    assert set(where[1:]) == {(4, "受付日"), (4, "方法"), (4, "区分"), (4, "管理番号")}
    assert any(str(p).startswith("4行目「方法」列: 方法「伝書鳩」") for p in result.problems)


def test_it_reports_a_missing_column_and_an_overlong_cell(tmp_path, center):
    path = write(tmp_path, "a.csv", "センター,受付日,方法\n明第1,2026-10-01,電話\n")
    table = importing.read_upload(path.read_bytes(), path.name)
    result = importing.parse(table, municipality=center.municipality, kind="consultations")
    assert {p.column for p in result.problems} == {"相談者", "区分", "管理番号", "対応"}
    long_ref = "x" * (importing.MAX_CELL + 1)
    path = write(tmp_path, "b.csv", HEADER + f"明第1,2026-10-01,電話,家族,医療,{long_ref},訪問,\n")
    table = importing.read_upload(path.read_bytes(), path.name)
    result = importing.parse(table, municipality=center.municipality, kind="consultations")
    assert [(p.row, p.column) for p in result.problems] == [(2, "管理番号")]


def test_it_refuses_a_file_over_the_size_limit(center):
    with pytest.raises(importing.UnreadableFile, match="大きすぎます"):
        importing.read_upload(b"x" * (importing.LIMITS.max_bytes + 1), "big.csv")


def test_it_refuses_the_same_consultations_twice(tmp_path, center):
    path = write(tmp_path, "s.csv", HEADER + "明第1,2026-10-01,電話,家族,医療,M-1,訪問,熱\n")
    run(path, center.municipality, "consultations")
    with pytest.raises(CommandError):
        run(path, center.municipality, "consultations")
    assert Consultation.objects.count() == 1


def test_it_refuses_rows_in_a_month_already_reported(tmp_path, center):
    Submission.objects.create(
        municipality=center.municipality,
        center=center,
        kind="monthly",
        period_start=datetime.date(2026, 10, 1),
        status="submitted",
    )
    path = write(tmp_path, "s.csv", HEADER + "明第1,2026-10-01,電話,家族,医療,M-1,訪問,\n")
    table = importing.read_upload(path.read_bytes(), path.name)
    result = importing.parse(table, municipality=center.municipality, kind="consultations")
    assert [(p.row, p.column) for p in result.problems] == [(2, "受付日")]
    assert "提出済" in result.problems[0].message


def test_it_imports_events_from_xlsx(tmp_path, center):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["センター", "種別", "開催日", "名称", "参加者数"])
    sheet.append(["明第1", "認知症カフェ", datetime.date(2026, 10, 3), "オレンジカフェ", 14])
    sheet.append(["明第1", "介護予防講座", "R8.10.20", "いきいき体操", 22])
    path = tmp_path / "events.xlsx"
    workbook.save(path)
    out, _ = run(path, center.municipality, "events")
    assert "2件" in out
    assert sorted(Event.objects.values_list("kind", "participants")) == [
        ("cafe", 14),
        ("prevention", 22),
    ]


def test_it_names_bad_event_cells(tmp_path, center):
    path = write(
        tmp_path,
        "e.csv",
        "センター,種別,開催日,名称,参加者数\n明第1,花見,2026-10-01,,たくさん\n",
    )
    with pytest.raises(CommandError):
        run(path, center.municipality, "events")
    table = importing.read_upload(path.read_bytes(), path.name)
    result = importing.parse(table, municipality=center.municipality, kind="events")
    assert [(p.row, p.column) for p in result.problems] == [
        (2, "種別"),
        (2, "名称"),
        (2, "参加者数"),
    ]
    assert Event.objects.count() == 0
