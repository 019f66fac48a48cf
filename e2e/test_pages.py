"""Every main page, for each role that sees it (pages.PAGES), checked in a real browser:

- accessibility (JIS X 8341-3:2016, i.e. WCAG 2.0, level AA): axe-core finds no violation of
  its WCAG 2.0 A and AA rules; every form control has a label; the page says it is Japanese;
- reflow: at 200% zoom the page does not scroll sideways (a wide table may, in its own box);
- closed network: the page asks nothing of any host but the site itself.

One login per role and one visit per page keeps this fast; the problems of all pages are
gathered and reported together, each under its page.
"""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from playwright.sync_api import expect

from tsunagu import errors
from tsunagu.demo.accounts import DEMO_PASSWORD
from tsunagu.demo.centerwork import load_centerwork
from tsunagu.demo.issues import load_issues
from tsunagu.demo.prefecture import load_prefecture
from tsunagu.demo.resources import load_resources

from . import pages
from .checks import page_problems
from .conftest import ARTIFACTS, assert_only_live_server, login, outside_requests

pytestmark = pytest.mark.browser


@pytest.fixture
def ids(meetings, request):
    load_issues()
    load_resources()
    load_prefecture()
    # A year of center records takes a while to load: only for the roles that visit them.
    role = request.node.callspec.params.get("role")
    if any("/business/" in str(entry) for entry in pages.PAGES.get(role, [])):
        load_centerwork()
    found = pages.demo_ids()
    # The 市職員 has signed for the demo's meetings, so that it sees their content pages.
    pages.sign_pledges("shi", [found["held"], found["upcoming"]])
    return found


def open_special(page, live_server, name):
    """Reach a page that is not a plain GET; return the URL it is at."""
    if name == pages.LOGIN_CODE:
        page.goto(f"{live_server.url}/login/")
        page.locator("#id_username").fill("shi")
        page.locator("#id_password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="ログイン").click()
        page.wait_for_url(f"{live_server.url}/login/code/")
        return page.url
    # 400 and 500 cannot be caused on purpose from a browser: the site's own handlers render
    # them here, and the browser receives them at an address of the live server.
    status = {pages.ERROR_400: 400, pages.ERROR_500: 500}[name]
    request = RequestFactory().get(f"/error-{status}/")
    request.user = AnonymousUser()
    handler = errors.bad_request if status == 400 else errors.server_error
    body = handler(request).content
    url = f"{live_server.url}/__error-{status}__/"
    page.route(url, lambda route: route.fulfill(status=status, body=body, content_type="text/html"))
    page.goto(url)
    return url


@pytest.mark.parametrize("role", list(pages.PAGES))
def test_every_main_page_is_accessible_and_stays_on_the_site(
    role, page, live_server, ids, requests_seen
):
    if role != "anonymous":
        login(page, live_server, role)
    problems = {}
    for entry in pages.PAGES[role]:
        seen_before = len(requests_seen)
        path, status = entry if isinstance(entry, tuple) else (entry, 200)
        if path in (pages.LOGIN_CODE, pages.ERROR_400, pages.ERROR_500):
            url = open_special(page, live_server, path)
        else:
            url = live_server.url + path.format(**ids)
            response = page.goto(url)
            assert response.status == status, f"{url}: HTTP {response.status}, not {status}"
        expect(page.locator("h1")).to_have_count(1)  # loaded, and one main heading
        found = page_problems(page) + [
            f"request outside: {u}"
            for u in outside_requests(requests_seen[seen_before:], live_server)
        ]
        if found:
            problems[f"{path} ({url})"] = found
            ARTIFACTS.mkdir(exist_ok=True)
            name = re.sub(r"[^\w.-]", "_", f"{role}{path}")
            page.screenshot(path=ARTIFACTS / f"pages-{name}.png", full_page=True)
    assert not problems, "\n".join(
        f"{where}:\n" + "\n".join(f"  - {p}" for p in found) for where, found in problems.items()
    )
    assert_only_live_server(requests_seen, live_server)


def test_the_checks_find_what_they_look_for(page, live_server, demo, requests_seen):
    """The page checks are not vacuous: each finds a fault planted in a real page."""
    page.goto(f"{live_server.url}/login/")
    assert page_problems(page) == []
    # Requests to another host are stopped here, before they leave the machine.
    page.route("http://outside.invalid/**", lambda route: route.abort())
    page.evaluate(
        """() => {
            document.documentElement.lang = "en";
            document.querySelector("main").insertAdjacentHTML("beforeend",
                '<input id="planted-input"><img src="http://outside.invalid/logo.png">' +
                '<pre id="planted-wide">' + "x".repeat(300) + '</pre>');
        }"""
    )
    page.wait_for_timeout(100)  # the image's request is made asynchronously
    found = "\n".join(page_problems(page))
    assert "axe label" in found and "axe image-alt" in found, found
    assert "no label: input[name=?]#planted-input" in found, found
    assert '<html lang="en">' in found, found
    assert "scrolls sideways at 200% zoom" in found and "pre#planted-wide" in found, found
    assert outside_requests(requests_seen, live_server) == ["http://outside.invalid/logo.png"]
    requests_seen.clear()  # planted on purpose; the fixture's own check would fail the test
