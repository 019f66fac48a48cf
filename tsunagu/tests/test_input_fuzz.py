"""Every URL × every role × empty, foreign, oversized, malformed and boundary input → no
server error, and nothing changed in the database when the input is refused.

Built like the authorization matrix: the table below names every URL of the URL
configuration, so a new URL without an entry makes the suite fail until someone says how to
fuzz it. The fields of each form are not listed by hand: they are read from the HTML the
page itself serves (every <input>, <select>, <textarea> and <button> of every form posting
to the page), so a field added to a form is fuzzed without touching this file. POST-only
URLs, which have no page of their own, list their fields here.

Hypothesis draws the values (derandomized, so CI runs the same examples every time). Each
example runs inside a savepoint that is rolled back, so examples do not disturb each other.
"""

import hashlib
import re
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import make_user
from tsunagu.accounts.models import Invitation, Role
from tsunagu.cases.models import Action, Advice
from tsunagu.confidentiality.services import policy_for_signing
from tsunagu.issues.models import IssueTag, Milestone
from tsunagu.issues.services import tag_review
from tsunagu.meetings.models import Attendance, Pledge
from tsunagu.notifications.models import Kind, Notification
from tsunagu.prefecture.choices import PrefectureRole
from tsunagu.prefecture.models import Assignment, PrefectureMembership
from tsunagu.tests.test_authorization_matrix import build_world, object_for, url_names
from tsunagu.tests.url_names import reverse

# name: (the object the URL names, extra POST fields for URLs without a page of their own).
# The object kinds are those of build_world plus "action", "tag" and "attendance" (below);
# "none" marks a URL whose view reads no path object. For every URL, the page's own forms
# are also read and fuzzed.
ANONYMOUS = "anonymous"
FUZZ = {
    # Anyone, before logging in.
    "login": (None, {}),
    "login_code": (None, {"code": "text"}),
    "healthz": (None, {}),
    "calendar_feed": ("token", {}),
    # accounts
    "logout": (None, {}),
    "password_change": (None, {}),
    "password_change_done": (None, {}),
    "two_factor": (None, {}),
    "two_factor_disable": (None, {"code": "text"}),
    "switch_membership": (None, {"membership": "id"}),
    "member_list": (None, {}),
    "member_create": (None, {}),
    "member_edit": ("membership", {}),
    "privacy": (None, {}),
    "audit_entry_list": (None, {}),
    "calendar_settings": (None, {}),
    "dashboard": (None, {}),
    "favicon": (None, {}),
    "invitations": (None, {}),
    "invitation_answer": ("invitation", {"answer": "text"}),
    # organizations
    "area_list": (None, {}),
    "area_create": (None, {}),
    "area_detail": ("area", {}),
    "area_edit": ("area", {}),
    "area_delete": ("area", {}),
    "center_list": (None, {}),
    "center_create": (None, {}),
    "center_detail": ("center", {}),
    "center_edit": ("center", {}),
    "center_delete": ("center", {}),
    "organization_list": (None, {}),
    "organization_create": (None, {}),
    "organization_detail": ("organization", {}),
    "organization_edit": ("organization", {}),
    "organization_delete": ("organization", {}),
    "person_list": (None, {}),
    "person_create": (None, {}),
    "person_detail": ("person", {}),
    "person_edit": ("person", {}),
    "person_delete": ("person", {}),
    # meetings
    "meeting_type_list": (None, {}),
    "meeting_type_create": (None, {}),
    "meeting_type_preset": (None, {"preset": "text"}),
    "meeting_type_detail": ("meeting_type", {}),
    "meeting_type_edit": ("meeting_type", {}),
    "meeting_list": (None, {}),
    "meeting_create": (None, {}),
    "meeting_import": (None, {}),
    "meeting_import_template": (None, {}),
    "meeting_import_job": ("meeting_import_job", {}),
    "meeting_detail": ("meeting", {}),
    "meeting_edit": ("meeting", {}),
    "meeting_attendance": ("meeting", {}),
    "attendance_remove": ("attendance", {}),
    "meeting_copy": ("meeting", {}),
    "meeting_series": (None, {}),
    "meeting_handouts": ("meeting", {}),
    "handout_download": ("handout", {}),
    "handout_delete": ("handout", {}),
    "meeting_handout_policy": ("meeting", {}),
    "meeting_handout_plan": ("meeting", {}),
    "meeting_minutes": ("meeting", {}),
    "meeting_close": ("meeting", {}),
    "meeting_status": ("meeting", {}),
    "meeting_pledge": ("meeting", {}),
    "meeting_pledge_paper": ("meeting", {}),
    "meeting_pledge_pdf": ("meeting", {}),
    "pledge_scan": ("pledge", {}),
    "plan": (None, {}),
    # cases
    "case_list": (None, {}),
    "case_create": (None, {}),
    "case_list_xlsx": (None, {}),
    "case_sheet_pdf": ("case", {}),
    "meeting_record_pdf": ("review", {}),
    "case_detail": ("case", {}),
    "case_edit": ("case", {}),
    "case_autosave": ("case", {"@page": "case_edit"}),
    "case_move": ("case", {"to": "text"}),
    "case_delete": ("case", {}),
    "case_put_on_agenda": ("case", {"meeting": "id"}),
    "review_record": ("review", {}),
    "meeting_agenda": ("meeting", {}),
    "agenda_remove": ("agenda_review", {}),
    "action_status": ("action", {"status": "text", "_fingerprint": "text"}),
    "follow_up_record": ("follow_up", {}),
    # 会議モード
    "meeting_room": ("meeting", {}),
    "meeting_room_screen": ("meeting", {}),
    "meeting_room_state": ("meeting", {}),
    "meeting_minutes_pdf": ("meeting", {}),
    "meeting_minutes_docx": ("meeting", {}),
    "meeting_minutes_pdf_make": ("meeting", {}),
    "meeting_minutes_job": ("minutes_job", {}),
    "meeting_minutes_job_download": ("minutes_job", {}),
    "room_close": ("meeting", {"summary": "text"}),
    "room_present": ("attendance", {"present": "text"}),
    "room_sign": ("attendance", {"signer_name": "text", "affiliation": "text", "confirm": "text"}),
    "room_timer": ("review", {"run": "text"}),
    "room_policy": ("review", {"support_policy": "text", "fingerprint": "text"}),
    "room_advice_add": ("review", {"attendance": "id", "text": "text"}),
    "room_advice": (
        "advice",
        {"attendance": "id", "text": "text", "fingerprint": "text", "delete": "text"},
    ),
    "room_action_add": (
        "review",
        {"responsible": "id", "responsible_label": "text", "what": "text", "due_on": "text"},
    ),
    "room_action": (
        "action",
        {
            "responsible": "id",
            "responsible_label": "text",
            "what": "text",
            "due_on": "text",
            "fingerprint": "text",
            "delete": "text",
        },
    ),
    "screening": (None, {}),
    "screening_xlsx": (None, {}),
    "screening_template": (None, {}),
    "screening_to_case": (
        None,
        {"office_number": "text", "user_number": "text", "center": "id"},
    ),
    # issues
    "issue_list": (None, {}),
    "issue_create": (None, {}),
    "issue_escalate": (None, {}),
    "issue_suggest": (None, {"note": "text", "text": "text"}),
    "theme_list": (None, {}),
    "theme_edit": ("theme", {}),
    "issue_overview": (None, {}),
    "city_documents": (None, {}),
    "city_documents_xlsx": (None, {}),
    "city_documents_pdf": (None, {}),
    "mining": (None, {}),
    "mining_job": ("mining_job", {}),
    "mining_network": ("mining_job", {}),
    "mining_kwic": ("mining_job", {"word": "text"}),
    "issue_detail": ("issue", {}),
    "issue_edit": ("issue", {}),
    "discussion_create": ("issue", {}),
    "proposal_create": ("issue", {}),
    "proposal_edit": ("proposal", {}),
    "milestone_create": ("proposal", {"title": "text", "due_on": "text", "done_on": "text"}),
    "review_tags": ("review", {}),
    "tag_delete": ("tag", {}),
    "tag_edit": ("tag", {"issue": "id", "theme": "id", "note": "text"}),
    "milestone_edit": ("milestone", {"title": "text", "due_on": "text", "done_on": "text"}),
    # resources
    "resource_list": (None, {}),
    "resource_create": (None, {}),
    "resource_detail": ("resource", {}),
    "resource_edit": ("resource", {}),
    "resource_delete": ("resource", {}),
    "resource_match": ("resource", {}),
    "resource_export_csv": (None, {"@page": "resource_list"}),
    "resource_export_xlsx": (None, {"@page": "resource_list"}),
    "resource_hsds": (None, {}),
    "resource_area_pdf": ("area", {}),
    "resource_import": (None, {}),
    "resource_import_template": (None, {}),
    "resource_import_job": ("resource_import_job", {}),
    "need_list": (None, {}),
    "need_create": (None, {}),
    "need_meeting_options": (None, {}),
    "need_match": ("need", {}),
    "need_edit": ("need", {}),
    "match_case": ("case", {}),
    "activity_list": (None, {}),
    "activity_create": (None, {}),
    "gap_list": (None, {}),
    "gap_issue": (None, {"area": "id", "kind": "text"}),
    # reports
    "schedule_matrix": (None, {}),
    "meeting_stats": (None, {}),
    # centerwork
    "business_home": (None, {}),
    "consultation_list": (None, {}),
    "consultation_create": (None, {}),
    "consultation_detail": ("consultation", {}),
    "consultation_edit": ("consultation", {}),
    "consultation_to_case": ("consultation", {}),
    "business_import": (None, {}),
    "business_import_template": (None, {}),
    "business_import_job": ("business_import_job", {}),
    "event_list": (None, {}),
    "event_edit": ("event", {}),
    "event_delete": ("event", {}),
    "visit_edit": ("visit", {}),
    "visit_delete": ("visit", {}),
    "volunteer_edit": ("volunteer", {}),
    "volunteer_delete": ("volunteer", {}),
    "activity_edit": ("activity", {}),
    "activity_delete": ("activity", {}),
    "outreach": (None, {}),
    "volunteer_list": (None, {}),
    "coordinator_check": (None, {}),
    "guidance_list": (None, {}),
    "monthly_overview": (None, {}),
    "monthly_xlsx": (None, {}),
    "monthly_pdf": (None, {}),
    "monthly_pdf_make": (None, {"month": "text"}),
    "monthly_pdf_job": ("monthly_job", {}),
    "monthly_pdf_job_download": ("monthly_job", {}),
    "annual_overview": (None, {}),
    "submission_open": (None, {"kind": "text", "month": "text", "year": "text"}),
    "submission_detail": ("submission", {}),
    "submission_pdf": ("submission", {}),
    "business_settings": (None, {}),
    # notifications and background documents
    "notification_list": (None, {}),
    "notification_read": ("notification", {}),
    "notification_read_all": (None, {}),
    "notification_preferences": (None, {}),
    "notification_reminder_settings": (None, {}),
    "notification_unsubscribe": ("token", {}),
    "city_documents_job": ("documents_job", {}),
    "city_documents_job_download": ("documents_job", {}),
    "schedule_pdf": (None, {}),
    "schedule_pdf_job": ("schedule_job", {}),
    "schedule_pdf_job_download": ("schedule_job", {}),
    # prefecture (fuzzed as the prefecture's roles and the pooled adviser too)
    "pref_home": (None, {}),
    "pref_adviser_list": (None, {}),
    "pref_adviser_create": (None, {}),
    "pref_adviser_edit": ("adviser_profile", {}),
    "pref_request_list": (None, {}),
    "pref_request_detail": ("dispatch_request", {}),
    "pref_request_assign": ("dispatch_request", {"adviser": "id"}),
    "pref_assignment_withdraw": ("assignment", {"reason": "text"}),
    "pref_records": (None, {}),
    "pref_records_xlsx": (None, {}),
    "pref_training_list": (None, {}),
    "pref_training_create": (None, {}),
    "pref_training_detail": ("training", {}),
    "pref_overview": (None, {}),
    "pref_member_list": (None, {}),
    "adviser_home": (None, {}),
    "adviser_availability": (None, {}),
    "adviser_answer": ("assignment", {"answer": "text", "reason": "text"}),
    "dispatch_request_create": ("meeting", {}),
    "dispatch_request_cancel": ("dispatch_request", {"reason": "text"}),
}
PUBLIC = {"login", "login_code", "healthz", "calendar_feed", "notification_unsubscribe", "favicon"}
# Query-string parameters some view reads directly (not through a form on its page); every
# URL gets them too, since a parameter a view does not read must be ignored.
QUERY_PARAMS = [
    "q", "page", "fy", "start", "end", "status", "kind", "area", "center", "meeting_type",
    "role", "profession", "format", "word", "issues", "order", "theme", "level", "note",
    "variant", "meeting", "meeting_q",
]  # fmt: skip
# Pages that print a PDF or run text mining are slow: fewer examples there.
SLOW = {"case_sheet_pdf", "meeting_record_pdf", "meeting_pledge_pdf", "city_documents_pdf"}
SLOW |= {"meeting_minutes_pdf", "meeting_minutes_docx", "meeting_room"}
SLOW |= {"resource_area_pdf", "mining", "city_documents_xlsx", "monthly_pdf", "submission_pdf"}
EXAMPLES, SLOW_EXAMPLES = 8, 2
# Rows that any request may write: the audit log (refusals are recorded), sessions, and the
# cache of the screening upload kept in the session.
NOT_FINGERPRINTED = {"audit", "sessions", "admin", "contenttypes", "auth"}

NASTY = [
    "", " ", "　", "abc", "²", "١٢", "-1", "0", "1", "1.5", "1e9", "32767", "32768",
    "2147483648", "9223372036854775808", "99999999999999999999999", "\x00", "%00",
    "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "NaN", "true", "on",
    "9999-12-31", "0001-01-01", "0000-00-00", "1999-12-31", "2000-01-01", "2100-12-31",
    "2101-01-01", "R3.2.30", "令和元年5月1日", "平成31年4月31日", "明治1年1月1日",
    "２０２１－０６－０１", "25:61", "23:59", "a@b", "😀😀😀", "1,2,3", "3,6,99",
]  # fmt: skip
OVERSIZED = ["x" * 301, "あ" * 4_001, "1" * 5_000, "議事録。" * 5_001, "あ" * 120_000]


class FormReader(HTMLParser):
    """The fields of every form of a page: {method: {name: set of values seen}}."""

    def __init__(self, path):
        super().__init__()
        self.path = path
        self.fields = {"get": {}, "post": {}}
        self.form = None  # (method, is ours) of the form being read
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = urlsplit(attrs.get("action") or self.path).path
            self.form = ((attrs.get("method") or "get").lower(), action == self.path)
        elif self.form and self.form[1] and tag in ("input", "select", "textarea", "button"):
            name = attrs.get("name")
            if not name or name == "csrfmiddlewaretoken":
                return
            seen = self.fields[self.form[0]].setdefault(name, set())
            if attrs.get("type") == "file":
                seen.add(FILE)
            elif tag != "select":
                seen.add(attrs.get("value") or "")
            self.select = seen if tag == "select" else None
        elif tag == "option" and self.select is not None:
            self.select.add(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None


FILE = object()


def uploads():
    """Files as a careless or hostile user would send them."""
    return st.sampled_from(
        [
            ("empty.csv", b""),
            ("garbage.xlsx", b"PK\x03\x04 not really a zip"),
            ("renamed.csv", b"%PDF-1.4 this is a pdf"),
            ("scan.pdf", b"%PDF-1.4 scan"),
            ("scan.exe", b"MZ"),
            ("cells.csv", ("センター,会議体,開催日\n" + "=1+1,\x00,9999-12-31\n" * 20).encode()),
            ("wide.csv", (",".join(["a"] * 5000) + "\n").encode()),
            ("sjis.csv", "センター,会議体\n".encode("cp932")),
        ]
    ).map(lambda pair: SimpleUploadedFile(pair[0], pair[1]))


def value_for(kind, seen, ids):
    """Values for one field: what the page offers, ids of both municipalities, and worse."""
    if FILE in seen:
        return uploads()
    plausible = sorted(v for v in seen if isinstance(v, str)) or ["1"]
    choices = [
        st.sampled_from(plausible),
        st.sampled_from(plausible),
        st.sampled_from(NASTY),
        st.sampled_from(ids),
        st.sampled_from(OVERSIZED),
        st.text(max_size=30),
    ]
    if kind == "id":
        choices.append(st.integers(min_value=-(2**70), max_value=2**70).map(str))
    return st.one_of(*choices)


def payloads(fields, ids):
    """A dict with any subset of the fields: a field left out is also an input."""
    return st.fixed_dictionaries(
        {},
        optional={name: value_for(kind, seen, ids) for name, (kind, seen) in fields.items()},
    )


def fingerprint():
    """A digest of every row of every table a refused request must not change."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        if model._meta.app_label in NOT_FINGERPRINTED or model._meta.proxy:
            continue
        rows = model._default_manager.order_by("pk").values_list()
        digest.update(f"{model._meta.label}:{list(rows)!r}".encode())
    return digest.hexdigest()


@pytest.fixture
def fuzz_worlds(db):
    home, other = build_world("129909", "内市", "12"), build_world("139904", "外市", "13")
    for world in (home, other):
        review = world["review"]
        world["action"] = Action.objects.create(
            review=review, responsible_label="市", what="見守り", due_on=world["meeting"].date
        )
        world["advice"] = Advice.objects.create(
            review=review, adviser_name="助言 者", profession="dietitian", text="減塩"
        )
        world["tag"] = tag_review(
            tag=IssueTag(review=review, theme=world["theme"], issue=world["issue"]), by=None
        )
        world["attendance"] = Attendance.objects.filter(meeting=world["meeting"]).first()
        world["notification"] = Notification.objects.create(
            municipality=world["municipality"],
            person=world["person"],
            kind=Kind.INVITATION,
            key="fuzz",
            subject="件名",
            link="/",
        )
        world["milestone"] = Milestone.objects.create(
            proposal=world["proposal"], title="節目", due_on=world["meeting"].date
        )
        world["assignment"] = Assignment.objects.create(
            request=world["dispatch_request"], adviser=world["adviser_profile"]
        )
        # A pledge for everyone, so that the forms behind the content gate are reached too
        # (the matrix tests the refusals without one).
        for user in world["users"].values():
            Pledge.objects.create(
                municipality=world["municipality"],
                meeting=world["meeting"],
                user=user,
                signer_name="署名",
                affiliation="所属",
                method="online",
                policy_version=policy_for_signing(world["municipality"]),
            )
    # Each world's viewer invited to the other municipality (answered on their own page).
    for world, inviting in ((home, other), (other, home)):
        world["invitation"] = Invitation.objects.create(
            user=world["users"][Role.VIEWER],
            municipality=inviting["municipality"],
            role=Role.CARE_MANAGER,
        )
    # The prefecture's roles and the pooled adviser, so that their forms are reached too.
    for role in PrefectureRole:
        user = make_user(f"fuzz-{role.value}")
        PrefectureMembership.objects.create(
            user=user,
            prefecture=home["adviser_profile"].prefecture,
            role=role,
            association="県栄養士会" if role == PrefectureRole.COORDINATOR else "",
        )
        home["users"][role.value] = user
    home["users"]["pooled_adviser"] = home["adviser_profile"].user
    return home, other


def path_for(name, kind, world):
    if kind is None:
        return reverse(name)
    if kind == "token":
        return reverse(name, args=["not-a-real-token"])
    obj = object_for(world, kind)
    if kind == "pledge":
        return reverse(name, args=[obj.meeting_id, obj.pk])
    if kind in ("attendance", "handout", "agenda_review"):
        return reverse(name, args=[obj.meeting_id, obj.pk])
    if kind == "milestone":
        return reverse(name, args=[obj.proposal_id, obj.pk])
    return reverse(name, args=[obj.pk])


def ids_of(world):
    return sorted(
        {str(value.pk) for value in world.values() if hasattr(value, "pk")}
        | {str(user.pk) for user in world["users"].values()}
    )


def read_fields(name, kind, extra, home):
    """{method: {field: (kind, values seen)}} from the page's forms (as every role sees them),
    the URL's own extra fields and the query parameters every URL gets. A URL whose form is
    on another page ("@page") reads that page's forms, with the same object."""
    path = path_for(name, kind, home)
    page_path = path_for(extra["@page"], kind, home) if "@page" in extra else path
    fields = {"get": {}, "post": {}}
    for user in home["users"].values():
        client = Client()
        client.force_login(user)
        response = client.get(page_path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        reader = FormReader(urlsplit(page_path).path)
        reader.feed(response.content.decode())
        for method, found in reader.fields.items():
            for field, seen in found.items():
                fields[method].setdefault(field, ("text", set()))[1].update(seen)
    for field, field_kind in extra.items():
        if not field.startswith("@"):
            fields["post"][field] = (field_kind, set())
    for param in QUERY_PARAMS:
        fields["get"].setdefault(param, ("text", set()))
    return path, fields


def test_every_url_is_in_the_fuzz_table():
    assert url_names() == set(FUZZ)


def test_the_table_finds_the_fields_of_the_forms(fuzz_worlds):
    """The fields are read from the pages: a sample of known fields must be found."""
    home, _ = fuzz_worlds
    _, meeting = read_fields("meeting_create", None, {}, home)
    _, case = read_fields("case_create", None, {}, home)
    _, resources = read_fields("resource_list", None, {}, home)
    assert {"meeting_type", "center", "date"} <= set(meeting["post"])
    assert {"center", "wishes", "services-TOTAL_FORMS"} <= set(case["post"])
    assert {"q", "area", "kind", "weekday"} <= set(resources["get"])


def resolve_app(name):
    for pattern in get_resolver().url_patterns:
        for inner in getattr(pattern, "url_patterns", [pattern]):
            if getattr(inner, "name", None) == name:
                return inner.callback.__module__.split(".")[1]
    return "tsunagu"


def fuzz_one(name, home, other, requests):
    """Hypothesis on one URL; the falsifying example, or None."""
    kind, extra = FUZZ[name]
    path, fields = read_fields(name, kind, extra, home)
    ids = ids_of(home) + ids_of(other)
    users = {**home["users"], ANONYMOUS: None}
    methods = [method for method in ("get", "post") if fields[method]]

    @settings(
        max_examples=SLOW_EXAMPLES if name in SLOW else EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(
        role=st.sampled_from(sorted(users)),
        method=st.sampled_from(methods),
        data=st.data(),
    )
    def run(role, method, data):
        payload = data.draw(payloads(fields[method], ids), label="payload")
        requests.check(name, path, users[role], method, payload)

    try:
        run()
    except Exception as error:  # the failure of this URL, reported with the others
        return f"{name}: {type(error).__name__}: {error}"[:3000]
    return None


WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


class Requests:
    """Requests as each user, each in a savepoint that is rolled back afterwards.

    One client serves every request, logged in once per user before any savepoint: a new
    client per request loaded every middleware again (WhiteNoise scans the static files) and
    logged in again, which with fingerprinting the database twice was most of the run. Since
    every request is rolled back, the database before each one is the same: it is
    fingerprinted once, and again after a request only if that request wrote to a table the
    fingerprint covers (writes to the audit log and sessions are expected of refusals).
    """

    def __init__(self, users):
        self.client = Client()
        self.sessions = {}
        for user in users:
            self.client.cookies = SimpleCookie()
            self.client.force_login(user)
            self.sessions[user.pk] = self.client.cookies[django_settings.SESSION_COOKIE_NAME].value
        self.ignored = {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.app_label in NOT_FINGERPRINTED
        }
        self.before = fingerprint()

    def check(self, name, path, user, method, payload):
        """One request: no server error, and no change when refused."""
        self.client.cookies = SimpleCookie()
        if user is not None:
            self.client.cookies[django_settings.SESSION_COOKIE_NAME] = self.sessions[user.pk]
        written = set()

        def note_writes(execute, sql, params, many, context):
            found = WRITE.match(sql)
            if found and found.group(1) not in self.ignored:
                written.add(found.group(1))
            return execute(sql, params, many, context)

        saved = transaction.savepoint()
        try:
            with connection.execute_wrapper(note_writes):
                response = getattr(self.client, method)(path, payload)
            after = fingerprint() if written else self.before
        finally:
            transaction.savepoint_rollback(saved)
        assert response.status_code < 500, (name, method, payload)
        refused = response.status_code >= 400 or (method == "post" and response.status_code == 200)
        if method == "get" or refused:
            assert self.before == after, f"{name} changed data: {method} {payload!r}"


APPS = sorted({resolve_app(name) for name in FUZZ})


@pytest.mark.parametrize("app", APPS)
def test_no_input_breaks_the_server_or_changes_data_when_refused(app, fuzz_worlds):
    home, other = fuzz_worlds
    requests = Requests(home["users"].values())
    names = [name for name in sorted(FUZZ) if resolve_app(name) == app]
    failures = [fuzz_one(name, home, other, requests) for name in names]
    assert [failure for failure in failures if failure] == []


@pytest.mark.parametrize("app", APPS)
def test_every_role_gets_the_worst_input_on_every_url(app, fuzz_worlds):
    """Each role once on each URL with the values most likely to break it (empty, another
    municipality's, not an id, too large, dates out of range), so that no role's branch of
    a view is left out by chance."""
    home, other = fuzz_worlds
    keys = ["meeting_type", "center", "theme", "area", "person", "organization", "meeting"]
    keys += ["issue", "case", "membership", "to", "status", "kind", "into", "responsible"]
    dates = {"date": "9999-12-31", "opened_on": "9999-12-31", "due_on": "0001-01-01"}
    worst = [
        ("post", {key: str(other[key].pk) for key in keys if key in other}),
        ("post", {**{key: "99999999999999999999999" for key in keys}, **dates}),
        ("get", {**{key: "²" for key in [*keys, *QUERY_PARAMS]}, "start": "9999-12-31"}),
    ]
    failures = []
    requests = Requests(home["users"].values())
    for name, (kind, _extra) in sorted(FUZZ.items()):
        if resolve_app(name) != app or name in SLOW or name == "logout":
            continue
        path = path_for(name, kind, home)
        for role, user in home["users"].items():
            for method, payload in worst:
                try:
                    requests.check(name, path, user, method, payload)
                except AssertionError as error:
                    failures.append(f"{role}: {error}")
    assert failures == []
