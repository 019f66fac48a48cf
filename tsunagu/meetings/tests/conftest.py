"""Fixtures shared by the meetings tests: the two kinds of body most tests need."""

import pytest

from tsunagu.meetings.choices import Category, Host, Level
from tsunagu.meetings.models import MeetingType


@pytest.fixture
def body(municipality):
    """A body each center organises (地域個別ケア会議)."""
    return MeetingType.objects.create(
        municipality=municipality,
        name="地域個別ケア会議",
        category=Category.INDIVIDUAL,
        level=Level.CENTER,
        host=Host.EACH_CENTER,
    )


@pytest.fixture
def city_body(municipality):
    """A body only the city organises (市地域ケア会議)."""
    return MeetingType.objects.create(
        municipality=municipality,
        name="市地域ケア会議",
        category=Category.PROMOTION,
        level=Level.CITY,
        host=Host.CITY,
    )
