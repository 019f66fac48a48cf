"""One demo login per role (data/demo/accounts.json), printed by the demo command. All share one
demo password. Logins are made through the accounts service, as a 市職員 adds a member."""

from tsunagu.accounts.models import Membership, User
from tsunagu.accounts.services import NewLogin, add_member, enable_two_factor
from tsunagu.accounts.twofactor import DEMO_TOTP_SECRET, is_required
from tsunagu.organizations.models import Center, Municipality, Person

from .files import read_json

DEMO_PASSWORD = read_json("accounts.json")["password"]


def _membership(username: str, full_name: str, spec: dict) -> Membership:
    municipality = Municipality.objects.get(code=spec["municipality"])
    found = Membership.objects.filter(user__username=username, municipality=municipality).first()
    if found is not None:
        return found
    center = spec["center"] and Center.objects.get(municipality=municipality, name=spec["center"])
    # Link the login to a directory person of the right profession, for realism.
    person = spec["person_profession"] and (
        Person.objects.filter(municipality=municipality, profession=spec["person_profession"])
        .order_by("id")
        .first()
    )
    membership = Membership(
        municipality=municipality, role=spec["role"], center=center or None, person=person or None
    )
    return add_member(
        membership=membership, login=NewLogin(username, full_name, DEMO_PASSWORD), by=None
    )


def _superuser(spec: dict) -> None:
    """The Django admin's login; no service makes superusers (only the command line does)."""
    if not User.objects.filter(username=spec["username"]).exists():
        User.objects.create_superuser(
            username=spec["username"], password=DEMO_PASSWORD, full_name=spec["full_name"]
        )
    # The system administrator must use two-factor authentication too.
    superuser = User.objects.get(username=spec["username"])
    if not superuser.has_two_factor:
        enable_two_factor(user=superuser, secret=DEMO_TOTP_SECRET, by=None)


def load_accounts():
    """[(login, membership)] in the file's order; a login seen before is left as it is."""
    data = read_json("accounts.json")
    rows = []
    for spec in data["users"]:
        username = spec["username"]
        for membership in spec["memberships"]:
            rows.append((username, _membership(username, spec["full_name"], membership)))
        # 市職員 and 基幹型 must use two-factor authentication; the demo key is published in
        # the README so that anyone trying the demo can add it to an authenticator app.
        user = User.objects.get(username=username)
        if not user.has_two_factor and is_required(user):
            enable_two_factor(user=user, secret=DEMO_TOTP_SECRET, by=None)
    _superuser(data["superuser"])
    return rows
