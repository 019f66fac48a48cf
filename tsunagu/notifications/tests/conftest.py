import datetime

import pytest
from django.utils import timezone

from tsunagu.meetings.models import Meeting, MeetingType
from tsunagu.organizations.models import Person

TODAY = timezone.localdate()
CASE_TEXT = "長男が年金を使い込んでいる疑い"


@pytest.fixture
def body(municipality):
    return MeetingType.objects.create(
        municipality=municipality,
        name="地域ケア個別会議",
        category="individual",
        level="center",
        host="each_center",
        handles_personal_info=True,
        reviews_cases=True,
    )


@pytest.fixture
def next_week(municipality, body, center):
    return Meeting.objects.create(
        municipality=municipality,
        meeting_type=body,
        center=center,
        date=TODAY + datetime.timedelta(days=7),
        start_time=datetime.time(14, 0),
        end_time=datetime.time(15, 30),
        venue="明第1センター 会議室",
        minutes=CASE_TEXT,
    )


@pytest.fixture
def adviser(municipality):
    return Person.objects.create(
        municipality=municipality,
        name="高橋 一郎",
        furigana="タカハシ イチロウ",
        profession="physiotherapist",
        email="takahashi@example.jp",
    )
