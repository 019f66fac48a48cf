"""The main pages of つなぐ, by the demo login that sees them, for the page-by-page checks
(axe-core, labels, 200% zoom, closed network) in test_pages.py.

Adding a page is one line in PAGES: its path, where `{name}` stands for the id of a demo row
that `demo_ids()` finds (add a row there if the page needs one it does not know yet), or
(path, status) when the page answers other than 200 (a refusal, a page not found).
A role's pages are visited in order after one login; "anonymous" visits without logging in.
"""

import datetime

from django.utils import timezone

from tsunagu.accounts.models import Membership, User
from tsunagu.cases.models import Case, CaseReview, FollowUp
from tsunagu.centerwork.models import (
    Consultation,
    Event,
    OutreachVisit,
    Submission,
    VolunteerActivity,
)
from tsunagu.issues.models import CommunityIssue, MiningJob
from tsunagu.meetings.models import Meeting, MeetingType, Pledge, PledgeMethod
from tsunagu.meetings.services import record_pledge, save_meeting
from tsunagu.organizations.models import Area, Center, Municipality, Organization, Person
from tsunagu.prefecture.models import DispatchRequest, Training
from tsunagu.resources.models import Need, Resource

MATSUKAZE = "129909"
CENTER = "明第1地域包括支援センター"

# Pages that are not reached by a plain GET of a path (see test_pages.py).
LOGIN_CODE = "two-factor code step"
ERROR_400 = "error page 400"
ERROR_500 = "error page 500"

PAGES = {
    "anonymous": [
        "/login/",
        LOGIN_CODE,
        ERROR_400,
        ERROR_500,
    ],
    # 市職員: every list, form and report; it has signed the pledges of the demo's meetings.
    # (An edit page that uses the same template as its new page is left to the new page.)
    "shi": [
        "/",
        "/areas/",
        "/areas/{area}/",
        "/areas/new/",
        "/areas/{area}/delete/",
        "/centers/",
        "/centers/{center}/",
        "/organizations/",
        "/organizations/{organization}/",
        "/organizations/new/",
        "/people/",
        "/people/{person}/",
        "/people/new/",
        "/members/",
        "/members/new/",
        "/members/{membership}/edit/",
        "/invitations/",
        "/meeting-types/",
        "/meeting-types/{meeting_type}/",
        "/meeting-types/new/",
        "/plans/",
        "/meetings/",
        "/meetings/new/",
        "/meetings/{held}/",
        "/meetings/{held}/agenda/",
        "/meetings/{upcoming}/",
        "/meetings/{upcoming}/edit/",
        "/meetings/{upcoming}/attendance/",
        "/meetings/{upcoming}/minutes/",
        "/meetings/{upcoming}/close/",
        "/meetings/{upcoming}/status/",
        "/meetings/{upcoming}/pledge/paper/",
        "/meetings/{upcoming}/room/",
        "/meetings/{upcoming}/room/screen/",
        "/meetings/{held}/room/",
        "/meetings/{upcoming}/dispatch/",
        "/meetings/import/",
        "/reports/schedule/",
        "/reports/schedule/?fy=2021",
        "/reports/meetings/",
        "/calendar/",
        "/cases/",
        "/cases/new/",
        "/cases/{reviewed_case}/",
        "/cases/{reviewed_case}/edit/",
        "/reviews/{review}/",
        "/follow-ups/{follow_up}/",
        "/screening/",
        "/privacy/",
        "/audit/",
        "/issues/",
        "/issues/new/",
        "/issues/escalate/",
        "/issues/{city_issue}/",
        "/issues/{city_issue}/edit/",
        "/issues/{city_issue}/discussions/new/",
        "/issues/{city_issue}/proposals/new/",
        "/proposals/{proposal}/edit/",
        "/issues/overview/",
        "/issues/documents/",
        "/issues/documents.pdf",
        "/issues/themes/",
        "/issues/mining/",
        "/issues/mining/{mining_job}/",
        "/issues/mining/{mining_job}/kwic/?word=支援",
        "/reviews/{review}/tags/",
        "/resources/",
        "/resources/new/",
        "/resources/{resource}/",
        "/resources/{resource}/match/",
        "/resources/import/",
        "/resources/needs/",
        "/resources/needs/new/",
        "/resources/needs/{need}/",
        "/resources/activities/",
        "/resources/activities/new/",
        "/resources/gaps/",
        "/resources/match/case/{reviewed_case}/",
        "/business/monthly/",
        "/business/coordinators/",
        "/business/guidance/",
        "/business/settings/",
        "/notifications/",
        "/notifications/reminders/",
        "/account/2fa/",
        "/password/",
        "/password/done/",
        ("/no-such-page/", 404),
    ],
    # センター職員 before signing anything: the pledge gate; the center's own cases are open to
    # it as their custodian, pledge or not.
    "center": [
        "/",
        "/meetings/",
        "/meetings/{held}/",
        "/meetings/{held}/pledge/",
        "/cases/",
        "/cases/?status=draft",
        "/cases/{reviewed_case}/",
        "/cases/{draft_case}/",
        "/cases/{draft_case}/edit/",
        "/issues/",
        "/resources/",
        "/business/",
        "/business/consultations/",
        "/business/consultations/new/",
        "/business/consultations/{consultation}/",
        "/business/import/",
        "/business/events/",
        "/business/outreach/",
        "/business/volunteers/",
        "/business/events/{event}/edit/",
        "/business/events/{event}/delete/",
        "/business/outreach/visits/{visit}/edit/",
        "/business/volunteers/activities/{activity}/edit/",
        "/business/monthly/",
        "/business/annual/",
        "/business/submissions/{submission}/",
    ],
    "cm": [
        "/",
        "/cases/",
        "/cases/new/",
        "/resources/",
        "/notifications/",
        "/notifications/settings/",
        ("/issues/", 403),  # issues reach care managers through their dashboard
    ],
    # An adviser with two municipalities: the header's switcher.
    "jogen": [
        "/",
        "/cases/",
    ],
    "etsuran": [
        "/",
        "/organizations/",
        ("/members/", 403),  # a viewer manages no members
        ("/cases/{reviewed_case}/", 403),  # locked: why, and where to sign
        "/issues/overview/",
        "/resources/gaps/",
    ],
    # 県職員: the prefecture's pages, above its municipalities.
    "ken": [
        "/",
        "/prefecture/",
        "/prefecture/advisers/",
        "/prefecture/advisers/new/",
        "/prefecture/requests/",
        "/prefecture/requests/{open_request}/",
        "/prefecture/records/",
        "/prefecture/trainings/",
        "/prefecture/trainings/new/",
        "/prefecture/trainings/{training}/",
        "/prefecture/overview/",
        "/prefecture/members/",
    ],
    # The coordinator an association runs: requests, not the view above the municipalities.
    "kenkyo": [
        "/prefecture/requests/{open_request}/",
        "/prefecture/advisers/",
        "/prefecture/advisers/new/",
        "/notifications/settings/",
        ("/prefecture/overview/", 403),
    ],
    # A pooled adviser with a dispatch accepted (demo/prefecture.py).
    "haken01": [
        "/adviser/",
        "/adviser/availability/",
        "/notifications/settings/",
    ],
}


def demo_ids() -> dict[str, int]:
    """The ids of the demo rows that PAGES' paths name."""
    municipality = Municipality.objects.get(code=MATSUKAZE)
    held = Meeting.objects.filter(municipality=municipality).exclude(minutes="").get()
    # The case demo/cases.py records in full (the issue demo adds many reviewed cases).
    reviewed_case = Case.objects.get(municipality=municipality, center_reference="明1-0415")
    review = CaseReview.objects.get(case=reviewed_case)
    city_issue = CommunityIssue.objects.get(
        municipality=municipality, title="高齢者の移動手段の確保"
    )
    return {
        "area": Area.objects.filter(municipality=municipality).order_by("id").first().pk,
        "center": Center.objects.get(municipality=municipality, is_core=True).pk,
        "organization": Organization.objects.filter(municipality=municipality)
        .order_by("id")
        .first()
        .pk,
        "person": Person.objects.filter(municipality=municipality).order_by("id").first().pk,
        "membership": Membership.objects.get(municipality=municipality, user__username="center").pk,
        "meeting_type": MeetingType.objects.get(
            municipality=municipality, name="地域個別ケア会議"
        ).pk,
        "held": held.pk,
        "upcoming": upcoming_meeting(municipality).pk,
        "reviewed_case": reviewed_case.pk,
        "draft_case": Case.objects.get(municipality=municipality, status="draft").pk,
        "review": review.pk,
        "follow_up": FollowUp.objects.filter(review=review).order_by("months_after").last().pk,
        "city_issue": city_issue.pk,
        "proposal": city_issue.proposals.order_by("id").first().pk,
        "mining_job": MiningJob.objects.get(municipality=municipality).pk,
        "resource": Resource.objects.filter(municipality=municipality).order_by("id").first().pk,
        "need": Need.objects.filter(municipality=municipality).order_by("id").first().pk,
        "open_request": DispatchRequest.objects.filter(status="open").order_by("id").first().pk,
        "training": Training.objects.order_by("id").first().pk,
        # Loaded only for the roles that visit the center business pages (test_pages.ids).
        "consultation": _first_pk(Consultation, center__name=CENTER, municipality=municipality),
        "submission": _first_pk(Submission, center__name=CENTER, municipality=municipality),
        "event": _first_pk(Event, center__name=CENTER, municipality=municipality),
        "visit": _first_pk(OutreachVisit, center__name=CENTER, municipality=municipality),
        "activity": _first_pk(
            VolunteerActivity,
            volunteer__center__name=CENTER,
            volunteer__municipality=municipality,
        ),
    }


def _first_pk(model, **lookups) -> int:
    row = model.objects.filter(**lookups).order_by("id").first()
    return row.pk if row else 0


def upcoming_meeting(municipality) -> Meeting:
    """明第1's next 個別会議. From February to March the demo's 年度 has none left: then one is
    scheduled, as the center would, so that the pages of an open meeting can be checked."""
    meeting_type = MeetingType.objects.get(municipality=municipality, name="地域個別ケア会議")
    center = Center.objects.get(municipality=municipality, name=CENTER)
    found = (
        Meeting.objects.filter(
            meeting_type=meeting_type,
            center=center,
            date__gte=timezone.localdate(),
            status="planned",
        )
        .order_by("date")
        .first()
    )
    return found or save_meeting(
        meeting=Meeting(
            municipality=municipality,
            meeting_type=meeting_type,
            center=center,
            date=timezone.localdate() + datetime.timedelta(days=14),
        ),
        by=User.objects.get(username="center"),
    )


def sign_pledges(username: str, meeting_ids) -> None:
    """The login signs the pledge of each meeting, as it would on the pledge page."""
    user = User.objects.get(username=username)
    for meeting in Meeting.objects.filter(pk__in=meeting_ids):
        record_pledge(
            pledge=Pledge(
                municipality=meeting.municipality,
                meeting=meeting,
                user=user,
                signer_name=user.full_name,
                affiliation=str(meeting.municipality),
                method=PledgeMethod.ONLINE,
            ),
            by=user,
        )
