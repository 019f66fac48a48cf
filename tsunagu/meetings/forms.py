from django import forms

from tsunagu.lib.concurrency import FingerprintMixin
from tsunagu.lib.fields import WarekiDateField
from tsunagu.lib.fiscal import format_fiscal_year, parse_fiscal_year
from tsunagu.lib.limits import MAX_CASES_REVIEWED, TEXT_CHARS
from tsunagu.lib.wareki import WarekiError
from tsunagu.organizations.choices import Profession
from tsunagu.organizations.forms import TenantForm
from tsunagu.organizations.models import Center, Organization, Person

from . import services
from .access import may_organize_for
from .choices import AttendanceRole, Function, Status
from .models import Attendance, Meeting, MeetingType


class MeetingTypeForm(TenantForm):
    functions = forms.MultipleChoiceField(
        label="機能", choices=Function.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    member_professions = forms.MultipleChoiceField(
        label="構成員（職種）",
        choices=Profession.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = MeetingType
        fields = [
            "name",
            "category",
            "level",
            "host",
            "host_organization",
            "purpose",
            "functions",
            "member_professions",
            "member_note",
            "frequency_per_year",
            "frequency_note",
            "handles_personal_info",
            "reviews_cases",
            "follow_up_months",
            "sort_order",
            "is_active",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "member_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, municipality=municipality, **kwargs)
        self.fields["host_organization"].queryset = Organization.objects.filter(
            municipality=municipality
        )


class MeetingForm(FingerprintMixin, forms.ModelForm):
    required_css_class = "required"
    fingerprint_fields = services.DETAIL_FIELDS
    date = WarekiDateField(label="開催日")

    class Meta:
        model = Meeting
        fields = [
            "meeting_type",
            "center",
            "date",
            "start_time",
            "end_time",
            "venue",
            "format",
            "theme",
        ]
        widgets = {
            "start_time": forms.TimeInput(attrs={"type": "time"}),
            "end_time": forms.TimeInput(attrs={"type": "time"}),
        }

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.instance.municipality = member.municipality
        self.fields["meeting_type"].queryset = MeetingType.objects.filter(
            municipality=member.municipality, is_active=True
        )
        centers = Center.objects.filter(municipality=member.municipality)
        if not member.may("meetings.edit_all"):
            centers = centers.filter(pk=member.center_id)
            self.fields["center"].required = True
        self.fields["center"].queryset = centers
        self.fields["center"].empty_label = "市（または会議体の主催団体）"

    def clean(self):
        cleaned = super().clean()
        meeting_type, center = cleaned.get("meeting_type"), cleaned.get("center")
        if meeting_type is not None and "center" not in self.errors:
            problem = meeting_type.host_problem(center)
            if problem:
                self.add_error("center", problem)
            elif not may_organize_for(self.member, center):
                self.add_error("center", "このセンターの会議を登録する権限がありません。")
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end < start:
            self.add_error("end_time", "終了時刻は開始時刻より後にしてください。")
        return cleaned


class AttendeeForm(forms.ModelForm):
    """Add one attendee: choose a person from the directory, or type an ad-hoc attendee."""

    class Meta:
        model = Attendance
        fields = ["person", "name", "profession", "affiliation", "role"]

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(
            municipality=municipality
        ).select_related("organization", "center")
        self.fields["person"].required = False
        self.fields["person"].label = "名簿から選ぶ"
        self.fields["name"].required = False
        self.fields["name"].label = "名簿にない人の氏名"
        self.fields["profession"].required = False
        self.fields["role"].initial = AttendanceRole.PARTICIPANT

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("person") is None:
            if not cleaned.get("name"):
                self.add_error("name", "名簿から選ぶか、氏名を入力してください。")
            if not cleaned.get("profession"):
                self.add_error("profession", "名簿にない人は職種を選んでください。")
        return cleaned


class MinutesForm(FingerprintMixin, forms.ModelForm):
    fingerprint_fields = services.MINUTES_FIELDS

    class Meta:
        model = Meeting
        fields = ["minutes", "decisions"]
        widgets = {
            "minutes": forms.Textarea(attrs={"rows": 12}),
            "decisions": forms.Textarea(attrs={"rows": 5}),
        }


class CloseForm(forms.Form):
    summary = forms.CharField(
        label="開催結果の要約",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=TEXT_CHARS,
        help_text="何を検討し、何が決まったかを数行で。確定後は変更できません。",
    )
    cases_reviewed = forms.IntegerField(
        label="検討事例数", min_value=0, max_value=MAX_CASES_REVIEWED, initial=0
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label="状態",
        choices=[
            (Status.PLANNED, Status.PLANNED.label),
            (Status.POSTPONED, Status.POSTPONED.label),
            (Status.CANCELLED, Status.CANCELLED.label),
        ],
    )


class PlanForm(forms.Form):
    """One number box per (meeting body, organiser) the member may plan for."""

    def __init__(self, *args, cells, **kwargs):
        super().__init__(*args, **kwargs)
        self.cells = cells
        for key, (meeting_type, center, count) in cells.items():
            self.fields[key] = forms.IntegerField(
                label=f"{center or '市'}・{meeting_type}",
                min_value=0,
                max_value=365,
                required=False,
                initial=count,
            )

    def counts(self):
        return {
            (meeting_type, center): self.cleaned_data.get(key)
            for key, (meeting_type, center, _count) in self.cells.items()
        }


MAX_IMPORT_BYTES = 5 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label="ファイル（.csv / .xlsx / .tsv）")
    layout = forms.ChoiceField(
        label="形式",
        widget=forms.RadioSelect,
        initial="matrix",
        choices=[
            ("matrix", "一覧表（1列目がセンター、見出し行が会議体、欄に開催日）"),
            ("long", "1行1会議（列: センター, 会議体, 開催日, 形式, 状態, 検討事例数）"),
        ],
    )
    fiscal_year = forms.CharField(
        label="年度",
        required=False,
        max_length=20,
        help_text="一覧表では必須（「7月27日」の年を決めます）。",
    )

    def __init__(self, *args, fiscal_years=(), **kwargs):
        """`fiscal_years`: the 年度 offered (every year with meetings, this and next)."""
        super().__init__(*args, **kwargs)
        choices = [("", "（1行1会議で、日付に年があるときは不要）")]
        choices += [
            (format_fiscal_year(fy), f"{format_fiscal_year(fy)}（{fy}年度）") for fy in fiscal_years
        ]
        self.fields["fiscal_year"].widget = forms.Select(choices=choices)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload is None:  # the file staged before is used again
            return upload
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("ファイルが大きすぎます（5MBまで）。")
        return upload

    def clean_fiscal_year(self):
        text = self.cleaned_data["fiscal_year"].strip()
        if not text:
            return None
        try:
            return parse_fiscal_year(text)
        except WarekiError as error:
            raise forms.ValidationError(str(error)) from error

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("layout") == "matrix"
            and not cleaned.get("fiscal_year")
            and "fiscal_year" not in self.errors
        ):
            self.add_error("fiscal_year", "一覧表の取り込みには年度が必要です。")
        return cleaned
