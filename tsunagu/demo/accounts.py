"""One demo login per role, printed by the demo command. All share one demo password."""

from django.utils import timezone

from tsunagu.accounts.models import Membership, Role, User
from tsunagu.accounts.twofactor import DEMO_TOTP_SECRET, is_required
from tsunagu.organizations.choices import Profession
from tsunagu.organizations.models import Center, Municipality, Person

DEMO_PASSWORD = "tsunagu-demo"

# (login, full name, [(municipality code, role, center name or None, profession of person)])
DEMO_USERS = [
    (
        "shi",
        "松風市 高齢者支援課（デモ）",
        [("129909", Role.CITY_ADMIN, None, Profession.CITY_STAFF)],
    ),
    (
        "kikan",
        "基幹型センター職員（デモ）",
        [("129909", Role.CORE_CENTER, "松風市基幹型地域包括支援センター", None)],
    ),
    (
        "center",
        "明第1センター職員（デモ）",
        [("129909", Role.CENTER_STAFF, "明第1地域包括支援センター", None)],
    ),
    (
        "cm",
        "介護支援専門員（デモ）",
        [("129909", Role.CARE_MANAGER, None, Profession.CARE_MANAGER)],
    ),
    (
        "jogen",
        "助言者・理学療法士（デモ）",
        [
            ("129909", Role.ADVISER, None, Profession.PHYSIOTHERAPIST),
            ("139904", Role.ADVISER, None, Profession.PHYSIOTHERAPIST),
        ],
    ),
    ("etsuran", "閲覧者（デモ）", [("129909", Role.VIEWER, None, None)]),
    (
        "ogawa",
        "小川平市 高齢者支援課（デモ）",
        [("139904", Role.CITY_ADMIN, None, Profession.CITY_STAFF)],
    ),
]


def load_accounts():
    rows = []
    for username, full_name, memberships in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"full_name": full_name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        for code, role, center_name, profession in memberships:
            municipality = Municipality.objects.get(code=code)
            center = (
                Center.objects.get(municipality=municipality, name=center_name)
                if center_name
                else None
            )
            # Link the login to a directory person of the right profession, for realism.
            person = (
                Person.objects.filter(municipality=municipality, profession=profession)
                .order_by("id")
                .first()
                if profession
                else None
            )
            membership, _ = Membership.objects.update_or_create(
                user=user,
                municipality=municipality,
                defaults={"role": role, "center": center, "person": person},
            )
            rows.append((username, membership))
        # 市職員 and 基幹型 must use two-factor authentication; the demo key is published in
        # the README so that anyone trying the demo can add it to an authenticator app.
        if not user.has_two_factor and is_required(user):
            user.totp_secret = DEMO_TOTP_SECRET
            user.totp_confirmed_at = timezone.now()
            user.save(update_fields=["totp_secret", "totp_confirmed_at"])
    superuser, created = User.objects.get_or_create(
        username="sysadmin",
        defaults={"full_name": "システム管理者（デモ）", "is_staff": True, "is_superuser": True},
    )
    if created:
        superuser.set_password(DEMO_PASSWORD)
        superuser.save()
    # The system administrator must use two-factor authentication too.
    if not superuser.has_two_factor:
        superuser.totp_secret = DEMO_TOTP_SECRET
        superuser.totp_confirmed_at = timezone.now()
        superuser.save(update_fields=["totp_secret", "totp_confirmed_at"])
    return rows
