"""No case content in any email: every message the test suite sends is scanned for the texts
recorded about a person (case fields, advice, support policies, actions, follow-ups, and the
minutes, decisions and summaries of meetings), the center's consultation records and their
contacts, the remarks and the city's comment on a center's report, and the note of a
request for an adviser (which may describe the case).

The test settings send mail through CheckingBackend (Django's in-memory outbox plus this
scan); the tests with a real SMTP server scan what it received with `leaks` as well. A leak
is collected in LEAKS and the autouse fixture in conftest.py fails the test that sent it."""

import email
import email.policy

from django.core.mail.backends import locmem
from django.db import models

LEAKS: list[str] = []
MEETING_FIELDS = ["minutes", "decisions", "summary"]
SHORTEST = 5  # shorter texts (e.g. "通所") are ordinary words, not something about a person


def case_models():
    from tsunagu.cases import models as cases

    return [
        cases.Case,
        cases.CarePlanService,
        cases.AssessmentRow,
        cases.CaseReview,
        cases.Advice,
        cases.Action,
        cases.FollowUp,
    ]


def other_models_with_texts():
    """Consultations and their contacts (personal data), a report's remarks and the city's
    comment on it, and the note of a dispatch request: free texts that may describe a person."""
    from tsunagu.centerwork import models as centerwork
    from tsunagu.prefecture.models import DispatchRequest

    return [
        (centerwork.Consultation, None),
        (centerwork.ContactRecord, None),
        (centerwork.Submission, ["remarks", "city_comment"]),
        (DispatchRequest, ["note"]),
    ]


def free_text_fields(model) -> list[str]:
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and field.name not in ("code", "adviser_name")
    ]


def recorded_texts() -> set[str]:
    """Every text recorded about a person, and each of its lines."""
    from tsunagu.meetings.models import Meeting

    values = []
    for model in case_models():
        fields = free_text_fields(model)
        if fields:
            for row in model.objects.values_list(*fields):
                values.extend(row)
    for row in Meeting.objects.values_list(*MEETING_FIELDS):
        values.extend(row)
    for model, only in other_models_with_texts():
        fields = only or free_text_fields(model)
        if fields:
            for row in model.objects.values_list(*fields):
                values.extend(row)
    texts = set()
    for value in values:
        for text in [value or "", *(value or "").splitlines()]:
            if len(text.strip()) >= SHORTEST:
                texts.add(text.strip())
    return texts


def message_text(raw: bytes) -> str:
    """Subject, every text part and every attachment of a MIME message, decoded."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    parts = [str(message["Subject"] or "")]
    for part in message.walk():
        if part.is_multipart():
            continue
        content = part.get_content()
        parts.append(content.decode("utf-8", "replace") if isinstance(content, bytes) else content)
    return "\n".join(parts)


def leaks(text: str, texts: set[str]) -> list[str]:
    return sorted(recorded for recorded in texts if recorded in text)


class CheckingBackend(locmem.EmailBackend):
    def send_messages(self, messages):
        texts = recorded_texts()
        for message in messages:
            found = leaks(message_text(message.message().as_bytes()), texts)
            LEAKS.extend(f"{message.subject}: {text}" for text in found)
        return super().send_messages(messages)
