"""The need form's meeting list: recent first, of the need's 圏域 (issue 16)."""

import datetime

from django.utils import timezone

from tsunagu.meetings.models import Meeting, MeetingType
from tsunagu.organizations.models import Center
from tsunagu.resources.forms import NeedForm

from .conftest import make_need

TODAY = timezone.localdate()


def _meeting(municipality, body, center, days_ago):
    return Meeting.objects.create(
        municipality=municipality,
        meeting_type=body,
        center=center,
        date=TODAY - datetime.timedelta(days=days_ago),
    )


def test_it_offers_recent_meetings_of_the_needs_area(
    city_admin, municipality, area, second_area, center
):
    member = city_admin.memberships.get()
    other_center = Center.objects.create(municipality=municipality, name="西", area=second_area)
    body = MeetingType.objects.create(
        municipality=municipality, name="個別", category="individual", level="center"
    )
    recent = _meeting(municipality, body, center, 10)
    older = _meeting(municipality, body, center, 30)
    elsewhere = _meeting(municipality, body, other_center, 10)
    long_ago = _meeting(municipality, body, center, 800)
    need = make_need(municipality, area, meeting=long_ago)
    offered = list(NeedForm(instance=need, member=member).fields["meeting"].queryset)
    assert offered[:2] == [recent, older]
    assert elsewhere not in offered
    assert long_ago in offered  # the meeting already chosen stays
