"""Small builders shared by this app's tests."""

import datetime

from conftest import make_user
from tsunagu.accounts.models import Role
from tsunagu.centerwork import services
from tsunagu.centerwork.models import Consultation
from tsunagu.organizations.models import Center


def categories(municipality, *names):
    by_name = {c.name: c for c in services.categories_of(municipality)}
    return [by_name[name] for name in names]


def consult(center, day, ref, *names, summary="", method="phone"):
    return services.record_consultation(
        consultation=Consultation(
            municipality=center.municipality,
            center=center,
            received_on=day,
            method=method,
            consulter="family",
            person_ref=ref,
            response="information",
            summary=summary,
        ),
        categories=categories(center.municipality, *(names or ("総合相談",))),
        by=None,
    )


def core_center(municipality):
    return Center.objects.create(municipality=municipality, name="基幹型センター", is_core=True)


def core_staff(municipality):
    center = Center.objects.filter(municipality=municipality, is_core=True).first()
    return make_user("kikan", (municipality, Role.CORE_CENTER, center or core_center(municipality)))


OCTOBER = datetime.date(2026, 10, 5)
