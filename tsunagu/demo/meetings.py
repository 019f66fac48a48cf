"""Meetings for the demo: seed 002's 令和3年度 schedule, and a current 年度 in progress.

松風市 gets the Matsudo-style catalogue and the whole published 令和3年度 table (imported from
data/samples/, as a municipality would), the two city meetings of that year, and for the
current 年度 a plan per center with meetings held, planned and one cancelled. One meeting is
recorded in full: attendance by profession, minutes, decisions and the closing summary.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from tsunagu.confidentiality.models import Pledge, PledgeMethod
from tsunagu.confidentiality.services import policy_for_signing
from tsunagu.lib.fiscal import fiscal_year, fiscal_year_range
from tsunagu.meetings import importing
from tsunagu.meetings.choices import AttendanceRole, Format, Status
from tsunagu.meetings.models import Attendance, Meeting, MeetingType, PlanEntry
from tsunagu.meetings.presets import load_preset
from tsunagu.organizations.choices import Profession
from tsunagu.organizations.models import Center, Municipality, Person

SAMPLE = Path(settings.BASE_DIR) / "data" / "samples" / "matsudo_r3_schedule.csv"

# Seed 002 counts 63 cases at 31 地域個別ケア会議 and 18 at 6 自立支援型 (June–November 2021);
# the table gives no per-meeting figure, so the demo spreads them evenly.
CASES_PER_MEETING = {"地域個別ケア会議": 2, "自立支援型個別ケア会議": 3}

MINUTES = """1. 事例提供（担当介護支援専門員）
A氏 80代 女性 要支援2 独居。膝の痛みから外出が減り、買い物は近所の知人に頼っている。
本人の意向:「できれば自分で店まで歩いて行きたい」。

2. 助言
・理学療法士: 膝の痛みは動作の工夫で軽くできる。自宅でできる立ち上がり練習を提案。
・管理栄養士: 体重が半年で3kg減。たんぱく質が不足。配食の活用と間食の工夫を。
・薬剤師: 鎮痛薬を含め7種類を服用。お薬手帳が2冊あり、一本化を。

3. 支援方針
通いの場への参加を目標に、3か月は自宅での運動と栄養改善に取り組む。
"""
DECISIONS = """・介護支援専門員: ケアプランに自宅での運動を位置付ける（1か月以内）
・地域包括支援センター: 近くの通いの場（サロン）の情報を本人へ届ける（2週間以内）
・薬剤師会へ: お薬手帳の一本化を薬局に依頼（次回受診時）
・3か月後にモニタリング結果を報告する
"""
SUMMARY = (
    "要支援2の独居女性の事例を検討。運動・栄養・服薬の助言を受け、通いの場への参加を目標とする"
    "支援方針と役割分担を決めた。買い物支援の不足は圏域の課題として推進会議に報告する。"
)


def load_r3_schedule(municipality, by):
    """Import the published 令和3年度 table once, then spread the seed's case counts."""
    start, end = fiscal_year_range(2021)
    if Meeting.objects.filter(municipality=municipality, date__range=(start, end)).exists():
        return
    table = importing.read_table(SAMPLE.read_bytes(), SAMPLE.name)
    result = importing.parse_matrix(table, municipality=municipality, fiscal_year=2021)
    if not result.ok:
        raise ValueError("\n".join(str(problem) for problem in result.problems))
    importing.import_meetings(result, municipality=municipality, by=by, source=SAMPLE.name)
    imported = Meeting.objects.filter(municipality=municipality, date__range=(start, end))
    for name, per_meeting in CASES_PER_MEETING.items():
        imported.filter(meeting_type__name=name).update(cases_reviewed=per_meeting)
    # 63 = 31 × 2 + 1: one June–November meeting reviewed a third case.
    seed_period = (datetime.date(2021, 6, 1), datetime.date(2021, 11, 30))
    first = (
        imported.filter(meeting_type__name="地域個別ケア会議", date__range=seed_period)
        .order_by("date", "id")
        .first()
    )
    Meeting.objects.filter(pk=first.pk).update(cases_reviewed=3)


def load_current_year(municipality):
    """A 年度 in progress: plans per center, meetings held before today and planned after."""
    today = timezone.localdate()
    fy = fiscal_year(today)
    start, _end = fiscal_year_range(fy)
    types = {t.name: t for t in MeetingType.objects.filter(municipality=municipality)}
    pattern = [  # (body, planned per year, months of the year's meetings)
        ("地域個別ケア会議", 4, [5, 8, 11, 2]),
        ("自立支援型個別ケア会議", 1, [10]),
        ("地域包括ケア推進会議", 2, [6, 12]),
    ]
    centers = Center.objects.filter(municipality=municipality, area__isnull=False)
    for index, center in enumerate(centers):
        for name, planned, months in pattern:
            meeting_type = types[name]
            PlanEntry.objects.get_or_create(
                municipality=municipality,
                fiscal_year=fy,
                meeting_type=meeting_type,
                center=center,
                defaults={"planned_count": planned},
            )
            # Two centers fall behind their plan, so the matrix shows a shortfall.
            for month in months[: len(months) - (1 if index in (3, 9) else 0)]:
                year = fy if month >= 4 else fy + 1
                day = datetime.date(year, month, 8 + index)
                Meeting.objects.get_or_create(
                    municipality=municipality,
                    meeting_type=meeting_type,
                    center=center,
                    date=day,
                    defaults={
                        "status": Status.HELD if day < today else Status.PLANNED,
                        "format": Format.HYBRID if index % 4 == 0 else Format.IN_PERSON,
                        "start_time": datetime.time(14, 0),
                        "end_time": datetime.time(16, 0),
                        "venue": f"{center.area}地区 地域会館 会議室",
                        "cases_reviewed": 2 if day < today and meeting_type.reviews_cases else 0,
                        "summary": "事例を検討し、支援方針と役割分担を確認した。"
                        if day < today
                        else "",
                        "closed_at": timezone.now() if day < today else None,
                    },
                )
    city = types["市地域ケア会議"]
    for month in (7, 1):
        year = fy if month >= 4 else fy + 1
        day = datetime.date(year, month, 28)
        PlanEntry.objects.get_or_create(
            municipality=municipality,
            fiscal_year=fy,
            meeting_type=city,
            center=None,
            defaults={"planned_count": 2},
        )
        Meeting.objects.get_or_create(
            municipality=municipality,
            meeting_type=city,
            center=None,
            date=day,
            defaults={
                "status": Status.HELD if day < today else Status.PLANNED,
                "venue": "市役所 議会棟 特別委員会室",
                "start_time": datetime.time(19, 0),
            },
        )
    load_recorded_meeting(municipality, types["地域個別ケア会議"], start, today)


def load_recorded_meeting(municipality, meeting_type, fy_start, today):
    """明第1's first 個別会議 of the year with its full record, and the next one invited.

    Early in April no meeting of the new 年度 has taken place yet: the last one held (of the
    previous 年度) is recorded instead, so the demo always shows a full record.
    """
    center = Center.objects.get(municipality=municipality, name="明第1地域包括支援センター")
    everything = Meeting.objects.filter(
        municipality=municipality, center=center, meeting_type=meeting_type
    )
    meetings = everything.filter(date__gte=fy_start)
    held = (
        meetings.filter(date__lt=today).order_by("date").first()
        or everything.filter(date__lt=today).order_by("-date").first()
    )
    upcoming = meetings.filter(date__gte=today).order_by("date").first()
    cast = (
        [
            (
                center.people.filter(profession=Profession.CHIEF_CARE_MANAGER).first(),
                AttendanceRole.CHAIR,
            ),
            (
                center.people.filter(profession=Profession.SOCIAL_WORKER).first(),
                AttendanceRole.SECRETARIAT,
            ),
            (
                Person.objects.filter(municipality=municipality, profession=Profession.CARE_MANAGER)
                .order_by("id")
                .first(),
                AttendanceRole.PRESENTER,
            ),
        ]
        + [
            (
                Person.objects.filter(municipality=municipality, profession=profession)
                .order_by("id")
                .first(),
                AttendanceRole.ADVISER,
            )
            for profession in (
                Profession.PHYSIOTHERAPIST,
                Profession.DIETITIAN,
                Profession.PHARMACIST,
            )
        ]
        + [
            (
                Person.objects.filter(
                    municipality=municipality, profession=Profession.WELFARE_COMMISSIONER
                )
                .order_by("id")
                .first(),
                AttendanceRole.PARTICIPANT,
            ),
        ]
    )
    for meeting, attended in ((held, True), (upcoming, False)):
        if meeting is None:
            continue
        for person, role in cast:
            Attendance.objects.get_or_create(
                meeting=meeting,
                person=person,
                defaults={
                    "name": person.name,
                    "profession": person.profession,
                    "affiliation": str(person.affiliation or ""),
                    "role": role,
                    "invited": True,
                    "attended": attended,
                },
            )
    if held is not None:
        # Everyone at the recorded meeting handed in the paper 誓約書; the demo's logins have
        # not signed anything, so each shows the pledge gate and can sign on screen.
        policy = policy_for_signing(municipality)
        for person, _role in cast:
            Pledge.objects.get_or_create(
                municipality=municipality,
                meeting=held,
                person=person,
                defaults={
                    "policy_version": policy,
                    "signer_name": person.name,
                    "affiliation": str(person.affiliation or ""),
                    "method": PledgeMethod.PAPER,
                    "recorded_by": "center",
                },
            )
        Meeting.objects.filter(pk=held.pk).update(
            theme="独居で外出が減った方の自立支援",
            minutes=MINUTES,
            decisions=DECISIONS,
            summary=SUMMARY,
            cases_reviewed=1,
        )
    if upcoming is not None:
        Meeting.objects.filter(pk=upcoming.pk).update(theme="認知症の方の買い物と金銭管理")
    cancelled = meetings.filter(date__gte=today).order_by("-date").first()
    if cancelled is not None and cancelled.pk != getattr(upcoming, "pk", None):
        Meeting.objects.filter(pk=cancelled.pk).update(status=Status.CANCELLED)


def load_meetings(admin_by_code):
    """`admin_by_code`: the demo 市職員 user per municipality code, as the importing user."""
    matsukaze = Municipality.objects.get(code="129909")
    ogawadaira = Municipality.objects.get(code="139904")
    load_preset(municipality=matsukaze, key="matsudo", by=admin_by_code["129909"])
    load_preset(municipality=ogawadaira, key="kodaira", by=admin_by_code["139904"])
    load_r3_schedule(matsukaze, admin_by_code["129909"])
    load_current_year(matsukaze)
