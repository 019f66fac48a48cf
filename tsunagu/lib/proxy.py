"""The client's address when つなぐ runs behind a reverse proxy (nginx).

Behind a proxy every request comes from the proxy's address. Audit entries would all show
127.0.0.1 and the per-address login lockout would count everyone's failures together, so
the address the proxy passes in X-Real-IP is used instead, but only for requests that come
from a proxy listed in TRUSTED_PROXIES: anyone else could send that header too.
"""

import contextlib
import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from tsunagu.lib.acting import MemberRequest


class TrustedProxyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.trusted = set(getattr(settings, "TRUSTED_PROXIES", []))

    def __call__(self, request: MemberRequest) -> HttpResponse:
        forwarded = request.META.get("HTTP_X_REAL_IP", "").strip()
        if forwarded and request.META.get("REMOTE_ADDR") in self.trusted:
            # A value that is not an address is ignored: the proxy's own stays.
            with contextlib.suppress(ValueError):
                request.META["REMOTE_ADDR"] = str(ipaddress.ip_address(forwarded))
        return self.get_response(request)
