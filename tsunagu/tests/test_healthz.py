from unittest import mock

from django.db import DatabaseError


def test_it_answers_ok_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_it_reports_pending_migrations(client, db):
    with mock.patch("tsunagu.health.MigrationExecutor") as executor:
        executor.return_value.migration_plan.return_value = [("app", "0002")]
        response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["migrations"] == "pending"


def test_it_reports_an_unreachable_database(client, db):
    with mock.patch("tsunagu.health.MigrationExecutor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["database"] == "unreachable"
