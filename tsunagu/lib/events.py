"""Domain events that services announce, for apps higher in the import order to act on.

A lower app (meetings, cases, issues) must not import the apps that react to its changes
(notifications). So its service announces what happened, here, and the higher app connects
a receiver in its AppConfig.ready(). Events are sent once the transaction commits: a change
rolled back announces nothing, and a receiver sees the committed rows. A failing receiver is
logged and never breaks the change that announced it.

Every event names what happened, not who should hear of it; its keyword arguments are listed
beside it.
"""

import logging
from typing import Any

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

meeting_saved = Signal()  # meeting, created: scheduled or its details changed
meeting_status_changed = Signal()  # meeting, previous: cancelled, postponed or put back
attendee_added = Signal()  # meeting, attendance
attendee_removed = Signal()  # meeting, person_id (None for an ad-hoc attendee)
case_put_on_agenda = Signal()  # review: a case placed on a meeting's agenda
issue_status_changed = Signal()  # change: an issues.StatusChange just recorded
dispatch_requested = Signal()  # dispatch_request: a municipality asked for an adviser
dispatch_assigned = Signal()  # assignment: a coordinator asked one adviser
dispatch_answered = Signal()  # assignment: the adviser accepted or declined (its status)
dispatch_ended = Signal()  # assignment (None: a request cancelled before any assignment)
submission_decided = Signal()  # submission: a center's report accepted or returned


def announce(event: Signal, **data: Any) -> None:
    def send() -> None:
        for receiver, result in event.send_robust(sender=None, **data):
            if isinstance(result, Exception):
                logger.error("receiver %r failed", receiver, exc_info=result)

    transaction.on_commit(send)
