"""The view-side half of the access gate: a view states what it needs, or it is refused.

Rows are still fetched only through each app's access module; this only checks that the
request acts under a current membership whose role grants the permission.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http.response import HttpResponseBase

from tsunagu.lib.acting import MemberRequest

NO_MEMBERSHIP = "この市町村で利用できる権限がありません。管理者にお問い合わせください。"
NOT_ALLOWED = "この操作を行う権限がありません。"


View = Callable[..., HttpResponseBase]


def member_required(permission: str) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: MemberRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            member = getattr(request, "member", None)
            if member is None:
                raise PermissionDenied(NO_MEMBERSHIP)
            if not member.may(permission):
                raise PermissionDenied(NOT_ALLOWED)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
