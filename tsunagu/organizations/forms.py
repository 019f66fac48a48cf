from django import forms

from tsunagu.lib.fields import WarekiDateField
from tsunagu.lib.jtext import normalize
from tsunagu.lib.limits import EARLIEST_OPENING

from .models import Area, Center, Organization, Person


class TenantForm(forms.ModelForm):
    """A form for a row of one municipality: choices limited to it, names unique within it."""

    required_css_class = "required"

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.instance.municipality = municipality
        for name in ("area", "center", "organization"):
            if name in self.fields:
                model = self.fields[name].queryset.model
                self.fields[name].queryset = model.objects.filter(municipality=municipality)

    def clean_name(self):
        name = normalize(self.cleaned_data["name"])
        model = self._meta.model
        if getattr(model, "unique_name", True):
            same = model.objects.filter(municipality=self.municipality, name=name)
            if same.exclude(pk=self.instance.pk).exists():
                raise forms.ValidationError(
                    f"同じ名前の{model._meta.verbose_name}がすでに登録されています。"
                )
        return name


class AreaForm(TenantForm):
    class Meta:
        model = Area
        fields = ["name", "sort_order", "description"]


class CenterForm(TenantForm):
    opened_on = WarekiDateField(label="開設日", required=False, earliest=EARLIEST_OPENING)

    class Meta:
        model = Center
        fields = [
            "name",
            "area",
            "is_core",
            "operation",
            "operator",
            "opened_on",
            "address",
            "phone",
        ]

    def clean_is_core(self):
        is_core = self.cleaned_data["is_core"]
        others = Center.objects.filter(municipality=self.municipality, is_core=True)
        if is_core and others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                f"基幹型センターはすでにあります（{others.first()}）。1市町村に1か所です。"
            )
        return is_core


class OrganizationForm(TenantForm):
    class Meta:
        model = Organization
        fields = ["name", "kind", "area", "office_number", "address", "phone"]


class PersonForm(TenantForm):
    class Meta:
        model = Person
        fields = [
            "name",
            "furigana",
            "profession",
            "organization",
            "center",
            "phone",
            "email",
            "note",
        ]
