"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live_server.

Nothing is downloaded: the browser is /usr/bin/chromium, and every test fails if a page
asks any host but the live server for anything (the system runs on closed networks).
"""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright

from tsunagu.accounts import services as account_services
from tsunagu.accounts.models import Membership, Role, User
from tsunagu.accounts.twofactor import DEMO_TOTP_SECRET, is_required
from tsunagu.demo.accounts import DEMO_PASSWORD, load_accounts
from tsunagu.demo.cases import load_cases
from tsunagu.demo.directory import load_directory
from tsunagu.demo.meetings import load_meetings
from tsunagu.lib.security import totp

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the item, so that `page` can tell whether the test failed.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="package")
def browser():
    # Package scope, not session: while Playwright runs, its event loop counts as running in
    # this thread, and Django refuses database calls "from async context". The override is
    # lifted again with the browser, so the rest of the suite keeps Django's safety check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()
    playwright.stop()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def demo(transactional_db, settings):
    # The live server's threads need committed rows, hence transactional_db; it empties the
    # tables after each test, so the demo data is loaded anew for each one. A fast hasher
    # keeps the eight demo logins from costing seconds of Argon2 per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_directory()
    load_accounts()
    # The roles that must use two-factor authentication (shi, kikan, ogawa) have the published
    # demo key; a no-op once load_accounts gives it to them itself.
    for user in User.objects.filter(totp_confirmed_at__isnull=True):
        if is_required(user):
            account_services.enable_two_factor(user=user, secret=DEMO_TOTP_SECRET, by=None)


@pytest.fixture
def meetings(demo):
    """The demo's meetings and cases on top of the directory and accounts, as load_demo does."""
    admins = {
        m.municipality.code: m.user
        for m in Membership.objects.filter(role=Role.CITY_ADMIN).select_related(
            "municipality", "user"
        )
    }
    load_meetings(admins)
    load_cases()


@pytest.fixture
def requests_seen():
    """URLs of every request made by the page, for the closed-network check."""
    return []


@pytest.fixture
def page(browser, live_server, demo, requests_seen, request):
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(5_000)  # a broken page should fail fast, not after 30 s
    page = context.new_page()
    page.on("request", lambda r: requests_seen.append(r.url))
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]", "_", request.node.name)  # parametrised ids hold [ ] / etc.
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
    context.close()
    # Every journey obeys the closed-network rule, not only the test that is about it.
    assert_only_live_server(requests_seen, live_server)


def outside_requests(urls, live_server):
    """The URLs that went to any host but the live server (inline data: and blob: are local)."""
    allowed = urlsplit(live_server.url).netloc
    return [
        url
        for url in urls
        if urlsplit(url).scheme not in ("data", "blob", "about") and urlsplit(url).netloc != allowed
    ]


def assert_only_live_server(urls, live_server):
    outside = outside_requests(urls, live_server)
    assert not outside, (
        f"requests left the live server {urlsplit(live_server.url).netloc}: {outside}"
    )


def current_code(username):
    """The code an authenticator app holding the user's key shows now."""
    return totp(User.objects.get(username=username).totp_secret)


def login(page, live_server, username, password=DEMO_PASSWORD):
    page.goto(f"{live_server.url}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="ログイン").click()
    if User.objects.get(username=username).has_two_factor:
        page.wait_for_url(f"{live_server.url}/login/code/")  # the second step
        page.locator("#id_code").fill(current_code(username))
        page.get_by_role("button", name="確認").click()
    page.wait_for_url(f"{live_server.url}/")  # LOGIN_REDIRECT_URL is the dashboard
