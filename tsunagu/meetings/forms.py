from django import forms

from tsunagu.lib.concurrency import FingerprintMixin
from tsunagu.lib.fields import WarekiDateField
from tsunagu.lib.fiscal import format_fiscal_year, parse_fiscal_year
from tsunagu.lib.limits import MAX_CASES_REVIEWED, TEXT_CHARS
from tsunagu.lib.uploads import scan_kind
from tsunagu.lib.wareki import WarekiError
from tsunagu.organizations.choices import Profession
from tsunagu.organizations.forms import TenantForm
from tsunagu.organizations.models import Area, Center, Organization, Person

from . import services
from .access import may_organize_for
from .choices import AttendanceRole, Function, Status
from .models import Attendance, Meeting, MeetingType, Pledge


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
            *MeetingType.PLAN_DESCRIPTION,
            "follow_up_months",
            "minutes_per_case",
            "standing_members",
            "implementation_plan",
            "sort_order",
            "is_active",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "member_note": forms.Textarea(attrs={"rows": 2}),
            "implementation_plan": forms.Textarea(attrs={"rows": 6}),
            "standing_members": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, municipality=municipality, **kwargs)
        self.fields["host_organization"].queryset = Organization.objects.filter(
            municipality=municipality
        )
        self.fields["standing_members"].queryset = Person.objects.filter(
            municipality=municipality
        ).select_related("organization", "center")
        self.fields["standing_members"].label_from_instance = person_label
        self.fields["minutes_per_case"].required = False

    def clean_minutes_per_case(self):
        """Left empty: as it was (20 minutes for a new body)."""
        value = self.cleaned_data.get("minutes_per_case")
        return value if value is not None else self.instance.minutes_per_case
        self.fields["standing_members"].help_text = (
            "会議のたびに招待する人（Ctrl・⌘キーを押しながら複数選べます）。"
            "出席者の画面の「構成員を招待」で一度に招待できます。"
        )


def person_label(person: Person) -> str:
    parts = [person.get_profession_display(), str(person.affiliation or "")]
    return f"{person.name}（{'・'.join(part for part in parts if part)}）"


class MeetingForm(FingerprintMixin, forms.ModelForm):
    required_css_class = "required"
    fingerprint_fields = services.DETAIL_FIELDS
    date = WarekiDateField(label="開催日")

    class Meta:
        model = Meeting
        fields = [*services.DETAIL_FIELDS, "joint_meeting_types"]
        widgets = {
            "start_time": forms.TimeInput(attrs={"type": "time"}),
            "end_time": forms.TimeInput(attrs={"type": "time"}),
            "joint_meeting_types": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.instance.municipality = member.municipality
        self.fields["meeting_type"].queryset = MeetingType.objects.filter(
            municipality=member.municipality, is_active=True
        )
        self.fields["joint_meeting_types"].queryset = MeetingType.objects.filter(
            municipality=member.municipality, is_active=True
        )
        self.fields["area"].queryset = Area.objects.filter(municipality=member.municipality)
        self.fields["area"].empty_label = "（圏域を限らない）"
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
        joint = cleaned.get("joint_meeting_types")
        if meeting_type is not None and joint and meeting_type in joint:
            self.add_error("joint_meeting_types", "主たる会議体とは別の会議体を選んでください。")
        return cleaned

    @property
    def joint_types(self):
        return list(self.cleaned_data.get("joint_meeting_types") or [])


SERIES_DATES = 12


class SeriesForm(MeetingForm):
    """The year's meetings of one body at once: the details once, and up to 12 dates."""

    date = None  # one date per meeting, below

    class Meta(MeetingForm.Meta):
        fields = [name for name in MeetingForm.Meta.fields if name != "date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number in range(1, SERIES_DATES + 1):
            self.fields[f"date_{number}"] = WarekiDateField(label=f"開催日{number}", required=False)

    def clean(self):
        cleaned = super().clean()
        if not self.dates() and not any(
            f"date_{n}" in self.errors for n in range(1, SERIES_DATES + 1)
        ):
            self.add_error("date_1", "開催日を1つ以上入力してください。")
        return cleaned

    def dates(self):
        return [
            self.cleaned_data[f"date_{n}"]
            for n in range(1, SERIES_DATES + 1)
            if self.cleaned_data.get(f"date_{n}")
        ]

    def date_fields(self):
        return [self[f"date_{n}"] for n in range(1, SERIES_DATES + 1)]

    def detail_fields(self):
        return [self[name] for name in self.Meta.fields]


class CopyForm(forms.Form):
    date = WarekiDateField(label="新しい開催日")


class AdHocAttendeeForm(forms.ModelForm):
    """Someone not in the directory: name, profession and affiliation typed in."""

    required_css_class = "required"

    class Meta:
        model = Attendance
        fields = ["name", "profession", "affiliation", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = "氏名（名簿にない人）"
        self.fields["name"].error_messages["required"] = "氏名を入力してください。"
        self.fields["profession"].error_messages["required"] = "職種を選んでください。"
        self.fields["role"].initial = AttendanceRole.PARTICIPANT


class HandoutForm(forms.Form):
    title = forms.CharField(
        label="資料名", max_length=100, required=False, help_text="空欄はファイル名"
    )
    file = forms.FileField(
        label="ファイル（PDF・Word .docx・Excel .xlsx、10MBまで）",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.docx,.xlsx,application/pdf,"
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


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


MAX_SCAN_BYTES = 10 * 1024 * 1024
SCAN_TYPES = {".pdf", ".jpg", ".jpeg", ".png"}


class SignForm(forms.ModelForm):
    """Signing on screen: the signer confirms they read the policy, as on the paper form."""

    required_css_class = "required"
    confirm = forms.BooleanField(
        label="個人情報基本方針を読み、上記の誓約書の内容に同意します。",
        error_messages={"required": "内容を確認し、同意する場合はチェックを入れてください。"},
    )

    class Meta:
        model = Pledge
        fields = ["affiliation", "signer_name"]
        error_messages = {
            "affiliation": {"required": "所属・団体または住所を入力してください。"},
            "signer_name": {"required": "氏名を入力してください。"},
        }


class PaperPledgeForm(forms.ModelForm):
    """A paper pledge received by staff: who signed, and optionally the scanned sheet."""

    class Meta:
        model = Pledge
        fields = ["person", "attendance", "signer_name", "affiliation", "scan"]

    def __init__(self, *args, people, off_roster=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(pk__in=[p.pk for p in people])
        # Attendees who are not in the directory: their paper pledge is theirs by their line.
        attendance = self.fields["attendance"]
        attendance.queryset = attendance.queryset.filter(pk__in=[a.pk for a in off_roster])
        attendance.required = False
        attendance.label = "名簿にない出席者から選ぶ"
        self.fields["person"].required = False
        self.fields["person"].label = "出席者から選ぶ"
        self.fields["signer_name"].required = False
        self.fields["affiliation"].required = False

    def clean_scan(self):
        scan = self.cleaned_data.get("scan")
        if scan:
            suffix = "." + scan.name.rsplit(".", 1)[-1].lower() if "." in scan.name else ""
            if suffix not in SCAN_TYPES:
                raise forms.ValidationError("PDF・JPEG・PNG のファイルを添付してください。")
            if scan.size > MAX_SCAN_BYTES:
                raise forms.ValidationError("ファイルが大きすぎます（10MBまで）。")
            if scan_kind(scan) is None:
                raise forms.ValidationError(
                    "ファイルの中身が PDF・JPEG・PNG ではありません（名前だけ変えたファイルは"
                    "添付できません）。"
                )
        return scan

    def clean(self):
        cleaned = super().clean()
        person = cleaned.get("person")
        if person is not None:
            cleaned["signer_name"] = cleaned.get("signer_name") or person.name
            cleaned["affiliation"] = cleaned.get("affiliation") or str(person.affiliation or "")
            self.instance.signer_name = cleaned["signer_name"]
            self.instance.affiliation = cleaned["affiliation"]
        elif cleaned.get("attendance") is not None:
            line = cleaned["attendance"]
            cleaned["signer_name"] = cleaned.get("signer_name") or line.name
            cleaned["affiliation"] = cleaned.get("affiliation") or line.affiliation
            self.instance.signer_name = cleaned["signer_name"]
            self.instance.affiliation = cleaned["affiliation"]
        elif not cleaned.get("signer_name"):
            self.add_error("signer_name", "出席者から選ぶか、氏名を入力してください。")
        if not cleaned.get("affiliation") and "signer_name" not in self.errors:
            self.add_error("affiliation", "所属・団体または住所を入力してください。")
        return cleaned
