"""The prefecture's pages per role, the adviser's own pages, and the municipality's request.

PREFECTURE_POLICY is to prefecture roles what tsunagu/tests/test_authorization_matrix.py is
to municipality roles: (object kind, roles answered 200). Anyone else with a prefecture role
gets 403; another prefecture's object is 404 to everyone.
"""

import pytest
from django.utils import timezone

from conftest import PASSWORD, logged_in, make_user
from tsunagu.audit.models import AuditEntry
from tsunagu.lib.wareki import format_wareki
from tsunagu.prefecture import services
from tsunagu.prefecture.choices import AssignmentStatus, RequestStatus
from tsunagu.prefecture.models import AdviserProfile, Assignment, DispatchRequest, Training
from tsunagu.tests.url_names import reverse

from .conftest import make_adviser, make_meeting

STAFF, COORD, VIEW = "pref_staff", "coordinator", "pref_viewer"
EVERY = {STAFF, COORD, VIEW}
PREFECTURE_POLICY = {
    "pref_home": (None, EVERY),
    "pref_adviser_list": (None, EVERY),
    "pref_adviser_create": (None, {STAFF, COORD}),
    "pref_adviser_edit": ("adviser", {STAFF, COORD}),
    "pref_request_list": (None, EVERY),
    "pref_request_detail": ("request", EVERY),
    "pref_records": (None, EVERY),
    "pref_records_xlsx": (None, EVERY),
    "pref_training_list": (None, EVERY),
    "pref_training_create": (None, {STAFF}),
    "pref_training_detail": ("training", EVERY),
    "pref_overview": (None, {STAFF, VIEW}),
    "pref_member_list": (None, {STAFF}),
}


@pytest.fixture
def world(prefecture, other_prefecture, municipality, other_municipality, body, city_admin):
    """One adviser, request and training in each prefecture."""
    from tsunagu.meetings.models import MeetingType

    other_body = MeetingType.objects.create(
        municipality=other_municipality,
        name="個別会議",
        category="individual",
        level="center",
        host="city",
        handles_personal_info=True,
    )
    rows = {}
    for key, pref, place, meeting_body in [
        ("home", prefecture, municipality, body),
        ("other", other_prefecture, other_municipality, other_body),
    ]:
        meeting = make_meeting(meeting_body)
        rows[key] = {
            "adviser": make_adviser(pref, municipalities=[place]),
            "request": DispatchRequest.objects.create(
                municipality=place, prefecture=pref, meeting=meeting, profession="dietitian"
            ),
            "training": Training.objects.create(
                prefecture=pref, kind="facilitator", title="司会者養成研修", held_on=meeting.date
            ),
        }
    return rows


def url(name, obj):
    return reverse(name, args=[obj.pk]) if obj is not None else reverse(name)


@pytest.mark.parametrize("role", sorted(EVERY))
def test_each_prefecture_role_gets_what_the_policy_says(client, world, prefecture, role):
    from .conftest import pref_user

    # The coordinator coordinates the advisers' association (make_adviser's "テスト県士会").
    client = logged_in(client, pref_user(f"p-{role}", prefecture, role, "テスト県士会"))
    wrong = []
    for name, (kind, ok) in PREFECTURE_POLICY.items():
        home = world["home"][kind] if kind else None
        answer = client.get(url(name, home)).status_code
        if answer != (200 if role in ok else 403):
            wrong.append(f"{name} in scope: {answer}")
        # Every object page looks its row up before deciding on writes: out of scope is 404.
        if kind and client.get(url(name, world["other"][kind])).status_code != 404:
            wrong.append(f"{name} out of scope")
    assert wrong == []


def test_another_prefectures_rows_are_not_found(client, world, other_pref_staff):
    client = logged_in(client, other_pref_staff)
    for name in ("pref_adviser_edit", "pref_request_detail", "pref_training_detail"):
        kind = PREFECTURE_POLICY[name][0]
        assert client.get(url(name, world["home"][kind])).status_code == 404, name


def test_anonymous_users_are_sent_to_login(client, world):
    names = [*PREFECTURE_POLICY, "adviser_home", "adviser_availability"]
    for name in names:
        kind = PREFECTURE_POLICY.get(name, (None,))[0]
        response = client.get(url(name, world["home"][kind] if kind else None))
        assert response.status_code == 302 and response.url.startswith("/login/"), name


def test_municipality_members_are_refused_the_prefecture_pages(client, world, viewer):
    client = logged_in(client, viewer)
    assert client.get(reverse("prefecture:pref_home")).status_code == 403
    assert client.get(url("pref_request_detail", world["home"]["request"])).status_code == 403


def test_the_viewer_cannot_assign_or_withdraw(client, world, prefecture, pref_viewer):
    client = logged_in(client, pref_viewer)
    request = world["home"]["request"]
    adviser = world["home"]["adviser"]
    answer = client.post(
        reverse("prefecture:pref_request_assign", args=[request.pk]), {"adviser": adviser.pk}
    )
    assert answer.status_code == 403
    assert not Assignment.objects.exists()


def test_the_coordinator_assigns_from_the_candidates(client, world, municipality, coordinator):
    request = world["home"]["request"]
    dietitian = make_adviser(
        request.prefecture, profession="dietitian", municipalities=[municipality]
    )
    client = logged_in(client, coordinator)
    page = client.get(reverse("prefecture:pref_request_detail", args=[request.pk])).content.decode()
    assert dietitian.name in page
    response = client.post(
        reverse("prefecture:pref_request_assign", args=[request.pk]), {"adviser": dietitian.pk}
    )
    assert response.status_code == 302
    assert Assignment.objects.get().adviser == dietitian
    request.refresh_from_db()
    assert request.status == RequestStatus.ASSIGNED
    # 依頼日時 and 割当日時 in 和暦, not 2026-...
    page = client.get(reverse("prefecture:pref_request_detail", args=[request.pk])).content.decode()
    for moment in (request.created_at, Assignment.objects.get().assigned_at):
        local = timezone.localtime(moment)
        assert f"{format_wareki(local.date())} {local:%H:%M}" in page
        assert f"{local:%Y-%m-%d}" not in page


def test_the_coordinator_cannot_assign_another_prefectures_adviser(client, world, coordinator):
    request = world["home"]["request"]
    client = logged_in(client, coordinator)
    client.post(
        reverse("prefecture:pref_request_assign", args=[request.pk]),
        {"adviser": world["other"]["adviser"].pk},
    )
    assert not Assignment.objects.exists()


def test_the_coordinator_registers_an_adviser(client, prefecture, town, coordinator):
    client = logged_in(client, coordinator)
    response = client.post(
        reverse("prefecture:pref_adviser_create"),
        {
            "username": "st-ueda",
            "name": "上田 聡",
            "furigana": "うえだ さとし",
            "profession": "speech_therapist",
            "association": "テスト県言語聴覚士会",
            "municipalities": [town.pk],
            "slots": ["0", "5"],
            "monthly_limit": 3,
            "is_active": "on",
        },
    )
    # The association is one the coordinator keeps: another is refused, its own accepted.
    assert response.status_code == 200 and "正しく選択" in response.content.decode()
    assert not AdviserProfile.objects.exists()
    response = client.post(
        reverse("prefecture:pref_adviser_create"),
        {
            "username": "st-ueda",
            "name": "上田 聡",
            "furigana": "うえだ さとし",
            "profession": "speech_therapist",
            "association": "テスト県理学療法士会",
            "municipalities": [town.pk],
            "slots": ["0", "5"],
            "monthly_limit": 3,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()
    adviser = AdviserProfile.objects.get()
    assert adviser.availability == (1 << 0) | (1 << 5)
    assert list(adviser.municipalities.all()) == [town]
    assert adviser.association == "テスト県理学療法士会"


def test_the_coordinator_changes_only_its_own_associations_advisers(
    client, prefecture, municipality, coordinator
):
    own = make_adviser(prefecture, municipalities=[municipality])
    own.association = "テスト県理学療法士会"
    own.save()
    other = make_adviser(prefecture, profession="dietitian", municipalities=[municipality])
    client = logged_in(client, coordinator)
    assert client.get(reverse("prefecture:pref_adviser_edit", args=[own.pk])).status_code == 200
    assert client.get(reverse("prefecture:pref_adviser_edit", args=[other.pk])).status_code == 403
    form = {
        "name": "書き換え",
        "furigana": "かきかえ",
        "profession": "dietitian",
        "association": "テスト県理学療法士会",
        "municipalities": [municipality.pk],
        "monthly_limit": 1,
    }
    assert (
        client.post(reverse("prefecture:pref_adviser_edit", args=[other.pk]), form).status_code
        == 403
    )
    other.refresh_from_db()
    assert other.name != "書き換え"
    page = client.get(reverse("prefecture:pref_adviser_list")).content.decode()
    assert reverse("prefecture:pref_adviser_edit", args=[own.pk]) in page
    assert reverse("prefecture:pref_adviser_edit", args=[other.pk]) not in page
    assert other.name in page  # still seen in the pool, for assigning


def test_a_council_coordinates_the_advisers_of_its_member_associations(
    client, prefecture, municipality
):
    from .conftest import pref_user

    council = pref_user(
        "council", prefecture, "coordinator", "テスト県リハビリテーション専門職協議会"
    )
    council.prefecture_memberships.update(
        member_associations="テスト県理学療法士会\nテスト県作業療法士会"
    )
    pt = make_adviser(prefecture, municipalities=[municipality])
    pt.association = "テスト県理学療法士会"
    pt.save()
    dietitian = make_adviser(prefecture, profession="dietitian")
    dietitian.association = "テスト県栄養士会"
    dietitian.save()
    client = logged_in(client, council)
    assert client.get(reverse("prefecture:pref_adviser_edit", args=[pt.pk])).status_code == 200
    assert (
        client.get(reverse("prefecture:pref_adviser_edit", args=[dietitian.pk])).status_code == 403
    )
    page = client.get(reverse("prefecture:pref_adviser_create")).content.decode()
    assert "テスト県作業療法士会" in page and "テスト県栄養士会" not in page


def test_the_prefecture_staff_change_every_adviser(client, prefecture, municipality, pref_staff):
    adviser = make_adviser(prefecture, municipalities=[municipality])
    client = logged_in(client, pref_staff)
    response = client.post(
        reverse("prefecture:pref_adviser_edit", args=[adviser.pk]),
        {
            "name": adviser.name,
            "furigana": "はけん",
            "profession": "dietitian",
            "association": "テスト県栄養士会",
            "municipalities": [municipality.pk],
            "monthly_limit": 2,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    adviser.refresh_from_db()
    assert adviser.association == "テスト県栄養士会" and adviser.profession == "dietitian"


def test_the_adviser_answers_on_their_page(client, world, municipality, coordinator):
    request = world["home"]["request"]
    adviser = make_adviser(
        request.prefecture, profession="dietitian", municipalities=[municipality]
    )
    assignment = services.assign(dispatch_request=request, adviser=adviser, by=coordinator)
    client = logged_in(client, adviser.user)
    assert (
        request.meeting.meeting_type.name
        in client.get(reverse("prefecture:adviser_home")).content.decode()
    )
    answer_url = reverse("prefecture:adviser_answer", args=[assignment.pk])
    client.post(answer_url, {"answer": "decline", "reason": ""})
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.PENDING
    client.post(answer_url, {"answer": "accept"})
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACCEPTED


def test_nobody_else_answers_an_advisers_assignment(client, world, municipality, coordinator):
    request = world["home"]["request"]
    adviser = make_adviser(
        request.prefecture, profession="dietitian", municipalities=[municipality]
    )
    assignment = services.assign(dispatch_request=request, adviser=adviser, by=coordinator)
    client = logged_in(client, coordinator)
    response = client.post(
        reverse("prefecture:adviser_answer", args=[assignment.pk]), {"answer": "accept"}
    )
    assert response.status_code == 404


def test_the_adviser_keeps_their_own_availability(client, world):
    adviser = world["home"]["adviser"]
    client = logged_in(client, adviser.user)
    town = adviser.municipalities.get()
    response = client.post(
        reverse("prefecture:adviser_availability"),
        {
            "name": "派遣 改名",
            "furigana": "はけん",
            "affiliation": "新しい病院",
            "municipalities": [town.pk],
            "slots": ["2", "3"],
            "monthly_limit": 2,
            "is_active": "on",
            # Not the professional's to change: kept as registered.
            "profession": "physician",
            "association": "別の会",
        },
    )
    assert response.status_code == 302
    adviser.refresh_from_db()
    assert adviser.availability == (1 << 2) | (1 << 3) and adviser.monthly_limit == 2
    assert adviser.name == "派遣 改名" and adviser.affiliation == "新しい病院"
    assert adviser.profession == "physiotherapist" and adviser.association == "テスト県士会"
    assert AuditEntry.objects.filter(action="prefecture.availability_changed").exists()


def test_the_adviser_cannot_choose_another_prefectures_places(client, world, other_municipality):
    adviser = world["home"]["adviser"]
    client = logged_in(client, adviser.user)
    page = client.post(
        reverse("prefecture:adviser_availability"),
        {
            "name": adviser.name,
            "furigana": "はけん",
            "municipalities": [other_municipality.pk],
            "monthly_limit": 2,
        },
    )
    assert page.status_code == 200
    assert list(adviser.municipalities.all()) != [other_municipality]


def test_a_city_member_requests_and_cancels_a_dispatch(
    client, prefecture, meeting, city_admin, viewer
):
    url_ = reverse("prefecture:dispatch_request_create", args=[meeting.pk])
    assert logged_in(client, viewer).get(url_).status_code == 403
    client = logged_in(client, city_admin)
    assert client.get(url_).status_code == 200
    client.post(url_, {"profession": "dietitian", "note": "栄養"})
    request = DispatchRequest.objects.get()
    assert request.requested_by == city_admin
    client.post(
        reverse("prefecture:dispatch_request_cancel", args=[request.pk]), {"reason": "中止"}
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.CANCELLED


def test_another_municipality_cannot_touch_the_request(
    client, prefecture, meeting, city_admin, outsider
):
    request = services.request_dispatch(meeting=meeting, profession="dietitian", by=city_admin)
    client = logged_in(client, outsider)
    assert (
        client.get(reverse("prefecture:dispatch_request_create", args=[meeting.pk])).status_code
        == 404
    )
    response = client.post(reverse("prefecture:dispatch_request_cancel", args=[request.pk]))
    assert response.status_code == 404


def test_a_prefecture_login_lands_on_its_page(client, prefecture, pref_staff):
    response = client.post(reverse("accounts:login"), {"username": "ken", "password": PASSWORD})
    assert response.status_code == 302
    home = client.get(reverse("reports:dashboard"))
    assert home.status_code == 200 and reverse("prefecture:pref_home") in home.content.decode()
    assert "県の画面" in client.get(reverse("prefecture:pref_home")).content.decode()


def test_a_login_without_any_role_still_gets_the_refusal(client, db):
    make_user("nobody")
    client.post(reverse("accounts:login"), {"username": "nobody", "password": PASSWORD})
    assert client.get(reverse("reports:dashboard")).status_code == 403


def test_the_meeting_page_offers_the_request_to_its_organisers(
    client, prefecture, meeting, city_admin, viewer
):
    link = reverse("prefecture:dispatch_request_create", args=[meeting.pk])
    page = logged_in(client, city_admin).get(reverse("meetings:meeting_detail", args=[meeting.pk]))
    assert link in page.content.decode()
    page = logged_in(client, viewer).get(reverse("meetings:meeting_detail", args=[meeting.pk]))
    assert link not in page.content.decode()


def test_a_past_meeting_cannot_be_requested(client, prefecture, body, city_admin):
    past = make_meeting(body, days=-2)
    client = logged_in(client, city_admin)
    page = client.post(
        reverse("prefecture:dispatch_request_create", args=[past.pk]), {"profession": "dietitian"}
    )
    assert page.status_code == 200 and "これから開催する予定" in page.content.decode()
    assert not DispatchRequest.objects.exists()


def test_staff_name_a_coordinator_association(client, prefecture, pref_staff):
    from tsunagu.prefecture.models import PrefectureMembership

    client = logged_in(client, pref_staff)
    form = {"username": "eiyo", "full_name": "栄養士会 事務局", "role": "coordinator"}
    page = client.post(reverse("prefecture:pref_member_list"), form)
    assert page.status_code == 200 and "団体の名称" in page.content.decode()
    client.post(reverse("prefecture:pref_member_list"), {**form, "association": "テスト県栄養士会"})
    added = PrefectureMembership.objects.get(user__username="eiyo")
    assert added.prefecture == prefecture and added.association == "テスト県栄養士会"
    assert not added.user.has_usable_password()
    again = client.post(reverse("prefecture:pref_member_list"), {**form, "association": "別"})
    assert "すでに" in again.content.decode()
    assert AuditEntry.objects.filter(action="prefecture.member_added").count() == 1


@pytest.mark.parametrize("who", ["pref_staff", "coordinator", "pooled_adviser"])
def test_a_prefecture_login_chooses_how_its_notifications_arrive(client, request, prefecture, who):
    """A login with no municipality gets its notifications addressed to the login (not to a
    directory person), so it chooses their delivery for the login."""
    from tsunagu.notifications.models import Preference

    user = (
        make_adviser(prefecture).user if who == "pooled_adviser" else request.getfixturevalue(who)
    )
    client = logged_in(client, user)
    page = client.get(reverse("notifications:notification_preferences"))
    assert page.status_code == 200 and "名簿の人と結び付いていない" not in page.content.decode()
    fields = list(page.context["form"].fields)
    answer = client.post(
        reverse("notifications:notification_preferences"), dict.fromkeys(fields, "daily")
    )
    assert answer.status_code == 302
    saved = Preference.objects.filter(user=user)
    assert saved.count() == len(fields) and {p.delivery for p in saved} == {"daily"}
    assert AuditEntry.objects.filter(action="notification.preferences_changed").exists()


def test_an_adviser_with_a_dispatch_membership_sets_both_person_and_login(
    client, prefecture, meeting, adviser, coordinator
):
    """After an acceptance the adviser has a municipality's membership (and its person);
    dispatch notices from other municipalities still come to the login: one choice sets both."""
    from tsunagu.notifications.models import Preference

    from .conftest import accepted_dispatch

    accepted_dispatch(meeting, adviser, by=coordinator)
    client = logged_in(client, adviser.user)
    page = client.get(reverse("notifications:notification_preferences"))
    assert page.status_code == 200
    fields = list(page.context["form"].fields)
    answer = client.post(
        reverse("notifications:notification_preferences"), dict.fromkeys(fields, "off")
    )
    assert answer.status_code == 302
    person = adviser.user.memberships.get().person
    assert Preference.objects.filter(person=person, delivery="off").count() == len(fields)
    assert Preference.objects.filter(user=adviser.user, delivery="off").count() == len(fields)
