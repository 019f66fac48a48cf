"""Personas of the prefecture tier, on top of the shared ones (root conftest.py).

- 千葉テスト県 (12) with two municipalities: 松風テスト市 (129909) and 潮見テスト町 (129917)
- pref_staff, coordinator, pref_viewer of 12; other_pref_staff of 13 (小川平テスト市's)
- pooled advisers made by `make_adviser`; a planned meeting in 3 days, 14:00 (afternoon)
"""

import datetime
import itertools

import pytest
from django.utils import timezone

from conftest import make_user
from tsunagu.accounts.models import Role
from tsunagu.cases.models import Case, CaseReview
from tsunagu.confidentiality.services import policy_for_signing
from tsunagu.meetings.models import Meeting, MeetingType, Pledge
from tsunagu.organizations.models import Municipality, Person
from tsunagu.prefecture import services
from tsunagu.prefecture.choices import PrefectureRole
from tsunagu.prefecture.models import AdviserProfile, Prefecture, PrefectureMembership

CASE_TEXT = "派遣テストの事例本文"
ALL_WEEK = 2**14 - 1
_names = itertools.count(1)


@pytest.fixture
def prefecture(db):
    return Prefecture.objects.create(code="12")


@pytest.fixture
def other_prefecture(db):
    return Prefecture.objects.create(code="13")


@pytest.fixture
def town(db):
    return Municipality.objects.create(code="129917", name="潮見テスト町", prefecture="12")


def pref_user(username, prefecture, role, association=""):
    user = make_user(username)
    PrefectureMembership.objects.create(
        user=user, prefecture=prefecture, role=role, association=association
    )
    return user


@pytest.fixture
def pref_staff(prefecture):
    return pref_user("ken", prefecture, PrefectureRole.STAFF)


@pytest.fixture
def coordinator(prefecture):
    return pref_user("kenkyo", prefecture, PrefectureRole.COORDINATOR, "テスト県理学療法士会")


@pytest.fixture
def pref_viewer(prefecture):
    return pref_user("kenview", prefecture, PrefectureRole.VIEWER)


@pytest.fixture
def other_pref_staff(other_prefecture):
    return pref_user("tokyo", other_prefecture, PrefectureRole.STAFF)


def make_adviser(
    prefecture,
    *,
    profession="physiotherapist",
    municipalities=(),
    areas=(),
    availability=ALL_WEEK,
    monthly_limit=4,
    username=None,
):
    n = next(_names)
    user = make_user(username or f"adviser{n}")
    adviser = AdviserProfile.objects.create(
        prefecture=prefecture,
        user=user,
        name=f"派遣 {n}郎",
        furigana="ハケン",
        profession=profession,
        association="テスト県士会",
        availability=availability,
        monthly_limit=monthly_limit,
    )
    adviser.municipalities.set(municipalities)
    adviser.areas.set(areas)
    return adviser


@pytest.fixture
def body(municipality):
    return MeetingType.objects.create(
        municipality=municipality,
        name="自立支援型個別会議",
        category="individual",
        level="center",
        host="each_center",
        handles_personal_info=True,
        reviews_cases=True,
    )


def make_meeting(body, *, days=3, start=datetime.time(14, 0), center=None):
    return Meeting.objects.create(
        municipality=body.municipality,
        meeting_type=body,
        center=center,
        date=timezone.localdate() + datetime.timedelta(days=days),
        start_time=start,
        minutes=CASE_TEXT,
    )


@pytest.fixture
def meeting(body, center):
    return make_meeting(body, center=center)


def make_case(meeting, code):
    case = Case.objects.create(
        municipality=meeting.municipality,
        code=code,
        center=meeting.center,
        status="ready",
        case_type="independence",
        age_band="80",
        sex="female",
        care_level="care_1",
        household="alone",
        wishes=CASE_TEXT,
    )
    CaseReview.objects.create(case=case, meeting=meeting)
    return case


def sign(user, meeting):
    return Pledge.objects.create(
        municipality=meeting.municipality,
        meeting=meeting,
        user=user,
        signer_name="署名",
        affiliation="所属",
        method="online",
        policy_version=policy_for_signing(meeting.municipality),
    )


def accepted_dispatch(meeting, adviser, *, by, profession=None):
    """A request for `meeting`, assigned to `adviser` and accepted by them."""
    request = services.request_dispatch(
        meeting=meeting, profession=profession or adviser.profession, by=by
    )
    assignment = services.assign(dispatch_request=request, adviser=adviser, by=by)
    return services.answer(assignment=assignment, accept=True, by=adviser.user)


@pytest.fixture
def adviser(prefecture, municipality, town):
    return make_adviser(prefecture, municipalities=[municipality, town])


@pytest.fixture
def city_admin_user(municipality):
    return make_user("shi_admin", (municipality, Role.CITY_ADMIN, None))


def directory_person(municipality, name="名簿 花子"):
    return Person.objects.create(
        municipality=municipality, name=name, furigana="メイボ", profession="social_worker"
    )
