"""One JSON line per request on the logger `tsunagu.requests` (README「本番運用」).

What a line holds: when, method, path, status, how long, who (user id and the municipality
acted for), from where, and a request id that is also sent back as `X-Request-ID`, so that a
user's report of a failed page can be matched to its line.

What it never holds: the query string (search words may be names of the people being
discussed), request or response bodies, and anything read from the database. It runs no
query of its own: it reports only a user that the request has already loaded.
"""

import json
import logging
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, empty

from tsunagu.lib.acting import MemberRequest

logger = logging.getLogger("tsunagu.requests")

REQUEST_ID_HEADER = "X-Request-ID"
# Paths are ids and fixed words; the limit only keeps a crafted URL from bloating the log.
MAX_PATH_LENGTH = 500


class RequestLogMiddleware:
    """Comes right after SecurityMiddleware, so that its duration covers the whole request,
    static files served by WhiteNoise included. Off with REQUEST_LOG=0."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if not getattr(settings, "REQUEST_LOG", True):
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: MemberRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex
        request.request_id = request_id
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        response[REQUEST_ID_HEADER] = request_id
        logger.info(json.dumps(entry(request, response, duration_ms), ensure_ascii=False))
        return response


def entry(request: MemberRequest, response: HttpResponse, duration_ms: float) -> dict:
    member = getattr(request, "member", None)
    return {
        "time": timezone.localtime(timezone.now(), timezone.get_default_timezone()).isoformat(
            timespec="milliseconds"
        ),
        "request_id": request.request_id,
        "method": request.method,
        # request.path has no query string; that is the point.
        "path": request.path[:MAX_PATH_LENGTH],
        "status": response.status_code,
        "duration_ms": duration_ms,
        "user_id": loaded_user_id(request),
        "municipality_id": getattr(member, "municipality_id", None),
        # As the audit log records it: behind nginx, REMOTE_ADDR is the proxy's view.
        "remote_addr": request.META.get("REMOTE_ADDR") or None,
    }


def loaded_user_id(request: MemberRequest) -> int | None:
    """The id of the logged-in user, if the request has loaded the user already.

    AuthenticationMiddleware puts a lazy object on the request; evaluating it here would cost
    a session and a user query on pages that never needed them (and static files never pass
    through it at all). Every page behind the login check has loaded the user by now.
    """
    user = request.__dict__.get("user")
    if user is None:
        return None
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        return None
    if not user.is_authenticated:
        return None
    return user.pk


class OneLineRefusals(logging.Filter):
    """Keeps a refused request (4xx) on `django.request` to its one line, without a traceback.

    Django logs a PermissionDenied with the exception attached, so every 403 printed a whole
    traceback, as if something had broken. A refusal is an answer, not a fault: the line
    ("Forbidden (Permission denied): /path") says what was refused, the request log line says
    who and when, and the audit log (`access.refused`) says why. Server errors keep theirs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True
