"""Meetings for the demo (data/demo/meetings.json): seed 002's 令和3年度 schedule, and a
current 年度 in progress.

松風市 gets the Matsudo-style catalogue and the whole published 令和3年度 table (the sample file,
imported as a municipality would), and for the current 年度 a plan per center and the year's
schedule (a long-form import whose dates carry no year, so it is always this 年度): meetings
held before today, planned after, one cancelled. One meeting is recorded in full through the
meeting services: attendance by profession, paper pledges, minutes and decisions; the case
demo closes it once its case has been reviewed there.
"""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document

from tsunagu.accounts.models import User
from tsunagu.lib.fiscal import fiscal_year, fiscal_year_range
from tsunagu.lib.tabular import XlsxBook
from tsunagu.meetings import services
from tsunagu.meetings.choices import Status
from tsunagu.meetings.models import (
    Attendance,
    Meeting,
    MeetingType,
    PlanEntry,
    Pledge,
    PledgeMethod,
)
from tsunagu.meetings.presets import load_preset
from tsunagu.meetings.services import record_pledge
from tsunagu.organizations.models import Area, Center, Municipality, Person

from .files import data_path, read_json
from .importers import import_schedule

SAMPLE = data_path(read_json("meetings.json")["r3_schedule"]["file"])


def _spread_case_counts(meetings, spec):
    """Seed 002 counts 63 cases at 31 地域個別ケア会議 and 18 at 6 自立支援型 (June–November
    2021) but gives no per-meeting figure, so the demo spreads them evenly (63 = 31 × 2 + 1: one
    meeting reviewed a third case). The published table has no column for them, and these
    meetings have no attendance to close them with: the counts are written directly."""
    for name, per_meeting in spec["cases_per_meeting"].items():
        meetings.filter(meeting_type__name=name).update(cases_reviewed=per_meeting)
    third = spec["third_case"]
    first = (
        meetings.filter(meeting_type__name=third["body"], date__range=(third["from"], third["to"]))
        .order_by("date", "id")
        .first()
    )
    Meeting.objects.filter(pk=first.pk).update(cases_reviewed=third["cases"])


def load_r3_schedule(spec, by):
    municipality = Municipality.objects.get(code=spec["municipality"])
    year = spec["fiscal_year"]
    imported = Meeting.objects.filter(
        municipality=municipality, date__range=fiscal_year_range(year)
    )
    if imported.exists():
        return
    import_schedule(SAMPLE, municipality=municipality, fiscal_year=year, by=by, matrix=True)
    _spread_case_counts(imported, spec)


def _record_as_held(meeting, spec):
    """A past meeting of the demo, held without an attendance list; closing it through the
    service asks for one, so its summary and count are written directly."""
    Meeting.objects.filter(pk=meeting.pk).update(
        summary=spec["summary"],
        cases_reviewed=spec["cases_reviewed"] if meeting.meeting_type.reviews_cases else 0,
        closed_at=timezone.now(),
    )


def recorded_meetings(municipality, spec):
    """The meeting recorded in full (明第1's first 個別会議 of the 年度) and the next one.

    Early in April no meeting of the new 年度 has taken place yet: the last one held (of an
    earlier 年度) is recorded instead, so the demo always shows a full record.
    """
    today = timezone.localdate()
    everything = Meeting.objects.filter(
        municipality=municipality, center__name=spec["center"], meeting_type__name=spec["body"]
    )
    this_year = everything.filter(date__gte=fiscal_year_range(fiscal_year(today))[0])
    held = (
        this_year.filter(date__lt=today).order_by("date").first()
        or everything.filter(date__lt=today).order_by("-date").first()
    )
    upcoming = this_year.filter(date__gte=today).order_by("date").first()
    return held, upcoming


def load_this_year(spec, recorded, by):
    """The 年度 in progress: the plan, the schedule, and the details staff add to each meeting."""
    municipality = Municipality.objects.get(code=spec["municipality"])
    fy = fiscal_year(timezone.localdate())
    if PlanEntry.objects.filter(municipality=municipality, fiscal_year=fy).exists():
        return
    types = {t.name: t for t in MeetingType.objects.filter(municipality=municipality)}
    centers = Center.objects.filter(municipality=municipality, area__isnull=False)
    counts = {(types[name], c): n for c in centers for name, n in spec["plan"].items()}
    counts |= {(types[name], None): n for name, n in spec["city_plan"].items()}
    services.save_plan(municipality=municipality, fiscal_year=fy, counts=counts, by=by)
    import_schedule(
        data_path(spec["file"]), municipality=municipality, fiscal_year=fy, by=by, matrix=False
    )
    held, _upcoming = recorded_meetings(municipality, recorded)
    meetings = Meeting.objects.filter(
        municipality=municipality, date__range=fiscal_year_range(fy)
    ).select_related("center__area", "meeting_type")
    for meeting in meetings.order_by("id"):
        details = spec["center_details"] if meeting.center else spec["city_details"]
        meeting.start_time = datetime.time.fromisoformat(details["start_time"])
        if "end_time" in details:
            meeting.end_time = datetime.time.fromisoformat(details["end_time"])
        meeting.venue = details["venue"].format(area=meeting.center and meeting.center.area)
        services.save_meeting(meeting=meeting, by=by)
        if meeting.center and meeting.status == Status.HELD and meeting != held:
            _record_as_held(meeting, spec["held"])


def _cast(municipality, center, spec):
    """The attendees of the recorded meeting: center staff by profession, and the first
    person of each profession in the city's directory."""
    people = center.people if spec["from"] == "center" else Person.objects.order_by("id")
    person = people.filter(municipality=municipality, profession=spec["profession"]).first()
    return person, spec["role"]


def record_meeting(spec):
    """Attendance, paper pledges, theme, minutes and decisions of the recorded meeting; the
    next meeting's invitations and theme; and the 年度's last meeting cancelled."""
    municipality = Municipality.objects.get(code=spec["municipality"])
    center = Center.objects.get(municipality=municipality, name=spec["center"])
    held, upcoming = recorded_meetings(municipality, spec)
    if held is None or held.minutes:
        return
    by = User.objects.get(username=spec["recorded_by"])
    cast = [_cast(municipality, center, row) for row in spec["cast"]]
    for meeting, attended in ((held, True), (upcoming, False)):
        for person, role in cast if meeting else ():
            attendance = Attendance(person=person, role=role, attended=attended)
            services.add_attendee(meeting=meeting, attendance=attendance, by=by)
    # Everyone at the recorded meeting handed in the paper 誓約書; the demo's logins have
    # not signed anything, so each shows the pledge gate and can sign on screen.
    for person, _role in cast:
        pledge = Pledge(
            municipality=municipality,
            meeting=held,
            person=person,
            signer_name=person.name,
            affiliation=str(person.affiliation or ""),
            method=PledgeMethod.PAPER,
        )
        record_pledge(pledge=pledge, by=by)
    held.theme = spec["theme"]
    services.save_meeting(meeting=held, by=by)
    held.minutes, held.decisions = spec["minutes"], spec["decisions"]
    services.save_minutes(meeting=held, by=by)
    if upcoming is not None:
        upcoming.theme = spec["upcoming_theme"]
        services.save_meeting(meeting=upcoming, by=by)
    today = timezone.localdate()
    last = (
        Meeting.objects.filter(
            municipality=municipality,
            center=center,
            meeting_type=held.meeting_type,
            date__gte=max(today, fiscal_year_range(fiscal_year(today))[0]),
        )
        .order_by("-date")
        .first()
    )
    if last is not None and last != upcoming:
        services.set_status(meeting=last, status=Status.CANCELLED, by=by)


def load_meetings(admin_by_code):
    """`admin_by_code`: the demo 市職員 user per municipality code, as the importing user."""
    data = read_json("meetings.json")
    for code, key in data["presets"].items():
        municipality = Municipality.objects.get(code=code)
        load_preset(municipality=municipality, key=key, by=admin_by_code[code])
    by = admin_by_code[data["r3_schedule"]["municipality"]]
    load_r3_schedule(data["r3_schedule"], by)
    load_this_year(data["this_year"], data["recorded"], by)
    record_meeting(data["recorded"])
    prepare_meetings(data["prepare"], data["recorded"])


def _handout_file(spec) -> SimpleUploadedFile:
    """A real Word or Excel file, written as staff would attach it."""
    if spec["kind"] == "docx":
        document = Document()
        document.add_heading(spec["lines"][0], level=1)
        for line in spec["lines"][1:]:
            document.add_paragraph(line)
        buffer = io.BytesIO()
        document.save(buffer)
        return SimpleUploadedFile(f"{spec['title']}.docx", buffer.getvalue())
    book = XlsxBook()
    sheet = book.sheet(spec["title"])
    sheet.header(spec["header"])
    sheet.rows(spec["rows"])
    return SimpleUploadedFile(f"{spec['title']}.xlsx", book.to_bytes())


def _fiscal_date(fy: int, month: int, day: int) -> datetime.date:
    return datetime.date(fy if month >= 4 else fy + 1, month, day)


def prepare_meetings(spec, recorded):
    """What preparing looks like (issue 15): the 個別会議's 構成員 and 実施計画, handouts on
    the next recorded meeting, the 市地域ケア会議 held jointly as the 第1層協議体, and an NPO's
    2層ワーキング held for single 圏域 as a series for the year."""
    municipality = Municipality.objects.get(code=spec["municipality"])
    joint_spec = spec["joint"]
    if MeetingType.objects.filter(
        municipality=municipality, name=joint_spec["body"]["name"]
    ).exists():
        return
    by = User.objects.get(username=spec["by"])
    types = {t.name: t for t in MeetingType.objects.filter(municipality=municipality)}
    members = [
        Person.objects.filter(municipality=municipality, profession=profession)
        .order_by("id")
        .first()
        for profession in spec["standing_members"]["professions"]
    ]
    body = types[spec["standing_members"]["body"]]
    services.save_meeting_type(
        meeting_type=body, by=by, standing_members=[p for p in members if p is not None]
    )
    for name, text in spec["implementation_plans"].items():
        types[name].implementation_plan = text
        services.save_meeting_type(meeting_type=types[name], by=by)
    _held, upcoming = recorded_meetings(municipality, recorded)
    if upcoming is not None:
        services.invite_standing_members(meeting=upcoming, by=by)
        for handout in spec["handouts"]:
            services.add_handout(
                meeting=upcoming, upload=_handout_file(handout), title=handout["title"], by=by
            )
    layer1 = MeetingType(municipality=municipality, **joint_spec["body"])
    services.save_meeting_type(meeting_type=layer1, by=by)
    fy = fiscal_year(timezone.localdate())
    city_meeting = (
        Meeting.objects.filter(
            municipality=municipality,
            meeting_type=types[joint_spec["with"]],
            date__range=fiscal_year_range(fy),
        )
        .order_by("date")
        .first()
    )
    if city_meeting is not None:
        services.save_meeting(meeting=city_meeting, by=by, joint_types=[layer1])
    series = spec["area_series"]
    working = types[series["body"]]
    for area in Area.objects.filter(municipality=municipality).order_by("sort_order", "id")[
        : series["areas"]
    ]:
        template = Meeting(
            municipality=municipality,
            meeting_type=working,
            area=area,
            venue=series["venue"].format(area=area),
            start_time=datetime.time.fromisoformat(series["start_time"]),
            end_time=datetime.time.fromisoformat(series["end_time"]),
        )
        dates = [_fiscal_date(fy, month, 10 + area.pk % 15) for month in series["months"]]
        services.create_series(meeting=template, dates=dates, by=by)
