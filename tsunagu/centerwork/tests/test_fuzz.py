"""Properties checked on generated input: the gate, the importer and the month cut."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tsunagu.accounts.models import Membership, Role
from tsunagu.centerwork import access, importing
from tsunagu.centerwork.models import Consultation
from tsunagu.centerwork.reporting import month_figures
from tsunagu.organizations.models import Center

from .helpers import consult

FIXTURES = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
)


@FIXTURES
@given(rows=st.lists(st.lists(TEXT, min_size=0, max_size=10), max_size=6))
def test_the_importer_answers_any_table_with_rows_or_problems(center, rows):
    table = [list(importing.CONSULTATION_COLUMNS), *rows]
    result = importing.parse(table, municipality=center.municipality, kind="consultations")
    assert result.ok or all(p.row >= 1 and p.column and p.message for p in result.problems)
    assert Consultation.objects.count() == 0


@FIXTURES
@given(
    days=st.lists(
        st.dates(min_value=datetime.date(2026, 4, 1), max_value=datetime.date(2027, 3, 31)),
        min_size=1,
        max_size=15,
    )
)
def test_every_consultation_falls_in_exactly_one_month(center, days):
    Consultation.objects.all().delete()
    for i, day in enumerate(days):
        consult(center, day, f"R-{i % 4}", "医療")
    months = [(2026, m) for m in range(4, 13)] + [(2027, m) for m in range(1, 4)]
    totals = [
        month_figures(center.municipality, y, m)["total"]["consultations"]["total"]
        for y, m in months
    ]
    assert sum(totals) == len(days)


@pytest.fixture
def two_centers(municipality, center):
    return center, Center.objects.create(municipality=municipality, name="北センター")


@FIXTURES
@given(
    role=st.sampled_from(Role.values),
    home=st.sampled_from([0, 1, None]),
    records=st.lists(st.tuples(st.sampled_from([0, 1]), st.booleans()), min_size=1, max_size=5),
)
def test_the_gate_shows_a_record_only_to_those_the_rule_names(two_centers, role, home, records):
    Consultation.objects.all().delete()
    member = Membership(
        municipality=two_centers[0].municipality,
        role=role,
        center=two_centers[home] if home is not None else None,
    )
    made = []
    for where, abuse in records:
        names = ("虐待(疑い)",) if abuse else ("医療",)
        made.append(
            (consult(two_centers[where], datetime.date(2026, 10, 1), "G", *names), where, abuse)
        )
    visible = set(access.consultations_visible_to(member).values_list("pk", flat=True))
    for consultation, where, abuse in made:
        allowed = (
            role == Role.CORE_CENTER
            or (role == Role.CENTER_STAFF and home == where)
            or (role == Role.CITY_ADMIN and abuse)
        )
        assert (consultation.pk in visible) is allowed, (role, home, where, abuse)
