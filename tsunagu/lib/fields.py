"""Form fields that read what staff type."""

import datetime
from typing import Any

from django import forms

from .wareki import WarekiError, format_wareki, parse_date


class WarekiDateInput(forms.TextInput):
    """A text box showing the date in 和暦, so the page reads as the staff's paper forms do."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {
            "placeholder": "例: 令和3年6月1日 / R3.6.1 / 2021-06-01",
            "inputmode": "text",
            "autocomplete": "off",
        }
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, datetime.date):
            return format_wareki(value)
        return super().format_value(value)


class WarekiDateField(forms.DateField):
    """Accepts 2021-06-01, 2021/6/1, R3.6.1, 令和3年6月1日, 令3.6.1 and says why otherwise."""

    widget = WarekiDateInput

    def to_python(self, value: Any) -> datetime.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_date(str(value))
        except WarekiError as error:
            raise forms.ValidationError(str(error), code="invalid") from error
