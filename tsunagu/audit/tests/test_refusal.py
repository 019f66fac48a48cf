from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from tsunagu.audit.services import log_refusal


def test_it_records_a_refused_attempt(city_admin, municipality):
    request = RequestFactory().post("/meetings/999/close/?q=佐藤", REMOTE_ADDR="192.0.2.20")
    request.user = city_admin
    request.member = city_admin.memberships.get()
    entry = log_refusal(request, "他の市町村の会議", meeting_id=999)
    assert entry.action == "access.refused" and entry.action_label == "アクセス拒否"
    assert entry.actor_username == "city_admin"
    assert entry.municipality_id == municipality.pk
    assert entry.summary == "他の市町村の会議"
    assert entry.ip_address == "192.0.2.20"
    # The query string may hold search words (names), so only the path is kept.
    assert entry.data == {"path": "/meetings/999/close/", "method": "POST", "meeting_id": 999}


def test_it_records_a_request_without_user_or_membership(db):
    request = RequestFactory().get("/cases/12345/")
    request.user = AnonymousUser()
    entry = log_refusal(request, "存在しない事例")
    assert entry.actor_id is None and entry.actor_username == ""
    assert entry.municipality_id is None
    assert entry.data == {"path": "/cases/12345/", "method": "GET"}
