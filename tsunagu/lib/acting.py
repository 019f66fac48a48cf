"""Types for who acts in a request, used by the annotations that mypy checks.

accounts.middleware sets ``request.member`` (the acting ``accounts.models.Membership``, or
None). Modules below accounts in the import direction cannot name Membership, so they ask
for ``Member``: what they use of a membership."""

from typing import Any, Protocol

from django.http import HttpRequest


class Member(Protocol):
    """What the layers below accounts ask of a membership."""

    @property
    def pk(self) -> Any: ...

    @property
    def municipality_id(self) -> int: ...

    @property
    def user_id(self) -> int: ...

    def may(self, permission: str) -> bool: ...


class MemberRequest(HttpRequest):
    """A request that passed accounts.middleware: ``member`` is the acting membership (an
    ``accounts.models.Membership``) or None. Typed loosely because lib cannot name the model;
    the access modules narrow it by their own annotations."""

    member: Any
    # Set by lib.request_log for the log line and the error page.
    request_id: str
    # Set by prefecture's middleware: the acting prefecture membership, or None.
    pref: Any
