from django import forms

from tsunagu.lib.limits import MINUTES_CHARS, TEXT_CHARS

from .models import PrivacySettings


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
