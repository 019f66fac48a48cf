from django import forms
from django.forms import inlineformset_factory
from django.urls import reverse

from tsunagu.lib.fields import ModelIdsField, WarekiDateField
from tsunagu.lib.params import parse_id
from tsunagu.organizations.forms import TenantForm
from tsunagu.organizations.models import Area, Organization, Person

from . import access
from .choices import WEEKDAY_CHOICES, ResourceKind
from .models import COORDINATORS, Activity, Need, Resource, ResourcePlace, normalize_postal_code

MAX_IMPORT_BYTES = 5 * 1024 * 1024


def mask_from(values) -> int:
    return sum(1 << int(value) for value in values)


def values_from(mask: int) -> list[str]:
    return [str(i) for i in range(7) if mask & (1 << i)]


class WeekdaysField(forms.MultipleChoiceField):
    """Weekday checkboxes, stored as a bit mask (月=1, 火=2, 水=4 …)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", WEEKDAY_CHOICES)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return values_from(value) if isinstance(value, int) else value

    def clean(self, value):
        return mask_from(super().clean(value))


class ResourceForm(TenantForm):
    last_confirmed_on = WarekiDateField(label="最終確認日", required=False)

    class Meta:
        model = Resource
        fields = [
            "name",
            "kind",
            "description",
            "provider",
            "provider_name",
            "areas",
            "schedule_text",
            "eligibility",
            "cost",
            "capacity",
            "phone",
            "email",
            "status",
            "last_confirmed_on",
        ]
        field_classes = {"areas": ModelIdsField}
        widgets = {
            "areas": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, municipality=municipality, **kwargs)
        self.fields["provider"].queryset = Organization.objects.filter(municipality=municipality)
        self.fields["areas"].queryset = Area.objects.filter(municipality=municipality)

    # Duplicates (same name, provider and area) are refused by services.save_resource, whose
    # message the view shows on this form: one check, inside the saving transaction.


class PlaceForm(forms.ModelForm):
    class Meta:
        model = ResourcePlace
        fields = ["name", "postal_code", "address"]

    def clean_postal_code(self):
        return normalize_postal_code(self.cleaned_data["postal_code"])


PlaceFormSet = inlineformset_factory(
    Resource, ResourcePlace, form=PlaceForm, extra=1, max_num=10, can_delete=True
)


class ResourceFilterForm(forms.Form):
    """The list's search: free text, area, kind, weekday, status and stale only."""

    q = forms.CharField(label="検索", required=False, max_length=200)
    area = forms.ModelChoiceField(
        label="圏域", queryset=Area.objects.none(), required=False, empty_label="すべて"
    )
    kind = forms.ChoiceField(
        label="種別", required=False, choices=[("", "すべて"), *ResourceKind.choices]
    )
    weekday = forms.ChoiceField(
        label="曜日", required=False, choices=[("", "すべて"), *WEEKDAY_CHOICES]
    )
    status = forms.ChoiceField(
        label="状態",
        required=False,
        choices=[("", "すべて"), ("active", "運営中"), ("paused", "休止"), ("ended", "終了")],
    )
    stale = forms.BooleanField(label="1年以上未確認のみ", required=False)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(municipality=municipality)


class NeedForm(TenantForm):
    weekdays = WeekdaysField(label="希望する曜日")
    case_code = forms.CharField(
        label="事例番号",
        required=False,
        max_length=30,
        help_text="個別事例から把握したときの事例番号（事例の内容はここには表示されません）",
    )
    recorded_on = WarekiDateField(label="把握日")

    class Meta:
        model = Need
        fields = [
            "area",
            "kind",
            "people",
            "weekdays",
            "source",
            "case_code",
            "meeting",
            "note",
            "recorded_by",
            "recorded_on",
            "status",
            "met_by",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, member, meeting_search: str = "", **kwargs):
        super().__init__(*args, municipality=member.municipality, **kwargs)
        self.member = member
        self.fields["area"].empty_label = None
        # Changing the 圏域 reloads the meeting list (its template holds the search box).
        self.fields["area"].widget.attrs.update(
            {
                "hx-get": reverse("resources:need_meeting_options"),
                "hx-trigger": "change",
                "hx-target": "#need-meeting-select",
                "hx-include": "#id_meeting, #id_meeting_q",
            }
        )
        self.fields["meeting"].template_name = "resources/_need_meeting_field.html"
        # The meetings follow the 圏域 shown: the one posted, else the need's, else the first
        # of the list (the select has no empty choice, so a new need starts on it). The page
        # reloads the list when the 圏域 changes (need_meeting_options).
        if self.is_bound:
            area_id = parse_id(self.data.get(self.add_prefix("area")))
        else:
            area_id = parse_id(self.initial.get("area"))
        if area_id is None:
            area_id = self.fields["area"].queryset.values_list("pk", flat=True).first()
        # The meeting already chosen, or posted (from a list reloaded in the page), stays.
        keep = [self.instance.meeting_id]
        if self.is_bound:
            keep.append(parse_id(self.data.get(self.add_prefix("meeting"))))
        else:
            keep.append(parse_id(self.initial.get("meeting")))
        self.fields["meeting"].queryset = access.meetings_for_need(
            member, area_id=area_id, keep=keep, search=meeting_search
        )
        self.fields["meeting"].help_text = (
            "選んだ圏域のセンターと市の、この1年と今後3か月の会議を新しい順に表示します。"
            "上の欄で会議体・センター・会場・日付（R8.5.10 など）で絞り込めます。"
        )
        self.fields["recorded_by"].queryset = Person.objects.filter(
            municipality=member.municipality
        )
        self.fields["met_by"].queryset = Resource.objects.filter(municipality=member.municipality)
        if self.instance.case_id:
            self.initial.setdefault("case_code", self.instance.case.code)

    def clean_case_code(self):
        code = self.cleaned_data["case_code"].strip()
        if not code:
            return None
        # Among the cases the member is in scope for: another center's case is "not found",
        # exactly as one that does not exist.
        case = access.case_by_code(self.member, code)
        if case is None:
            raise forms.ValidationError(f"事例番号「{code}」の事例が見つかりません。")
        return case

    def _post_clean(self):
        self.instance.case = self.cleaned_data.get("case_code")
        super()._post_clean()


class ActivityForm(TenantForm):
    date = WarekiDateField(label="実施日")

    class Meta:
        model = Activity
        fields = ["coordinator", "date", "kind", "area", "title", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, municipality=municipality, **kwargs)
        self.fields["coordinator"].queryset = Person.objects.filter(
            municipality=municipality, profession__in=COORDINATORS
        )


class MatchForm(forms.Form):
    """The days a person can go, and the kind wanted (matching from a case)."""

    kind = forms.ChoiceField(
        label="種別", required=False, choices=[("", "すべて"), *ResourceKind.choices]
    )
    days = WeekdaysField(label="行ける曜日")


class ImportForm(forms.Form):
    file = forms.FileField(label="ファイル（.csv / .xlsx / .tsv）")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload is not None and upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("ファイルが大きすぎます（5MBまで）。")
        return upload
