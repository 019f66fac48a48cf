import json
import logging
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.utils.functional import SimpleLazyObject

from tsunagu.lib.request_log import RequestLogMiddleware

KEYS = {
    "time",
    "request_id",
    "method",
    "path",
    "status",
    "duration_ms",
    "user_id",
    "municipality_id",
    "remote_addr",
}


class Lines(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.INFO)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())

    def entries(self):
        return [json.loads(message) for message in self.messages]


@pytest.fixture
def lines():
    """What the middleware writes; the logger does not propagate, so caplog cannot see it."""
    handler = Lines()
    logger = logging.getLogger("tsunagu.requests")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def test_it_writes_one_json_line_per_request(client, db, lines):
    client.get("/healthz")
    client.get("/healthz")
    assert len(lines.messages) == 2
    entry = lines.entries()[0]
    assert set(entry) == KEYS
    assert entry["method"] == "GET" and entry["path"] == "/healthz" and entry["status"] == 200
    assert isinstance(entry["duration_ms"], float)
    assert entry["duration_ms"] == round(entry["duration_ms"], 1)
    assert entry["user_id"] is None and entry["municipality_id"] is None
    assert entry["remote_addr"] == "127.0.0.1"
    assert entry["time"].endswith("+09:00")  # Asia/Tokyo


def test_it_leaves_out_the_query_string(client, db, lines):
    client.get("/healthz", {"q": "山田花子"})
    (message,) = lines.messages
    assert "山田" not in message and "q=" not in message and "%E5" not in message
    assert json.loads(message)["path"] == "/healthz"


def test_it_leaves_out_the_body(client, db, lines):
    client.post("/login/", {"username": "someone", "password": "secret-password-123"})
    (message,) = lines.messages
    assert "someone" not in message and "secret-password" not in message


def test_it_records_the_user_and_municipality(city_client, city_admin, municipality, lines):
    response = city_client.get("/")
    assert response.status_code == 200
    (entry,) = lines.entries()
    assert entry["user_id"] == city_admin.pk
    assert entry["municipality_id"] == municipality.pk


def test_it_records_an_anonymous_redirect(client, db, lines):
    response = client.get("/")
    assert response.status_code == 302
    (entry,) = lines.entries()
    assert entry["status"] == 302 and entry["user_id"] is None


def test_it_sends_the_request_id_back(client, db, lines):
    response = client.get("/healthz")
    (entry,) = lines.entries()
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert response["X-Request-ID"] == entry["request_id"]
    other = client.get("/healthz")
    assert other["X-Request-ID"] != response["X-Request-ID"]


def test_it_logs_static_files(client, db, lines, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/static/css/tsunagu.css")
    assert response.status_code == 200
    assert "X-Request-ID" in response
    (entry,) = lines.entries()
    assert entry["path"] == "/static/css/tsunagu.css" and entry["status"] == 200
    assert entry["user_id"] is None


def test_it_does_not_load_a_user_nobody_asked_for(rf, lines):
    """Evaluating the lazy user would cost queries on pages that did not need it."""

    def load_user():
        raise AssertionError("the user was loaded")

    request = rf.get("/somewhere")
    request.user = SimpleLazyObject(load_user)
    RequestLogMiddleware(lambda request: HttpResponse("ok"))(request)
    (entry,) = lines.entries()
    assert entry["user_id"] is None


def test_it_reports_a_loaded_anonymous_user_as_null(rf, lines):
    request = rf.get("/somewhere")
    request.user = AnonymousUser()
    RequestLogMiddleware(lambda request: HttpResponse(status=404))(request)
    (entry,) = lines.entries()
    assert entry["user_id"] is None and entry["status"] == 404


def test_it_can_be_turned_off(client, db, lines, settings):
    settings.REQUEST_LOG = False
    response = client.get("/healthz")
    assert response.status_code == 200
    assert lines.messages == []
    assert "X-Request-ID" not in response


def test_its_logger_writes_the_json_as_it_is(settings):
    config = settings.LOGGING
    assert config["formatters"]["json"]["format"] == "%(message)s"
    assert config["loggers"]["tsunagu.requests"]["propagate"] is False
    assert config["handlers"][config["loggers"]["tsunagu.requests"]["handlers"][0]] == {
        "class": "logging.StreamHandler",
        "formatter": "json",
    }
    # Right after the proxy and security middleware, so the time covers the whole request.
    middleware = settings.MIDDLEWARE
    assert middleware.index("tsunagu.lib.request_log.RequestLogMiddleware") == 2
