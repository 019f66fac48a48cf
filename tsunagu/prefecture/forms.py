from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator

from tsunagu.lib.fields import WarekiDateField
from tsunagu.organizations.choices import Profession
from tsunagu.organizations.models import Area, Person

from .choices import SLOT_CHOICES
from .models import AdviserProfile, PrefectureMembership, Training, TrainingAttendee


def to_mask(values) -> int:
    return sum(1 << int(value) for value in values)


def from_mask(mask: int) -> list[str]:
    return [value for value, _ in SLOT_CHOICES if mask & (1 << int(value))]


class AvailabilityMixin(forms.ModelForm):
    slots = forms.MultipleChoiceField(
        label="対応できる曜日・時間帯",
        choices=SLOT_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="午前は12時より前に始まる会議、午後は12時以降に始まる会議です。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slots"].initial = from_mask(self.instance.availability)

    def clean(self):
        cleaned = super().clean()
        self.instance.availability = to_mask(cleaned.get("slots") or [])
        return cleaned


class AdviserForm(AvailabilityMixin):
    """The pool entry, as the prefecture or its coordinator registers it."""

    username = forms.CharField(
        label="ログインID",
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="本人がログインに使うID。新しいIDの場合、パスワードはシステム管理者が設定します。",
    )

    class Meta:
        model = AdviserProfile
        fields = [
            "name",
            "furigana",
            "profession",
            "association",
            "affiliation",
            "municipalities",
            "areas",
            "monthly_limit",
            "is_active",
            "note",
        ]
        widgets = {
            "municipalities": forms.CheckboxSelectMultiple,
            "areas": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, prefecture, associations=None, **kwargs):
        super().__init__(*args, **kwargs)
        places_of_prefecture(self, prefecture)
        if self.instance.pk:
            del self.fields["username"]
        if associations is not None:
            # A coordinator registers the advisers of the associations it coordinates only.
            self.fields["association"] = forms.ChoiceField(
                label="所属団体",
                choices=[(name, name) for name in associations],
                help_text="派遣調整を担当している団体から選びます。",
            )


def places_of_prefecture(form, prefecture) -> None:
    """The municipalities and areas of the prefecture, as the choices of where to go."""
    form.fields["municipalities"].queryset = prefecture.municipalities
    form.fields["areas"].queryset = Area.objects.filter(
        municipality__code__startswith=prefecture.code
    ).select_related("municipality")
    form.fields["areas"].label_from_instance = lambda a: f"{a.municipality}・{a.name}"


# What the pool's editors keep, not the professional.
KEPT_BY_THE_POOL = {"profession", "association"}


class OwnAvailabilityForm(AvailabilityMixin):
    """What the professional keeps up to date themselves: their profile, where they can go,
    when and how often (profession and association are kept by the pool's editors)."""

    class Meta:
        model = AdviserProfile
        fields = [name for name in AdviserForm.Meta.fields if name not in KEPT_BY_THE_POOL]
        widgets = AdviserForm.Meta.widgets

    def __init__(self, *args, prefecture, **kwargs):
        super().__init__(*args, **kwargs)
        places_of_prefecture(self, prefecture)


class DispatchRequestForm(forms.Form):
    profession = forms.ChoiceField(
        label="職種",
        choices=[
            (value, label)
            for value, label in Profession.choices
            if value
            in {
                "physiotherapist",
                "occupational_therapist",
                "speech_therapist",
                "dietitian",
                "dental_hygienist",
                "pharmacist",
                "physician",
                "dentist",
                "nurse",
                "social_worker",
                "chief_care_manager",
                "public_health_nurse",
            }
        ],
    )
    note = forms.CharField(
        label="依頼内容",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
        help_text="期待する助言の観点など。事例の内容（個人が分かること）は書かないでください。",
    )


class AssignForm(forms.Form):
    adviser = forms.IntegerField(widget=forms.HiddenInput)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=200, required=False)


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", "承諾する"), ("decline", "辞退する")])
    reason = forms.CharField(label="辞退の理由", max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answer") == "decline" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "辞退の理由を入力してください。")
        return cleaned


class TrainingForm(forms.ModelForm):
    held_on = WarekiDateField(label="開催日")

    class Meta:
        model = Training
        fields = ["kind", "title", "held_on", "venue"]


class AttendeeForm(forms.ModelForm):
    """A participant: a pooled adviser, a person of one of the prefecture's municipalities,
    or just a name and affiliation."""

    adviser = forms.ModelChoiceField(
        label="派遣アドバイザー", queryset=AdviserProfile.objects.none(), required=False
    )
    person = forms.ModelChoiceField(
        label="市町村の名簿の人", queryset=Person.objects.none(), required=False
    )

    class Meta:
        model = TrainingAttendee
        fields = ["name", "affiliation", "completed"]

    def __init__(self, *args, prefecture, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["adviser"].queryset = AdviserProfile.objects.filter(prefecture=prefecture)
        self.fields["person"].queryset = Person.objects.filter(
            municipality__code__startswith=prefecture.code
        ).select_related("municipality")
        self.fields["person"].label_from_instance = lambda p: (
            f"{p.municipality}・{p.name}（{p.get_profession_display()}）"
        )

    def clean(self):
        cleaned = super().clean()
        chosen = [k for k in ("adviser", "person") if cleaned.get(k)]
        if len(chosen) > 1:
            raise forms.ValidationError("アドバイザーか名簿の人のどちらか一方を選んでください。")
        adviser = cleaned.get("adviser")
        if adviser is not None:
            # Copied onto the instance by the model form after this method.
            self.instance.user_id = adviser.user_id
            cleaned["name"] = adviser.name
            cleaned["affiliation"] = cleaned.get("affiliation") or adviser.association
        elif cleaned.get("person") is not None:
            self.instance.person = cleaned["person"]
            cleaned["name"] = cleaned["person"].name
        elif not (cleaned.get("name") or "").strip():
            raise forms.ValidationError("受講者を選ぶか、氏名を入力してください。")
        return cleaned


class PrefectureMemberForm(forms.ModelForm):
    username = forms.CharField(
        label="ログインID", max_length=150, validators=[UnicodeUsernameValidator()]
    )
    full_name = forms.CharField(label="氏名", max_length=50)

    class Meta:
        model = PrefectureMembership
        fields = ["role", "association", "member_associations"]
        widgets = {"member_associations": forms.Textarea(attrs={"rows": 3})}
