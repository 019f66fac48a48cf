"""Input of a center's business: parsing and validation only."""

import re

from django import forms
from django.utils import timezone

from tsunagu.cases.models import Case
from tsunagu.lib.fiscal import parse_fiscal_year
from tsunagu.lib.wareki import WarekiError, parse_date

from .choices import OutreachKind, OutreachList, TargetItem
from .importing import KINDS, LIMITS
from .models import (
    BusinessSettings,
    Consultation,
    ConsultationCategory,
    ContactRecord,
    Event,
    Guidance,
    OutreachVisit,
    Volunteer,
    VolunteerActivity,
)


class WarekiDateField(forms.DateField):
    """A date typed in 和暦 (令和8年10月1日, R8.10.1) or as 2026-10-01."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_date(str(value))
        except WarekiError as error:
            raise forms.ValidationError(str(error)) from error


def _date_field(label):
    return WarekiDateField(label=label, help_text="例: 令和8年10月1日、R8.10.1、2026-10-01")


class ConsultationForm(forms.ModelForm):
    received_on = _date_field("受付日")

    class Meta:
        model = Consultation
        fields = [
            "received_on",
            "method",
            "consulter",
            "categories",
            "person_ref",
            "response",
            "summary",
            "follow_up",
        ]
        widgets = {"categories": forms.CheckboxSelectMultiple}

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = ConsultationCategory.objects.filter(
            pk__in=[c.pk for c in categories]
        )
        if not self.instance.pk:
            self.initial.setdefault("received_on", timezone.localdate().isoformat())


class ContactForm(forms.ModelForm):
    contacted_on = _date_field("日付")

    class Meta:
        model = ContactRecord
        fields = ["contacted_on", "method", "note"]


class CaseStartForm(forms.ModelForm):
    """What a case needs that a consultation does not record."""

    class Meta:
        model = Case
        fields = ["age_band", "sex", "care_level", "household"]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="種類",
        widget=forms.RadioSelect,
        choices=[
            (
                "consultations",
                "総合相談（センター, 受付日, 方法, 相談者, 区分, 管理番号, 対応, 概要）",
            ),
            ("events", "講座・行事・研修（センター, 種別, 開催日, 名称, 参加者数）"),
        ],
        initial="consultations",
    )
    file = forms.FileField(label="ファイル（.csv / .xlsx / .tsv）")

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        if kind not in KINDS:
            raise forms.ValidationError("種類を選んでください。")
        return kind

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload is not None and upload.size > LIMITS.max_bytes:
            raise forms.ValidationError("ファイルが大きすぎます（5MBまで）。")
        return upload


class EventForm(forms.ModelForm):
    held_on = _date_field("開催日")
    headcount_text = forms.CharField(
        label="参加者の内訳",
        required=False,
        help_text="例: 住民 12、家族 3、民生委員 2（氏名は入力しません）",
    )

    class Meta:
        model = Event
        fields = ["kind", "held_on", "title", "place", "organiser", "caravan_mate", "participants"]

    def clean_headcount_text(self):
        text = self.cleaned_data["headcount_text"]
        counts = {}
        for part in re.split(r"[、,，]", text):
            part = part.strip()
            if not part:
                continue
            m = re.fullmatch(r"(.+?)\s*(\d+)\s*人?", part)
            if m is None:
                raise forms.ValidationError(f"「{part}」を「区分 人数」の形で入力してください。")
            counts[m[1].strip()] = counts.get(m[1].strip(), 0) + int(m[2])
        return counts


class TargetsUploadForm(forms.Form):
    """The year's list file: a column 管理番号 (and optionally リスト), no names."""

    kind = forms.ChoiceField(label="事業", choices=OutreachKind.choices)
    source_list = forms.ChoiceField(
        label="リスト",
        choices=[(OutreachList.A, OutreachList.A.label), (OutreachList.B, OutreachList.B.label)],
        help_text="「リスト」列（A 対象者・B 未回答者）があれば行ごとにその値を使います。",
    )
    fiscal_year = forms.CharField(label="年度", help_text="例: 令和8年度、R8、2026")
    file = forms.FileField(
        label="ファイル（.csv / .xlsx / .tsv）",
        help_text="見出し「管理番号」の列。氏名・住所の列は入れないでください。",
    )

    def clean_fiscal_year(self):
        try:
            return parse_fiscal_year(self.cleaned_data["fiscal_year"])
        except WarekiError as error:
            raise forms.ValidationError(str(error)) from error


class VisitForm(forms.ModelForm):
    visited_on = _date_field("訪問日")

    class Meta:
        model = OutreachVisit
        fields = ["kind", "person_ref", "visited_on", "result", "watch_household", "note"]


class VolunteerForm(forms.ModelForm):
    registered_on = _date_field("登録日")

    class Meta:
        model = Volunteer
        fields = ["kind", "number", "name", "registered_on"]


class ActivityForm(forms.ModelForm):
    done_on = _date_field("活動日")

    class Meta:
        model = VolunteerActivity
        fields = ["volunteer", "done_on", "programme", "points"]

    def __init__(self, *args, volunteers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = volunteers


class GuidanceForm(forms.ModelForm):
    given_on = _date_field("実施日")

    class Meta:
        model = Guidance
        fields = ["center", "given_on", "topic", "content"]

    def __init__(self, *args, centers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["center"].queryset = centers


class RemarksForm(forms.Form):
    remarks = forms.CharField(
        label="センターの所見・特記事項",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
    )


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label="市のコメント（差し戻す場合は必須）",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )


class TargetsForm(forms.Form):
    """The numbers of a 事業計画書, one field per item; empty means no target."""

    def __init__(self, *args, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for item, label in TargetItem.choices:
            self.fields[item] = forms.IntegerField(
                label=label,
                required=False,
                min_value=0,
                max_value=100000,
                initial=current.get(item),
            )


class SettingsForm(forms.ModelForm):
    class Meta:
        model = BusinessSettings
        fields = ["monthly_due_day"]


class CategoryForm(forms.Form):
    name = forms.CharField(label="区分を追加", max_length=50)
