from django import forms

from tsunagu.lib.limits import MINUTES_CHARS, TEXT_CHARS
from tsunagu.lib.uploads import scan_kind
from tsunagu.organizations.models import Person

from .models import Pledge, PrivacySettings

MAX_SCAN_BYTES = 10 * 1024 * 1024
SCAN_TYPES = {".pdf", ".jpg", ".jpeg", ".png"}


class SettingsForm(forms.ModelForm):
    required_css_class = "required"

    class Meta:
        model = PrivacySettings
        fields = ["pledge_scope", "adviser_days_before", "adviser_days_after", "retention_years"]


class PolicyForm(forms.Form):
    required_css_class = "required"
    policy_text = forms.CharField(
        label="個人情報基本方針",
        max_length=MINUTES_CHARS,
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    pledge_text = forms.CharField(
        label="誓約書の文言", max_length=TEXT_CHARS, widget=forms.Textarea(attrs={"rows": 6})
    )


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
