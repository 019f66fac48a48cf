"""A form completed with the keyboard alone (JIS X 8341-3 / WCAG 2.1.1 and 2.4.7): every
stop on the way shows where the focus is, and what was typed is saved."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tsunagu.meetings.models import Meeting

from .checks import focus_is_visible
from .conftest import login

pytestmark = pytest.mark.browser

CENTER = "明第1地域包括支援センター"


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {tag: el.tagName.toLowerCase(), name: el.name || "", type: el.type || "",
                    text: (el.innerText || el.value || "").trim().slice(0, 40),
                    selected: el.tagName === "SELECT" ? el.selectedOptions[0]?.text : null};
        }"""
    )


def choose(page, label):
    """Pick an option of the focused <select> with the arrow keys, as a keyboard user does."""
    for _ in range(60):
        if focused(page)["selected"] == label:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no option {label!r} in {focused(page)}")


def test_it_schedules_a_meeting_with_the_keyboard_alone(page, live_server, meetings):
    day = timezone.localdate() + datetime.timedelta(days=20)
    fields = {
        "meeting_type": lambda: choose(page, "地域個別ケア会議"),
        "center": lambda: choose(page, CENTER),
        "date": lambda: page.keyboard.type(day.isoformat()),
        "start_time": lambda: page.keyboard.type("1400"),
        "end_time": lambda: page.keyboard.type("1530"),
        "venue": lambda: page.keyboard.type("明第1地区 地域会館 和室"),
        "format": lambda: choose(page, "一部オンライン"),
        "theme": lambda: page.keyboard.type("キーボードだけで登録した会議"),
    }
    login(page, live_server, "center")
    page.goto(f"{live_server.url}/meetings/new/")
    expect(page.locator("h1")).to_have_text("会議の登録")

    # From the top of the page: the skip link, the header, the menus, then the form.
    stops, done = [], set()
    for _ in range(80):
        page.keyboard.press("Tab")
        now = focused(page)
        stops.append(now)
        assert focus_is_visible(page), f"no visible focus on {now}"
        if now["name"] in fields and now["name"] not in done:
            fields[now["name"]]()
            done.add(now["name"])
        if now["tag"] == "button" and now["text"] == "保存":
            break
    else:
        raise AssertionError(f"never reached the save button: {stops}")
    assert stops[0]["text"] == "本文へ移動", stops[0]  # the first stop skips to the content
    assert done == set(fields), f"not reached by Tab: {set(fields) - done}"

    # Back one stop to the last field, and forward again: the order is the form's order.
    page.keyboard.press("Shift+Tab")
    assert focused(page)["name"] == "joint_meeting_types"  # the last field: 合同開催の会議体
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "保存"
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    expect(page.get_by_text("を保存しました。")).to_be_visible()
    meeting = Meeting.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    assert meeting.meeting_type.name == "地域個別ケア会議"
    assert meeting.center.name == CENTER
    assert meeting.date == day
    assert (meeting.start_time, meeting.end_time) == (datetime.time(14, 0), datetime.time(15, 30))
    assert meeting.venue == "明第1地区 地域会館 和室"
    assert meeting.format == "hybrid"
    assert meeting.theme == "キーボードだけで登録した会議"
