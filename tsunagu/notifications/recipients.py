"""Who hears of what: directory people, found from the meeting, case or issue."""

from django.db.models import Q
from django.utils import timezone

from tsunagu.accounts.models import Membership, Role, User
from tsunagu.cases.models import Case
from tsunagu.issues.models import CommunityIssue, IssueTag
from tsunagu.meetings.content_rule import signed
from tsunagu.notifications.models import Notification
from tsunagu.organizations.models import Person
from tsunagu.prefecture.choices import PrefectureRole


def attendees(meeting):
    """The directory people on the meeting's list (ad-hoc names cannot be reached)."""
    return Person.objects.filter(
        attendances__meeting=meeting, municipality_id=meeting.municipality_id
    ).distinct()


def current_members():
    today = timezone.localdate()
    return Membership.objects.filter(is_active=True, user__is_active=True).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )


def organisers(meeting):
    """The staff who organise the meeting: its center's staff, or for a meeting of the city
    (or of a body's host organisation) the city's administrators and the core center."""
    members = current_members().filter(municipality_id=meeting.municipality_id)
    if meeting.center_id:
        members = members.filter(
            center_id=meeting.center_id, role__in=[Role.CENTER_STAFF, Role.CORE_CENTER]
        )
    else:
        members = members.filter(role__in=[Role.CITY_ADMIN, Role.CORE_CENTER])
    return Person.objects.filter(pk__in=members.values("person_id"))


def pledged(person, meeting) -> bool:
    """Whether the person signed a pledge covering the meeting (themselves, or a login of
    theirs)."""
    return signed(meeting, Q(person=person) | Q(user__memberships__person=person))


def custodians_of_issue(issue):
    """The people who look after the cases tagged with the issue, or with the lower issues
    raised into it: each case's care manager and its center's staff."""
    ids = {issue.pk}
    frontier = {issue.pk}
    for _level in range(3):  # 個別 → 圏域 → 市 → 県: at most three steps down
        frontier = (
            set(
                CommunityIssue.objects.filter(escalated_to_id__in=frontier).values_list(
                    "pk", flat=True
                )
            )
            - ids
        )
        if not frontier:
            break
        ids |= frontier
    cases = Case.objects.filter(
        pk__in=IssueTag.objects.filter(issue_id__in=ids).values("case_id"),
        municipality_id=issue.municipality_id,
    )
    staff = current_members().filter(
        municipality_id=issue.municipality_id,
        role=Role.CENTER_STAFF,
        center_id__in=cases.values("center_id"),
    )
    return Person.objects.filter(
        Q(pk__in=cases.values("care_manager_id")) | Q(pk__in=staff.values("person_id"))
    ).distinct()


# -- The prefecture tier (issue 20) and the center's reports (issue 19) -----------------------


def prefecture_coordinators(prefecture):
    """The logins of the prefecture's staff and coordinators (they have no directory person:
    notifications address their login)."""
    return User.objects.filter(
        is_active=True,
        prefecture_memberships__prefecture=prefecture,
        prefecture_memberships__is_active=True,
        prefecture_memberships__role__in=[PrefectureRole.STAFF, PrefectureRole.COORDINATOR],
    ).distinct()


def person_of_login(user, municipality_id):
    """The directory person a login's current membership names in the municipality."""
    membership = (
        current_members()
        .filter(user=user, municipality_id=municipality_id, person__isnull=False)
        .select_related("person")
        .first()
    )
    return membership.person if membership else None


def login_is_addressed(user) -> bool:
    """Whether notifications may come addressed to the login itself: the prefecture tier's
    people (staff, coordinators, pooled advisers), or any login that already has one."""
    return (
        user.prefecture_memberships.filter(is_active=True).exists()
        or user.adviser_profiles.exists()
        or Notification.objects.filter(user=user).exists()
    )


def adviser(assignment):
    """Where an adviser hears of a dispatch: the directory person their membership in the
    requesting municipality names (after an acceptance), when that person can be mailed or
    the login cannot; otherwise the adviser's login itself."""
    user = assignment.adviser.user
    person = person_of_login(user, assignment.request.municipality_id)
    if person is not None and (person.email or not user.email):
        return person
    return user if user.is_active else person


def coordinator(assignment):
    """The login that made the assignment (a coordinator or the prefecture's staff)."""
    user = assignment.assigned_by
    return user if user is not None and user.is_active else None


def requesters(dispatch_request):
    """The requesting municipality's organisers of the meeting, and the person of the login
    that made the request."""
    people = organisers(dispatch_request.meeting)
    if dispatch_request.requested_by_id is None:
        return people
    requester = current_members().filter(
        user_id=dispatch_request.requested_by_id,
        municipality_id=dispatch_request.municipality_id,
        person__isnull=False,
    )
    return Person.objects.filter(
        Q(pk__in=people.values("pk")) | Q(pk__in=requester.values("person_id"))
    )


def center_staff(center):
    members = current_members().filter(
        municipality_id=center.municipality_id, center_id=center.pk, role=Role.CENTER_STAFF
    )
    return Person.objects.filter(pk__in=members.values("person_id"))
