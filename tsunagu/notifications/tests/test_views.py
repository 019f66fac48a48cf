"""The in-app list, marking read, the count in the header and the preferences page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import logged_in, make_user
from tsunagu.accounts.models import Role
from tsunagu.lib.wareki import format_wareki
from tsunagu.notifications import services
from tsunagu.notifications.models import Delivery, Kind, Notification, Preference
from tsunagu.organizations.models import Person

pytestmark = pytest.mark.django_db


def note(person, key="meeting:1", subject="会議のご案内: 地域ケア会議"):
    return services.notify(
        person=person, kind=Kind.INVITATION, key=key, subject=subject, body="本文", link="/"
    )


@pytest.fixture
def viewer_with_person(viewer, person):
    viewer.memberships.update(person=person)
    return viewer


def test_it_lists_the_persons_notifications_with_the_count_in_the_header(
    client, viewer_with_person, person
):
    note(person, "a", "一つめのお知らせ")
    note(person, "b", "二つめのお知らせ")
    page = logged_in(client, viewer_with_person).get(reverse("notifications:notification_list"))
    html = page.content.decode()
    assert "一つめのお知らせ" in html and "二つめのお知らせ" in html
    # When each came, in 和暦 as every date on the site.
    sent = timezone.localtime(Notification.objects.first().created_at)
    assert f"{format_wareki(sent.date())} {sent:%H:%M}" in html
    assert f"{sent:%Y-%m-%d}" not in html
    assert '<span class="badge">2<span class="visually-hidden">件の未読</span>' in html


def test_a_read_only_member_marks_their_own_notification_read(client, viewer_with_person, person):
    first = note(person, "a")
    note(person, "b")
    client = logged_in(client, viewer_with_person)
    response = client.post(reverse("notifications:notification_read", args=[first.pk]))
    assert response.status_code == 302 and response.url == "/"
    first.refresh_from_db()
    assert first.read_at is not None and services.unread_count(person.pk) == 1
    client.post(reverse("notifications:notification_read_all"))
    assert services.unread_count(person.pk) == 0


def test_someone_elses_notification_is_not_found(
    client, viewer_with_person, municipality, other_municipality
):
    colleague = Person.objects.create(
        municipality=municipality, name="同僚", furigana="ドウリョウ", profession="nurse"
    )
    stranger = Person.objects.create(
        municipality=other_municipality, name="他市", furigana="タシ", profession="nurse"
    )
    client = logged_in(client, viewer_with_person)
    for other in (note(colleague), note(stranger)):
        assert (
            client.post(reverse("notifications:notification_read", args=[other.pk])).status_code
            == 404
        )
        other.refresh_from_db()
        assert other.read_at is None


def test_another_municipalitys_member_does_not_see_the_list(client, person, other_municipality):
    note(person, "a", "内市のお知らせ")
    outsider = make_user("outsider-with-person", (other_municipality, Role.VIEWER, None))
    html = (
        logged_in(client, outsider).get(reverse("notifications:notification_list")).content.decode()
    )
    assert "内市のお知らせ" not in html and "名簿の人と結び付いていない" in html


def test_a_member_chooses_per_kind_how_emails_come(client, viewer_with_person, person):
    client = logged_in(client, viewer_with_person)
    assert (
        "メールの受け取り方"
        in client.get(reverse("notifications:notification_preferences")).content.decode()
    )
    choices = {kind.value: Delivery.IMMEDIATE for kind in Kind}
    choices[Kind.REMINDER] = Delivery.OFF
    choices[Kind.ISSUE_MOVED] = Delivery.DAILY
    response = client.post(reverse("notifications:notification_preferences"), choices)
    assert response.status_code == 302
    saved = dict(Preference.objects.filter(person=person).values_list("kind", "delivery"))
    assert saved[Kind.REMINDER] == Delivery.OFF and saved[Kind.ISSUE_MOVED] == Delivery.DAILY


def test_a_made_up_choice_is_refused(client, viewer_with_person):
    client = logged_in(client, viewer_with_person)
    response = client.post(
        reverse("notifications:notification_preferences"), {Kind.REMINDER: "weekly"}
    )
    assert response.status_code == 200 and not Preference.objects.exists()


def test_the_list_needs_a_login(client, db):
    response = client.get(reverse("notifications:notification_list"))
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_the_city_sets_reminder_days_per_body(city_client, municipality, other_municipality):
    from tsunagu.meetings.models import MeetingType
    from tsunagu.notifications.models import ReminderSetting

    def body(owner, name):
        return MeetingType.objects.create(
            municipality=owner, name=name, category="individual", level="center", host="city"
        )

    ours = body(municipality, "自立支援型個別ケア会議")
    body(other_municipality, "他市の会議")
    page = city_client.get(reverse("notifications:notification_reminder_settings")).content.decode()
    assert "自立支援型個別ケア会議" in page and "他市の会議" not in page
    response = city_client.post(
        reverse("notifications:notification_reminder_settings"), {f"body_{ours.pk}": 5}
    )
    assert response.status_code == 302
    assert ReminderSetting.objects.get().meeting_type == ours
    assert ReminderSetting.objects.get().days_before == 5
    refused = city_client.post(
        reverse("notifications:notification_reminder_settings"), {f"body_{ours.pk}": 99}
    )
    assert "60日以内で入力してください" in refused.content.decode()


def test_a_viewer_may_not_set_reminder_days(viewer_client):
    assert (
        viewer_client.get(reverse("notifications:notification_reminder_settings")).status_code
        == 403
    )
