"""Every main page, for each role that sees it (pages.PAGES), on a 375 px phone, a 768 px
tablet and a 1280 px desktop window: the page itself never scrolls sideways
(`document.documentElement.scrollWidth <= window.innerWidth`; a wide table scrolls in its own
box) and axe-core still finds no WCAG 2.0 A/AA violation at that width.

The demo is loaded once; each role logs in once in its own browser context and visits its
pages at each width. The problems of all pages are gathered and reported together.
"""

import re

import pytest
from playwright.sync_api import expect

from tsunagu.demo.centerwork import load_centerwork
from tsunagu.demo.issues import load_issues
from tsunagu.demo.prefecture import load_prefecture
from tsunagu.demo.resources import load_resources

from . import pages
from .checks import axe_violations, sideways_problems
from .conftest import ARTIFACTS, assert_only_live_server, login
from .test_pages import open_special

pytestmark = pytest.mark.browser

WIDTHS = (375, 768, 1280)
HEIGHT = 800


@pytest.fixture
def all_ids(meetings):
    load_issues()
    load_resources()
    load_prefecture()
    load_centerwork()
    found = pages.demo_ids()
    pages.sign_pledges("shi", [found["held"], found["upcoming"]])
    return found


def check_here(page, problems, role, width, label):
    found = sideways_problems(page) + axe_violations(page)
    if found:
        problems[f"{role} at {width} px: {label}"] = found
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]", "_", f"{role}-{width}{label}")
        page.screenshot(path=ARTIFACTS / f"small-{name}.png", full_page=True)


def test_no_page_scrolls_sideways_at_phone_tablet_and_desktop_widths(browser, live_server, all_ids):
    problems: dict[str, list[str]] = {}
    requests_seen: list[str] = []
    for role, entries in pages.PAGES.items():
        context = browser.new_context(
            locale="ja-JP", viewport={"width": WIDTHS[-1], "height": HEIGHT}
        )
        context.set_default_timeout(5_000)
        page = context.new_page()
        page.on("request", lambda r: requests_seen.append(r.url))
        try:
            if role == "anonymous":
                special = [e for e in entries if e in (pages.ERROR_400, pages.ERROR_500)]
                for width in WIDTHS:
                    page.set_viewport_size({"width": width, "height": HEIGHT})
                    for name in special:
                        open_special(page, live_server, name)
                        check_here(page, problems, role, width, name)
                    page.goto(f"{live_server.url}/login/")
                    check_here(page, problems, role, width, "/login/")
                # Last, as it leaves the context halfway through a login.
                open_special(page, live_server, pages.LOGIN_CODE)
                for width in WIDTHS:
                    page.set_viewport_size({"width": width, "height": HEIGHT})
                    page.reload()
                    check_here(page, problems, role, width, pages.LOGIN_CODE)
                continue
            login(page, live_server, role)
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": HEIGHT})
                for entry in entries:
                    path, status = entry if isinstance(entry, tuple) else (entry, 200)
                    url = live_server.url + path.format(**all_ids)
                    response = page.goto(url)
                    assert response.status == status, f"{url}: HTTP {response.status}"
                    if "html" not in response.headers.get("content-type", ""):
                        continue  # a PDF is the browser's viewer, not a page of the site
                    check_here(page, problems, role, width, path)
        finally:
            context.close()
    assert not problems, "\n".join(
        f"{where}:\n" + "\n".join(f"  - {p}" for p in found) for where, found in problems.items()
    )
    assert_only_live_server(requests_seen, live_server)


def test_the_main_menu_folds_into_a_button_on_a_phone(page, live_server):
    """Below 768 px the menu is one button, opened and closed from the keyboard; at 768 px and
    above every link shows as before."""
    login(page, live_server, "shi")
    page.set_viewport_size({"width": 375, "height": HEIGHT})
    menu = page.get_by_role("navigation", name="メインメニュー")
    button = menu.get_by_role("button", name="メニュー")
    meetings_link = menu.get_by_role("link", name="会議", exact=True)
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(meetings_link).to_be_hidden()
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(meetings_link).to_be_visible()
    box = meetings_link.bounding_box()
    assert box is not None and box["height"] >= 44, box  # a finger finds it
    page.keyboard.press("Tab")  # into the menu, then Escape closes it and returns to the button
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    expect(meetings_link).to_be_hidden()
    page.keyboard.press("Space")
    meetings_link.click()
    page.wait_for_url(f"{live_server.url}/meetings/")
    # The new page's menu starts folded, and marks where the user is.
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu.locator('a[aria-current="page"]')).to_have_text("会議")

    page.set_viewport_size({"width": 768, "height": HEIGHT})
    expect(button).to_be_hidden()
    expect(meetings_link).to_be_visible()


def test_the_width_check_finds_what_sticks_out_and_a_wide_table_gets_its_own_box(page, live_server):
    login(page, live_server, "shi")
    page.set_viewport_size({"width": 375, "height": HEIGHT})
    assert sideways_problems(page) == []
    page.evaluate(
        """() => document.querySelector("main").insertAdjacentHTML("beforeend",
            '<pre id="planted-wide">' + "x".repeat(200) + '</pre>')"""
    )
    found = " ".join(sideways_problems(page))
    assert "scrolls sideways at 375 px" in found and "pre#planted-wide" in found, found
    # A table that arrives later (as htmx brings them) is boxed when the window changes size.
    page.evaluate(
        """() => {
            document.getElementById("planted-wide").remove();
            const cells = (tag) => Array.from({length: 30}, (_, i) =>
                `<${tag}${tag === "th" ? ' scope="col"' : ""}>項目${i}</${tag}>`).join("");
            document.querySelector("main").insertAdjacentHTML("beforeend",
                `<h2>植えた表</h2><table id="planted-table">` +
                `<thead><tr>${cells("th")}</tr></thead>` +
                `<tbody><tr>${cells("td")}</tr></tbody></table>`);
        }"""
    )
    page.set_viewport_size({"width": 376, "height": HEIGHT})
    page.set_viewport_size({"width": 375, "height": HEIGHT})
    box = page.locator(".table-scroll:has(#planted-table)")
    expect(box).to_have_attribute("role", "region")
    expect(box).to_have_attribute("aria-label", "植えた表（横にスクロールできる表）")
    expect(box).to_have_attribute("tabindex", "0")
    assert sideways_problems(page) == []
    assert axe_violations(page) == []
    # Wide enough again: the box is no longer a stop for the keyboard.
    page.set_viewport_size({"width": 1280, "height": HEIGHT})
    page.evaluate(
        "document.querySelectorAll('#planted-table th').forEach((th, i) => i > 3 && th.remove())"
    )
    page.evaluate(
        "document.querySelectorAll('#planted-table td').forEach((td, i) => i > 3 && td.remove())"
    )
    page.set_viewport_size({"width": 1279, "height": HEIGHT})
    expect(box).not_to_have_attribute("tabindex", "0")
