from django import forms
from django.core.validators import MaxLengthValidator
from django.db.models import Q

from tsunagu.lib.fields import ModelIdsField, WarekiDateField
from tsunagu.lib.limits import TOO_LONG
from tsunagu.lib.period import PeriodForm
from tsunagu.meetings.choices import Level as MeetingLevel
from tsunagu.meetings.models import Meeting
from tsunagu.organizations.forms import TenantForm
from tsunagu.organizations.models import Area

from .choices import LEVEL_RANK, Level
from .models import CommunityIssue, IssueDiscussion, IssueTag, Milestone, Proposal, Theme
from .textmining import MAX_TEXT_CHARS


def too_long(text: str) -> str:
    return (
        f"文章が長すぎます（{len(text):,}文字）。"
        f"{MAX_TEXT_CHARS:,}文字以内に分けて入力してください。"
    )


class LimitedTextMixin:
    """Free-text fields: huge pasted text gets a clear message instead of a slow page (and
    keeps what was typed); the views also offer them masked when they hold identifiers.

    The limit is the model field's (lib/limits.py), never more than text mining reads."""

    free_text_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.free_text_fields:
            field = self.fields[name]
            field.max_length = min(field.max_length or MAX_TEXT_CHARS, MAX_TEXT_CHARS)
            field.widget.attrs["maxlength"] = str(field.max_length)
            field.validators = [
                *(v for v in field.validators if not isinstance(v, MaxLengthValidator)),
                MaxLengthValidator(field.max_length, TOO_LONG),
            ]


class ThemeForm(TenantForm):
    class Meta:
        model = Theme
        fields = ["name", "sort_order", "active"]


def active_themes(municipality):
    return Theme.objects.filter(municipality=municipality, active=True)


class IssueForm(LimitedTextMixin, TenantForm):
    free_text_fields = ("description",)
    opened_on = WarekiDateField(label="提起日")

    class Meta:
        model = CommunityIssue
        fields = ["title", "theme", "level", "area", "status", "description", "opened_on"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, municipality=municipality, **kwargs)
        self.fields["theme"].queryset = Theme.objects.filter(municipality=municipality)


class TagForm(LimitedTextMixin, forms.ModelForm):
    free_text_fields = ("note",)

    class Meta:
        model = IssueTag
        fields = ["theme", "issue", "note"]
        widgets = {"note": forms.TextInput(attrs={"autocomplete": "off"})}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = active_themes(municipality)
        self.fields["issue"].queryset = CommunityIssue.objects.filter(
            municipality=municipality
        ).order_by("title")
        self.fields["issue"].required = False
        self.fields["issue"].help_text = "すでに登録されている課題に結び付ける場合に選びます。"


class TagEditForm(LimitedTextMixin, forms.ModelForm):
    """A recorded tag changed afterwards: its theme, its note (through the same masking step
    as the tagging form) and the issue it is linked to (another one, or none). A field the
    POST leaves out keeps its recorded value, so that a form offering only the issue works."""

    free_text_fields = ("note",)

    class Meta:
        model = IssueTag
        fields = ["theme", "issue", "note"]
        widgets = {"note": forms.TextInput(attrs={"autocomplete": "off"})}

    def __init__(self, data=None, *args, municipality, instance=None, **kwargs):
        if data is not None and instance is not None:
            data = data.copy()
            if "theme" not in data:
                data["theme"] = str(instance.theme_id)
            if "note" not in data:
                data["note"] = instance.note
        super().__init__(data, *args, instance=instance, **kwargs)
        themes = active_themes(municipality)
        if instance is not None and instance.theme_id:
            # A theme retired since the tag was made stays selectable for this tag.
            themes = Theme.objects.filter(municipality=municipality).filter(
                Q(active=True) | Q(pk=instance.theme_id)
            )
        self.fields["theme"].queryset = themes
        self.fields["theme"].empty_label = None
        self.fields["issue"].queryset = CommunityIssue.objects.filter(
            municipality=municipality
        ).order_by("title")
        self.fields["issue"].required = False
        self.fields["issue"].empty_label = "結び付けない"


class EscalateForm(forms.Form):
    """Raise the chosen lower issues into an existing higher issue, or a new one."""

    issues = ModelIdsField(
        label="提起する課題",
        queryset=CommunityIssue.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    into = forms.ModelChoiceField(
        label="提起先（既存の課題）",
        queryset=CommunityIssue.objects.none(),
        required=False,
        help_text="新しい課題を作る場合は空欄にして、下に課題名を入力します。",
    )
    title = forms.CharField(label="新しい課題の課題名", max_length=120, required=False)
    level = forms.ChoiceField(
        label="新しい課題のレベル",
        choices=[(Level.CITY, Level.CITY.label), (Level.PREFECTURE, Level.PREFECTURE.label)],
        initial=Level.CITY,
    )
    theme = forms.ModelChoiceField(
        label="新しい課題のテーマ", queryset=Theme.objects.none(), required=False
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        issues = CommunityIssue.objects.filter(municipality=municipality)
        self.fields["issues"].queryset = issues.exclude(level=Level.PREFECTURE)
        self.fields["into"].queryset = issues.exclude(level=Level.INDIVIDUAL).order_by("title")
        self.fields["theme"].queryset = active_themes(municipality)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("into") and not cleaned.get("title"):
            raise forms.ValidationError("提起先の課題を選ぶか、新しい課題名を入力してください。")
        if not cleaned.get("into") and not cleaned.get("theme"):
            self.add_error("theme", "新しい課題のテーマを選んでください。")
        into = cleaned.get("into")
        for issue in cleaned.get("issues") or []:
            if into is not None and issue.pk == into.pk:
                raise forms.ValidationError(
                    f"「{issue.title}」をそれ自身へ提起することはできません。"
                )
            if into is None and LEVEL_RANK[issue.level] >= LEVEL_RANK[cleaned.get("level", "")]:
                raise forms.ValidationError(
                    f"「{issue.title}」は新しい課題と同じか上のレベルです。"
                )
        return cleaned


class DiscussionForm(LimitedTextMixin, forms.ModelForm):
    free_text_fields = ("discussion", "conclusion")

    class Meta:
        model = IssueDiscussion
        fields = ["meeting", "discussion", "conclusion"]
        widgets = {
            "discussion": forms.Textarea(attrs={"rows": 4}),
            "conclusion": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        # 推進会議・市の会議 (圏域 and 市 levels) are where issues are put on the agenda.
        self.fields["meeting"].queryset = (
            Meeting.objects.filter(
                municipality=municipality,
                meeting_type__level__in=[MeetingLevel.AREA, MeetingLevel.CITY],
            )
            .select_related("meeting_type__host_organization", "center", "municipality")
            .order_by("-date")
        )


class ProposalForm(LimitedTextMixin, forms.ModelForm):
    free_text_fields = ("description", "result")
    required_css_class = "required"

    class Meta:
        model = Proposal
        fields = [
            "kind",
            "title",
            "parent",
            "owner",
            "target_body",
            "status",
            "progress",
            "weight",
            "description",
            "result",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "result": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, issue, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.issue = issue
        self.instance.municipality_id = issue.municipality_id
        self.fields["parent"].queryset = issue.proposals.exclude(pk=self.instance.pk)
        self.fields["progress"].widget.attrs.update({"min": 0, "max": 100})

    def clean_progress(self):
        progress = self.cleaned_data["progress"]
        if progress is not None and not 0 <= progress <= 100:
            raise forms.ValidationError("進捗は0〜100の数で入力してください。")
        return progress


class MilestoneForm(forms.ModelForm):
    due_on = WarekiDateField(label="予定日")
    done_on = WarekiDateField(label="達成日", required=False)

    class Meta:
        model = Milestone
        fields = ["title", "due_on", "done_on"]


class IssueFilterForm(forms.Form):
    q = forms.CharField(label="検索", required=False, max_length=200)
    theme = forms.ModelChoiceField(label="テーマ", queryset=Theme.objects.none(), required=False)
    level = forms.ChoiceField(
        label="レベル", choices=[("", "すべて"), *Level.choices], required=False
    )
    status = forms.ChoiceField(label="状況", required=False)
    area = forms.ModelChoiceField(label="圏域", queryset=Area.objects.none(), required=False)
    order = forms.ChoiceField(
        label="並び順",
        choices=[("open", "提起が古い順"), ("new", "新しい順"), ("evidence", "事例が多い順")],
        required=False,
    )

    def __init__(self, *args, municipality, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.filter(municipality=municipality)
        self.fields["area"].queryset = Area.objects.filter(municipality=municipality)
        self.fields["status"].choices = [("", "すべて"), ("open", "未解決すべて"), *statuses]


class MiningForm(PeriodForm):
    SOURCES = [("advice", "助言"), ("minutes", "議事録・支援方針"), ("issues", "地域課題の記述")]

    area = forms.ModelChoiceField(
        label="圏域", queryset=Area.objects.none(), required=False, empty_label="市全体"
    )
    sources = forms.MultipleChoiceField(
        label="対象",
        choices=SOURCES,
        initial=["advice", "minutes", "issues"],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(municipality=municipality)
