"""Every URL × every role × in/out of scope × with/without pledge → the expected answer.

The table below is the authorization policy in one place. The test walks the URL
configuration, so a new URL without an entry here makes it fail until someone decides who
may use it.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import logged_in, make_user
from tsunagu.accounts.models import Membership, Role
from tsunagu.audit.models import AuditEntry
from tsunagu.cases.models import Case, CaseReview, FollowUp
from tsunagu.cases.tasks import meeting_minutes_pdf
from tsunagu.centerwork.models import (
    Consultation,
    Event,
    OutreachVisit,
    Submission,
    Volunteer,
    VolunteerActivity,
)
from tsunagu.centerwork.services import categories_of
from tsunagu.centerwork.tasks import monthly_pdf
from tsunagu.confidentiality.services import policy_for_signing
from tsunagu.issues.models import CommunityIssue, MiningJob, Proposal
from tsunagu.issues.services import theme_named
from tsunagu.issues.tasks import city_documents_pdf
from tsunagu.lib.tabular.tasks import run_import
from tsunagu.meetings.models import Attendance, Handout, Meeting, MeetingType, Pledge
from tsunagu.organizations.models import Area, Center, Municipality, Organization, Person
from tsunagu.prefecture.models import AdviserProfile, DispatchRequest, Prefecture, Training
from tsunagu.reports.tasks import schedule_matrix_pdf
from tsunagu.resources.models import Need, Resource
from tsunagu.tests.url_names import reverse

ROLES = [role.value for role in Role]
IMPORT_FLOWS = {
    "meeting_import_job": "tsunagu.meetings.import_views.FLOW",
    "resource_import_job": "tsunagu.resources.transfer_views.IMPORT",
    "business_import_job": "tsunagu.centerwork.views.IMPORT",
}
ADMIN = {Role.CITY_ADMIN}
STAFF_EDIT = {Role.CITY_ADMIN, Role.CORE_CENTER, Role.CENTER_STAFF}
VIEW_ALL = STAFF_EDIT | {Role.VIEWER}
CASE_EDIT = STAFF_EDIT | {Role.CARE_MANAGER}
ISSUE_LEAD = {Role.CITY_ADMIN, Role.CORE_CENTER}
# A center's business: records for centers (and the city, flagged 虐待(疑い)); changes by centers.
BUSINESS_EDIT = {Role.CORE_CENTER, Role.CENTER_STAFF}
ALL = set(ROLES)
# Prefecture pages: no municipality role passes (prefecture roles are tested in
# tsunagu/prefecture/tests/test_views.py).
NONE: set = set()
POST_ONLY = {
    "switch_membership",
    "meeting_type_preset",
    "logout",
    "two_factor_disable",
    "invitation_answer",
    "case_move",
    "case_delete",
    "case_put_on_agenda",
    "action_status",
    "case_autosave",
    "screening_to_case",
    "milestone_create",
    "milestone_edit",
    "tag_delete",
    "tag_edit",
    "gap_issue",
    "pref_request_assign",
    "pref_assignment_withdraw",
    "adviser_answer",
    "dispatch_request_cancel",
    "consultation_to_case",
    "submission_open",
    "notification_read",
    "notification_read_all",
    "schedule_pdf",
    "meeting_minutes_pdf_make",
    "monthly_pdf_make",
    # 会議モード: the room's small forms, each posting on its own.
    "room_close",
    "room_present",
    "room_sign",
    "room_timer",
    "room_policy",
    "room_advice_add",
    "room_action_add",
    "room_advice",
    "room_action",
}
# Allowed, but with nothing screened yet the download sends the user back to the page.
OK_ANSWER = {
    "screening_xlsx": 302,
    "city_documents_job_download": 302,
    "schedule_pdf_job_download": 302,
    "meeting_minutes_job_download": 302,
    "monthly_pdf_job_download": 302,
}

# name: (object the URL names, roles that pass the view's permission check, roles answered 200
# in scope). Out of scope, a role that passes the check gets 404; one that does not, 403.
POLICY = {
    "dashboard": (None, ALL, ALL),
    "password_change": (None, ALL, ALL),
    "password_change_done": (None, ALL, ALL),
    "calendar_settings": (None, ALL, ALL),
    "two_factor": (None, ALL, ALL),
    "invitations": (None, ALL, ALL),
    "area_list": (None, ALL, ALL),
    "center_list": (None, ALL, ALL),
    "organization_list": (None, ALL, ALL),
    "person_list": (None, ALL, ALL),
    "area_create": (None, ALL, ADMIN),
    "center_create": (None, ALL, ADMIN),
    "organization_create": (None, ALL, STAFF_EDIT),
    "person_create": (None, ALL, STAFF_EDIT),
    "area_detail": ("area", ALL, ALL),
    "center_detail": ("center", ALL, ALL),
    "organization_detail": ("organization", ALL, ALL),
    "person_detail": ("person", ALL, ALL),
    "area_edit": ("area", ALL, ADMIN),
    "area_delete": ("area", ALL, ADMIN),
    "center_edit": ("center", ALL, ADMIN),
    "center_delete": ("center", ALL, ADMIN),
    "organization_edit": ("organization", ALL, STAFF_EDIT),
    "organization_delete": ("organization", ALL, STAFF_EDIT),
    "person_edit": ("person", ALL, STAFF_EDIT),
    "person_delete": ("person", ALL, STAFF_EDIT),
    "member_list": (None, ADMIN, ADMIN),
    "member_create": (None, ADMIN, ADMIN),
    "member_edit": ("membership", ADMIN, ADMIN),
    "privacy": (None, ADMIN, ADMIN),
    "audit_entry_list": (None, ADMIN, ADMIN),
    "meeting_type_list": (None, ALL, ALL),
    "meeting_type_create": (None, ALL, ADMIN),
    "meeting_type_detail": ("meeting_type", ALL, ALL),
    "meeting_type_edit": ("meeting_type", ALL, ADMIN),
    "meeting_list": (None, ALL, ALL),
    "meeting_create": (None, ALL, STAFF_EDIT),
    "meeting_import": (None, ADMIN, ADMIN),
    "meeting_import_template": (None, ADMIN, ADMIN),
    "meeting_import_job": ("meeting_import_job", ADMIN, ADMIN),
    "meeting_detail": ("meeting", ALL, ALL),
    "meeting_pledge": ("meeting", ALL, ALL),
    "meeting_pledge_pdf": ("meeting", ALL, ALL),
    "meeting_edit": ("meeting", ALL, STAFF_EDIT),
    "meeting_attendance": ("meeting", ALL, STAFF_EDIT),
    # Removing asks first: the GET is the question, for the meeting's organisers.
    "attendance_remove": ("attendance", ALL, STAFF_EDIT),
    "meeting_copy": ("meeting", ALL, STAFF_EDIT),
    "meeting_series": (None, ALL, STAFF_EDIT),
    # Handouts: for whoever may see the meeting; added and deleted by its organisers.
    "meeting_handouts": ("meeting", ALL, ALL),
    "handout_download": ("handout", ALL, ALL),
    "handout_delete": ("handout", ALL, STAFF_EDIT),
    "meeting_handout_policy": ("meeting", ALL, ALL),
    "meeting_handout_plan": ("meeting", ALL, ALL),
    "meeting_status": ("meeting", ALL, STAFF_EDIT),
    "meeting_pledge_paper": ("meeting", ALL, STAFF_EDIT),
    "pledge_scan": ("pledge", ALL, STAFF_EDIT),
    "meeting_minutes": ("meeting", ALL, STAFF_EDIT),
    "meeting_close": ("meeting", ALL, STAFF_EDIT),
    # 会議モード: run by the meeting's organisers; the state (no content) for its screens.
    "meeting_room": ("meeting", ALL, STAFF_EDIT),
    "meeting_room_screen": ("meeting", ALL, STAFF_EDIT),
    "meeting_room_state": ("meeting", ALL, STAFF_EDIT),
    "meeting_minutes_pdf": ("meeting", ALL, STAFF_EDIT),
    "meeting_minutes_docx": ("meeting", ALL, STAFF_EDIT),
    # The 会議録 PDF's job: each member's own (one per role in the world), under the room's gate.
    "meeting_minutes_job": ("minutes_job", ALL, STAFF_EDIT),
    "meeting_minutes_job_download": ("minutes_job", ALL, STAFF_EDIT),
    "case_list": (None, ALL, ALL),
    "meeting_agenda": ("meeting", ALL, ALL),
    # Taking a case off the agenda asks first (codes only, no content).
    "agenda_remove": ("agenda_review", ALL, STAFF_EDIT),
    "screening": (None, ADMIN, ADMIN),
    "screening_xlsx": (None, ADMIN, ADMIN),
    "screening_template": (None, ADMIN, ADMIN),
    "case_create": (None, ALL, CASE_EDIT),
    "case_detail": ("case", ALL, ALL),
    "case_edit": ("case", ALL, CASE_EDIT),
    "review_record": ("review", ALL, ALL),
    "case_sheet_pdf": ("case", ALL, ALL),
    "meeting_record_pdf": ("review", ALL, ALL),
    "case_list_xlsx": (None, ALL, ALL),
    "follow_up_record": ("follow_up", ALL, CASE_EDIT),
    "plan": (None, VIEW_ALL, VIEW_ALL),
    "schedule_matrix": (None, VIEW_ALL, VIEW_ALL),
    "meeting_stats": (None, VIEW_ALL, VIEW_ALL),
    "issue_list": (None, VIEW_ALL, VIEW_ALL),
    "issue_create": (None, STAFF_EDIT, STAFF_EDIT),
    "issue_escalate": (None, ISSUE_LEAD, ISSUE_LEAD),
    "issue_suggest": (None, VIEW_ALL, VIEW_ALL),
    "issue_overview": (None, VIEW_ALL, VIEW_ALL),
    "city_documents": (None, VIEW_ALL, VIEW_ALL),
    "city_documents_xlsx": (None, VIEW_ALL, VIEW_ALL),
    "city_documents_pdf": (None, VIEW_ALL, VIEW_ALL),
    # The PDF is made by a task; until it is done the download sends the user to its page.
    "city_documents_job": ("documents_job", VIEW_ALL, VIEW_ALL),
    "city_documents_job_download": ("documents_job", VIEW_ALL, VIEW_ALL),
    # The 開催状況 PDF too (asked for with a POST to schedule_pdf).
    "schedule_pdf_job": ("schedule_job", VIEW_ALL, VIEW_ALL),
    "schedule_pdf_job_download": ("schedule_job", VIEW_ALL, VIEW_ALL),
    "theme_list": (None, VIEW_ALL, VIEW_ALL),
    "theme_edit": ("theme", ADMIN, ADMIN),
    "issue_detail": ("issue", VIEW_ALL, VIEW_ALL),
    "issue_edit": ("issue", STAFF_EDIT, STAFF_EDIT),
    "discussion_create": ("issue", STAFF_EDIT, STAFF_EDIT),
    "proposal_create": ("issue", ISSUE_LEAD, ISSUE_LEAD),
    "proposal_edit": ("proposal", ISSUE_LEAD, ISSUE_LEAD),
    "review_tags": ("review", VIEW_ALL, VIEW_ALL),
    "mining": (None, ISSUE_LEAD, ISSUE_LEAD),
    "mining_job": ("mining_job", ISSUE_LEAD, ISSUE_LEAD),
    "mining_network": ("mining_job", ISSUE_LEAD, ISSUE_LEAD),
    "mining_kwic": ("mining_job", ISSUE_LEAD, ISSUE_LEAD),
    "resource_list": (None, ALL, ALL),
    "resource_create": (None, ALL, STAFF_EDIT),
    "resource_detail": ("resource", ALL, ALL),
    "resource_edit": ("resource", ALL, STAFF_EDIT),
    "resource_delete": ("resource", ALL, STAFF_EDIT),
    "resource_match": ("resource", ALL, ALL),
    "resource_export_csv": (None, ALL, ALL),
    "resource_export_xlsx": (None, ALL, ALL),
    "resource_hsds": (None, ALL, ALL),
    "resource_area_pdf": ("area", ALL, ALL),
    "resource_import": (None, STAFF_EDIT, STAFF_EDIT),
    "resource_import_template": (None, STAFF_EDIT, STAFF_EDIT),
    "resource_import_job": ("resource_import_job", STAFF_EDIT, STAFF_EDIT),
    "need_list": (None, ALL, ALL),
    "need_create": (None, ALL, STAFF_EDIT),
    "need_meeting_options": (None, ALL, STAFF_EDIT),
    "need_match": ("need", ALL, ALL),
    "need_edit": ("need", ALL, STAFF_EDIT),
    # From a case: its code and its center's area only, no content, so no pledge.
    "match_case": ("case", ALL, ALL),
    "activity_list": (None, ALL, ALL),
    "activity_create": (None, ALL, STAFF_EDIT),
    "gap_list": (None, ALL, ALL),
    "pref_home": (None, NONE, NONE),
    "pref_adviser_list": (None, NONE, NONE),
    "pref_adviser_create": (None, NONE, NONE),
    "pref_adviser_edit": ("adviser_profile", NONE, NONE),
    "pref_request_list": (None, NONE, NONE),
    "pref_request_detail": ("dispatch_request", NONE, NONE),
    "pref_records": (None, NONE, NONE),
    "pref_records_xlsx": (None, NONE, NONE),
    "pref_training_list": (None, NONE, NONE),
    "pref_training_create": (None, NONE, NONE),
    "pref_training_detail": ("training", NONE, NONE),
    "pref_overview": (None, NONE, NONE),
    "pref_member_list": (None, NONE, NONE),
    # The login's own pages as a pooled adviser (empty without a pool entry).
    "adviser_home": (None, ALL, ALL),
    "adviser_availability": (None, ALL, ALL),
    # A municipality asks its prefecture for an adviser: the meeting's organisers.
    "dispatch_request_create": ("meeting", ALL, STAFF_EDIT),
    "business_home": (None, VIEW_ALL, VIEW_ALL),
    "consultation_list": (None, STAFF_EDIT, STAFF_EDIT),
    "consultation_create": (None, BUSINESS_EDIT, BUSINESS_EDIT),
    # The world's consultation is flagged 虐待(疑い), so the city sees it too.
    "consultation_detail": ("consultation", STAFF_EDIT, STAFF_EDIT),
    "consultation_edit": ("consultation", BUSINESS_EDIT, {Role.CENTER_STAFF}),
    "business_import": (None, STAFF_EDIT, STAFF_EDIT),
    # Changed and deleted by their own center's staff only (基幹型 has its own center).
    "event_edit": ("event", BUSINESS_EDIT, {Role.CENTER_STAFF}),
    "event_delete": ("event", BUSINESS_EDIT, {Role.CENTER_STAFF}),
    "visit_edit": ("visit", BUSINESS_EDIT, {Role.CENTER_STAFF}),
    "visit_delete": ("visit", BUSINESS_EDIT, {Role.CENTER_STAFF}),
    "volunteer_edit": ("volunteer", BUSINESS_EDIT, {Role.CENTER_STAFF}),
    "volunteer_delete": ("volunteer", BUSINESS_EDIT, {Role.CENTER_STAFF}),
    "activity_edit": ("activity", BUSINESS_EDIT, {Role.CENTER_STAFF}),
    "activity_delete": ("activity", BUSINESS_EDIT, {Role.CENTER_STAFF}),
    "business_import_template": (None, STAFF_EDIT, STAFF_EDIT),
    "business_import_job": ("business_import_job", STAFF_EDIT, STAFF_EDIT),
    "event_list": (None, VIEW_ALL, VIEW_ALL),
    "outreach": (None, STAFF_EDIT, STAFF_EDIT),
    "volunteer_list": (None, VIEW_ALL, VIEW_ALL),
    "coordinator_check": (None, VIEW_ALL, VIEW_ALL),
    "guidance_list": (None, VIEW_ALL, VIEW_ALL),
    "monthly_overview": (None, VIEW_ALL, VIEW_ALL),
    "monthly_xlsx": (None, VIEW_ALL, VIEW_ALL),
    "monthly_pdf": (None, VIEW_ALL, VIEW_ALL),
    "monthly_pdf_job": ("monthly_job", VIEW_ALL, VIEW_ALL),
    "monthly_pdf_job_download": ("monthly_job", VIEW_ALL, VIEW_ALL),
    "annual_overview": (None, VIEW_ALL, VIEW_ALL),
    "submission_detail": ("submission", VIEW_ALL, VIEW_ALL),
    "submission_pdf": ("submission", VIEW_ALL, VIEW_ALL),
    "business_settings": (None, ADMIN, ADMIN),
    "notification_list": (None, ALL, ALL),
    "notification_preferences": (None, ALL, ALL),
    "notification_reminder_settings": (None, ADMIN, ADMIN),
}
# Pages showing case content, and the audit entry each response that shows it writes (the
# gate decides and records in one step: tsunagu/confidentiality/gate.py). Every other URL
# must write none of these entries.
CONTENT = {
    "meeting_detail": "meeting.content_viewed",  # 200 either way; content only if allowed
    "meeting_minutes": "meeting.content_viewed",
    "meeting_close": "meeting.content_viewed",
    "meeting_room": "meeting.room_viewed",
    "meeting_room_screen": "meeting.screen_viewed",
    "meeting_minutes_pdf": "meeting.minutes_printed",
    "meeting_minutes_docx": "meeting.minutes_printed",
    "meeting_minutes_job": "meeting.minutes_printed",
    "meeting_minutes_job_download": "meeting.minutes_printed",
    "case_detail": "case.viewed",
    "case_edit": "case.viewed",
    "review_record": "review.viewed",
    "follow_up_record": "follow_up.viewed",
    "case_sheet_pdf": "case.printed",
    "meeting_record_pdf": "case.printed",
    "review_tags": "review.tags_viewed",
    # Words in 5+ records over the whole area; the texts (KWIC, groups) filtered per record.
    "mining_job": "issues.mining_viewed",
    "mining_network": "issues.network_viewed",
    "mining_kwic": "issues.kwic_viewed",
    # A consultation is personal data: every page that shows its record is one entry.
    "consultation_detail": "consultation.viewed",
    "consultation_edit": "consultation.viewed",
}
CONTENT_ACTIONS = set(CONTENT.values())
# Content recorded at the meeting (or the case presented there): a pledge for THIS meeting is
# needed; for another meeting only, or none, the answer is 403 with where to sign.
NEEDS_PLEDGE = {
    "meeting_minutes",
    "meeting_close",
    "meeting_room",
    "meeting_room_screen",
    "meeting_minutes_pdf",
    "meeting_minutes_docx",
    "meeting_minutes_job",
    "meeting_minutes_job_download",
    "case_detail",
    "case_edit",
    "review_record",
    "follow_up_record",
    "case_sheet_pdf",
    "meeting_record_pdf",
    "review_tags",
}
# ... except for the case's custodians: the staff of its center and its care manager.
# (The meeting room and its 会議録 show the whole meeting: the organiser's own pledge is needed.)
ROOM_PAGES = {"meeting_room", "meeting_room_screen", "meeting_minutes_pdf", "meeting_minutes_docx"}
ROOM_PAGES |= {"meeting_minutes_job", "meeting_minutes_job_download"}
# Behind the content gate but showing no content here: with no 会議録 PDF kept, its URL is the
# page that asks for one; the job's page shows its progress; its download of a file not yet
# made goes back to that page. Only a download of the file writes the entry
# (tsunagu/cases/tests/test_room.py).
GATE_ONLY = {"meeting_minutes_pdf", "meeting_minutes_job", "meeting_minutes_job_download"}
CUSTODIAN_PAGES = NEEDS_PLEDGE - {"meeting_minutes", "meeting_close"} - ROOM_PAGES
CUSTODIANS = {Role.CENTER_STAFF, Role.CARE_MANAGER}
# The pledges a member may hold: for the meeting that reviews the case, for another meeting
# of the same municipality only, or none.
PLEDGES = ["this", "other", "none"]
QUERY = {"mining_kwic": "?word=事例"}
# URLs naming a row under its meeting: /meetings/<meeting>/<kind>/<row>/.
NESTED = {"pledge_scan", "attendance_remove", "handout_download", "handout_delete"}
NESTED |= {"agenda_remove"}
CASE_TEXT = "A氏 80代 男性の事例"


def url_names():
    def walk(resolver):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                if not str(pattern.pattern).startswith("admin/"):
                    yield from walk(pattern)
            elif isinstance(pattern, URLPattern):
                yield pattern.name

    return set(walk(get_resolver()))


def build_world(code, name, prefecture_code):
    """One municipality with a row of each kind and a meeting everyone in it attends."""
    municipality = Municipality.objects.create(code=code, name=name, prefecture=prefecture_code)
    area = Area.objects.create(municipality=municipality, name="圏域")
    core = Center.objects.create(municipality=municipality, name="基幹型", is_core=True)
    center = Center.objects.create(municipality=municipality, name="センター", area=area)
    org = Organization.objects.create(municipality=municipality, name="事業所", kind="pharmacy")
    body = MeetingType.objects.create(
        municipality=municipality,
        name="個別会議",
        category="individual",
        level="center",
        host="each_center",
        handles_personal_info=True,
        implementation_plan="個別会議の実施計画",
    )
    meeting = Meeting.objects.create(
        municipality=municipality,
        meeting_type=body,
        center=center,
        date=timezone.localdate(),
        minutes=CASE_TEXT,
    )
    other_meeting = Meeting.objects.create(
        municipality=municipality, meeting_type=body, center=center, date=timezone.localdate()
    )
    world = {
        "municipality": municipality,
        "area": area,
        "center": center,
        "organization": org,
        "meeting_type": body,
        "meeting": meeting,
        "other_meeting": other_meeting,
        "users": {},
    }
    for role in ROLES:
        person = Person.objects.create(
            municipality=municipality, name=f"{role} 氏", furigana="シ", profession="nurse"
        )
        for attended in (meeting, other_meeting):
            Attendance.objects.create(
                meeting=attended, person=person, name=person.name, profession="nurse"
            )
        home = core if role == Role.CORE_CENTER else center if role == Role.CENTER_STAFF else None
        user = make_user(f"{code}-{role}", (municipality, role, home))
        user.memberships.update(person=person)
        world["users"][role] = user
    world["person"] = person
    # A paper pledge by someone without a login, with its scan.
    world["pledge"] = Pledge.objects.create(
        municipality=municipality,
        meeting=meeting,
        signer_name="紙 署名",
        affiliation="自治会",
        method="paper",
        policy_version=policy_for_signing(municipality),
        scan=SimpleUploadedFile("scan.pdf", b"%PDF-1.4 scan"),
    )
    world["membership"] = Membership.objects.get(user=world["users"][Role.VIEWER])
    # A case of the center, presented by the care manager, on the meeting's agenda.
    body.reviews_cases = True
    body.save()
    world["case"] = Case.objects.create(
        municipality=municipality,
        code=f"{code}-1",
        center=center,
        status="ready",
        care_manager=world["users"][Role.CARE_MANAGER].memberships.get().person,
        case_type="independence",
        age_band="80",
        sex="female",
        care_level="care_1",
        household="alone",
        wishes=CASE_TEXT,
    )
    world["review"] = CaseReview.objects.create(case=world["case"], meeting=meeting)
    world["agenda_review"] = world["review"]
    world["attendance"] = Attendance.objects.filter(meeting=meeting).first()
    world["handout"] = Handout.objects.create(
        meeting=meeting,
        title="資料",
        kind="pdf",
        file=SimpleUploadedFile("handout.pdf", b"%PDF-1.4 handout"),
    )
    world["follow_up"] = FollowUp.objects.create(
        review=world["review"], months_after=3, due_on=meeting.date
    )
    world["theme"] = theme_named(municipality, "移動・交通")
    world["issue"] = CommunityIssue.objects.create(
        municipality=municipality, title="移動手段", theme=world["theme"], area=area
    )
    world["proposal"] = Proposal.objects.create(
        municipality=municipality, issue=world["issue"], kind="policy", title="提案", owner="課"
    )
    world["resource"] = Resource.objects.create(
        municipality=municipality, name="サロン", kind="salon", provider=org
    )
    world["resource"].areas.set([area])
    world["need"] = Need.objects.create(
        municipality=municipality, area=area, kind="transport", source="case", case=world["case"]
    )
    # The prefecture tier: the municipality's prefecture, one pooled adviser, a request for
    # the meeting and a training session.
    prefecture, _ = Prefecture.objects.get_or_create(code=prefecture_code)
    world["adviser_profile"] = AdviserProfile.objects.create(
        prefecture=prefecture,
        user=make_user(f"{code}-pool"),
        name="派遣 太郎",
        furigana="ハケン",
        profession="dietitian",
    )
    world["dispatch_request"] = DispatchRequest.objects.create(
        municipality=municipality, prefecture=prefecture, meeting=meeting, profession="dietitian"
    )
    world["training"] = Training.objects.create(
        prefecture=prefecture, kind="basic", title="基礎研修", held_on=meeting.date
    )
    world["mining_job"] = MiningJob.objects.create(
        municipality=municipality,
        start=meeting.date,
        end=meeting.date,
        status=MiningJob.Status.DONE,
        result={
            "min_records": 5,
            "texts": 0,
            "untagged": 0,
            "words": [],
            "groups": [],
            "network_svg": "<svg/>",
        },
    )
    world["consultation"] = Consultation.objects.create(
        municipality=municipality,
        center=center,
        received_on=meeting.date,
        method="phone",
        consulter="neighbour",
        person_ref="K-1",
        response="visit",
        summary="近隣から、怒鳴り声が聞こえるとの連絡",
    )
    world["consultation"].categories.set([c for c in categories_of(municipality) if c.is_abuse])
    # The center's event, visit, volunteer and activity, which its own staff change.
    world["event"] = Event.objects.create(
        municipality=municipality,
        center=center,
        kind="prevention",
        held_on=meeting.date,
        title="介護予防講座",
        participants=10,
    )
    world["visit"] = OutreachVisit.objects.create(
        municipality=municipality,
        center=center,
        kind="survey",
        person_ref="T-1",
        visited_on=meeting.date,
        result="met",
    )
    world["volunteer"] = Volunteer.objects.create(
        municipality=municipality,
        center=center,
        kind="prevention",
        number="V-1",
        name="ボランティア",
        registered_on=meeting.date,
    )
    world["activity"] = VolunteerActivity.objects.create(
        volunteer=world["volunteer"], done_on=meeting.date, programme="サロン", points=5
    )
    world["submission"] = Submission.objects.create(
        municipality=municipality,
        center=center,
        kind="monthly",
        period_start=meeting.date.replace(day=1),
    )
    # The city-meeting documents PDF, asked for and waiting for a worker.
    queued = city_documents_pdf.enqueue(municipality.pk, "2026-04-01", "2027-03-31")
    world["documents_job"] = DBTaskResult.objects.get(pk=queued.id)
    queued = schedule_matrix_pdf.enqueue(municipality.pk, 0, "2026-04-01", "2027-03-31", 2026)
    world["schedule_job"] = DBTaskResult.objects.get(pk=queued.id)
    # A 会議録 PDF asked for by each role's member, waiting for a worker.
    world["minutes_job"] = {}
    for role, user in world["users"].items():
        queued = meeting_minutes_pdf.enqueue(
            municipality.pk, user.memberships.get().pk, world["meeting"].pk
        )
        world["minutes_job"][role] = DBTaskResult.objects.get(pk=queued.id)
    # The monthly report PDF, likewise each role's own.
    world["monthly_job"] = {}
    for role, user in world["users"].items():
        queued = monthly_pdf.enqueue(municipality.pk, user.memberships.get().pk, "2026-10")
        world["monthly_job"][role] = DBTaskResult.objects.get(pk=queued.id)
    # Large imports, each role's own, confirmed and waiting for a worker (lib/tabular/flow.py).
    for name, flow in IMPORT_FLOWS.items():
        world[name] = {}
        for role, user in world["users"].items():
            member = user.memberships.get().pk
            queued = run_import.enqueue(flow, municipality.pk, member, "none", "file.csv", {})
            world[name][role] = DBTaskResult.objects.get(pk=queued.id)
    return world


@pytest.fixture
def worlds(db):
    return build_world("129909", "内市", "12"), build_world("139904", "外市", "13")


def object_for(world, kind, role=Role.CITY_ADMIN):
    """The row a URL names; a member's own row (their job) where each role has one."""
    obj = world[kind] if kind else None
    return obj[role] if isinstance(obj, dict) else obj


def url_for(name, obj):
    if obj is None:
        return reverse(name) + QUERY.get(name, "")
    if isinstance(obj, (Pledge, Attendance, Handout, CaseReview)) and name in NESTED:
        return reverse(name, args=[obj.meeting_id, obj.pk])
    return reverse(name, args=[obj.pk]) + QUERY.get(name, "")


def post_only_url(name):
    for args in ([], [1], [1, 1]):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    raise AssertionError(name)


def expected(name, role, in_scope, pledge):
    kind, passes, ok = POLICY[name]
    if role not in passes:
        return 403
    if kind is not None and not in_scope:
        return 404
    if role not in ok:
        return 403
    custodian = name in CUSTODIAN_PAGES and role in CUSTODIANS
    if name in NEEDS_PLEDGE and pledge != "this" and not custodian:
        return 403
    if name == "meeting_pledge" and pledge == "this":
        return 302  # Already signed: back to the meeting.
    return OK_ANSWER.get(name, 200)


def expected_entry(name, role, in_scope, pledge) -> str | None:
    """The one audit entry a GET of this URL writes, or None (then it writes no content entry;
    a refusal is logged as access.refused, as ever)."""
    if name not in CONTENT or expected(name, role, in_scope, pledge) != 200:
        return None
    if name == "meeting_detail" and pledge != "this":
        return None  # the page, without the minutes
    if name in GATE_ONLY:
        return None
    return CONTENT[name]


def sign_for(user, world, pledge):
    meeting = {"this": world["meeting"], "other": world["other_meeting"]}.get(pledge)
    if meeting is not None:
        Pledge.objects.create(
            municipality=world["municipality"],
            meeting=meeting,
            user=user,
            signer_name="署名",
            affiliation="所属",
            method="online",
            policy_version=policy_for_signing(world["municipality"]),
        )


def last_seq():
    return AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def test_every_url_has_a_policy():
    public = {
        "login",
        "login_code",
        "calendar_feed",
        "healthz",
        "favicon",
        "notification_unsubscribe",
    }
    assert url_names() - public - POST_ONLY == set(POLICY)


def test_every_content_url_is_a_url_with_a_policy():
    assert set(CONTENT) <= set(POLICY) and set(CONTENT) >= NEEDS_PLEDGE


@pytest.mark.parametrize("pledge", PLEDGES)
@pytest.mark.parametrize("in_scope", [True, False], ids=["in-scope", "out-of-scope"])
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_policy_says(client, worlds, role, in_scope, pledge):
    home, other = worlds
    target = home if in_scope else other
    user = home["users"][role]
    sign_for(user, home, pledge)
    client = logged_in(client, user)
    wrong = []
    for name, (kind, _passes, _ok) in POLICY.items():
        obj = object_for(target, kind, role)
        before = last_seq()
        response = client.get(url_for(name, obj))
        answer = response.status_code
        want = expected(name, role, in_scope, pledge)
        if answer != want:
            wrong.append(f"{name}: {answer}, expected {want}")
        written = list(
            AuditEntry.objects.filter(seq__gt=before)
            .exclude(action="access.refused")
            .values_list("action", flat=True)
        )
        entry = expected_entry(name, role, in_scope, pledge)
        if entry is not None and written != [entry]:
            wrong.append(f"{name}: wrote {written}, expected exactly [{entry}]")
        if entry is None and CONTENT_ACTIONS & set(written):
            wrong.append(f"{name}: wrote {written}, expected no content entry")
        if answer == 200 and "no-store" not in response.get("Cache-Control", ""):
            wrong.append(f"{name}: no Cache-Control: no-store")
    for name in POST_ONLY:
        # require_POST answers before any lookup, so any id will do.
        if client.get(post_only_url(name)).status_code != 405:
            wrong.append(f"{name}: GET should be refused with 405")
    assert wrong == []
    detail = client.get(url_for("meeting_detail", target["meeting"])).content.decode()
    assert (CASE_TEXT in detail) is (in_scope and pledge == "this")


def test_anonymous_users_are_sent_to_login_everywhere(client, worlds):
    home, _ = worlds
    for name, (kind, _passes, _ok) in POLICY.items():
        response = client.get(url_for(name, object_for(home, kind)))
        assert response.status_code == 302 and response.url.startswith("/login/"), name


def test_a_user_without_membership_is_refused_everywhere_but_their_own_pages(client, worlds):
    home, _ = worlds
    client = logged_in(client, make_user("stranger"))
    own = {
        "password_change",
        "password_change_done",
        "calendar_settings",
        "two_factor",
        "invitations",
        "adviser_home",
        "adviser_availability",
        # The prefecture tier's logins have no municipality: their notifications name the
        # login, and the list shows only those (issue 20 wired to issue 17); the login
        # chooses how they arrive.
        "notification_list",
        "notification_preferences",
    }
    for name, (kind, _passes, _ok) in POLICY.items():
        answer = client.get(url_for(name, object_for(home, kind))).status_code
        assert answer == (200 if name in own else 403), name


def test_the_adviser_is_refused_case_content_outside_the_window(client, worlds):
    home, _ = worlds
    adviser = home["users"][Role.ADVISER]
    Pledge.objects.create(
        municipality=home["municipality"],
        meeting=home["meeting"],
        user=adviser,
        signer_name="署名",
        affiliation="所属",
        method="online",
        policy_version=policy_for_signing(home["municipality"]),
    )
    Meeting.objects.filter(pk=home["meeting"].pk).update(
        date=timezone.localdate() + datetime.timedelta(days=30)
    )
    body = logged_in(client, adviser).get(url_for("meeting_detail", home["meeting"])).content
    assert CASE_TEXT not in body.decode()
