import datetime

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from tsunagu.lib.fields import WarekiDateField

from .labels import codes_for


class AuditFilterForm(forms.Form):
    """The search on the audit log page; the CSV export uses the same conditions."""

    start = WarekiDateField(label="期間（から）", required=False)
    end = WarekiDateField(label="期間（まで）", required=False)
    action = forms.CharField(
        label="操作",
        required=False,
        max_length=64,
        help_text="操作の名前（例: ログイン失敗、事例）か操作コード（例: meeting.）",
    )
    user = forms.CharField(label="利用者", required=False, max_length=150)
    target_type = forms.CharField(label="対象の種類", required=False, max_length=64)
    target_id = forms.CharField(label="対象ID", required=False, max_length=64)
    ip = forms.CharField(label="接続元", required=False, max_length=45)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            raise forms.ValidationError("期間の開始日が終了日より後になっています。")
        return cleaned

    def filter(self, entries: QuerySet) -> QuerySet:
        """The entries matching the valid conditions (call after is_valid())."""
        data = getattr(self, "cleaned_data", {})
        if data.get("start"):
            entries = entries.filter(at__gte=start_of(data["start"]))
        if data.get("end"):
            entries = entries.filter(at__lt=start_of(data["end"] + datetime.timedelta(days=1)))
        if data.get("action"):
            entries = entries.filter(action_filter(data["action"]))
        if data.get("user"):
            entries = entries.filter(actor_username__icontains=data["user"].strip())
        if data.get("target_type"):
            entries = entries.filter(target_type=data["target_type"].strip())
        if data.get("target_id"):
            entries = entries.filter(target_id=data["target_id"].strip())
        if data.get("ip"):
            # A prefix, so that 192.0.2. finds a whole office network.
            entries = entries.filter(ip_address__startswith=data["ip"].strip())
        return entries

    def used(self) -> dict[str, str]:
        """The conditions given, as text, for the export's own audit entry."""
        return {
            name: value.isoformat() if isinstance(value, datetime.date) else value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if value
        }


def action_filter(text: str) -> Q:
    """Entries whose action the text names: a Japanese name, or the start of a code."""
    codes = codes_for(text)
    if codes is None:
        return Q(action__startswith=text.strip())
    condition = Q(pk__in=[])
    for code in codes:
        condition |= Q(action__startswith=code) if code.endswith(".") else Q(action=code)
    return condition


def start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day` in Asia/Tokyo: days are the staff's days."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
