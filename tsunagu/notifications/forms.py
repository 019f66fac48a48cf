from django import forms

from .models import Delivery, Kind


class PreferencesForm(forms.Form):
    """One choice per kind of notification: immediately, daily digest, or no email."""

    def __init__(self, *args, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                initial=current.get(kind.value, Delivery.IMMEDIATE),
                widget=forms.RadioSelect,
            )


class ReminderDaysForm(forms.Form):
    """For each meeting body: how many days before a meeting its reminder goes."""

    def __init__(self, *args, meeting_types, current: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        for body in meeting_types:
            self.fields[f"body_{body.pk}"] = forms.IntegerField(
                label=str(body),
                min_value=0,
                max_value=60,
                initial=current[body.pk],
                help_text="日前（0は当日）",
                error_messages={
                    "required": "日数を入力してください。",
                    "invalid": "日数は整数で入力してください。",
                    "min_value": "0日以上で入力してください。",
                    "max_value": "60日以内で入力してください。",
                },
            )

    def days(self) -> dict[int, int]:
        return {int(name.removeprefix("body_")): n for name, n in self.cleaned_data.items()}
