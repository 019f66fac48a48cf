"""A small city beside the prefecture-sized one (bench/data.py), for comparing a page of a
city with 200,000 cases with the same page of a city with SMALL_CASES: 3 centers, its own
市職員 (SMALL_USERNAME). Idempotent; uses only what every version of the models has, so the
same data can be made for a "before" checkout."""

import random

from django.db import transaction

from bench import data
from tsunagu.accounts.models import Membership, Role, User
from tsunagu.cases.models import Case
from tsunagu.organizations.models import Area, Center, Municipality
from tsunagu.organizations.validators import municipality_check_digit

SMALL_CODE = "13997" + str(municipality_check_digit("13997"))
SMALL_USERNAME = "bench-small-admin"
SMALL_CASES = 1_000
SMALL_CENTERS = 3
STATUSES = ["draft", "submitted", "ready", "reviewed", "monitoring", "closed", "closed"]


@transaction.atomic
def generate() -> Municipality:
    existing = Municipality.objects.filter(code=SMALL_CODE).first()
    if existing is not None:
        return existing
    municipality = Municipality.objects.create(code=SMALL_CODE, name="ベンチ小町", prefecture="13")
    user = User.objects.create_user(SMALL_USERNAME, password=data.PASSWORD, full_name="小町管理者")
    Membership.objects.create(user=user, municipality=municipality, role=Role.CITY_ADMIN)
    area = Area.objects.create(municipality=municipality, name="全域")
    centers = Center.objects.bulk_create(
        Center(municipality=municipality, name=f"小町第{i}地域包括支援センター", area=area)
        for i in range(SMALL_CENTERS)
    )
    rng = random.Random(3)
    Case.objects.bulk_create(
        Case(
            municipality=municipality,
            code=f"S-{n:05d}",
            center=centers[n % SMALL_CENTERS],
            status=rng.choice(STATUSES),
            case_type="independence",
            age_band="80",
            sex="female",
            care_level="care_1",
            household="alone",
        )
        for n in range(SMALL_CASES)
    )
    return municipality
