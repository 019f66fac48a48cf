import datetime

import pytest
from django.utils import timezone

from conftest import PASSWORD
from tsunagu.accounts.models import Membership, User


class Clock:
    """Django's idea of now, moved forward by a test (the audit log and the session use it)."""

    def __init__(self):
        self.now = timezone.now()

    def advance(self, **delta):
        self.now += datetime.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


@pytest.fixture
def unprotected_admin(municipality):
    """A 市職員 who has not set up two-factor authentication yet, which the role requires."""
    user = User.objects.create_user("new_admin", password=PASSWORD, full_name="新任 管理者")
    Membership.objects.create(user=user, municipality=municipality, role="city_admin")
    return user


@pytest.fixture
def fast_passwords(settings):
    """A fast hasher for tests that try many passwords (before the users are made)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
