"""Adding a member invites the login; its owner accepts or declines at the next login.

The admin's answer must not tell whether a login ID exists: another municipality's admin
could otherwise list the logins of 松風市, and used to turn them into its own staff.
"""

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, logged_in, make_user
from tsunagu.accounts.models import Invitation, Membership, Role, User
from tsunagu.accounts.twofactor import PENDING_KEY
from tsunagu.audit.access import entries_visible_to
from tsunagu.audit.models import AuditEntry
from tsunagu.lib.security import totp

from .test_members import new_member


def invite(client, username, **changes):
    data = new_member(username=username, role=Role.VIEWER, **changes)
    return client.post(reverse("accounts:member_create"), data, follow=True)


def told(response, username):
    """The messages shown after a request, with the login ID replaced by a placeholder."""
    return [str(m).replace(username, "<ID>") for m in get_messages(response.wsgi_request)]


def page_without(response, username):
    """The page with the login ID and the per-render CSRF tokens taken out."""
    body = response.content.decode().replace(username, "<ID>")
    return re.sub(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+', r"\1", body)


def admin_log(admin):
    """The actions the admin can read in the municipality's audit log, oldest first."""
    entries = entries_visible_to(admin.memberships.get()).order_by("seq")
    return list(entries.values_list("action", flat=True))


def answer(client, invitation, choice):
    return client.post(
        reverse("accounts:invitation_answer", args=[invitation.pk]), {"answer": choice}
    )


def kaigo_of_the_other_city(other_municipality):
    """A login of another municipality whose role needs no second step at the login."""
    return make_user("kaigo", (other_municipality, Role.CARE_MANAGER, None))


@pytest.fixture
def invitee():
    """The invited person's own browser (the admin's is `city_client`)."""
    return Client()


# What the admin sees


def test_it_answers_the_same_whether_the_login_exists(city_client, city_admin, outsider):
    start = len(admin_log(city_admin))
    existing = invite(city_client, "outsider")
    middle = len(admin_log(city_admin))
    new = invite(city_client, "newcomer")
    assert existing.redirect_chain == new.redirect_chain == [(reverse("accounts:member_list"), 302)]
    assert told(existing, "outsider") == told(new, "newcomer")
    assert "招待しました" in told(new, "newcomer")[0]
    # The audit log the admin reads holds the same entries for both; a new login's creation
    # is recorded for the system administrator only.
    log = admin_log(city_admin)
    assert log[start:middle] == log[middle:] == ["invitation.created"]
    assert AuditEntry.objects.filter(
        action="user.created", target_id=str(User.objects.get(username="newcomer").pk)
    ).exists()
    # Both wait on the list alike, under the name the admin typed.
    rows = {i.user.username: (i.name, i.status) for i in Invitation.objects.all()}
    assert rows["outsider"] == rows["newcomer"] == ("田中 直樹", Invitation.Status.PENDING)
    body = existing.content.decode()
    assert "承諾待ち" in body and "田中 直樹" in body


def test_it_asks_the_same_of_an_existing_and_a_new_login(city_client, outsider):
    # Name and initial password are asked for and checked alike, so a refusal tells nothing.
    for changes in ({"full_name": "", "password": ""}, {"password": "123"}):
        existing = invite(city_client, "outsider", **changes)
        new = invite(city_client, "newcomer", **changes)
        assert existing.status_code == new.status_code == 200
        assert page_without(existing, "outsider") == page_without(new, "newcomer")
    assert not Invitation.objects.exists()
    assert not User.objects.filter(username="newcomer").exists()


def test_it_leaves_an_existing_login_as_it_is(city_client, outsider):
    invite(city_client, "outsider", full_name="別人の名前")
    outsider.refresh_from_db()
    assert outsider.full_name == "outsider" and outsider.check_password(PASSWORD)
    assert list(outsider.memberships.values_list("role", flat=True)) == [Role.CITY_ADMIN]


def test_it_refuses_a_second_invitation_while_one_waits(city_client, outsider):
    invite(city_client, "outsider")
    again = invite(city_client, "outsider")
    assert "すでにこの市町村に招待されています" in again.content.decode()
    assert Invitation.objects.count() == 1


def test_it_refuses_inviting_a_member_of_the_municipality(city_client, viewer):
    response = invite(city_client, "viewer")
    assert "すでにこの市町村のメンバーです" in response.content.decode()
    assert not Invitation.objects.exists()


# What the invited person sees


def test_it_shows_the_invitations_after_the_password(
    invitee, city_client, municipality, other_municipality
):
    kaigo = kaigo_of_the_other_city(other_municipality)
    invite(city_client, "kaigo")
    response = invitee.post(reverse("accounts:login"), {"username": "kaigo", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("accounts:invitations")
    assert invitee.session["_auth_user_id"] == str(kaigo.pk)
    page = invitee.get(response.url).content.decode()
    assert municipality.name in page and "閲覧者" in page and "承諾する" in page


def test_it_shows_the_invitations_after_the_code(invitee, city_client, outsider):
    invite(city_client, "outsider")
    invitee.post(reverse("accounts:login"), {"username": "outsider", "password": PASSWORD})
    assert PENDING_KEY in invitee.session
    response = invitee.post(reverse("accounts:login_code"), {"code": totp(outsider.totp_secret)})
    assert response.status_code == 302 and response.url == reverse("accounts:invitations")


def test_a_login_without_invitations_goes_where_it_went(invitee, viewer):
    response = invitee.post(reverse("accounts:login"), {"username": "viewer", "password": PASSWORD})
    assert response.url == reverse("reports:dashboard")


def test_accepting_creates_the_membership(invitee, city_client, municipality, other_municipality):
    kaigo = kaigo_of_the_other_city(other_municipality)
    invite(city_client, "kaigo")
    invitation = Invitation.objects.get()
    response = answer(logged_in(invitee, kaigo), invitation, "accept")
    assert response.status_code == 302 and response.url == reverse("reports:dashboard")
    membership = Membership.objects.get(user=kaigo, municipality=municipality)
    assert membership.role == Role.VIEWER and membership.is_active
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED and invitation.answered_at
    # The person now works in the municipality that invited them.
    assert invitee.get(reverse("reports:dashboard")).context["municipality"] == municipality
    accepted = AuditEntry.objects.get(action="invitation.accepted")
    assert accepted.actor_id == kaigo.pk and accepted.municipality_id == municipality.pk
    assert AuditEntry.objects.filter(action="membership.created", actor_id=kaigo.pk).exists()
    assert "invitation.accepted" in admin_log(User.objects.get(username="city_admin"))


def test_a_new_login_starts_by_accepting(invitee, city_client, municipality):
    invite(city_client, "newcomer", password="long-initial-pass-1")
    login = invitee.post(
        reverse("accounts:login"), {"username": "newcomer", "password": "long-initial-pass-1"}
    )
    assert login.url == reverse("accounts:invitations")
    answer(invitee, Invitation.objects.get(), "accept")
    assert invitee.get(reverse("reports:dashboard")).status_code == 200


def test_declining_creates_nothing(invitee, city_client, city_admin, other_municipality):
    kaigo = kaigo_of_the_other_city(other_municipality)
    invite(city_client, "kaigo")
    invitation = Invitation.objects.get()
    response = answer(logged_in(invitee, kaigo), invitation, "decline")
    assert response.status_code == 302
    assert list(kaigo.memberships.values_list("municipality", flat=True)) == [other_municipality.pk]
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED
    assert AuditEntry.objects.get(action="invitation.declined").actor_id == kaigo.pk
    assert "辞退" in city_client.get(reverse("accounts:member_list")).content.decode()
    # Declined, it no longer waits: the next login goes straight on.
    invitee.post(reverse("accounts:logout"))
    login = invitee.post(reverse("accounts:login"), {"username": "kaigo", "password": PASSWORD})
    assert login.url == reverse("reports:dashboard")


def test_it_refuses_answering_twice_or_for_someone_else(
    invitee, city_client, viewer, other_municipality
):
    kaigo = kaigo_of_the_other_city(other_municipality)
    invite(city_client, "kaigo")
    invitation = Invitation.objects.get()
    assert answer(logged_in(invitee, viewer), invitation, "accept").status_code == 404
    invitee.force_login(kaigo)
    answer(invitee, invitation, "accept")
    assert answer(invitee, invitation, "decline").status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert kaigo.memberships.count() == 2


def test_it_refuses_an_unknown_answer(invitee, city_client, other_municipality):
    kaigo = kaigo_of_the_other_city(other_municipality)
    invite(city_client, "kaigo")
    invitation = Invitation.objects.get()
    response = answer(logged_in(invitee, kaigo), invitation, "maybe")
    assert response.status_code == 302 and response.url == reverse("accounts:invitations")
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_the_invitations_page_says_when_there_are_none(viewer_client):
    assert (
        "回答を待っている招待はありません"
        in viewer_client.get(reverse("accounts:invitations")).content.decode()
    )
