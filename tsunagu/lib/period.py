import datetime
from typing import Any

from django import forms
from django.utils import timezone

from .fields import WarekiDateField
from .fiscal import fiscal_year, fiscal_year_range


class PeriodForm(forms.Form):
    """A 年度, or any date range (which then wins)."""

    fy = forms.IntegerField(label="年度", min_value=1989, max_value=2100, required=False)
    start = WarekiDateField(label="期間（から）", required=False)
    end = WarekiDateField(label="期間（まで）", required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if bool(start) != bool(end) and not self.errors:
            raise forms.ValidationError("期間は開始日と終了日の両方を入力してください。")
        if start and end and start > end:
            raise forms.ValidationError("期間の開始日が終了日より後になっています。")
        return cleaned

    def period(self) -> tuple[datetime.date, datetime.date, int | None]:
        """(start, end, fiscal year or None) — the current 年度 when nothing valid was chosen."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("start") and data.get("end"):
            return data["start"], data["end"], None
        fy = data.get("fy") or fiscal_year(timezone.localdate())
        return (*fiscal_year_range(fy), fy)
