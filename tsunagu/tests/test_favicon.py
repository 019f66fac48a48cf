"""/favicon.ico exists, and requests for missing files do not fill the audit log (issue 16)."""

from tsunagu.audit.models import AuditEntry


def test_it_answers_favicon_without_login(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.url.endswith("favicon.ico")
    assert client.get(response.url).status_code == 200


def test_it_keeps_missing_static_files_out_of_the_audit_log(city_client):
    before = AuditEntry.objects.filter(action="access.refused").count()
    assert city_client.get("/static/css/nothing-here.css").status_code == 404
    assert city_client.get("/apple-touch-icon.png").status_code == 404
    assert AuditEntry.objects.filter(action="access.refused").count() == before


def test_it_still_logs_a_missing_page(city_client):
    before = AuditEntry.objects.filter(action="access.refused").count()
    assert city_client.get("/meetings/999999/").status_code == 404
    assert AuditEntry.objects.filter(action="access.refused").count() == before + 1
