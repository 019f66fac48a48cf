"""Form fields that read what staff type."""

import datetime

from django import forms

from .limits import EARLIEST_DATE, LATEST_DATE
from .params import parse_id
from .wareki import WarekiError, format_wareki, parse_date


class WarekiDateInput(forms.TextInput):
    """A text box showing the date in 和暦, so the page reads as the staff's paper forms do."""

    def __init__(self, attrs=None):
        defaults = {
            "placeholder": "例: 令和3年6月1日 / R3.6.1 / 2021-06-01",
            "inputmode": "text",
            "autocomplete": "off",
        }
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return format_wareki(value)
        return super().format_value(value)


class ModelIdsField(forms.ModelMultipleChoiceField):
    """Several rows chosen by id; a value that is not an id is an invalid choice. Django's own
    field lets an id too large for SQLite's integers through to the query, which fails."""

    def _check_values(self, value):
        for pk in value:
            if parse_id(pk) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class WarekiDateField(forms.DateField):
    """Accepts 2021-06-01, 2021/6/1, R3.6.1, 令和3年6月1日, 令3.6.1 and says why otherwise.

    Only dates from `earliest` to `latest` (by default 2000-01-01 to 2100-12-31, see
    lib/limits.py): a year such as 9999 is a slip, and would break the pages and calendar
    feeds that compute with the date.
    """

    widget = WarekiDateInput

    def __init__(self, *args, earliest=EARLIEST_DATE, latest=LATEST_DATE, **kwargs):
        super().__init__(*args, **kwargs)
        self.earliest, self.latest = earliest, latest

    def validate(self, value):
        super().validate(value)
        if value is not None and not self.earliest <= value <= self.latest:
            raise forms.ValidationError(
                f"{self.earliest:%Y-%m-%d}から{self.latest:%Y-%m-%d}までの日付を入力してください。",
                code="out_of_range",
            )

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_date(str(value))
        except WarekiError as error:
            raise forms.ValidationError(str(error), code="invalid") from error
