"""Two people editing the same meeting through its pages: the later save is refused with a
message naming what changed, and the page keeps what was typed."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import logged_in, make_user
from tsunagu.accounts.models import Role
from tsunagu.audit.models import AuditEntry
from tsunagu.meetings.models import Meeting

REFUSED = "他の人が先に保存したため、保存しませんでした。変更された項目: "
AGAIN = "内容を確かめてから、もう一度保存してください。"


def fingerprint_on(response) -> str:
    found = re.findall(r'name="fingerprint" value="([^"]*)"', response.content.decode())
    assert len(found) == 1 and found[0]
    return found[0]


@pytest.fixture
def meeting(body, center):
    return Meeting.objects.create(
        municipality=center.municipality,
        meeting_type=body,
        center=center,
        date=timezone.localdate() - datetime.timedelta(days=7),
        venue="第1会議室",
    )


@pytest.fixture
def a(center_staff):
    return logged_in(Client(), center_staff)


@pytest.fixture
def b(municipality, center):
    return logged_in(Client(), make_user("staff_b", (municipality, Role.CENTER_STAFF, center)))


def details(meeting, **changes):
    return {
        "meeting_type": meeting.meeting_type_id,
        "center": meeting.center_id,
        "date": meeting.date.isoformat(),
        "start_time": "",
        "end_time": "",
        "venue": meeting.venue,
        "format": meeting.format,
        "theme": meeting.theme,
        **changes,
    }


def test_the_later_save_of_the_details_is_refused_and_keeps_what_was_typed(meeting, a, b):
    url = reverse("meetings:meeting_edit", args=[meeting.pk])
    seen_by_a = fingerprint_on(a.get(url))
    seen_by_b = fingerprint_on(b.get(url))
    assert seen_by_a == seen_by_b
    saved = b.post(url, details(meeting, venue="第2会議室", fingerprint=seen_by_b))
    assert saved.status_code == 302

    refused = a.post(url, details(meeting, theme="Aさんのテーマ", fingerprint=seen_by_a))
    body = refused.content.decode()
    assert refused.status_code == 200
    assert REFUSED + "会場。" + AGAIN in body
    assert 'value="Aさんのテーマ"' in body  # what A typed is still in the form
    meeting.refresh_from_db()
    assert (meeting.venue, meeting.theme) == ("第2会議室", "")
    assert AuditEntry.objects.filter(action="meeting.updated").count() == 1


def test_the_later_save_of_the_minutes_is_refused_then_saved_knowingly(meeting, a, b):
    url = reverse("meetings:meeting_minutes", args=[meeting.pk])
    seen_by_a = fingerprint_on(a.get(url))
    b.post(
        url,
        {"minutes": "Bさんの議事録", "decisions": "", "fingerprint": fingerprint_on(b.get(url))},
    )

    typed = {"minutes": "Aさんの議事録", "decisions": "見守りを続ける", "fingerprint": seen_by_a}
    refused = a.post(url, typed)
    body = refused.content.decode()
    assert refused.status_code == 200
    assert REFUSED + "議事録。" + AGAIN in body
    assert "Aさんの議事録" in body and "見守りを続ける" in body
    meeting.refresh_from_db()
    assert meeting.minutes == "Bさんの議事録"

    # The page now carries what is saved: saving again, having looked, goes through.
    again = a.post(url, {**typed, "fingerprint": fingerprint_on(refused)})
    assert again.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.minutes, meeting.decisions) == ("Aさんの議事録", "見守りを続ける")
    assert AuditEntry.objects.filter(action="meeting.minutes_saved").count() == 2


def test_a_save_with_nothing_saved_in_between_goes_through(meeting, a):
    url = reverse("meetings:meeting_minutes", args=[meeting.pk])
    seen = fingerprint_on(a.get(url))
    response = a.post(url, {"minutes": "事例を検討した", "decisions": "", "fingerprint": seen})
    assert response.status_code == 302
