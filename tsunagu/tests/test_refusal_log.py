"""A refused request (403, 404) is one line in the server log, not a traceback."""

import logging
import sys

from django.urls import reverse

from tsunagu.lib.request_log import OneLineRefusals


def django_request_lines(caplog) -> list[str]:
    """What the handlers write for `django.request`, as they would format it."""
    formatter = logging.Formatter("%(levelname)s %(name)s %(message)s")
    return [formatter.format(r) for r in caplog.records if r.name == "django.request"]


def test_it_logs_a_refusal_as_one_line(viewer_client, caplog):
    with caplog.at_level(logging.INFO):
        assert (
            viewer_client.get(reverse("accounts:member_list")).status_code == 403
        )  # PermissionDenied
    lines = django_request_lines(caplog)
    assert len(lines) == 1
    assert "\n" not in lines[0] and "Traceback" not in lines[0]
    assert "Forbidden" in lines[0] and reverse("accounts:member_list") in lines[0]


def test_it_logs_a_miss_as_one_line(outsider_client, area, caplog):
    with caplog.at_level(logging.INFO):
        assert (
            outsider_client.get(reverse("organizations:area_detail", args=[area.pk])).status_code
            == 404
        )
    lines = django_request_lines(caplog)
    assert len(lines) == 1
    assert "\n" not in lines[0] and "Not Found" in lines[0]


def record(status: int) -> logging.LogRecord:
    try:
        raise ValueError("boom")
    except ValueError:
        info = sys.exc_info()
    entry = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "x", (), info)
    entry.status_code = status
    return entry


def test_it_keeps_the_traceback_of_a_server_error():
    refusal, failure = record(403), record(500)
    assert OneLineRefusals().filter(refusal) and OneLineRefusals().filter(failure)
    assert refusal.exc_info is None
    assert failure.exc_info is not None and "Traceback" in logging.Formatter().format(failure)
