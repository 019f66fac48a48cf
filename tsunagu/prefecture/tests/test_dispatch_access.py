"""An accepted adviser reaches that meeting's cases only after signing and inside the window,
and nothing else of the municipality; the prefecture never reaches case content."""

import datetime

from conftest import logged_in
from tsunagu.accounts.models import Membership
from tsunagu.meetings.models import Meeting
from tsunagu.prefecture import services
from tsunagu.tests.url_names import reverse

from .conftest import CASE_TEXT, accepted_dispatch, make_case, make_meeting, sign


def as_adviser(client, adviser, meeting):
    """The adviser's session, acting under the membership of the meeting's municipality."""
    client = logged_in(client, adviser.user)
    membership = Membership.objects.get(user=adviser.user, municipality=meeting.municipality)
    client.post(reverse("accounts:switch_membership"), {"membership": membership.pk})
    return client


def test_a_pending_assignment_gives_no_access(client, prefecture, meeting, adviser, coordinator):
    request = services.request_dispatch(
        meeting=meeting, profession="physiotherapist", by=coordinator
    )
    services.assign(dispatch_request=request, adviser=adviser, by=coordinator)
    client = logged_in(client, adviser.user)
    assert client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).status_code == 403


def test_the_adviser_reads_the_case_only_after_signing(
    client, prefecture, meeting, adviser, coordinator
):
    case = make_case(meeting, "D-1")
    accepted_dispatch(meeting, adviser, by=coordinator)
    client = as_adviser(client, adviser, meeting)
    url = reverse("cases:case_detail", args=[case.pk])
    refused = client.get(url)
    assert refused.status_code == 403 and CASE_TEXT not in refused.content.decode()
    sign(adviser.user, meeting)
    shown = client.get(url)
    assert shown.status_code == 200 and CASE_TEXT in shown.content.decode()


def test_the_adviser_reads_the_case_only_inside_the_window(
    client, prefecture, body, center, adviser, coordinator
):
    later = make_meeting(body, days=30, center=center)
    case = make_case(later, "D-2")
    accepted_dispatch(later, adviser, by=coordinator)
    sign(adviser.user, later)
    client = as_adviser(client, adviser, later)
    url = reverse("cases:case_detail", args=[case.pk])
    assert client.get(url).status_code == 403
    Meeting.objects.filter(pk=later.pk).update(date=later.date - datetime.timedelta(days=27))
    assert client.get(url).status_code == 200


def test_the_adviser_sees_no_other_meeting_or_case_of_the_municipality(
    client, prefecture, body, center, meeting, adviser, coordinator
):
    other = make_meeting(body, days=3, center=center, start=datetime.time(9, 0))
    other_case = make_case(other, "D-3")
    make_case(meeting, "D-4")
    accepted_dispatch(meeting, adviser, by=coordinator)
    sign(adviser.user, meeting)
    sign(adviser.user, other)
    client = as_adviser(client, adviser, meeting)
    assert client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).status_code == 200
    assert client.get(reverse("meetings:meeting_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("cases:case_detail", args=[other_case.pk])).status_code == 404
    listing = client.get(reverse("meetings:meeting_list")).content.decode()
    assert reverse("meetings:meeting_detail", args=[other.pk]) not in listing
    cases = client.get(reverse("cases:case_list")).content.decode()
    assert "D-4" in cases and "D-3" not in cases


def test_after_the_window_the_dispatch_membership_has_expired(
    client, prefecture, meeting, adviser, coordinator
):
    accepted_dispatch(meeting, adviser, by=coordinator)
    membership = Membership.objects.get(user=adviser.user)
    Membership.objects.filter(pk=membership.pk).update(expires_on=datetime.date(2000, 1, 1))
    client = logged_in(client, adviser.user)
    assert client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).status_code == 403


def test_the_adviser_page_lists_the_meeting_the_pledge_and_the_cases(
    client, prefecture, meeting, adviser, coordinator
):
    make_case(meeting, "D-5")
    accepted_dispatch(meeting, adviser, by=coordinator)
    page = logged_in(client, adviser.user).get(reverse("prefecture:adviser_home")).content.decode()
    assert str(meeting.municipality) in page and "未署名" in page and "D-5" in page
    assert CASE_TEXT not in page
    sign(adviser.user, meeting)
    page = client.get(reverse("prefecture:adviser_home")).content.decode()
    assert "署名済み" in page and "いま事例の内容を閲覧できます" in page


def test_prefecture_pages_never_show_case_content(
    client, prefecture, meeting, adviser, coordinator, pref_staff
):
    case = make_case(meeting, "D-6")
    assignment = accepted_dispatch(meeting, adviser, by=coordinator)
    client = logged_in(client, pref_staff)
    for name, args in [
        ("pref_home", []),
        ("pref_request_list", []),
        ("pref_request_detail", [assignment.request_id]),
        ("pref_records", []),
        ("pref_overview", []),
    ]:
        page = client.get(reverse(name, args=args))
        assert page.status_code == 200, name
        assert CASE_TEXT not in page.content.decode(), name
    assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 403
    assert client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).status_code == 403
