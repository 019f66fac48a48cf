from io import StringIO

from django.core.management import call_command
from django.test import Client

from tsunagu.accounts.models import Membership, Role, User
from tsunagu.demo.accounts import DEMO_PASSWORD
from tsunagu.organizations.choices import Profession
from tsunagu.organizations.models import Area, Center, Municipality, Organization, Person


def load():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_it_loads_two_municipalities_shaped_like_the_seeds(db):
    load()
    matsukaze = Municipality.objects.get(code="129909")
    ogawadaira = Municipality.objects.get(code="139904")
    assert Area.objects.filter(municipality=matsukaze).count() == 15
    assert Center.objects.filter(municipality=matsukaze).count() == 16
    assert Center.objects.get(municipality=matsukaze, is_core=True).area is None
    core = Center.objects.get(municipality=ogawadaira, is_core=True)
    assert core.area.name == "中央"
    assert Organization.objects.count() >= 30
    assert 90 <= Person.objects.count() <= 130
    assert set(Person.objects.values_list("profession", flat=True)) == set(Profession.values)


def test_it_is_idempotent(db):
    load()
    counts = [m.objects.count() for m in (Area, Center, Organization, Person, User, Membership)]
    load()
    assert counts == [
        m.objects.count() for m in (Area, Center, Organization, Person, User, Membership)
    ]


def test_it_prints_a_login_for_every_role_and_they_work(db):
    output = load()
    assert DEMO_PASSWORD in output
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    for user in User.objects.filter(is_superuser=False):
        assert user.username in output
        client = Client()
        assert client.login(username=user.username, password=DEMO_PASSWORD)
        assert client.get("/").status_code == 200, user.username


def test_every_demo_row_is_valid(db):
    load()
    for model in (Municipality, Area, Center, Organization, Person, Membership):
        for row in model.objects.all():
            row.full_clean()
