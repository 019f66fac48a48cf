"""From a 困難事例 to a case; progress against targets; coordinators; the import page."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tsunagu.cases.models import Case
from tsunagu.centerwork import reporting, services
from tsunagu.centerwork.models import Consultation, Event, OutreachVisit, YearTarget
from tsunagu.organizations.models import Area, Center, Person
from tsunagu.tests.url_names import reverse

from .helpers import OCTOBER, consult

CASE_FIELDS = {"age_band": "80", "sex": "female", "care_level": "care_1", "household": "alone"}


def test_a_difficult_case_becomes_a_case_in_one_step(staff_client, center):
    consultation = consult(center, OCTOBER, "D-7", "困難事例", summary="支援を拒否")
    response = staff_client.post(
        reverse("centerwork:consultation_to_case", args=[consultation.pk]), CASE_FIELDS
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "cases:case_detail", args=[case.pk]
    )
    assert (case.center, case.center_reference, case.status) == (center, "D-7", "draft")
    consultation.refresh_from_db()
    assert consultation.case == case
    page = staff_client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "総合相談から作成" in page and "D-7" in page


def test_only_a_difficult_case_becomes_a_case_and_only_once(staff_client, center):
    plain = consult(center, OCTOBER, "D-8", "医療")
    staff_client.post(reverse("centerwork:consultation_to_case", args=[plain.pk]), CASE_FIELDS)
    assert Case.objects.count() == 0
    hard = consult(center, OCTOBER, "D-9", "困難事例")
    staff_client.post(reverse("centerwork:consultation_to_case", args=[hard.pk]), CASE_FIELDS)
    staff_client.post(reverse("centerwork:consultation_to_case", args=[hard.pk]), CASE_FIELDS)
    assert Case.objects.count() == 1


def test_a_contact_in_continuing_support_is_kept_with_its_date(staff_client, center):
    consultation = consult(center, OCTOBER, "F-1", "認知症")
    staff_client.post(
        reverse("centerwork:consultation_detail", args=[consultation.pk]),
        {"contacted_on": "R8.10.12", "method": "home_visit", "note": "自宅で面談"},
    )
    contact = consultation.contacts.get()
    assert contact.contacted_on == datetime.date(2026, 10, 12)


def test_progress_is_behind_when_fewer_are_done_than_the_months_passed(center):
    YearTarget.objects.create(
        municipality=center.municipality, center=center, fiscal_year=2026, item="cafe", target=12
    )
    for month in (4, 5):
        Event.objects.create(
            municipality=center.municipality,
            center=center,
            kind="cafe",
            held_on=datetime.date(2026, month, 10),
            title="カフェ",
            participants=10,
        )
    for i in range(30):
        OutreachVisit.objects.create(
            municipality=center.municipality,
            center=center,
            kind="survey",
            person_ref=f"V-{i % 25}",
            visited_on=datetime.date(2026, 5, 1),
            result="met",
        )
    progress = reporting.year_progress(
        center.municipality, 2026, [center], today=datetime.date(2026, 10, 15)
    )
    rows = {p.item: p for p in progress[center.pk]}
    # Six months have ended: 6 cafés due, 2 held; 50 people due, 25 seen (distinct numbers).
    assert (rows["cafe"].expected, rows["cafe"].actual, rows["cafe"].behind) == (6, 2, True)
    assert (rows["outreach"].expected, rows["outreach"].actual) == (50, 25)
    assert rows["prevention"].target == 12  # seed 001's default: once a month


def test_the_home_page_marks_a_center_behind_in_red(staff_client, center):
    body = staff_client.get(reverse("centerwork:business_home")).content.decode()
    assert center.name in body and "介護予防講座" in body


def test_the_coordinator_rule_is_checked_against_the_directory(municipality):
    central = Area.objects.create(municipality=municipality, name="中央")
    core = Center.objects.create(
        municipality=municipality, name="基幹型", is_core=True, area=central
    )
    other = Center.objects.create(municipality=municipality, name="北部センター")
    for center, profession in (
        (core, "coordinator_1"),
        (core, "coordinator_2"),
        (other, "coordinator_2"),
    ):
        Person.objects.create(
            municipality=municipality,
            name="コーディネーター",
            furigana="コーディネーター",
            profession=profession,
            center=center,
        )
    checks = {c.center.name: c for c in reporting.coordinator_checks(municipality)}
    assert checks["基幹型"].problems == []
    assert checks["北部センター"].problems == ["第2層 1人（必要 2人）"]


def test_the_import_page_previews_problems_then_imports_on_confirm(staff_client, center):
    header = "センター,受付日,方法,相談者,区分,管理番号,対応,概要\n"
    bad = (header + "明第1,2026-10-01,電話,家族,魔法,W-1,訪問,\n").encode()
    response = staff_client.post(
        reverse("centerwork:business_import"),
        {"kind": "consultations", "file": SimpleUploadedFile("a.csv", bad)},
    )
    assert "2行目「区分」列" in response.content.decode()
    response = staff_client.post(reverse("centerwork:business_import"), {"action": "confirm"})
    assert Consultation.objects.count() == 0
    good = (header + "明第1,2026-10-01,電話,家族,医療,W-1,訪問,\n").encode()
    response = staff_client.post(
        reverse("centerwork:business_import"),
        {"kind": "consultations", "file": SimpleUploadedFile("b.csv", good)},
    )
    assert "1件を取り込めます" in response.content.decode()
    staff_client.post(reverse("centerwork:business_import"), {"action": "confirm"})
    assert Consultation.objects.get().person_ref == "W-1"


def test_a_center_cannot_import_another_centers_rows(staff_client, municipality, center):
    Center.objects.create(municipality=municipality, name="別")
    data = "センター,種別,開催日,名称,参加者数\n別,認知症カフェ,2026-10-01,カフェ,3\n".encode()
    response = staff_client.post(
        reverse("centerwork:business_import"),
        {"kind": "events", "file": SimpleUploadedFile("e.csv", data)},
    )
    assert "自センター以外" in response.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "event_list",
        "outreach",
        "volunteer_list",
        "guidance_list",
        "annual_overview",
        "coordinator_check",
    ],
)
def test_each_page_opens_for_center_staff(staff_client, center, name):
    assert staff_client.get(reverse(name)).status_code == 200


def test_center_staff_record_events_visits_and_points(staff_client, center):
    staff_client.post(
        reverse("centerwork:event_list"),
        {
            "kind": "supporter",
            "held_on": "2026-10-03",
            "title": "サポーター養成講座",
            "caravan_mate": "山田",
            "participants": "25",
            "headcount_text": "住民 20、民生委員 5",
        },
    )
    event = Event.objects.get()
    assert event.headcount == {"住民": 20, "民生委員": 5} and event.caravan_mate == "山田"
    staff_client.post(
        reverse("centerwork:outreach"),
        {
            "action": "targets",
            "targets-kind": "survey",
            "targets-source_list": "a",
            "targets-fiscal_year": "R8",
            "targets-file": SimpleUploadedFile("list.csv", "管理番号\nT-1\nT-2\n".encode()),
        },
    )
    staff_client.post(
        reverse("centerwork:outreach"),
        {
            "action": "visit",
            "visit-kind": "survey",
            "visit-person_ref": "T-1",
            "visit-visited_on": "2026-10-04",
            "visit-result": "met",
        },
    )
    visit = OutreachVisit.objects.get()
    assert visit.target is not None and visit.target.source_list == "a"
    staff_client.post(
        reverse("centerwork:volunteer_list"),
        {
            "action": "register",
            "kind": "prevention",
            "number": "V-001",
            "name": "小林 花子",
            "registered_on": "2026-04-01",
        },
    )
    volunteer = services.Volunteer.objects.get()
    staff_client.post(
        reverse("centerwork:volunteer_list"),
        {
            "action": "activity",
            "volunteer": volunteer.pk,
            "done_on": "2026-10-05",
            "programme": "サロン",
            "points": "5",
        },
    )
    figures = reporting.month_figures(center.municipality, 2026, 10)["centers"][center.name]
    assert figures["volunteers"] == {"activities": 1, "points": 5}
    assert figures["events"]["認知症サポーター養成講座"] == {"count": 1, "participants": 25}
    assert figures["outreach"] == {"実態把握": 1}
