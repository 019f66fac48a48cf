"""A prefecture-sized data set for benchmarks: 350 centers, 10 年度, about 70,000 meetings
(generate), 70,000 anonymised cases with their reviews, advice, actions and follow-ups
(generate_cases), and staff who log in during the load test (load_users).

All in one municipality, so that one schedule matrix and one statistics page cover all 350
centers: the worst case for a single page.
"""

import datetime
import random

from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count

from tsunagu.accounts.models import Membership, Role, User
from tsunagu.cases.choices import (
    AgeBand,
    AssessmentItem,
    CareLevel,
    CaseType,
    Current,
    GoalAchievement,
    Household,
    Outcome,
    Prospect,
    ServiceType,
    Sex,
)
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
from tsunagu.confidentiality.models import PledgeScope, PrivacySettings
from tsunagu.confidentiality.services import policy_for_signing
from tsunagu.lib.fiscal import fiscal_year, fiscal_year_range
from tsunagu.meetings.choices import Format, Status
from tsunagu.meetings.models import Meeting, MeetingType, PlanEntry, Pledge
from tsunagu.meetings.presets import load_preset
from tsunagu.organizations.models import Area, Center, Municipality, Person
from tsunagu.organizations.validators import municipality_check_digit

CENTERS = 350
YEARS = range(2016, 2026)
MEETINGS_PER_CENTER_YEAR = 20  # 350 × 10 × 20 = 70,000
CODE = "13998" + str(municipality_check_digit("13998"))
USERNAME = "bench-admin"
PASSWORD = "bench-password-2026"


@transaction.atomic
def generate() -> Municipality:
    """Create the data set unless it is already there; returns its municipality."""
    existing = Municipality.objects.filter(code=CODE).first()
    if existing is not None:
        return existing
    municipality = Municipality.objects.create(code=CODE, name="ベンチ県央市", prefecture="13")
    user = User.objects.create_user(USERNAME, password=PASSWORD, full_name="ベンチ管理者")
    Membership.objects.create(user=user, municipality=municipality, role=Role.CITY_ADMIN)
    load_preset(municipality=municipality, key="matsudo", by=user)
    types = list(MeetingType.objects.filter(municipality=municipality, host="each_center"))
    areas = Area.objects.bulk_create(
        Area(municipality=municipality, name=f"圏域{i:03d}", sort_order=i) for i in range(CENTERS)
    )
    centers = Center.objects.bulk_create(
        Center(municipality=municipality, name=f"第{i:03d}地域包括支援センター", area=area)
        for i, area in enumerate(areas)
    )
    rng = random.Random(2026)
    meetings, plans = [], []
    for year in YEARS:
        start, _ = fiscal_year_range(year)
        for center in centers:
            for meeting_type in types:
                plans.append(
                    PlanEntry(
                        municipality=municipality,
                        fiscal_year=year,
                        meeting_type=meeting_type,
                        center=center,
                        planned_count=MEETINGS_PER_CENTER_YEAR // len(types),
                    )
                )
            for _ in range(MEETINGS_PER_CENTER_YEAR):
                meetings.append(
                    Meeting(
                        municipality=municipality,
                        center=center,
                        meeting_type=rng.choice(types),
                        date=start + datetime.timedelta(days=rng.randrange(365)),
                        format=rng.choice(Format.values),
                        status=rng.choices(Status.values, weights=[1, 8, 1, 1])[0],
                        cases_reviewed=rng.randrange(4),
                    )
                )
    PlanEntry.objects.bulk_create(plans, batch_size=2000)
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    refresh_statistics()
    return municipality


def refresh_statistics() -> None:
    """Let the query planner know the new tables' sizes, as production does after the
    autovacuum (PostgreSQL) or an import (SQLite, lib/planner). Without it PostgreSQL guessed
    one joint body per meeting and probed for 6,400 of them (11 ms instead of 0.1)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        call_command("optimize_database")


# Cases: anonymised individual cases with their reviews, advice, actions and follow-ups, spread
# over the 350 centers and 10 年度 above. generate_cases(count) tops the data set up to `count`
# cases, so a later bench (e.g. bench/issue_data.py) can ask for more without starting again.

CASES = 70_000  # 20 per center and 年度, about one per 地域個別ケア会議 held
CASE_CHUNK = 5_000  # cases built and inserted per transaction, to keep memory flat
CARE_MANAGERS_PER_CENTER = 2

DISEASES = [
    "高血圧症",
    "変形性膝関節症",
    "糖尿病",
    "脳梗塞後遺症",
    "慢性心不全",
    "骨粗しょう症",
    "アルツハイマー型認知症",
    "パーキンソン病",
    "慢性閉塞性肺疾患",
    "脊柱管狭窄症",
]
WISHES = [
    "自宅での生活を続けたい",
    "自分で買い物に行けるようになりたい",
    "家族の負担を減らしたい",
    "以前のように趣味の会に参加したい",
    "入浴を一人でできるようにしたい",
]
QUESTIONS = [
    "外出の機会を増やすには",
    "生活援助の回数は適切か",
    "服薬管理をどう支えるか",
    "家族の介護負担をどう軽くするか",
    "閉じこもりを防ぐ地域の資源はあるか",
    "金銭管理の支援をどう組み立てるか",
]
ASSESSMENT_NOTES = ["膝の痛み", "立位の保持が難しい", "外出の機会が減った", "服薬の種類が多い"]
ADVICE = [
    "立ち上がりの練習を毎日の習慣にする。",
    "食事量と体重を月1回確かめる。",
    "お薬カレンダーで飲み忘れを防ぐ。",
    "近くの通いの場を紹介する。",
    "歯科受診を勧め、口腔の状態を確かめる。",
    "生活援助の一部を総合事業に置き換えられるか検討する。",
]
ADVISERS = [
    ("青木", "physiotherapist"),
    ("石井", "dietitian"),
    ("上田", "pharmacist"),
    ("江藤", "dental_hygienist"),
    ("大野", "occupational_therapist"),
    ("加藤", "chief_care_manager"),
]
ACTIONS = [
    ("地域包括支援センター", "通いの場の情報を届ける"),
    ("担当ケアマネジャー", "ケアプランを見直す"),
    ("民生委員", "月1回訪問して様子を見る"),
    ("訪問介護事業所", "買い物の同行を試す"),
    ("かかりつけ薬局", "服薬の一包化を提案する"),
]
CARE_MANAGER_NAMES = [
    ("佐藤", "サトウ"),
    ("鈴木", "スズキ"),
    ("高橋", "タカハシ"),
    ("田中", "タナカ"),
]


def _care_managers(municipality) -> dict[int, list[int]]:
    """Two 介護支援専門員 per center (created once): center id → person ids."""
    centers = list(Center.objects.filter(municipality=municipality).order_by("id"))
    people = Person.objects.filter(municipality=municipality, profession="care_manager")
    if not people.filter(note="bench").exists():
        Person.objects.bulk_create(
            Person(
                municipality=municipality,
                name=f"{CARE_MANAGER_NAMES[j % 4][0]} {i:03d}{j}",
                furigana=f"{CARE_MANAGER_NAMES[j % 4][1]}",
                profession="care_manager",
                center=center,
                note="bench",
            )
            for i, center in enumerate(centers)
            for j in range(CARE_MANAGERS_PER_CENTER)
        )
    by_center: dict[int, list[int]] = {}
    for pk, center_id in people.filter(note="bench").order_by("id").values_list("pk", "center_id"):
        by_center.setdefault(center_id, []).append(pk)
    return by_center


def _review_meetings(municipality) -> dict[tuple[int, int], list[tuple]]:
    """(center id, 年度) → held meetings of bodies that review cases:
    (id, date, intervals, body id)."""
    bodies = {
        meeting_type.pk: meeting_type.follow_up_intervals
        for meeting_type in MeetingType.objects.filter(
            municipality=municipality, reviews_cases=True
        )
    }
    found: dict[tuple[int, int], list[tuple]] = {}
    rows = (
        Meeting.objects.filter(
            municipality=municipality, meeting_type__in=bodies, status=Status.HELD
        )
        .order_by("date", "id")
        .values_list("pk", "center_id", "date", "meeting_type_id")
    )
    for pk, center_id, date, type_id in rows:
        found.setdefault((center_id, fiscal_year(date)), []).append(
            (pk, date, bodies[type_id], type_id)
        )
    return found


def _status_for(year: int, rng: random.Random) -> str:
    """Where a case of that 年度 stands today: old ones closed, recent ones still moving."""
    last = YEARS[-1]
    if year <= last - 2:
        weights = {"closed": 75, "monitoring": 15, "reviewed": 10}
    elif year == last - 1:
        weights = {"closed": 20, "monitoring": 50, "reviewed": 30}
    else:
        weights = {
            "monitoring": 30,
            "reviewed": 40,
            "ready": 10,
            "submitted": 10,
            "draft": 10,
        }
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def generate_cases(count: int = CASES) -> Municipality:
    """Top the data set up to `count` cases (the meetings first, if missing); returns the
    municipality. Each reviewed case has 1 or 2 reviews at held meetings of its center, each
    review 1–3 advice, 1–2 actions and its follow-ups (3 and 6 months); every case 1–2 care
    plan services and 1–2 rows of the 課題整理総括表. Idempotent: nothing is added once the
    municipality has `count` cases."""
    municipality = generate()
    existing = Case.objects.filter(municipality=municipality).count()
    if existing >= count:
        return municipality
    centers = list(Center.objects.filter(municipality=municipality).order_by("id"))
    pairs = [(year, center) for year in YEARS for center in centers]
    context = {
        "municipality": municipality,
        "pairs": pairs,
        "care_managers": _care_managers(municipality),
        "meetings": _review_meetings(municipality),
        "orders": _agenda_orders(municipality),
    }
    for start in range(existing, count, CASE_CHUNK):
        with transaction.atomic():
            _case_chunk(range(start, min(count, start + CASE_CHUNK)), **context)
    return municipality


def _agenda_orders(municipality) -> dict[int, int]:
    """How many cases each meeting already has on its agenda."""
    return dict(
        CaseReview.objects.filter(meeting__municipality=municipality)
        .values_list("meeting_id")
        .annotate(n=Count("id"))
    )


def _case_chunk(indexes, *, municipality, pairs, care_managers, meetings, orders):
    """Cases number `indexes` (0-based over the whole data set) and everything under them.

    Case i belongs to pair i mod len(pairs) (a 年度 and a center) and is that pair's
    (i // len(pairs) + 1)th case, so its code is unique however the data set was topped up."""
    today = datetime.date.today()
    rng = random.Random(indexes.start)
    cases, plans = [], []
    for i in indexes:
        year, center = pairs[i % len(pairs)]
        number = i // len(pairs) + 1
        status = _status_for(year, rng)
        held = meetings.get((center.pk, year), [])
        if not held and status not in ("draft", "submitted", "ready"):
            status = "ready"
        reviewed_at = rng.sample(held, min(len(held), 2 if rng.random() < 0.1 else 1))
        if status in ("draft", "submitted", "ready"):
            reviewed_at = []
        first = min((date for _, date, _, _ in reviewed_at), default=None)
        case = Case(
            municipality=municipality,
            code=f"{year}-{center.pk:03d}-{number:03d}",
            center=center,
            center_reference=f"B{center.pk:03d}-{year}-{number:03d}",
            care_manager_id=rng.choice(care_managers[center.pk]),
            status=status,
            case_type=rng.choice(CaseType.values),
            age_band=rng.choice(AgeBand.values),
            sex=rng.choice(Sex.values),
            care_level=rng.choice(CareLevel.values),
            household=rng.choice(Household.values),
            main_diseases="、".join(rng.sample(DISEASES, rng.randint(1, 3))),
            medication_count=rng.randint(0, 12),
            wishes=rng.choice(WISHES),
            question=rng.choice(QUESTIONS),
            exercise="屋外は杖歩行で10分程度。" if rng.random() < 0.5 else "",
            social="外出は週1回の通院のみ。" if rng.random() < 0.5 else "",
            plan_changed_on=(first - datetime.timedelta(days=rng.randint(10, 60)))
            if first
            else None,
            closed_on=add_months(first, rng.randint(6, 12)) if status == "closed" else None,
        )
        cases.append(case)
        plans.append(reviewed_at)
    Case.objects.bulk_create(cases, batch_size=1000)

    services, rows, reviews, schedules = [], [], [], []
    for case, reviewed_at in zip(cases, plans, strict=True):
        for service_type in rng.sample(ServiceType.values, rng.randint(1, 2)):
            services.append(
                CarePlanService(
                    case=case, service_type=service_type, monthly_count=rng.randint(2, 30)
                )
            )
        for item in rng.sample(AssessmentItem.values, rng.randint(1, 2)):
            rows.append(
                AssessmentRow(
                    case=case,
                    item=item,
                    current=rng.choice(Current.values),
                    factors=rng.choice(ASSESSMENT_NOTES),
                    prospect=rng.choice(Prospect.values),
                )
            )
        for meeting_id, date, intervals, type_id in reviewed_at:
            orders[meeting_id] = orders.get(meeting_id, 0) + 1
            review = CaseReview(
                case=case,
                meeting_id=meeting_id,
                order=orders[meeting_id],
                support_policy="通いの場への参加を目標に、生活援助を段階的に見直す。",
                reviewed_at=datetime.datetime.combine(date, datetime.time(15), tzinfo=datetime.UTC),
            )
            reviews.append(review)
            schedules.append((date, intervals, type_id))
    CarePlanService.objects.bulk_create(services, batch_size=2000)
    AssessmentRow.objects.bulk_create(rows, batch_size=2000)
    CaseReview.objects.bulk_create(reviews, batch_size=2000)

    advice, actions, follow_ups = [], [], []
    for review, (date, intervals, type_id) in zip(reviews, schedules, strict=True):
        for name, profession in rng.sample(ADVISERS, rng.randint(1, 3)):
            advice.append(
                Advice(
                    review=review,
                    adviser_name=f"{name} 助言者",
                    profession=profession,
                    text=rng.choice(ADVICE),
                )
            )
        for label, what in rng.sample(ACTIONS, rng.randint(1, 2)):
            due = date + datetime.timedelta(days=rng.randint(14, 90))
            actions.append(
                Action(
                    review=review,
                    responsible_label=label,
                    what=what,
                    due_on=due,
                    status="done" if due < today and rng.random() < 0.9 else "open",
                )
            )
        for months in intervals:
            due = add_months(date, months)
            done = due < today and rng.random() < 0.95
            follow_ups.append(
                FollowUp(
                    review=review,
                    municipality=municipality,  # the copies the outcome statistics read
                    meeting_type_id=type_id,
                    months_after=months,
                    due_on=due,
                    done_on=due if done else None,
                    outcome=rng.choice(Outcome.values) if done else "",
                    care_level_after=rng.choice(CareLevel.values) if done else "",
                    goal=rng.choice(GoalAchievement.values) if done else "",
                )
            )
    Advice.objects.bulk_create(advice, batch_size=2000)
    Action.objects.bulk_create(actions, batch_size=2000)
    FollowUp.objects.bulk_create(follow_ups, batch_size=2000)


# Staff who log in during the load test (bench/load/): センター職員 of the first centers and
# 介護支援専門員 of the same centers, with a 年度 pledge for every 年度 so case pages show content.

STAFF_PASSWORD = "bench-staff-password-2026"


def staff_username(role: str, number: int) -> str:
    return f"bench-{'staff' if role == Role.CENTER_STAFF else 'cm'}-{number:03d}"


def load_users(count: int = 50, *, care_managers: int | None = None) -> list[tuple[str, str]]:
    """`count` users (a fifth of them 介護支援専門員) who may read their cases; created once.

    Returns (username, role) pairs. The municipality signs pledges per 年度 here, and each user
    has signed every 年度 from the first of the data set to the next one."""
    municipality = generate()
    _care_managers(municipality)
    PrivacySettings.objects.update_or_create(
        municipality=municipality, defaults={"pledge_scope": PledgeScope.PER_FISCAL_YEAR}
    )
    policy = policy_for_signing(municipality)
    centers = list(Center.objects.filter(municipality=municipality).order_by("id"))
    care_managers = count // 5 if care_managers is None else care_managers
    wanted = [(Role.CENTER_STAFF, n) for n in range(count - care_managers)] + [
        (Role.CARE_MANAGER, n) for n in range(care_managers)
    ]
    made = []
    for role, n in wanted:
        username = staff_username(role, n)
        made.append((username, role))
        if User.objects.filter(username=username).exists():
            continue
        center = centers[n % len(centers)]
        user = User.objects.create_user(username, password=STAFF_PASSWORD, full_name=username)
        person = None
        if role == Role.CARE_MANAGER:
            person = (
                Person.objects.filter(center=center, profession="care_manager", note="bench")
                .order_by("id")
                .first()
            )
        Membership.objects.create(
            user=user,
            municipality=municipality,
            role=role,
            center=center if role == Role.CENTER_STAFF else None,
            person=person,
        )
        Pledge.objects.bulk_create(
            Pledge(
                municipality=municipality,
                policy_version=policy,
                fiscal_year=year,
                user=user,
                signer_name=username,
                affiliation=str(center),
                method="online",
            )
            for year in range(YEARS[0], fiscal_year(datetime.date.today()) + 2)
        )
    return made
