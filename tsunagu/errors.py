"""Error pages in Japanese. A stack trace never reaches a user: 500 shows only an apology.

Refusals (403) and misses (404) of logged-in users go to the audit log: a guessed id or a
request for another municipality's row looks exactly like a 404 to the user, but not to the
people who review the log.
"""

from django.conf import settings
from django.shortcuts import render

from tsunagu.audit.services import log_refusal


def logged_in(request) -> bool:
    return getattr(getattr(request, "user", None), "is_authenticated", False)


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    reason = str(exception) if exception and str(exception) else "この操作を行う権限がありません。"
    if logged_in(request):
        log_refusal(request, reason, status=403)
    # A content refusal names the meetings whose pledge would let the member in.
    meetings = getattr(exception, "meetings", None) or []
    return render(request, "errors/403.html", {"reason": reason, "meetings": meetings}, status=403)


ASSET_SUFFIXES = (".ico", ".png", ".svg", ".js", ".css", ".map", ".woff2")


def is_asset(request) -> bool:
    """A browser's request for a file (static files, icons), not for a page: a missing one is a
    broken link in a template, not someone probing for rows, so it stays out of the audit log."""
    path = request.path
    static = "/" + settings.STATIC_URL.strip("/") + "/"
    return path.startswith(static) or path.rsplit("/", 1)[-1].endswith(ASSET_SUFFIXES)


def page_not_found(request, exception=None):
    if logged_in(request) and not is_asset(request):
        log_refusal(request, "見つからないか、閲覧できる範囲にありません。", status=404)
    return render(request, "errors/404.html", status=404)


def server_error(request):
    return render(request, "errors/500.html", status=500)
