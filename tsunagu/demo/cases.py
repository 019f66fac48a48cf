"""Cases for the demo: one reviewed at 明第1's recorded meeting and now in monitoring (its
生活援助 count is over the threshold, so it is flagged), one ready for the next meeting, and a
draft. All anonymised, as cases always are."""

import datetime

from django.utils import timezone

from tsunagu.cases.choices import CaseStatus
from tsunagu.cases.models import (
    Action,
    Advice,
    AssessmentRow,
    CarePlanService,
    Case,
    CaseReview,
    FollowUp,
)
from tsunagu.cases.services import add_months
from tsunagu.lib.fiscal import fiscal_year
from tsunagu.meetings.models import Meeting
from tsunagu.organizations.models import Center, Municipality, Person

ASSESSMENT = [
    ("outdoor_mobility", "partial", "膝の痛み、歩行時のふらつき", "improve", "杖を使用"),
    ("cooking", "partial", "立位の保持が難しい", "maintain", "配食を週3回"),
    ("shopping", "full", "外出の機会が減った", "improve", "近所の知人に依頼"),
    ("medication", "watch", "7種類、お薬手帳が2冊", "improve", ""),
    ("social", "problem", "外出が減り、人と話す機会が少ない", "improve", "以前は老人会に参加"),
]


def load_cases():
    municipality = Municipality.objects.get(code="129909")
    center = Center.objects.get(municipality=municipality, name="明第1地域包括支援センター")
    care_manager = (
        Person.objects.filter(municipality=municipality, profession="care_manager")
        .order_by("id")
        .first()
    )
    prefix = f"{fiscal_year(timezone.localdate())}-{center.pk:03d}-"
    meetings = Meeting.objects.filter(
        municipality=municipality,
        center=center,
        meeting_type__name="地域個別ケア会議",
        date__gte=datetime.date(fiscal_year(timezone.localdate()), 4, 1),
    ).order_by("date")
    # The meeting the demo recorded in full (see demo/meetings.py), whichever 年度 it is in.
    held = (
        Meeting.objects.filter(municipality=municipality, center=center)
        .exclude(minutes="")
        .order_by("date")
        .first()
    )
    upcoming = meetings.filter(date__gte=timezone.localdate(), status="planned").first()

    reviewed, created = Case.objects.get_or_create(
        municipality=municipality,
        code=prefix + "001",
        defaults={
            "center": center,
            "center_reference": "明1-0415",
            "care_manager": care_manager,
            "status": CaseStatus.MONITORING,
            "case_type": "independence",
            "age_band": "80",
            "sex": "female",
            "care_level": "care_1",
            "household": "alone",
            "main_diseases": "変形性膝関節症、高血圧症",
            "medication_count": 7,
            "wishes": "できれば自分で店まで歩いて行きたい",
            "question": "外出の機会を増やし、買い物を自分でできるようにするには",
            "exercise": "立ち上がりに時間がかかる。屋外は杖歩行で10分程度。",
            "nutrition": "半年で体重が3kg減少。",
            "social": "外出は週1回の通院のみ。",
            "plan_changed_on": held.date if held else None,
        },
    )
    if created:
        CarePlanService.objects.bulk_create(
            [
                CarePlanService(
                    case=reviewed,
                    service_type="home_help_life",
                    monthly_count=28,
                    note="掃除・買い物",
                ),
                CarePlanService(case=reviewed, service_type="day_service", monthly_count=4),
                CarePlanService(
                    case=reviewed, service_type="equipment", monthly_count=1, note="歩行器"
                ),
            ]
        )
        AssessmentRow.objects.bulk_create(
            AssessmentRow(
                case=reviewed,
                item=item,
                current=current,
                factors=factors,
                prospect=prospect,
                note=note,
            )
            for item, current, factors, prospect, note in ASSESSMENT
        )
        if held is not None:
            load_review(reviewed, held, care_manager)

    ready, _ = Case.objects.get_or_create(
        municipality=municipality,
        code=prefix + "002",
        defaults={
            "center": center,
            "center_reference": "明1-0532",
            "care_manager": care_manager,
            "status": CaseStatus.READY,
            "case_type": "not_connected",
            "age_band": "85",
            "sex": "male",
            "care_level": "care_2",
            "household": "elderly_only",
            "main_diseases": "アルツハイマー型認知症（軽度）",
            "medication_count": 4,
            "wishes": "妻と二人で自宅で暮らし続けたい",
            "question": "買い物と金銭管理の支援を、どこにつなげばよいか",
        },
    )
    if upcoming is not None:
        CaseReview.objects.get_or_create(case=ready, meeting=upcoming, defaults={"order": 1})
    Case.objects.get_or_create(
        municipality=municipality,
        code=prefix + "003",
        defaults={
            "center": center,
            "center_reference": "明1-0601",
            "care_manager": care_manager,
            "status": CaseStatus.DRAFT,
            "case_type": "difficulty",
            "age_band": "75",
            "sex": "female",
            "care_level": "support_2",
            "household": "with_family",
            "question": "同居の息子との関係がうまくいかず、サービスを断られる",
        },
    )


def load_review(case, meeting, care_manager):
    review = CaseReview.objects.create(
        case=case,
        meeting=meeting,
        order=1,
        reviewed_at=timezone.now(),
        support_policy="通いの場への参加を目標に、3か月は自宅での運動と栄養の改善に取り組む。",
    )
    advisers = {a.profession: a for a in meeting.attendances.filter(role="adviser")}
    for profession, text in (
        ("physiotherapist", "膝の痛みは動作の工夫で軽くできる。自宅での立ち上がり練習を提案。"),
        ("dietitian", "たんぱく質が不足。配食の活用と間食の工夫を。"),
        ("pharmacist", "お薬手帳を一本化し、鎮痛薬の飲み方を確認する。"),
    ):
        if profession in advisers:
            Advice.objects.create(
                review=review,
                adviser_name=advisers[profession].name,
                profession=profession,
                text=text,
            )
    today = timezone.localdate()
    Action.objects.bulk_create(
        [
            Action(
                review=review,
                responsible=care_manager,
                what="ケアプランに自宅での運動を位置付ける",
                due_on=meeting.date + datetime.timedelta(days=30),
                status="done",
            ),
            Action(
                review=review,
                responsible=care_manager,
                what="近くのサロンの情報を本人へ届ける",
                due_on=today - datetime.timedelta(days=10),
                status="in_progress",
            ),
            Action(
                review=review,
                responsible_label="みなと薬局 本庁店",
                what="お薬手帳の一本化",
                due_on=meeting.date + datetime.timedelta(days=45),
            ),
        ]
    )
    for months in meeting.meeting_type.follow_up_intervals:
        due = add_months(meeting.date, months)
        done = due < today
        FollowUp.objects.create(
            review=review,
            months_after=months,
            due_on=due,
            done_on=due if done else None,
            outcome="improved" if done else "",
            goal="mostly" if done else "",
            care_level_after="care_1" if done else "",
            comment="自宅での運動を続け、屋外歩行が20分に伸びた。" if done else "",
        )
