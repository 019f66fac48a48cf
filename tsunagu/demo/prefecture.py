"""The prefecture tier of the demo, from data/demo/prefecture/ (seed 004).

千葉県 (12) uses the system above two of its municipalities: 松風市 and a small fictional
town, 潮見町 (129917), which has no rehabilitation professional of its own and relies on the
prefecture's adviser pool. The demo gets the prefecture staff login `ken`, a coordinator
`kenkyo` named by the prefecture, twenty pooled professionals (haken01〜haken20), a year of
dispatch records, open, pending, declined and accepted requests, the three kinds of training,
and issues raised to 県・国 level. Loading twice changes nothing.
"""

import csv
import datetime
import json
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.cases.choices import CaseStatus
from tsunagu.cases.models import Case, CaseReview
from tsunagu.demo.accounts import DEMO_PASSWORD
from tsunagu.issues import services as issue_services
from tsunagu.issues.models import CommunityIssue, Proposal
from tsunagu.lib.fiscal import fiscal_year, fiscal_year_range
from tsunagu.meetings.choices import AttendanceRole, Status
from tsunagu.meetings.models import Attendance, Meeting, MeetingType
from tsunagu.organizations.models import Area, Center, Municipality, Person
from tsunagu.prefecture import services
from tsunagu.prefecture.choices import HALVES, WEEKDAYS, AssignmentStatus, RequestStatus
from tsunagu.prefecture.matching import candidates
from tsunagu.prefecture.models import (
    AdviserProfile,
    Assignment,
    DispatchRequest,
    Prefecture,
    PrefectureMembership,
    Training,
    TrainingAttendee,
)

DATA = Path(settings.BASE_DIR) / "data" / "demo" / "prefecture"
MATSUKAZE = "129909"
# 松風市's bodies the prefecture sends advisers to: every 自立支援型 meeting, and one in three
# 地域個別ケア会議 (the demo's shape of a 介護予防のための地域ケア個別会議 scheme).
MATSUKAZE_BODIES = {"自立支援型個別ケア会議": 1, "地域個別ケア会議": 3}


def load_prefecture(stdout=None) -> None:
    """Load everything, then print the logins to `stdout` (the demo command's output)."""
    with transaction.atomic():
        setup = json.loads((DATA / "setup.json").read_text(encoding="utf-8"))
        today = timezone.localdate()
        prefecture, _ = Prefecture.objects.get_or_create(code=setup["prefecture"])
        staff = {}
        for row in setup["staff"]:
            user = demo_user(row["login"], row["full_name"])
            PrefectureMembership.objects.update_or_create(
                user=user,
                prefecture=prefecture,
                defaults={
                    "role": row["role"],
                    "association": row["association"],
                    "member_associations": "\n".join(row.get("member_associations", [])),
                },
            )
            staff[row["role"]] = user
        town, town_body, chair = load_town(setup["town"], today)
        pool = load_pool(prefecture)
        load_history(prefecture, pool, town_body, setup["dispatch_professions"], today, staff)
        upcoming = load_upcoming(town_body, Municipality.objects.get(code=MATSUKAZE), staff)
        load_town_case(town_body, setup["town"]["case"], today)
        load_trainings(prefecture, setup["trainings"], pool, chair, today)
        load_issues(setup["issues"])
    if stdout is not None:
        write_logins(stdout, prefecture, staff, pool, upcoming)


def demo_user(username, full_name) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def slot_mask(text: str) -> int:
    """「月午後;水午前」 → the availability bit mask."""
    mask = 0
    for slot in filter(None, text.split(";")):
        day, half = WEEKDAYS.index(slot[0]), HALVES.index(slot[1:])
        mask |= 1 << (day * 2 + half)
    return mask


def load_pool(prefecture) -> dict[str, AdviserProfile]:
    pool = {}
    with (DATA / "advisers.csv").open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            user = demo_user(row["login"], f"{row['name']}（デモ）")
            adviser, _ = AdviserProfile.objects.update_or_create(
                prefecture=prefecture,
                user=user,
                defaults={
                    "name": row["name"],
                    "furigana": row["furigana"],
                    "profession": row["profession"],
                    "association": row["association"],
                    "affiliation": row["affiliation"],
                    "availability": slot_mask(row["slots"]),
                    "monthly_limit": int(row["monthly_limit"]),
                },
            )
            codes = row["municipalities"].split(";")
            adviser.municipalities.set(Municipality.objects.filter(code__in=codes))
            adviser.travel_codes = set(codes)
            pool[row["login"]] = adviser
    return pool


def second_wednesday(year, month) -> datetime.date:
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(2 - first.weekday()) % 7 + 7)


def load_town(data, today):
    """潮見町: one area, its directly run center, and a monthly 自立支援型 meeting over the
    past year and the next two months, chaired by the center's 主任介護支援専門員."""
    town, _ = Municipality.objects.get_or_create(
        code=data["code"], defaults={"name": data["name"], "prefecture": data["code"][:2]}
    )
    area, _ = Area.objects.get_or_create(municipality=town, name=data["area"])
    center, _ = Center.objects.get_or_create(
        municipality=town,
        name=data["center"],
        defaults={"area": area, "is_core": True, "operation": "direct"},
    )
    body, _ = MeetingType.objects.get_or_create(
        municipality=town,
        name=data["meeting_type"],
        defaults={
            "category": "individual",
            "level": "center",
            "host": "core_center",
            "purpose": "介護予防に資するケアプランを多職種の助言で検討する。",
            "functions": ["individual", "discovery"],
            "frequency_per_year": 12,
            "frequency_note": "毎月第2水曜",
            "handles_personal_info": True,
            "reviews_cases": True,
        },
    )
    chair_data = data["chair"]
    chair, _ = Person.objects.get_or_create(
        municipality=town,
        name=chair_data["name"],
        defaults={
            "furigana": chair_data["furigana"],
            "profession": chair_data["profession"],
            "center": center,
        },
    )
    month = datetime.date(today.year, today.month, 1)
    for offset in range(-12, 3):
        index = month.year * 12 + month.month - 1 + offset
        date = second_wednesday(index // 12, index % 12 + 1)
        held = date < today
        meeting, _ = Meeting.objects.get_or_create(
            municipality=town,
            meeting_type=body,
            center=center,
            date=date,
            defaults={
                "status": Status.HELD if held else Status.PLANNED,
                "start_time": datetime.time(13, 30),
                "end_time": datetime.time(15, 30),
                "venue": "潮見町保健センター 2階会議室",
                "cases_reviewed": 2 if held else 0,
                "summary": "要支援者2名の事例を検討し、専門職の助言を受けて支援方針を確認した。"
                if held
                else "",
                "closed_at": timezone.now() if held else None,
            },
        )
        Attendance.objects.get_or_create(
            meeting=meeting,
            person=chair,
            defaults={
                "name": chair.name,
                "profession": chair.profession,
                "affiliation": center.name,
                "role": AttendanceRole.CHAIR,
                "invited": True,
                "attended": held,
            },
        )
    return town, body, chair


def pick(pool, profession, municipality, turn):
    """The pool's advisers of a profession who travel to the municipality, in turn."""
    fitting = [
        a
        for a in pool.values()
        if a.profession == profession and municipality.code in a.travel_codes
    ]
    return fitting[turn % len(fitting)] if fitting else None


def record_past(meeting, adviser, coordinator):
    """A dispatch that took place (the services refuse to change the past, so rows direct)."""
    request, _ = DispatchRequest.objects.get_or_create(
        meeting=meeting,
        profession=adviser.profession,
        defaults={
            "municipality": meeting.municipality,
            "prefecture": adviser.prefecture,
            "status": RequestStatus.ACCEPTED,
            "note": "自立支援・介護予防の観点からの助言",
        },
    )
    Assignment.objects.get_or_create(
        request=request,
        defaults={
            "adviser": adviser,
            "status": AssignmentStatus.ACCEPTED,
            "assigned_by": coordinator,
            "answered_at": timezone.now(),
        },
    )


def load_history(prefecture, pool, town_body, professions, today, staff):
    """A year of dispatches: two professionals at each 潮見町 meeting, one at 松風市's."""
    coordinator = staff["coordinator"]
    past = today - datetime.timedelta(days=365)
    town = town_body.municipality
    for turn, meeting in enumerate(
        Meeting.objects.filter(
            meeting_type=town_body, status=Status.HELD, date__range=(past, today)
        ).order_by("date")
    ):
        for offset in (0, 1):
            profession = professions[(turn + offset) % len(professions)]
            adviser = pick(pool, profession, town, turn)
            if adviser:
                record_past(meeting, adviser, coordinator)
    matsukaze = Municipality.objects.get(code=MATSUKAZE)
    start, _ = fiscal_year_range(fiscal_year(today))
    for name, every in MATSUKAZE_BODIES.items():
        held = Meeting.objects.filter(
            municipality=matsukaze,
            meeting_type__name=name,
            status=Status.HELD,
            date__range=(max(past, start), today),
        ).order_by("date", "id")
        for turn, meeting in enumerate(held):
            if turn % every == 0:
                profession = professions[turn % len(professions)]
                adviser = pick(pool, profession, matsukaze, turn)
                if adviser:
                    record_past(meeting, adviser, coordinator)


def load_upcoming(town_body, matsukaze, staff) -> dict:
    """The next meetings' requests, through the same services as the pages: one accepted,
    one waiting for the adviser's answer, one declined back to the coordinator, open ones."""
    coordinator = staff["coordinator"]
    today = timezone.localdate()
    shown = {}
    upcoming = list(
        Meeting.objects.filter(
            meeting_type=town_body, status=Status.PLANNED, date__gte=today
        ).order_by("date")[:2]
    )
    steps = [
        (0, "physiotherapist", "accept"),
        (0, "dietitian", "assign"),
        (1, "occupational_therapist", "decline"),
        (1, "dental_hygienist", "open"),
        (1, "pharmacist", "open"),
    ]
    for index, profession, step in steps:
        if index >= len(upcoming):
            continue
        meeting = upcoming[index]
        if DispatchRequest.objects.filter(meeting=meeting, profession=profession).exists():
            continue
        request = services.request_dispatch(
            meeting=meeting,
            profession=profession,
            note="要支援者の事例2件。運動・口腔・栄養の観点から助言をお願いします。",
            by=None,
        )
        if step == "open":
            continue
        adviser = candidates(request).first()
        if adviser is None:
            continue
        assignment = services.assign(dispatch_request=request, adviser=adviser, by=coordinator)
        if step == "accept":
            services.answer(assignment=assignment, accept=True, by=adviser.user)
        elif step == "decline":
            services.answer(
                assignment=assignment, accept=False, reason="学会出張と重なるため", by=adviser.user
            )
    planned = (
        Meeting.objects.filter(
            municipality=matsukaze,
            meeting_type__name="自立支援型個別ケア会議",
            status=Status.PLANNED,
            date__gte=today,
        )
        .order_by("date", "id")
        .first()
    )
    if planned and not DispatchRequest.objects.filter(meeting=planned).exists():
        services.request_dispatch(
            meeting=planned,
            profession="dental_hygienist",
            note="口腔機能の低下が疑われる事例があります。",
            by=User.objects.filter(username="shi").first(),
        )
    for assignment in Assignment.objects.filter(
        request__meeting__date__gte=today,
        status__in=[AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED],
    ).select_related("adviser__user"):
        shown.setdefault(assignment.status, assignment.adviser.user.username)
    return shown


def load_town_case(town_body, data, today):
    """One case on the agenda of 潮見町's next meeting: what the dispatched adviser reads
    after signing the pledge, inside the window."""
    meeting = (
        Meeting.objects.filter(meeting_type=town_body, status=Status.PLANNED, date__gte=today)
        .order_by("date")
        .first()
    )
    if meeting is None:
        return
    fields = {k: v for k, v in data.items() if k != "code_suffix"}
    case, _ = Case.objects.get_or_create(
        municipality=meeting.municipality,
        code=f"{fiscal_year(today)}-{data['code_suffix']}",
        defaults={
            "center": meeting.center,
            "status": CaseStatus.READY,
            "case_type": "independence",
            **fields,
        },
    )
    CaseReview.objects.get_or_create(case=case, meeting=meeting)


def load_trainings(prefecture, trainings, pool, town_chair, today):
    matsukaze_chair = (
        Person.objects.filter(municipality__code=MATSUKAZE, profession="chief_care_manager")
        .order_by("id")
        .first()
    )
    for data in trainings:
        training, _ = Training.objects.get_or_create(
            prefecture=prefecture,
            kind=data["kind"],
            title=data["title"],
            defaults={
                "held_on": today - datetime.timedelta(days=30 * data["months_ago"]),
                "venue": data["venue"],
            },
        )
        for login in data["advisers"]:
            adviser = pool[login]
            TrainingAttendee.objects.get_or_create(
                training=training,
                user=adviser.user,
                defaults={"name": adviser.name, "affiliation": adviser.association},
            )
        if data["chairs"]:
            for person in filter(None, [town_chair, matsukaze_chair]):
                TrainingAttendee.objects.get_or_create(
                    training=training,
                    person=person,
                    defaults={"name": person.name, "affiliation": str(person.municipality)},
                )


def load_issues(issues):
    """Issues its municipalities raise to 県・国 level, one grown out of a city issue."""
    for data in issues:
        municipality = Municipality.objects.get(code=data["code"])
        if CommunityIssue.objects.filter(municipality=municipality, title=data["title"]).exists():
            continue
        issue = CommunityIssue(
            municipality=municipality,
            title=data["title"],
            description=data["description"],
            theme=issue_services.theme_named(municipality, data["theme"]),
            level="prefecture",
            status="raised",
        )
        lower = (
            CommunityIssue.objects.filter(municipality=municipality, title=data["raise_from"])
            .order_by("id")
            .first()
            if data["raise_from"]
            else None
        )
        if lower is not None:
            issue_services.escalate(issues=[lower], into=issue, by=None)
        else:
            issue_services.open_issue(issue=issue, by=None)
        proposal = data["proposal"]
        issue_services.save_proposal(
            proposal=Proposal(municipality=municipality, issue=issue, **proposal), by=None
        )


def write_logins(stdout, prefecture, staff, pool, upcoming):
    stdout.write("")
    stdout.write(f"{prefecture}（県の画面・パスワードは同じ {DEMO_PASSWORD} ）:")
    for user in staff.values():
        membership = PrefectureMembership.objects.get(user=user, prefecture=prefecture)
        stdout.write(f"  {user.username:<8} {prefecture} {membership.get_role_display()}")
    stdout.write(f"  派遣アドバイザー（{len(pool)}名）: {' '.join(pool)}")
    if upcoming.get(AssignmentStatus.PENDING):
        stdout.write(f"    回答待ちの依頼がある: {upcoming[AssignmentStatus.PENDING]}")
    if upcoming.get(AssignmentStatus.ACCEPTED):
        stdout.write(f"    派遣が決まった会議がある: {upcoming[AssignmentStatus.ACCEPTED]}")
