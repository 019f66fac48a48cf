"""Personas shared by every test: who is asking, and from which municipality.

- city_admin: 市職員（管理者） of 松風テスト市 — may change everything there
- center_staff: センター職員 of its first center — may change organisations and people
- viewer: 閲覧者 of the same municipality — reads only
- outsider: 市職員 of another municipality — must see none of the first one's rows
- stranger: logged in, but a member of no municipality
"""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tsunagu.accounts.models import Membership, Role, User
from tsunagu.notifications.tests import mailcheck
from tsunagu.organizations.choices import OrganizationKind, Profession
from tsunagu.organizations.models import Area, Center, Municipality, Organization, Person

PASSWORD = "correct-horse-battery-staple"

CHECKOUT = Path(__file__).resolve().parent
CHECKOUT_KEY = pytest.StashKey[dict]()
# Not the checkout's own files: tools' caches, the virtualenv, and the browser tests' failure
# screenshots, which are kept there on purpose (e2e/conftest.py).
NOT_CHECKOUT = {
    ".git",
    ".venv",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".mypy_cache",
    ".hypothesis",
    "test-artifacts",
}


def pytest_configure(config):
    """Uploads of the whole run go to a temporary folder, also outside any test (session
    fixtures, the live server); each test then gets its own (`fast_and_isolated`)."""
    from django.conf import settings

    media = tempfile.mkdtemp(prefix="tsunagu-test-media-")
    settings.MEDIA_ROOT = Path(media)
    config.add_cleanup(lambda: shutil.rmtree(media, ignore_errors=True))


def checkout_files(root: Path = CHECKOUT) -> dict[str, tuple[int, int]]:
    """Every file of the checkout, with its size and modification time."""
    files = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d not in NOT_CHECKOUT and not d.endswith(".egg-info")]
        for name in names:
            path = os.path.join(folder, name)
            try:
                stat = os.stat(path)
            except FileNotFoundError:  # removed while walking
                continue
            files[os.path.relpath(path, root)] = (stat.st_size, stat.st_mtime_ns)
    return files


def checkout_changes(before: dict, after: dict) -> list[str]:
    """What happened to the checkout between two `checkout_files` readings, one line a file."""
    changes = [
        f"{'作成' if path not in before else '変更'}: {path}"
        for path, stat in after.items()
        if before.get(path) != stat
    ]
    changes += [f"削除: {path}" for path in before if path not in after]
    return sorted(changes)


def is_xdist_worker(config) -> bool:
    return hasattr(config, "workerinput")


def pytest_sessionstart(session):
    # Read once, by the process that outlives all the others (the controller under xdist).
    if not is_xdist_worker(session.config):
        session.config.stash[CHECKOUT_KEY] = checkout_files()


def pytest_sessionfinish(session, exitstatus):
    """Fails the run if it created, changed or removed a file in the checkout: tests write
    only into temporary folders, so that a run never leaves uploads or data behind."""
    before = session.config.stash.get(CHECKOUT_KEY, None)
    if before is None:
        return
    changes = checkout_changes(before, checkout_files())
    if not changes:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.ensure_newline()
        reporter.write_sep("=", "テストがチェックアウト内のファイルを変えました", red=True)
        for line in changes:
            reporter.write_line(f"  {line}", red=True)
    if session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def fast_and_isolated(settings, tmp_path):
    """Uploads (and imports waiting for their confirm step) go to a temporary folder;
    passwords use a fast hash (Argon2 is tested on its own in accounts/tests/test_login.py,
    and is what production uses). Text-mining jobs run in the test's own process instead of
    a separate one. No schedule table kept by an earlier test is shown: after a rollback, ids
    and so the tables' versions repeat."""
    from tsunagu.reports import kept_tables

    kept_tables.forget()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.UPLOAD_STAGING_DIR = tmp_path / "staging"
    settings.MINING_INLINE = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_case_content_in_email(settings):
    """Every message a test sends is scanned for case content (notifications/tests/mailcheck)."""
    settings.EMAIL_BACKEND = "tsunagu.notifications.tests.mailcheck.CheckingBackend"
    mailcheck.LEAKS.clear()
    yield
    leaked, mailcheck.LEAKS[:] = list(mailcheck.LEAKS), []
    assert leaked == [], "case content in an email"


@pytest.fixture
def pdf_layouts(monkeypatch) -> list[int]:
    """One item per big PDF laid out (tsunagu.lib.pdf_layout), to tell a kept one from new."""
    from tsunagu.lib import pdf_layout

    layouts: list[int] = []
    lay_out = pdf_layout.pdf_in_child

    def counted(html: str) -> bytes:
        layouts.append(1)
        return lay_out(html)

    monkeypatch.setattr(pdf_layout, "pdf_in_child", counted)
    return layouts


@pytest.fixture
def municipality(db):
    return Municipality.objects.create(code="129909", name="松風テスト市", prefecture="12")


@pytest.fixture
def other_municipality(db):
    return Municipality.objects.create(code="139904", name="小川平テスト市", prefecture="13")


@pytest.fixture
def area(municipality):
    return Area.objects.create(municipality=municipality, name="明第1", sort_order=1)


@pytest.fixture
def center(municipality, area):
    return Center.objects.create(
        municipality=municipality, name="明第1地域包括支援センター", area=area
    )


@pytest.fixture
def organization(municipality, area):
    return Organization.objects.create(
        municipality=municipality,
        name="ケアプランあさがお",
        kind=OrganizationKind.HOME_CARE_SUPPORT,
        area=area,
    )


@pytest.fixture
def person(municipality, organization):
    return Person.objects.create(
        municipality=municipality,
        name="佐藤 陽子",
        furigana="サトウ ヨウコ",
        profession=Profession.CARE_MANAGER,
        organization=organization,
    )


@pytest.fixture
def other_area(other_municipality):
    return Area.objects.create(municipality=other_municipality, name="中央")


@pytest.fixture
def other_rows(other_municipality, other_area):
    """One row of each directory kind in the other municipality."""
    center = Center.objects.create(
        municipality=other_municipality, name="中央センター", area=other_area, is_core=True
    )
    org = Organization.objects.create(
        municipality=other_municipality, name="他市の事業所", kind=OrganizationKind.PHARMACY
    )
    person = Person.objects.create(
        municipality=other_municipality,
        name="他市 太郎",
        furigana="タシ タロウ",
        profession=Profession.PHARMACIST,
    )
    return {"area": other_area, "center": center, "organization": org, "person": person}


def make_user(username, *memberships):
    user = User.objects.create_user(username=username, password=PASSWORD, full_name=username)
    for municipality, role, center in memberships:
        Membership.objects.create(user=user, municipality=municipality, role=role, center=center)
    if any(role in (Role.CITY_ADMIN, Role.CORE_CENTER) for _, role, _ in memberships):
        # These roles must use two-factor authentication (settings.TOTP_REQUIRED_ROLES);
        # a test computes a code with tsunagu.lib.security.totp(user.totp_secret).
        from django.utils import timezone

        from tsunagu.lib.security import new_totp_secret

        user.totp_secret = new_totp_secret()
        user.totp_confirmed_at = timezone.now()
        user.save(update_fields=["totp_secret", "totp_confirmed_at"])
    return user


def logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def city_admin(municipality):
    return make_user("city_admin", (municipality, Role.CITY_ADMIN, None))


@pytest.fixture
def center_staff(municipality, center):
    return make_user("center_staff", (municipality, Role.CENTER_STAFF, center))


@pytest.fixture
def viewer(municipality):
    return make_user("viewer", (municipality, Role.VIEWER, None))


@pytest.fixture
def outsider(other_municipality):
    return make_user("outsider", (other_municipality, Role.CITY_ADMIN, None))


@pytest.fixture
def stranger(db):
    return make_user("stranger")


@pytest.fixture
def city_client(client, city_admin):
    return logged_in(client, city_admin)


@pytest.fixture
def staff_client(client, center_staff):
    return logged_in(client, center_staff)


@pytest.fixture
def viewer_client(client, viewer):
    return logged_in(client, viewer)


@pytest.fixture
def outsider_client(client, outsider):
    return logged_in(client, outsider)


@pytest.fixture
def stranger_client(client, stranger):
    return logged_in(client, stranger)


def run_queued_tasks() -> int:
    """Run every task waiting in the database queue, in this process and transaction, as
    `manage.py run_worker` would. Returns how many ran."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    ran = 0
    while (row := DBTaskResult.objects.ready().first()) is not None:
        row.claim("test")
        worker.run_task(row)
        ran += 1
    return ran


def make_superuser(username="root"):
    """A system administrator, with the two-factor authentication every superuser must use."""
    from django.utils import timezone

    from tsunagu.lib.security import new_totp_secret

    user = User.objects.create_superuser(username, password=PASSWORD)
    user.totp_secret = new_totp_secret()
    user.totp_confirmed_at = timezone.now()
    user.save(update_fields=["totp_secret", "totp_confirmed_at"])
    return user
