"""The one rule for text recorded about a person, every branch, and its audit entry.

A case reviewed at two meetings (A and B). Content recorded at a review is shown to those who
hold a pledge for THAT meeting (inside the adviser window), or to the case's custodians (its
center's staff and its care manager); each response that shows it writes exactly one audit
entry and carries Cache-Control: no-store; a refusal writes only the refusal.
"""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory
from django.utils import timezone

from conftest import logged_in, make_user
from tsunagu.accounts.models import Role
from tsunagu.audit.models import AuditEntry
from tsunagu.cases.models import Advice, Case, CaseReview, FollowUp
from tsunagu.confidentiality.gate import disclose
from tsunagu.confidentiality.services import policy_for_signing
from tsunagu.meetings.models import Attendance, Meeting, MeetingType, Pledge
from tsunagu.organizations.models import Center, Person
from tsunagu.tests.url_names import reverse

TODAY = timezone.localdate()
ADVICE_A = "会議Aでの助言: 立ち上がりの練習を"
ADVICE_B = "会議Bでの助言: 配食サービスの利用を"


@pytest.fixture
def body(municipality):
    return MeetingType.objects.create(
        municipality=municipality,
        name="地域個別ケア会議",
        category="individual",
        level="center",
        host="each_center",
        handles_personal_info=True,
        reviews_cases=True,
    )


@pytest.fixture
def care_manager_person(municipality):
    return Person.objects.create(
        municipality=municipality, name="介護 支援", furigana="カイゴ シエン", profession="nurse"
    )


@pytest.fixture
def case(municipality, center, care_manager_person):
    return Case.objects.create(
        municipality=municipality,
        code="R-001",
        center=center,
        center_reference="明1-9999",
        care_manager=care_manager_person,
        status="reviewed",
        case_type="independence",
        age_band="80",
        sex="female",
        care_level="care_1",
        household="alone",
        wishes="自宅で暮らしたい",
    )


def review_at(case, body, center, text, days=0):
    meeting = Meeting.objects.create(
        municipality=case.municipality,
        meeting_type=body,
        center=center,
        date=TODAY + datetime.timedelta(days=days),
    )
    review = CaseReview.objects.create(case=case, meeting=meeting, support_policy=text)
    Advice.objects.create(
        review=review, adviser_name="青木", profession="physiotherapist", text=text
    )
    FollowUp.objects.create(review=review, months_after=3, due_on=TODAY, comment=f"所見 {text}")
    return review


@pytest.fixture
def reviews(case, body, center):
    return review_at(case, body, center, ADVICE_A), review_at(case, body, center, ADVICE_B, 1)


def sign(user, meeting):
    Pledge.objects.create(
        municipality=meeting.municipality,
        meeting=meeting,
        user=user,
        signer_name="署名",
        affiliation="所属",
        method="online",
        policy_version=policy_for_signing(meeting.municipality),
    )


@pytest.fixture
def core_center_user(municipality):
    core = Center.objects.create(municipality=municipality, name="基幹型センター", is_core=True)
    return make_user("core", (municipality, Role.CORE_CENTER, core))


@pytest.fixture
def care_manager_user(municipality, care_manager_person):
    user = make_user("cm", (municipality, Role.CARE_MANAGER, None))
    user.memberships.update(person=care_manager_person)
    return user


@pytest.fixture
def adviser_user(municipality, reviews):
    person = Person.objects.create(
        municipality=municipality, name="助言 者", furigana="ジョゲン シャ", profession="pt"
    )
    Attendance.objects.create(meeting=reviews[0].meeting, person=person, name=person.name)
    user = make_user("adviser", (municipality, Role.ADVISER, None))
    user.memberships.update(person=person)
    return user


def get(user, name, pk, **query):
    """GET a page as `user`: the response and the audit entries it wrote (but refusals)."""
    client = logged_in(Client(), user) if user else Client()
    before = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    response = client.get(reverse(name, args=[pk]), query)
    written = AuditEntry.objects.filter(seq__gt=before).order_by("seq")
    return response, list(written)


def content_entries(written):
    return [entry for entry in written if entry.action != "access.refused"]


REVIEW_PAGES = ["review_record", "review_tags", "meeting_record_pdf"]


def test_it_sends_the_anonymous_to_login(reviews):
    for name in REVIEW_PAGES:
        response, written = get(None, name, reviews[0].pk)
        assert response.status_code == 302 and response.url.startswith("/login/")
        assert written == []


def test_it_answers_another_municipality_with_404_and_logs_only_the_refusal(outsider, reviews):
    for name in REVIEW_PAGES:
        response, written = get(outsider, name, reviews[0].pk)
        assert response.status_code == 404
        assert [entry.action for entry in written] == ["access.refused"]


def test_it_refuses_without_a_pledge_and_says_where_to_sign(viewer, reviews):
    response, written = get(viewer, "review_record", reviews[0].pk)
    page = response.content.decode()
    assert response.status_code == 403
    assert "誓約書への署名が必要" in page and ADVICE_A not in page
    assert reverse("meetings:meeting_pledge", args=[reviews[0].meeting_id]) in page
    assert [entry.action for entry in written] == ["access.refused"]


def test_a_pledge_for_one_meeting_does_not_open_another(core_center_user, reviews):
    first, second = reviews
    sign(core_center_user, first.meeting)
    response, written = get(core_center_user, "review_record", first.pk)
    assert response.status_code == 200 and ADVICE_A in response.content.decode()
    assert [entry.action for entry in written] == ["review.viewed"]
    for name in REVIEW_PAGES:
        response, written = get(core_center_user, name, second.pk)
        assert response.status_code == 403, name
        assert ADVICE_B not in response.content.decode()
        assert content_entries(written) == []


def test_the_case_page_shows_each_review_only_to_those_entitled(core_center_user, case, reviews):
    first, second = reviews
    sign(core_center_user, first.meeting)
    response, written = get(core_center_user, "case_detail", case.pk)
    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("cases:review_record", args=[first.pk]) in page
    assert reverse("cases:review_record", args=[second.pk]) not in page
    assert reverse("meetings:meeting_pledge", args=[second.meeting_id]) in page
    assert "この会議での検討内容は表示していません" in page
    assert [entry.action for entry in written] == ["case.viewed"]
    assert written[0].target_id == str(case.pk)


def test_the_read_only_role_reads_with_a_pledge_but_cannot_change(viewer, reviews):
    first, _second = reviews
    sign(viewer, first.meeting)
    response, written = get(viewer, "review_record", first.pk)
    assert response.status_code == 200 and ADVICE_A in response.content.decode()
    assert len(content_entries(written)) == 1
    refused = logged_in(Client(), viewer).post(
        reverse("cases:review_record", args=[first.pk]),
        {"form": "policy", "support_policy": "変更"},
    )
    assert refused.status_code == 403
    assert CaseReview.objects.get(pk=first.pk).support_policy == ADVICE_A
    response, _written = get(viewer, "follow_up_record", first.follow_ups.get().pk)
    assert response.status_code == 403


@pytest.mark.parametrize("custodian", ["center_staff", "care_manager_user"])
def test_the_cases_custodians_read_every_review_without_a_pledge(request, custodian, reviews):
    user = request.getfixturevalue(custodian)
    for review, text in zip(reviews, [ADVICE_A, ADVICE_B], strict=True):
        for name, action in [
            ("review_record", "review.viewed"),
            ("follow_up_record", "follow_up.viewed"),
        ]:
            pk = review.pk if name == "review_record" else review.follow_ups.get().pk
            response, written = get(user, name, pk)
            assert response.status_code == 200, name
            assert text in response.content.decode()
            assert [entry.action for entry in written] == [action]


def test_custodians_still_need_the_pledge_for_the_meetings_own_minutes(center_staff, reviews):
    meeting = reviews[0].meeting
    response, written = get(center_staff, "meeting_minutes", meeting.pk)
    assert response.status_code == 403
    assert content_entries(written) == []
    sign(center_staff, meeting)
    response, written = get(center_staff, "meeting_minutes", meeting.pk)
    assert response.status_code == 200
    assert [entry.action for entry in written] == ["meeting.content_viewed"]


def test_the_adviser_reads_inside_the_window_only(adviser_user, reviews):
    first, second = reviews
    sign(adviser_user, first.meeting)
    response, written = get(adviser_user, "review_record", first.pk)
    assert response.status_code == 200 and [e.action for e in written] == ["review.viewed"]
    # The review at a meeting the adviser does not attend is out of reach as well.
    response, written = get(adviser_user, "review_record", second.pk)
    assert response.status_code == 403 and content_entries(written) == []
    page = get(adviser_user, "case_detail", first.case_id)[0].content.decode()
    assert reverse("cases:review_record", args=[first.pk]) in page
    assert reverse("cases:review_record", args=[second.pk]) not in page
    assert (
        reverse("meetings:meeting_pledge", args=[second.meeting_id]) not in page
    )  # not theirs to sign
    Meeting.objects.filter(pk=first.meeting_id).update(date=TODAY + datetime.timedelta(days=60))
    response, written = get(adviser_user, "review_record", first.pk)
    assert response.status_code == 403
    body = response.content.decode()
    assert "外部の助言者は" in body
    # Signed already and outside the window: the page says the window, not "sign here".
    assert reverse("meetings:meeting_pledge", args=[first.meeting_id]) not in body
    assert content_entries(written) == []
    page = get(adviser_user, "case_detail", first.case_id)[0].content.decode()
    assert reverse("meetings:meeting_pledge", args=[first.meeting_id]) not in page


def test_a_save_that_redirects_writes_its_change_but_no_viewing_entry(center_staff, reviews):
    first, _second = reviews
    client = logged_in(Client(), center_staff)
    before = AuditEntry.objects.count()
    response = client.post(
        reverse("cases:review_record", args=[first.pk]),
        {"form": "advice", "adviser_name": "佐藤", "profession": "nurse", "text": "見守りを"},
    )
    assert response.status_code == 302
    actions = list(AuditEntry.objects.order_by("seq")[before:].values_list("action", flat=True))
    assert "review.viewed" not in actions and actions


def test_content_responses_are_not_stored(center_staff, case, reviews):
    for name, pk in [
        ("case_detail", case.pk),
        ("review_record", reviews[0].pk),
        ("case_sheet_pdf", case.pk),
    ]:
        response, _written = get(center_staff, name, pk)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], name


def test_the_centers_own_number_is_searched_for_custodians_only(center_staff, viewer, case):
    def found(user, q):
        page = logged_in(Client(), user).get(reverse("cases:case_list"), {"q": q}).content.decode()
        return case.code in page

    assert found(center_staff, "9999")
    assert not found(viewer, "9999")
    assert found(viewer, "R-001")


def test_the_gate_refuses_to_show_anything_without_its_recorder(case):
    request = RequestFactory().get("/")
    with pytest.raises(ImproperlyConfigured):
        disclose(request, "case.viewed", case)
