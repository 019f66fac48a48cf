"""Two people recording the same review, follow-up or action through the pages: the later save
is refused with a message naming what changed, and the page keeps what was typed."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import logged_in, make_user
from tsunagu.accounts.models import Role
from tsunagu.audit.models import AuditEntry
from tsunagu.cases.choices import CaseStatus
from tsunagu.cases.models import Action, Case, CaseReview, FollowUp
from tsunagu.confidentiality.services import policy_for_signing
from tsunagu.meetings.models import Meeting, MeetingType, Pledge

REFUSED = "他の人が先に保存したため、保存しませんでした。変更された項目: "
AGAIN = "内容を確かめてから、もう一度保存してください。"
TODAY = timezone.localdate()


def fingerprints_on(response) -> list[str]:
    return re.findall(r'name="fingerprint" value="([^"]*)"', response.content.decode())


@pytest.fixture
def review(municipality, center):
    body = MeetingType.objects.create(
        municipality=municipality,
        name="地域個別ケア会議",
        category="individual",
        level="center",
        host="each_center",
        handles_personal_info=True,
        reviews_cases=True,
        follow_up_months="3,6",
    )
    meeting = Meeting.objects.create(
        municipality=municipality, meeting_type=body, center=center, date=TODAY
    )
    case = Case.objects.create(
        municipality=municipality,
        code="2026-001-001",
        center=center,
        status=CaseStatus.READY,
        case_type="independence",
        age_band="80",
        sex="female",
        care_level="care_1",
        household="alone",
    )
    return CaseReview.objects.create(case=case, meeting=meeting)


def signed_in(user, review) -> Client:
    Pledge.objects.create(
        municipality=review.meeting.municipality,
        meeting=review.meeting,
        user=user,
        signer_name=user.username,
        affiliation="センター",
        method="online",
        policy_version=policy_for_signing(review.meeting.municipality),
    )
    return logged_in(Client(), user)


@pytest.fixture
def a(center_staff, review):
    return signed_in(center_staff, review)


@pytest.fixture
def b(municipality, center, review):
    return signed_in(make_user("staff_b", (municipality, Role.CENTER_STAFF, center)), review)


def test_the_later_support_policy_is_refused_and_keeps_what_was_typed(review, a, b):
    url = reverse("cases:review_record", args=[review.pk])
    [seen_by_a] = fingerprints_on(a.get(url))
    [seen_by_b] = fingerprints_on(b.get(url))
    b.post(url, {"form": "policy", "support_policy": "Bさんの方針", "fingerprint": seen_by_b})

    refused = a.post(
        url, {"form": "policy", "support_policy": "Aさんの方針", "fingerprint": seen_by_a}
    )
    body = refused.content.decode()
    assert refused.status_code == 200
    assert REFUSED + "支援方針。" + AGAIN in body
    assert "Aさんの方針</textarea>" in body
    review.refresh_from_db()
    assert review.support_policy == "Bさんの方針"
    assert AuditEntry.objects.filter(action="case.reviewed").count() == 1


def test_the_later_follow_up_result_is_refused_and_keeps_what_was_typed(review, a, b):
    follow_up = FollowUp.objects.create(review=review, months_after=3, due_on=TODAY)
    url = reverse("cases:follow_up_record", args=[follow_up.pk])
    [seen_by_a] = fingerprints_on(a.get(url))
    [seen_by_b] = fingerprints_on(b.get(url))
    b.post(url, {"outcome": "maintained", "comment": "Bさんの所見", "fingerprint": seen_by_b})

    refused = a.post(
        url, {"outcome": "improved", "comment": "Aさんの所見", "fingerprint": seen_by_a}
    )
    body = refused.content.decode()
    assert refused.status_code == 200
    assert REFUSED + "実施日、結果、所見。" + AGAIN in body
    assert "Aさんの所見</textarea>" in body
    assert '<option value="improved" selected>' in body
    follow_up.refresh_from_db()
    assert (follow_up.outcome, follow_up.comment) == ("maintained", "Bさんの所見")
    assert AuditEntry.objects.filter(action="case.follow_up_recorded").count() == 1


def test_the_later_change_of_an_actions_status_is_refused(review, a, b):
    action = Action.objects.create(review=review, responsible_label="センター", what="訪問する")
    page = reverse("cases:review_record", args=[review.pk])
    url = reverse("cases:action_status", args=[action.pk])
    # The page has the policy form first, then one small form per action.
    seen_by_a = fingerprints_on(a.get(page))[1]
    seen_by_b = fingerprints_on(b.get(page))[1]
    b.post(url, {"status": "done", "fingerprint": seen_by_b})

    refused = a.post(url, {"status": "dropped", "fingerprint": seen_by_a}, follow=True)
    assert REFUSED + "状況。" + AGAIN in refused.content.decode()
    action.refresh_from_db()
    assert action.status == "done"
    assert AuditEntry.objects.filter(action="case.action_updated").count() == 1
