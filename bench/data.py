"""A prefecture-sized data set for benchmarks: 350 centers, 10 年度, about 70,000 meetings.

All in one municipality, so that one schedule matrix and one statistics page cover all 350
centers: the worst case for a single page.
"""

import datetime
import random

from django.db import transaction

from tsunagu.accounts.models import Membership, Role, User
from tsunagu.lib.fiscal import fiscal_year_range
from tsunagu.meetings.choices import Format, Status
from tsunagu.meetings.models import Meeting, MeetingType, PlanEntry
from tsunagu.meetings.presets import load_preset
from tsunagu.organizations.models import Area, Center, Municipality
from tsunagu.organizations.validators import municipality_check_digit

CENTERS = 350
YEARS = range(2016, 2026)
MEETINGS_PER_CENTER_YEAR = 20  # 350 × 10 × 20 = 70,000
CODE = "13998" + str(municipality_check_digit("13998"))
USERNAME = "bench-admin"
PASSWORD = "bench-password-2026"


@transaction.atomic
def generate() -> Municipality:
    """Create the data set unless it is already there; returns its municipality."""
    existing = Municipality.objects.filter(code=CODE).first()
    if existing is not None:
        return existing
    municipality = Municipality.objects.create(code=CODE, name="ベンチ県央市", prefecture="13")
    user = User.objects.create_user(USERNAME, password=PASSWORD, full_name="ベンチ管理者")
    Membership.objects.create(user=user, municipality=municipality, role=Role.CITY_ADMIN)
    load_preset(municipality=municipality, key="matsudo", by=user)
    types = list(MeetingType.objects.filter(municipality=municipality, host="each_center"))
    areas = Area.objects.bulk_create(
        Area(municipality=municipality, name=f"圏域{i:03d}", sort_order=i) for i in range(CENTERS)
    )
    centers = Center.objects.bulk_create(
        Center(municipality=municipality, name=f"第{i:03d}地域包括支援センター", area=area)
        for i, area in enumerate(areas)
    )
    rng = random.Random(2026)
    meetings, plans = [], []
    for year in YEARS:
        start, _ = fiscal_year_range(year)
        for center in centers:
            for meeting_type in types:
                plans.append(
                    PlanEntry(
                        municipality=municipality,
                        fiscal_year=year,
                        meeting_type=meeting_type,
                        center=center,
                        planned_count=MEETINGS_PER_CENTER_YEAR // len(types),
                    )
                )
            for _ in range(MEETINGS_PER_CENTER_YEAR):
                meetings.append(
                    Meeting(
                        municipality=municipality,
                        center=center,
                        meeting_type=rng.choice(types),
                        date=start + datetime.timedelta(days=rng.randrange(365)),
                        format=rng.choice(Format.values),
                        status=rng.choices(Status.values, weights=[1, 8, 1, 1])[0],
                        cases_reviewed=rng.randrange(4),
                    )
                )
    PlanEntry.objects.bulk_create(plans, batch_size=2000)
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    return municipality
