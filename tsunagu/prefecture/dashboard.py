"""What the prefecture's and the adviser's pages show, read through the access modules.

The adviser's page reaches meetings and cases only through the municipality membership each
dispatch gave (or the municipality's own), and asks the municipalities' gate about content:
this module never decides who may read a case.
"""

from django.db.models import Count, Q
from django.utils import timezone

from tsunagu.cases.access import cases_visible_to
from tsunagu.meetings.content_rule import content_refusal, has_pledge

from . import access
from .choices import AssignmentStatus, RequestStatus, TrainingKind
from .matching import candidates
from .models import TrainingAttendee


def prefecture_summary(pref) -> dict:
    requests = access.requests_visible_to(pref)
    counts = requests.aggregate(
        open=Count("id", filter=Q(status=RequestStatus.OPEN)),
        assigned=Count("id", filter=Q(status=RequestStatus.ASSIGNED)),
        accepted=Count(
            "id",
            filter=Q(status=RequestStatus.ACCEPTED, meeting__date__gte=timezone.localdate()),
        ),
    )
    return {
        "counts": counts,
        "pool_size": access.advisers_visible_to(pref).filter(is_active=True).count(),
        "municipalities": list(pref.prefecture.municipalities.order_by("code")),
    }


def completed_trainings(user_ids) -> dict[int, list[str]]:
    """Per login, the labels of the training kinds completed (one query)."""
    labels = dict(TrainingKind.choices)
    done: dict[int, list[str]] = {}
    for user_id, kind in (
        TrainingAttendee.objects.filter(user_id__in=user_ids, completed=True)
        .values_list("user_id", "training__kind")
        .distinct()
        .order_by("training__kind")
    ):
        done.setdefault(user_id, []).append(labels[kind])
    return done


def pool_rows(pref) -> list:
    advisers = list(
        access.advisers_visible_to(pref).prefetch_related("municipalities", "areas__municipality")
    )
    done = completed_trainings([a.user_id for a in advisers])
    return [
        (adviser, done.get(adviser.user_id, []), access.may_edit_adviser(pref, adviser))
        for adviser in advisers
    ]


def request_page(dispatch_request) -> dict:
    fits = (
        list(candidates(dispatch_request)) if dispatch_request.status == RequestStatus.OPEN else []
    )
    return {
        "dispatch_request": dispatch_request,
        "candidates": fits,
        "trained": completed_trainings([a.user_id for a in fits]),
        "assignments": dispatch_request.assignments.select_related("adviser"),
        "live": [AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED],
    }


def adviser_dashboard(user) -> dict:
    """The adviser's upcoming meetings across municipalities: what to answer, the pledge to
    sign and the cases to read, each as the municipality's gate answers it today."""
    today = timezone.localdate()
    mine = access.own_assignments(user).filter(request__meeting__date__gte=today)
    accepted = []
    for assignment in mine.filter(status=AssignmentStatus.ACCEPTED).order_by(
        "request__meeting__date"
    ):
        meeting = assignment.request.meeting
        membership = assignment.membership
        usable = membership is not None and membership.is_current(today)
        accepted.append(
            {
                "assignment": assignment,
                "meeting": meeting,
                "membership": membership if usable else None,
                "needs_pledge": meeting.meeting_type.handles_personal_info,
                "signed": usable and has_pledge(membership, meeting),
                "refusal": content_refusal(membership, meeting) if usable else None,
                "cases": list(
                    cases_visible_to(membership).filter(reviews__meeting=meeting).distinct()
                )
                if usable
                else [],
            }
        )
    return {
        "profiles": list(access.own_profiles(user)),
        "pending": list(
            mine.filter(status=AssignmentStatus.PENDING).order_by("request__meeting__date")
        ),
        "accepted": accepted,
    }
