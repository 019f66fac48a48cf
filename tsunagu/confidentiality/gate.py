"""Showing case content is decided and recorded in one step.

The access modules decide who may read text recorded about a person (see
`meetings.content_rule.content_refusal` and `cases.access`); their `open_*` functions, the
only ones views use to get such content, end by calling `disclose()` here. `disclose()`
notes on the request what is about to be shown, and `DisclosureMiddleware` turns the notes
into exactly one audit entry when the response actually shows them (2xx). A refusal raises
before anything is noted, so it is logged only as the refusal it is (errors.py); a save
that redirects shows nothing and adds no viewing entry to its own change entry.

Any response of a logged-in user, and every response that shows content, carries
`Cache-Control: no-store`: office PCs are shared, and a browser's cache or its back button
must not keep case data for the next person.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.utils.cache import add_never_cache_headers

from tsunagu.audit.services import record

ATTRIBUTE = "_disclosures"


@dataclass
class Disclosure:
    """One kind of content a response shows: `action` is the audit code, `target` the row."""

    action: str
    target: object
    summary: str
    details: dict = field(default_factory=dict)

    def label(self) -> str:
        return f"{self.target._meta.label_lower}:{self.target.pk}"


def disclose(request, action: str, target, *, summary: str = "", **details) -> None:
    """Note that this response shows `target`'s content. Only the access modules call it,
    after they have decided that the request's member may read it."""
    pending = getattr(request, ATTRIBUTE, None)
    if pending is None:
        # Without the middleware nothing would be recorded: refuse to show anything.
        raise ImproperlyConfigured("DisclosureMiddleware が設定されていません。")
    pending.append(Disclosure(action, target, summary or str(target), details))


def disclosures(request) -> list[Disclosure]:
    return list(getattr(request, ATTRIBUTE, None) or [])


def write_entry(request, pending: list[Disclosure]):
    """The one entry for a response: the first disclosure names the action and target,
    `shown` lists everything the response showed."""
    first = pending[0]
    data = dict(first.details)
    if len(pending) > 1:
        data["shown"] = [item.label() for item in pending]
    return record(
        first.action,
        request=request,
        target=first.target,
        summary=" / ".join(dict.fromkeys(item.summary for item in pending)),
        **data,
    )


class DisclosureMiddleware:
    """Writes the audit entry of a response that shows content and keeps such responses, and
    every response of a logged-in user, out of caches."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        setattr(request, ATTRIBUTE, [])
        response = self.get_response(request)
        pending = getattr(request, ATTRIBUTE)
        if pending and 200 <= response.status_code < 300:
            write_entry(request, pending)
        user = getattr(request, "user", None)
        if pending or getattr(user, "is_authenticated", False):
            add_never_cache_headers(response)
        return response
