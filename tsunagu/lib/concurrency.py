"""Optimistic concurrency without version columns: a save is refused when the record changed
since its page was opened.

The page carries a fingerprint of the record's editable values as they were when it opened
(one short sha256 digest per field, so a refusal can name what changed). The service locks the
row, recomputes the fingerprint from what is committed and compares. The first part of this
module works on plain mappings and knows nothing of Django; the rest applies it to model rows
and forms.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Field, Model
from django.db.models.options import Options
from django.http import QueryDict

FIELD = "fingerprint"  # name of the hidden form field (and of the attribute `stamp` sets)
DIGEST_LENGTH = 16  # hex characters of sha256 kept per field


# Django-free


def digest(value: object) -> str:
    """A short, stable digest of one value (dates, times and decimals by their text)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:DIGEST_LENGTH]


def fingerprint(values: Mapping[str, object]) -> str:
    """「name:digest,name:digest」 over the values, in name order."""
    return ",".join(f"{name}:{digest(values[name])}" for name in sorted(values))


def parse(token: str) -> dict[str, str]:
    """The digests in a fingerprint by field name; what is not well formed is left out."""
    digests = {}
    for part in (token or "").split(","):
        name, _, value = part.partition(":")
        if name and len(value) == DIGEST_LENGTH:
            digests[name] = value
    return digests


def changed_fields(token: str, values: Mapping[str, object]) -> list[str]:
    """The names (in the order of `values`) whose value is not what the fingerprint saw. A
    field the fingerprint does not cover counts as changed: nothing can be said of it."""
    seen = parse(token)
    return [name for name, value in values.items() if seen.get(name) != digest(value)]


def conflict_message(labels: Iterable[str]) -> str:
    return (
        "他の人が先に保存したため、保存しませんでした。変更された項目: "
        + "、".join(labels)
        + "。内容を確かめてから、もう一度保存してください。"
    )


# Model rows


def _field(meta: "Options[Any]", name: str) -> "Field[Any, Any]":
    """A concrete field of the model by name (fingerprints name only those, never relations
    seen from the other side)."""
    return cast("Field[Any, Any]", meta.get_field(name))


def values_of(record: Model, fields: Iterable[str]) -> dict[str, object]:
    """The record's values for the fingerprint; a foreign key by its id (no query)."""
    meta = record._meta
    return {name: getattr(record, _field(meta, name).attname) for name in fields}


def fingerprint_of(record: Model, fields: Iterable[str]) -> str:
    return fingerprint(values_of(record, fields))


class SavedMeanwhile(ValidationError):
    """Someone else saved the record after this user's page was opened.

    `changed` holds the labels of the fields that differ; `fingerprint` is the committed
    record's, so the page can offer to save again once the user has looked."""

    def __init__(self, changed: list[str], fingerprint: str) -> None:
        self.changed = changed
        self.fingerprint = fingerprint
        super().__init__(conflict_message(changed))


def refuse_if_changed(current: Model, fields: Iterable[str], seen: str | None) -> None:
    """Raise SavedMeanwhile when `current` (the committed row, locked by the caller) is not
    what the page saw. With no fingerprint (callers other than a page) nothing is checked."""
    if not seen:
        return
    fields = list(fields)
    values = values_of(current, fields)
    changed = changed_fields(seen, values)
    if changed:
        meta = current._meta
        labels = [str(_field(meta, name).verbose_name) for name in changed]
        raise SavedMeanwhile(labels, fingerprint(values))


def stamp(records: Iterable, fields: Iterable[str]) -> list:
    """The records as a list, each with its fingerprint as the attribute `fingerprint`
    (for small forms a template writes by hand)."""
    fields = list(fields)
    records = list(records)
    for record in records:
        setattr(record, FIELD, fingerprint_of(record, fields))
    return records


# Forms


class FingerprintMixin:
    """Adds the hidden fingerprint field to a form that edits `fingerprint_fields` of a record:
    a ModelForm's instance, or the `record` passed in."""

    fingerprint_fields: list[str] = []
    # Provided by the form class this is mixed into.
    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def __init__(self, *args: Any, record: Model | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        record = record if record is not None else getattr(self, "instance", None)
        self.fields[FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        if record is not None and record.pk is not None:
            self.fields[FIELD].initial = fingerprint_of(record, self.fingerprint_fields)

    @property
    def seen_fingerprint(self) -> str | None:
        """What the page saw (after is_valid); None when it carried no fingerprint."""
        return self.cleaned_data.get(FIELD) or None


def add_refusal(form: forms.BaseForm, error: ValidationError) -> None:
    """Show the refusal on the form, which keeps what the user typed. After SavedMeanwhile the
    form carries the committed record's fingerprint: once the user has looked at what changed,
    saving again is a choice made knowingly.

    An unbound form (a refused delete shows the row as it now stands, with its current
    fingerprint) has no cleaned_data, which Django's add_error reads: without one the refusal
    was a server error instead of the conflict message."""
    if not form.is_bound:
        form.cleaned_data = {}
    form.add_error(None, error)
    if isinstance(error, SavedMeanwhile) and form.is_bound and FIELD in form.fields:
        form.data = cast(QueryDict, form.data).copy()
        form.data[form.add_prefix(FIELD)] = error.fingerprint
