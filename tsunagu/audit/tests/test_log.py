import pytest
from django.test import RequestFactory

from tsunagu.audit.models import AppendOnlyError, AuditEntry
from tsunagu.audit.services import log


def test_it_records_who_what_and_where(city_admin, area):
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.10")
    entry = log(
        "area.viewed",
        by=city_admin,
        municipality=area.municipality,
        target=area,
        request=request,
        summary="閲覧",
    )
    assert entry.actor_username == "city_admin"
    assert entry.target_type == "organizations.area" and entry.target_id == str(area.pk)
    assert entry.municipality_id == area.municipality_id
    assert entry.ip_address == "192.0.2.10"


def test_it_masks_sensitive_values(db):
    entry = log("user.created", password="secret-value", new_password1="x", role="viewer")
    assert entry.data == {"password": "***", "new_password1": "***", "role": "viewer"}


def test_it_refuses_changing_an_entry(db):
    entry = log("test.done")
    entry.action = "test.changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.get().action == "test.done"


def test_the_admin_cannot_change_entries(client, db):
    from conftest import make_superuser

    root = make_superuser("root")
    entry = log("test.done")
    client.force_login(root)
    assert client.get(f"/admin/audit/auditentry/{entry.pk}/change/").status_code == 200
    assert (
        client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
