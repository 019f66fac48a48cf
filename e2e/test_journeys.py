"""Journeys through the demo data in a real browser, the way staff of a municipality use it."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tsunagu.demo.accounts import DEMO_PASSWORD
from tsunagu.organizations.models import Organization, Person

from .conftest import assert_only_live_server, current_code, login

pytestmark = pytest.mark.browser

MATSUKAZE = "129909"


def stat(page, label):
    return page.locator(".stat-cards li", has_text=label).locator(".stat-number")


def test_it_shows_the_city_dashboard_and_the_core_center(page, live_server):
    login(page, live_server, "shi")
    expect(page.locator("h1")).to_have_text("松風市 ダッシュボード")
    expect(stat(page, "日常生活圏域")).to_have_text("15")
    expect(stat(page, "地域包括支援センター")).to_have_text("16")
    # The other two cards must also show what is in the database, not a placeholder.
    expect(stat(page, "関係機関・事業所")).to_have_text(
        str(Organization.objects.filter(municipality__code=MATSUKAZE).count())
    )
    expect(stat(page, "名簿の人数")).to_have_text(
        str(Person.objects.filter(municipality__code=MATSUKAZE).count())
    )

    stat(page, "地域包括支援センター").click()  # each card links to its list
    expect(page.locator("h1")).to_have_text("地域包括支援センター")
    core = page.locator("#results tbody tr", has_text="松風市基幹型地域包括支援センター")
    expect(core.locator(".badge")).to_have_text("基幹型")
    # Only the one 基幹型 center carries the badge.
    expect(page.locator("#results .badge.core")).to_have_count(1)


def test_it_filters_people_as_you_type_without_reloading(page, live_server):
    login(page, live_server, "shi")
    page.goto(f"{live_server.url}/people/")
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(25)  # a full first page (PAGE_SIZE) before the search
    # A full page load would lose both the window property and the <h1> node.
    page.evaluate("window.__sameDocument = true; window.__heading = document.querySelector('h1')")

    with page.expect_request(
        lambda r: parse_qs(urlsplit(r.url).query).get("q") == ["さとう"]
    ) as search:
        page.locator("#q").press_sequentially("さとう")
    assert search.value.headers.get("hx-request") == "true"

    # hiragana finds katakana ふりがな; every row shown is a 佐藤.
    expect(rows.filter(has_not_text=re.compile("佐藤|サトウ"))).to_have_count(0)
    expect(rows.first).to_be_visible()
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("q") == ["さとう"])
    assert page.evaluate(
        "window.__sameDocument === true && document.querySelector('h1') === window.__heading"
    )


def test_it_switches_the_adviser_to_the_other_municipality(page, live_server):
    login(page, live_server, "jogen")
    expect(page.locator("h1")).to_have_text("松風市 ダッシュボード")
    switcher = page.locator("#membership-switch")
    switcher.select_option(switcher.locator("option", has_text="小川平市").get_attribute("value"))
    page.get_by_role("button", name="切替").click()
    expect(page.locator("h1")).to_have_text("小川平市 ダッシュボード")
    expect(stat(page, "日常生活圏域")).to_have_text("5")  # 小川平市's own areas, not 松風市's


def test_it_offers_no_new_button_to_a_viewer(page, live_server):
    login(page, live_server, "etsuran")
    page.goto(f"{live_server.url}/organizations/")
    expect(page.locator("h1")).to_have_text("関係機関・事業所")  # the page itself did load
    expect(page.locator("#results tbody tr").first).to_be_visible()
    expect(page.get_by_text("新規登録")).to_have_count(0)


def test_it_keeps_a_wrong_password_on_the_login_page(page, live_server):
    page.goto(f"{live_server.url}/login/")
    page.locator("#id_username").fill("shi")
    page.locator("#id_password").fill("wrong-password")
    page.get_by_role("button", name="ログイン").click()
    # The page's own words (issue 16): ログインID, said once.
    expect(page.get_by_role("alert")).to_have_text("ログインIDまたはパスワードが正しくありません。")
    expect(page).to_have_url(f"{live_server.url}/login/")
    expect(page.locator("#id_username")).to_have_value("shi")  # no need to type it again


def test_it_loads_nothing_from_outside_the_live_server(page, live_server, requests_seen):
    login(page, live_server, "shi")
    for path in ["/", "/areas/", "/centers/", "/organizations/", "/members/", "/people/"]:
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("h1")).to_be_visible()
    page.locator("#results tbody a").first.click()  # a person's detail page
    expect(page).to_have_url(re.compile(r"/people/\d+/$"))
    page.goto(f"{live_server.url}/people/?q=さとう")
    # The pages did load their CSS and scripts, all from the live server.
    assert any(url.endswith("htmx.min.js") for url in requests_seen)
    assert any(url.endswith("tsunagu.css") for url in requests_seen)
    assert_only_live_server(requests_seen, live_server)


def test_it_logs_out_from_the_header(page, live_server):
    login(page, live_server, "shi")
    page.get_by_role("button", name="ログアウト").click()
    expect(page).to_have_url(f"{live_server.url}/login/")
    expect(page.locator("h1")).to_have_text("ログイン")
    page.goto(f"{live_server.url}/")  # the session is really gone
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))


def test_it_logs_in_with_the_keyboard_alone(page, live_server):
    page.goto(f"{live_server.url}/login/")
    username = page.locator("#id_username")
    # Django's login form autofocuses the username, so the first Tab would land on the
    # password. Step backwards out of the page; the next Tab enters it at its first stop.
    expect(username).to_be_focused()
    for _ in range(5):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement === document.body"):
            break
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="本文へ移動")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["x"] >= 0  # shown on screen once focused, not left at -9999px
    for _ in range(5):  # past the header's links, whatever they are
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_username":
            break
    expect(username).to_be_focused()
    page.keyboard.type("shi")
    page.keyboard.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    # shi is a 市職員: two-factor authentication, with the code field focused for typing.
    expect(page.locator("h1")).to_have_text("確認コードの入力")
    expect(page.locator("#id_code")).to_be_focused()
    page.keyboard.type(current_code("shi"))
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("松風市 ダッシュボード")


def test_it_breaks_no_rule_of_the_content_security_policy(page, live_server):
    violations = []
    page.on(
        "console",
        lambda m: violations.append(f"{page.url}: {m.text}") if m.text.startswith("CSP:") else None,
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.log("
        "'CSP:', e.violatedDirective, e.blockedURI, e.sourceFile, e.lineNumber))"
    )
    login(page, live_server, "shi")
    for path in ["/", "/people/", "/members/", "/calendar/", "/reports/schedule/", "/account/2fa/"]:
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("h1")).to_be_visible()
    page.goto(f"{live_server.url}/people/")
    page.locator("#q").press_sequentially("さとう")  # an htmx swap
    expect(page.locator("#results tbody tr").first).to_contain_text(re.compile("佐藤|サトウ"))
    assert violations == []
