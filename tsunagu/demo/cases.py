"""Cases for the demo (data/demo/cases.json): one reviewed at 明第1's recorded meeting and now in
monitoring, one ready for the next meeting, and a draft. All anonymised, as cases always are.

Each goes the way a case goes in the system, through the case services: created, its care plan
and assessment saved, put on the meeting's agenda, reviewed (advice, actions), the meeting's
record closed, and its follow-ups recorded as they fall due. The reviewed case's count of
生活援助 visits is the one the screening of its office's benefit data flags (the demo's benefit
file, in the screening's own format), so the screening page and the case tell the same story.
"""

import datetime

from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.cases import services
from tsunagu.cases.choices import CaseStatus
from tsunagu.cases.forms import CaseForm
from tsunagu.cases.models import Action, Advice, AssessmentRow, CarePlanService, Case, FollowUp
from tsunagu.meetings.choices import Status
from tsunagu.meetings.models import Meeting
from tsunagu.meetings.services import close_meeting
from tsunagu.organizations.models import Center, Municipality, Person

from .files import data_path, days_ago, read_json
from .importers import screen_benefit_data
from .meetings import recorded_meetings

# A demo case gives the fields its form asks for; its center, care manager and plan date are
# set from elsewhere in the file.
SET_ELSEWHERE = {"center", "care_manager", "plan_changed_on"}
CASE_FIELDS = [name for name in CaseForm.Meta.fields if name not in SET_ELSEWHERE]


def _life_support_visits(spec) -> int:
    """The flagged plan's count of 生活援助 visits for the case's user in the benefit data."""
    plans = screen_benefit_data(data_path(spec["file"]))
    return next(p.life_support_count for p in plans if p.user_number == spec["user_number"])


def _care_plan(spec) -> list[CarePlanService]:
    lines = []
    for line in spec["care_plan"]:
        count = line["monthly_count"]
        if count == "benefit_data":
            count = _life_support_visits(spec["benefit_data"])
        lines.append(
            CarePlanService(
                service_type=line["service_type"], monthly_count=count, note=line["note"]
            )
        )
    return lines


def _due(spec, meeting, today) -> datetime.date:
    if "days_ago" in spec:
        return days_ago(spec["days_ago"], today)
    return meeting.date + datetime.timedelta(days=spec["days_after_meeting"])


def review(case, meeting, spec, *, care_manager, closing, by):
    """Put on the agenda, reviewed with advice and actions, the meeting closed, follow-ups
    recorded when due: the case ends in monitoring."""
    today = timezone.localdate()
    agenda = services.put_on_agenda(case=case, meeting=meeting, by=by)
    services.record_review(review=agenda, support_policy=spec["support_policy"], by=by)
    # Each advice names the attendee who gave it, as the meeting room records it.
    advisers = {a.profession: a for a in meeting.attendances.filter(role="adviser")}
    for advice in spec["advice"]:
        if advice["profession"] in advisers:
            adviser = advisers[advice["profession"]]
            services.add_advice(
                advice=Advice(
                    review=agenda, attendance=adviser, adviser_name=adviser.name, **advice
                ),
                by=by,
            )
    for action in spec["actions"]:
        responsible = care_manager if action.get("responsible") == "care_manager" else None
        fields = {name: action[name] for name in ("responsible_label", "status") if name in action}
        due_on = _due(action["due"], meeting, today)
        services.add_action(
            action=Action(
                review=agenda, responsible=responsible, what=action["what"], due_on=due_on, **fields
            ),
            by=by,
        )
    close_meeting(
        meeting=meeting,
        summary=closing["summary"],
        cases_reviewed=closing["cases_reviewed"],
        by=by,
    )
    for follow_up in FollowUp.objects.filter(review=agenda, due_on__lt=today):
        for name, value in spec["follow_up_when_due"].items():
            setattr(follow_up, name, value)
        follow_up.done_on = follow_up.due_on
        services.record_follow_up(follow_up=follow_up, by=by)
    case.refresh_from_db()
    if case.status == CaseStatus.REVIEWED:
        services.move(case=case, to=CaseStatus.MONITORING, by=by)


def load_cases():
    data = read_json("cases.json")
    municipality = Municipality.objects.get(code=data["municipality"])
    center = Center.objects.get(municipality=municipality, name=data["center"])
    if Case.objects.filter(center=center).exists():
        return
    by = User.objects.get(username=data["created_by"])
    care_manager = (
        Person.objects.filter(municipality=municipality, profession=data["care_manager"])
        .order_by("id")
        .first()
    )
    recorded = read_json("meetings.json")["recorded"]
    held, _ = recorded_meetings(municipality, recorded)
    upcoming = (
        Meeting.objects.filter(
            center=center,
            meeting_type__name=recorded["body"],
            date__gte=timezone.localdate(),
            status=Status.PLANNED,
        )
        .order_by("date")
        .first()
    )
    for spec in data["cases"]:
        case = Case(
            municipality=municipality,
            center=center,
            care_manager=care_manager,
            status=CaseStatus.READY if spec["status"] != CaseStatus.DRAFT else CaseStatus.DRAFT,
            **{name: spec[name] for name in CASE_FIELDS if name in spec},
        )
        if "review" in spec and held is not None:
            case.plan_changed_on = held.date
        case = services.create_case(case=case, by=by)
        if "care_plan" in spec:
            services.save_care_plan(case=case, services=_care_plan(spec), by=by)
        if "assessment" in spec:
            rows = [AssessmentRow(**row) for row in spec["assessment"]]
            services.save_assessment(case=case, rows=rows, by=by)
        if "review" in spec and held is not None:
            review(case, held, spec["review"], care_manager=care_manager, closing=recorded, by=by)
        if spec.get("on_agenda") == "upcoming" and upcoming is not None:
            services.put_on_agenda(case=case, meeting=upcoming, by=by)
