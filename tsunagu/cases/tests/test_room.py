"""会議モード: check-in and pledges signed by each attendee, timers, advice and 役割分担 rows
edited and deleted, 支援方針 saved as typed with the conflict check, closing refused while
someone present has not signed, and the whole meeting's 会議録 read back (PDF and Word)."""

import datetime
import io
import subprocess
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import logged_in, make_user, run_queued_tasks
from tsunagu.accounts.models import Role
from tsunagu.audit.models import AuditEntry
from tsunagu.cases import services
from tsunagu.cases.minutes import docx_text
from tsunagu.cases.models import Action, Advice, Case, CaseReview
from tsunagu.confidentiality.services import policy_for_signing
from tsunagu.lib.concurrency import fingerprint_of
from tsunagu.meetings.access import pledge_status, signed_attendance_ids
from tsunagu.meetings.models import Attendance, Meeting, MeetingType, Pledge
from tsunagu.meetings.services import closing_problems
from tsunagu.organizations.models import Person
from tsunagu.tests.url_names import reverse

HTMX = {"HTTP_HX_REQUEST": "true"}


def pdf_text(body: bytes) -> str:
    assert body.startswith(b"%PDF")
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=body, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


@pytest.fixture
def meeting(municipality, center):
    body = MeetingType.objects.create(
        municipality=municipality,
        name="自立支援型地域ケア個別会議",
        category="individual",
        level="center",
        host="each_center",
        handles_personal_info=True,
        reviews_cases=True,
    )
    return Meeting.objects.create(
        municipality=municipality, meeting_type=body, center=center, date=timezone.localdate()
    )


def case_on(meeting, n, **fields):
    case = Case.objects.create(
        municipality=meeting.municipality,
        code=f"R-{n:03d}",
        center=meeting.center,
        center_reference=f"内部番号{n}",
        status="ready",
        case_type="independence",
        age_band="80",
        sex="female",
        care_level="support_2",
        household="alone",
        question=f"外出の機会を増やすには（{n}）",
        **fields,
    )
    return CaseReview.objects.create(case=case, meeting=meeting, order=n, planned_minutes=20)


@pytest.fixture
def room(meeting, center_staff, municipality):
    """Two cases, three attendees (one off the directory), and the organiser's own pledge."""
    people = [
        Person.objects.create(
            municipality=municipality, name=name, furigana="ア", profession=profession
        )
        for name, profession in (("栄養 花子", "dietitian"), ("理学 一郎", "physiotherapist"))
    ]
    attendances = [
        Attendance.objects.create(
            meeting=meeting, person=p, name=p.name, profession=p.profession, role="adviser"
        )
        for p in people
    ]
    attendances.append(
        Attendance.objects.create(
            meeting=meeting, name="飛入 三郎", profession="pharmacist", role="adviser"
        )
    )
    Pledge.objects.create(
        municipality=municipality,
        meeting=meeting,
        user=center_staff,
        signer_name="職員",
        affiliation="センター",
        method="online",
        policy_version=policy_for_signing(municipality),
    )
    return {
        "meeting": meeting,
        "attendances": attendances,
        "reviews": [case_on(meeting, 1), case_on(meeting, 2)],
    }


def test_an_off_roster_attendee_is_not_signed_because_someone_else_signed(
    meeting, municipality, center
):
    """The bug: a login without a directory person signed, and every attendee without a
    directory person showed as 署名済."""
    someone = make_user("no-person", (municipality, Role.CENTER_STAFF, center))
    off_roster = Attendance.objects.create(meeting=meeting, name="名簿外 太郎", profession="other")
    Pledge.objects.create(
        municipality=municipality,
        meeting=meeting,
        user=someone,
        signer_name="署名 した人",
        affiliation="センター",
        method="online",
        policy_version=policy_for_signing(municipality),
    )
    assert signed_attendance_ids(meeting) == set()
    rows, _pledges = pledge_status(meeting, [off_roster], "per_meeting")
    assert rows == [(off_roster, False)]


def test_each_attendee_signs_as_themselves_in_the_room(client, room, center_staff):
    meeting, attendances = room["meeting"], room["attendances"]
    client = logged_in(client, center_staff)
    for attendance in attendances:
        url = reverse("cases:room_present", args=[meeting.pk, attendance.pk])
        assert client.post(url, {"present": "1"}, **HTMX).status_code == 200
    off_roster = attendances[2]
    url = reverse("cases:room_sign", args=[meeting.pk, off_roster.pk])
    refused = client.post(url, {"signer_name": "飛入 三郎", "affiliation": "薬局"}, **HTMX)
    assert refused.status_code == 422 and "チェックを入れてください" in refused.content.decode()
    assert "飛入 三郎" in refused.content.decode()  # what was typed stays
    signed = client.post(
        url, {"signer_name": "飛入 三郎", "affiliation": "薬局", "confirm": "on"}, **HTMX
    )
    assert signed.status_code == 200 and "署名済" in signed.content.decode()
    pledge = Pledge.objects.get(attendance=off_roster)
    assert pledge.signer_name == "飛入 三郎" and pledge.user is None
    assert pledge.recorded_by == center_staff.username and pledge.policy_version.version == 1
    # Only the one who signed is signed; the others are named when closing is refused.
    assert signed_attendance_ids(meeting) == {off_roster.pk}
    problems = " ".join(closing_problems(meeting))
    assert "栄養 花子さん" in problems and "理学 一郎さん" in problems
    assert "飛入 三郎さん" not in problems


def sign_everyone(client, meeting, attendances):
    for attendance in attendances:
        client.post(
            reverse("cases:room_present", args=[meeting.pk, attendance.pk]), {"present": "1"}
        )
        client.post(
            reverse("cases:room_sign", args=[meeting.pk, attendance.pk]),
            {"signer_name": attendance.name, "affiliation": "所属", "confirm": "on"},
        )


def test_closing_is_refused_until_everyone_present_signed(client, room, center_staff):
    meeting, attendances = room["meeting"], room["attendances"]
    client = logged_in(client, center_staff)
    client.post(
        reverse("cases:room_present", args=[meeting.pk, attendances[0].pk]), {"present": "1"}
    )
    response = client.post(
        reverse("cases:room_close", args=[meeting.pk]), {"summary": "2事例を検討"}
    )
    meeting.refresh_from_db()
    assert response.status_code == 302 and not meeting.is_closed
    page = client.get(reverse("cases:meeting_room", args=[meeting.pk])).content.decode()
    assert "誓約書に署名していない出席者" in page and "栄養 花子さん" in page
    sign_everyone(client, meeting, attendances)
    services.record_review(review=room["reviews"][0], support_policy="週1回の外出", by=None)
    client.post(reverse("cases:room_close", args=[meeting.pk]), {"summary": "2事例を検討"})
    meeting.refresh_from_db()
    assert meeting.is_closed and meeting.cases_reviewed == 1  # the agenda's reviewed cases


def test_timer_runs_one_case_at_a_time_and_adds_up(client, room, center_staff):
    first, second = room["reviews"]
    client = logged_in(client, center_staff)
    client.post(reverse("cases:room_timer", args=[first.pk]), {"run": "start"}, **HTMX)
    CaseReview.objects.filter(pk=first.pk).update(
        timer_started_at=timezone.now() - datetime.timedelta(minutes=25)
    )
    state = client.post(
        reverse("cases:room_timer", args=[second.pk]), {"run": "start"}, **HTMX
    ).json()
    assert state["current"] == second.pk
    first.refresh_from_db()
    assert first.timer_started_at is None and first.seconds_used >= 25 * 60
    assert first.is_over  # past its 20 minutes
    page = client.get(reverse("cases:meeting_room", args=[first.meeting_id])).content.decode()
    assert f'data-used="{first.seconds_used}"' in page


def test_advice_per_attendee_edited_and_deleted_with_the_conflict_check(client, room, center_staff):
    review = room["reviews"][0]
    dietitian = room["attendances"][0]
    client = logged_in(client, center_staff)
    url = reverse("cases:room_advice_add", args=[review.pk])
    refused = client.post(url, {"attendance": dietitian.pk, "text": ""}, **HTMX)
    assert refused.status_code == 422 and "助言を入力してください" in refused.content.decode()
    added = client.post(url, {"attendance": dietitian.pk, "text": "たんぱく質を"}, **HTMX)
    assert added.status_code == 200
    advice = Advice.objects.get(review=review)
    assert (advice.attendance, advice.adviser_name, advice.profession) == (
        dietitian,
        "栄養 花子",
        "dietitian",
    )
    seen = fingerprint_of(advice, services.ADVICE_FIELDS)
    Advice.objects.filter(pk=advice.pk).update(text="別の人が直した")
    row = reverse("cases:room_advice", args=[advice.pk])
    conflict = client.post(
        row, {"attendance": dietitian.pk, "text": "私の直し", "fingerprint": seen}, **HTMX
    )
    assert conflict.status_code == 422 and "他の人が先に保存した" in conflict.content.decode()
    assert "私の直し" in conflict.content.decode()  # kept, to save again knowingly
    refused = client.post(row, {"delete": "1", "fingerprint": seen}, **HTMX)
    assert refused.status_code == 409 and "他の人が先に保存した" in refused.content.decode()
    assert Advice.objects.filter(pk=advice.pk).exists()
    advice.refresh_from_db()
    fresh = fingerprint_of(advice, services.ADVICE_FIELDS)
    client.post(row, {"attendance": dietitian.pk, "text": "私の直し", "fingerprint": fresh}, **HTMX)
    advice.refresh_from_db()
    assert advice.text == "私の直し"
    fresh = fingerprint_of(advice, services.ADVICE_FIELDS)
    client.post(row, {"delete": "1", "fingerprint": fresh}, **HTMX)
    assert not Advice.objects.filter(pk=advice.pk).exists()


def test_actions_name_attendees_or_others_and_can_be_deleted(client, room, center_staff):
    review = room["reviews"][0]
    client = logged_in(client, center_staff)
    url = reverse("cases:room_action_add", args=[review.pk])
    refused = client.post(url, {"what": "配食の調整"}, **HTMX)
    assert refused.status_code == 422 and "担当者を名簿から選ぶか" in refused.content.decode()
    assert "配食の調整" in refused.content.decode()
    person = room["attendances"][0].person
    client.post(url, {"responsible": person.pk, "what": "配食の調整", "due_on": ""}, **HTMX)
    action = Action.objects.get(review=review)
    assert action.responsible == person
    fresh = fingerprint_of(action, services.ROOM_ACTION_FIELDS)
    client.post(
        reverse("cases:room_action", args=[action.pk]), {"delete": "1", "fingerprint": fresh}
    )
    assert not Action.objects.filter(pk=action.pk).exists()


def test_an_action_is_changed_in_the_room_with_the_conflict_check(client, room, center_staff):
    review = room["reviews"][0]
    dietitian, physio = (a.person for a in room["attendances"][:2])
    action = Action.objects.create(review=review, responsible=dietitian, what="配食の調整")
    client = logged_in(client, center_staff)
    row = reverse("cases:room_action", args=[action.pk])
    seen = fingerprint_of(action, services.ROOM_ACTION_FIELDS)
    Action.objects.filter(pk=action.pk).update(what="別の人が直した")
    mine = {"responsible": physio.pk, "what": "通所の体験", "due_on": "2026-12-01"}
    conflict = client.post(row, {**mine, "fingerprint": seen}, **HTMX)
    assert conflict.status_code == 422 and "他の人が先に保存した" in conflict.content.decode()
    assert "通所の体験" in conflict.content.decode()  # kept, to save again knowingly
    action.refresh_from_db()
    assert (action.responsible, action.what, action.due_on) == (dietitian, "別の人が直した", None)
    # Deleting from the stale page is refused too: the row was changed since it was read.
    refused = client.post(row, {"delete": "1", "fingerprint": seen}, **HTMX)
    assert refused.status_code == 409 and "他の人が先に保存した" in refused.content.decode()
    assert Action.objects.filter(pk=action.pk).exists()

    fresh = fingerprint_of(action, services.ROOM_ACTION_FIELDS)
    saved = client.post(row, {**mine, "fingerprint": fresh}, **HTMX)
    assert saved.status_code == 200
    action.refresh_from_db()
    assert (action.responsible, action.what, action.due_on) == (
        physio,
        "通所の体験",
        datetime.date(2026, 12, 1),
    )
    assert AuditEntry.objects.filter(action="case.action_updated").count() == 1
    # The page saved a moment ago is now itself stale for a second change.
    again = client.post(row, {**mine, "what": "上書き", "fingerprint": fresh}, **HTMX)
    assert again.status_code == 422
    action.refresh_from_db()
    assert action.what == "通所の体験"


def test_policy_saves_as_typed_and_refuses_a_stale_page(client, room, center_staff):
    review = room["reviews"][0]
    client = logged_in(client, center_staff)
    url = reverse("cases:room_policy", args=[review.pk])
    seen = fingerprint_of(review, services.REVIEW_FIELDS)
    saved = client.post(url, {"support_policy": "週1回のサロン", "fingerprint": seen}, **HTMX)
    assert saved.status_code == 200 and "保存しました" in saved.content.decode()
    review.refresh_from_db()
    assert review.support_policy == "週1回のサロン" and review.reviewed_at is not None
    stale = client.post(url, {"support_policy": "上書き", "fingerprint": seen}, **HTMX)
    assert stale.status_code == 422 and "他の人が先に保存した" in stale.content.decode()
    review.refresh_from_db()
    assert review.support_policy == "週1回のサロン"


def test_nothing_changes_once_the_meeting_is_closed(client, room, center_staff):
    meeting, review = room["meeting"], room["reviews"][0]
    Meeting.objects.filter(pk=meeting.pk).update(closed_at=timezone.now())
    client = logged_in(client, center_staff)
    response = client.post(
        reverse("cases:room_advice_add", args=[review.pk]),
        {"attendance": room["attendances"][0].pk, "text": "あとから"},
        **HTMX,
    )
    assert (
        response.status_code == 422 and "確定した会議は変更できません" in response.content.decode()
    )
    assert not Advice.objects.exists()


def test_the_room_needs_this_meetings_pledge_and_records_one_entry(
    client, room, municipality, center
):
    meeting = room["meeting"]
    unsigned = make_user("unsigned-staff", (municipality, Role.CENTER_STAFF, center))
    client = logged_in(client, unsigned)
    for name in ("meeting_room", "meeting_room_screen", "meeting_minutes_pdf"):
        assert client.get(reverse(name, args=[meeting.pk])).status_code == 403
    viewer = make_user("room-viewer", (municipality, Role.VIEWER, None))
    assert (
        logged_in(client, viewer).get(reverse("cases:meeting_room", args=[meeting.pk])).status_code
        == 403
    )


def test_the_presenter_screen_shows_no_reference_and_no_names(client, room, center_staff):
    meeting = room["meeting"]
    client = logged_in(client, center_staff)
    before = AuditEntry.objects.count()
    page = client.get(reverse("cases:meeting_room_screen", args=[meeting.pk])).content.decode()
    assert "外出の機会を増やすには（1）" in page and "80" in page
    assert "内部番号" not in page and "R-001" not in page
    for attendance in room["attendances"]:
        assert attendance.name not in page
    entries = list(AuditEntry.objects.order_by("seq")[before:].values_list("action", flat=True))
    assert entries == ["meeting.screen_viewed"]


def test_the_minutes_read_back_as_pdf_and_word(client, room, center_staff):
    meeting, attendances = room["meeting"], room["attendances"]
    client = logged_in(client, center_staff)
    sign_everyone(client, meeting, attendances)
    for review, text in zip(room["reviews"], ("減塩の工夫", "膝の体操"), strict=True):
        for attendance in attendances:
            client.post(
                reverse("cases:room_advice_add", args=[review.pk]),
                {"attendance": attendance.pk, "text": f"{text}（{attendance.name}）"},
            )
        services.record_review(review=review, support_policy=f"方針：{text}", by=None)
    client.post(reverse("cases:room_close", args=[meeting.pk]), {"summary": "2事例を検討した"})
    pdf = minutes_pdf_by_job(client, meeting)
    text = pdf_text(pdf.content)
    docx = client.get(reverse("cases:meeting_minutes_docx", args=[meeting.pk]))
    assert zipfile.is_zipfile(io.BytesIO(docx.content))
    word = docx_text(docx.content)
    for document in (text.replace("\n", ""), word.replace("\n", "")):
        assert "R-001" in document and "R-002" in document
        assert "減塩の工夫（栄養 花子）" in document and "膝の体操（飛入 三郎）" in document
        assert "方針：膝の体操" in document and "管理栄養士" in document
        assert "内部番号" not in document
    assert AuditEntry.objects.filter(action="meeting.minutes_printed").count() == 2
    fonts = subprocess.run(["pdffonts", "-"], input=pdf.content, capture_output=True).stdout
    rows = [line.split() for line in fonts.decode().splitlines()[2:] if line.strip()]
    assert rows and all(row[-5] == "yes" for row in rows)  # the emb column: every font embedded
    read = python_docx_text(docx.content)
    if read is not None:  # Word's own reader of the format opens it too, when installed
        assert "R-001" in read and "減塩の工夫（栄養 花子）" in read


def minutes_pdf_by_job(client, meeting):
    """The 会議録 PDF as a member gets it when none is kept: the page that asks for it, the
    job's page while it waits, a worker, the job's page with the download, the download."""
    asked = client.get(reverse("cases:meeting_minutes_pdf", args=[meeting.pk]))
    assert asked.status_code == 200 and "PDFを作成する" in asked.content.decode()
    job = client.post(reverse("cases:meeting_minutes_pdf_make", args=[meeting.pk]))
    assert job.status_code == 302
    waiting = client.get(job.url).content.decode()
    assert "順番を待っています" in waiting and "hx-get" in waiting
    assert run_queued_tasks() == 1
    done = client.get(job.url).content.decode()
    assert "PDFをダウンロード" in done and "hx-get" not in done
    download = client.get(reverse("cases:meeting_minutes_job_download", args=[job_id(job.url)]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    return download


def job_id(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def minutes_job_urls(client, meeting):
    """A 会議録 job asked for (not yet run) and the URLs of its pages."""
    job = client.post(reverse("cases:meeting_minutes_pdf_make", args=[meeting.pk]))
    assert job.status_code == 302
    return {
        "request": reverse("cases:meeting_minutes_pdf", args=[meeting.pk]),
        "job": job.url,
        "download": reverse("cases:meeting_minutes_job_download", args=[job_id(job.url)]),
    }


def test_the_minutes_pdf_job_writes_one_entry_at_the_download_only(client, room, center_staff):
    meeting = room["meeting"]
    client = logged_in(client, center_staff)
    before = AuditEntry.objects.count()
    pdf = minutes_pdf_by_job(client, meeting)
    entries = list(AuditEntry.objects.order_by("seq")[before:].values_list("action", flat=True))
    assert entries == ["meeting.minutes_printed"]  # not the asking, the job's pages, the worker
    assert "R-001" in pdf_text(pdf.content)
    entry = AuditEntry.objects.get(action="meeting.minutes_printed")
    assert entry.data["cases"] == ["R-001", "R-002"] and entry.data["document"] == "pdf"
    # Downloaded again: the file again, and one more entry.
    again = client.get(reverse("cases:meeting_minutes_pdf", args=[meeting.pk]))
    assert again["Content-Type"] == "application/pdf" and again.content == pdf.content
    assert AuditEntry.objects.filter(action="meeting.minutes_printed").count() == 2


def test_the_minutes_pdf_needs_a_login(client, room, center_staff):
    urls = minutes_job_urls(logged_in(client, center_staff), room["meeting"])
    client.logout()
    for url in urls.values():
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/login/"), url
    make = reverse("cases:meeting_minutes_pdf_make", args=[room["meeting"].pk])
    assert client.post(make).url.startswith("/login/")


def test_another_municipalitys_minutes_job_is_not_found(
    client, room, center_staff, other_municipality
):
    urls = minutes_job_urls(logged_in(client, center_staff), room["meeting"])
    run_queued_tasks()
    outsider = make_user("outsider-staff", (other_municipality, Role.CITY_ADMIN, None))
    client = logged_in(client, outsider)
    for url in urls.values():
        assert client.get(url).status_code == 404, url
    make = reverse("cases:meeting_minutes_pdf_make", args=[room["meeting"].pk])
    assert client.post(make).status_code == 404


def test_a_read_only_member_may_not_ask_for_watch_or_download_the_minutes(
    client, room, center_staff, municipality
):
    meeting = room["meeting"]
    urls = minutes_job_urls(logged_in(client, center_staff), meeting)
    run_queued_tasks()
    viewer = make_user("minutes-viewer", (municipality, Role.VIEWER, None))
    Pledge.objects.create(
        municipality=municipality,
        meeting=meeting,
        user=viewer,
        signer_name="閲覧",
        affiliation="市",
        method="online",
        policy_version=policy_for_signing(municipality),
    )
    client = logged_in(client, viewer)
    # Another member's job is not theirs to see (404); the meeting's pages refuse them (403).
    assert client.get(urls["request"]).status_code == 403
    assert client.get(urls["job"]).status_code == 404
    assert client.get(urls["download"]).status_code == 404
    make = reverse("cases:meeting_minutes_pdf_make", args=[meeting.pk])
    assert client.post(make).status_code == 403
    assert not AuditEntry.objects.filter(action="meeting.minutes_printed").exists()


def test_the_minutes_job_needs_the_pledge_until_the_download(
    client, room, center_staff, municipality, center
):
    meeting = room["meeting"]
    unsigned = make_user("unsigned-organiser", (municipality, Role.CENTER_STAFF, center))
    other = logged_in(client, unsigned)
    assert other.get(reverse("cases:meeting_minutes_pdf", args=[meeting.pk])).status_code == 403
    make = reverse("cases:meeting_minutes_pdf_make", args=[meeting.pk])
    assert other.post(make).status_code == 403
    # The organiser asks, the worker makes it, then the pledge is withdrawn: the job's pages
    # refuse them as the meeting's own pages would, and nothing is recorded as shown.
    client = logged_in(client, center_staff)
    urls = minutes_job_urls(client, meeting)
    run_queued_tasks()
    Pledge.objects.filter(meeting=meeting, user=center_staff).delete()
    assert client.get(urls["job"]).status_code == 403
    assert client.get(urls["download"]).status_code == 403
    assert not AuditEntry.objects.filter(action="meeting.minutes_printed").exists()


def test_the_minutes_pdf_is_reused_until_what_it_shows_changes(
    client, room, center_staff, pdf_layouts
):
    meeting = room["meeting"]
    client = logged_in(client, center_staff)
    first = minutes_pdf_by_job(client, meeting).content
    again = client.get(reverse("cases:meeting_minutes_pdf", args=[meeting.pk]))
    assert again["Content-Type"] == "application/pdf" and again.content == first
    assert len(pdf_layouts) == 1
    services.record_review(review=room["reviews"][0], support_policy="方針：散歩", by=None)
    asked = client.get(reverse("cases:meeting_minutes_pdf", args=[meeting.pk]))
    assert "PDFを作成する" in asked.content.decode()
    remade = minutes_pdf_by_job(client, meeting).content
    assert remade != first and len(pdf_layouts) == 2
    assert "方針：散歩" in pdf_text(remade)


def python_docx_text(body: bytes) -> str | None:
    """The text as python-docx reads it, when it is installed (the file is also read without
    it, by docx_text): Word's own reader of the format must open the file as well."""
    try:
        import docx
    except ImportError:
        return None
    document = docx.Document(io.BytesIO(body))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_signer_types_their_own_name(client, room, center_staff):
    meeting, attendance = room["meeting"], room["attendances"][0]
    client = logged_in(client, center_staff)
    client.post(reverse("cases:room_present", args=[meeting.pk, attendance.pk]), {"present": "1"})
    url = reverse("cases:room_sign", args=[meeting.pk, attendance.pk])
    other = {"signer_name": "別の 人", "affiliation": "所属", "confirm": "on"}
    refused = client.post(url, other, **HTMX)
    assert (
        refused.status_code == 422 and "出席者名簿の氏名（栄養 花子）" in refused.content.decode()
    )
    assert not Pledge.objects.filter(attendance=attendance).exists()
    client.post(url, {**other, "signer_name": "栄養　花子"}, **HTMX)  # a full-width space
    assert Pledge.objects.get(attendance=attendance).person == attendance.person


def test_the_room_reads_the_same_number_of_queries_however_many_rows(client, room, center_staff):
    meeting, attendances = room["meeting"], room["attendances"]
    client = logged_in(client, center_staff)
    url = reverse("cases:meeting_room", args=[meeting.pk])

    def add_rows():
        for review in room["reviews"]:
            for attendance in attendances:
                Advice.objects.create(
                    review=review,
                    attendance=attendance,
                    adviser_name=attendance.name,
                    profession=attendance.profession,
                    text="助言",
                )
            Action.objects.create(review=review, responsible_label="社協", what="調整")

    add_rows()
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add_rows()
    add_rows()
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.content.decode().count('class="row-item"') == 2 * 3 * 3 + 2 * 3
    assert len(many) == len(few)
    # Each row's select shows its own attendee.
    assert f'<option value="{attendances[0].pk}" selected>' in page.content.decode()


def test_a_paper_pledge_of_an_attendee_not_in_the_directory_counts_as_theirs(
    client, room, center_staff
):
    meeting, off_roster = room["meeting"], room["attendances"][2]
    client = logged_in(client, center_staff)
    response = client.post(
        reverse("meetings:meeting_pledge_paper", args=[meeting.pk]),
        {"attendance": off_roster.pk, "affiliation": "みどり薬局"},
    )
    assert response.status_code == 302
    pledge = Pledge.objects.get(attendance=off_roster)
    assert (pledge.signer_name, pledge.method) == ("飛入 三郎", "paper")
    assert signed_attendance_ids(meeting) == {off_roster.pk}
