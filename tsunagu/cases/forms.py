from django import forms
from django.db.models import Q
from django.utils import timezone

from tsunagu.lib.concurrency import FingerprintMixin
from tsunagu.lib.fields import WarekiDateField
from tsunagu.lib.limits import TEXT_CHARS
from tsunagu.meetings.forms import SignForm
from tsunagu.meetings.models import Attendance
from tsunagu.organizations.models import Center, Person

from . import services
from .choices import AssessmentItem, current_choices
from .models import Action, Advice, AssessmentRow, CarePlanService, Case, FollowUp

# Every free-text field of a case, checked for personal identifiers before saving.
CASE_TEXT_FIELDS = list(Case.FREE_TEXT_FIELDS)


# The form's parts, in order, each a section of the page with its place in the progress
# bar above (ケアプラン and 課題整理総括表 follow as sections of their own).
CASE_SECTIONS = [
    ("basic", "基本情報", ["center", "center_reference", "care_manager", "case_type"]),
    (
        "person",
        "本人の状況",
        [
            "age_band",
            "sex",
            "care_level",
            "household",
            "main_diseases",
            "medication_count",
            "wishes",
            "question",
        ],
    ),
    (
        "life",
        "運動・口腔・栄養・認知・社会参加",
        ["exercise", "oral", "nutrition", "cognition", "social", "plan_changed_on"],
    ),
]


class CaseForm(forms.ModelForm):
    required_css_class = "required"
    SECTIONS = CASE_SECTIONS
    plan_changed_on = WarekiDateField(label="ケアプランの作成・変更日", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Case
        fields = [name for _slug, _title, names in CASE_SECTIONS for name in names]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in CASE_TEXT_FIELDS}

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        municipality = member.municipality
        self.instance.municipality = municipality
        centers = Center.objects.filter(municipality=municipality)
        if member.may("cases.view_own_center"):
            centers = centers.filter(pk=member.center_id)
        self.fields["center"].queryset = centers
        self.fields["care_manager"].queryset = Person.objects.filter(
            municipality=municipality, profession__in=["care_manager", "chief_care_manager"]
        )
        self.fields["version"].initial = self.instance.version

    def sections(self):
        """(slug, title, bound fields) for each part of the page."""
        for slug, title, names in self.SECTIONS:
            yield slug, title, [self[name] for name in names if name in self.fields]

    def cases_with_same_reference(self) -> list[str]:
        """Codes of the center's other cases filed under the same 管理番号 (a reused number is
        more often a slip than a second case of the same person, so staff are told)."""
        reference = self.instance.center_reference.strip()
        if not reference:
            return []
        return list(
            Case.objects.filter(
                municipality_id=self.instance.municipality_id,
                center_id=self.instance.center_id,
                center_reference=reference,
            )
            .exclude(pk=self.instance.pk)
            .order_by("code")
            .values_list("code", flat=True)[:5]
        )


class ServiceForm(forms.ModelForm):
    class Meta:
        model = CarePlanService
        fields = ["service_type", "monthly_count", "note"]
        error_messages = {
            "monthly_count": {
                "invalid": "回数は0以上の整数で入力してください。",
                "min_value": "回数は0以上の整数で入力してください。",
            }
        }


# One empty row; the page adds and removes rows as needed (static/js/tsunagu.js).
ServiceFormSet = forms.formset_factory(ServiceForm, extra=1, can_delete=True)


class AssessmentRowForm(forms.ModelForm):
    @property
    def item_label(self) -> str:
        return AssessmentItem(
            self.initial.get("item") or self.data.get(self.add_prefix("item"))
        ).label

    class Meta:
        model = AssessmentRow
        fields = ["item", "current", "factors", "prospect", "note"]
        widgets = {
            "item": forms.HiddenInput,
            "factors": forms.Textarea(attrs={"rows": 2, "cols": 24}),
            "note": forms.Textarea(attrs={"rows": 2, "cols": 24}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the scale that fits the row: 自立〜全介助, or 支障なし/支障あり.
        item = self.initial.get("item") or self.data.get(self.add_prefix("item"), "")
        self.fields["current"].choices = [("", "未記入"), *current_choices(item)]


AssessmentFormSet = forms.formset_factory(AssessmentRowForm, extra=0)


def assessment_initial(case: Case) -> list[dict]:
    """All rows of the 課題整理総括表, with what was recorded so far."""
    saved = {row.item: row for row in case.assessment.all()} if case.pk else {}
    return [
        {
            "item": item,
            **(
                {
                    "current": saved[item].current,
                    "factors": saved[item].factors,
                    "prospect": saved[item].prospect,
                    "note": saved[item].note,
                }
                if item in saved
                else {}
            ),
        }
        for item in AssessmentItem.values
    ]


class ReviewForm(FingerprintMixin, forms.Form):
    """The support policy of `record` (a CaseReview)."""

    fingerprint_fields = services.REVIEW_FIELDS
    support_policy = forms.CharField(
        label="支援方針", max_length=TEXT_CHARS, widget=forms.Textarea(attrs={"rows": 4})
    )


class AdviceForm(forms.ModelForm):
    class Meta:
        model = Advice
        fields = ["adviser_name", "profession", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class ActionForm(forms.ModelForm):
    due_on = WarekiDateField(label="期限", required=False)

    class Meta:
        model = Action
        fields = ["responsible", "responsible_label", "what", "due_on"]

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        # Those who take on a task are at the meeting, or are the case's care manager or its
        # center's staff; anyone else is named in the free-text field. Listing the whole
        # directory (hundreds of people) made this the slowest page under load.
        case = review.case
        self.fields["responsible"].queryset = (
            Person.objects.filter(municipality_id=case.municipality_id)
            .filter(
                Q(pk__in=review.meeting.attendances.values("person_id"))
                | Q(pk=case.care_manager_id)
                | Q(center_id=case.center_id)
            )
            .order_by("furigana", "id")
        )
        self.fields["responsible"].help_text = (
            "会議の出席者・担当の介護支援専門員・担当センターの職員から選びます。"
            "それ以外の人や機関は「担当（名簿外・機関名）」に入力します。"
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("responsible") and not cleaned.get("responsible_label"):
            self.add_error(
                "responsible", "担当者を名簿から選ぶか、担当（機関名など）を入力してください。"
            )
        return cleaned


class FollowUpForm(FingerprintMixin, forms.ModelForm):
    required_css_class = "required"
    fingerprint_fields = services.FOLLOW_UP_FIELDS
    done_on = WarekiDateField(label="実施日", required=False)

    class Meta:
        model = FollowUp
        fields = ["done_on", "outcome", "care_level_after", "goal", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].required = True
        self.fields["done_on"].help_text = "空欄は今日。先の日付は入力できません。"

    def clean_done_on(self):
        done_on = self.cleaned_data.get("done_on")
        if done_on is not None and done_on > timezone.localdate():
            raise forms.ValidationError(services.FUTURE_FOLLOW_UP)
        return done_on


# --- 会議モード: one small form per row, so one failing save never discards another --------


class AttendeeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.get_profession_display()}）"


class RoomAdviceForm(FingerprintMixin, forms.Form):
    """One attendee's advice: pick the attendee (their profession comes with them)."""

    fingerprint_fields = services.ADVICE_FIELDS
    attendance = AttendeeChoiceField(
        label="助言者",
        queryset=Attendance.objects.none(),
        empty_label="出席者を選ぶ",
        error_messages={"required": "助言した出席者を選んでください。"},
    )
    text = forms.CharField(
        label="助言",
        max_length=TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "助言を入力してください。"},
    )

    def __init__(self, *args, meeting, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendance"].queryset = meeting.attendances.all()
        if choices is not None:  # read once for every row of the page
            self.fields["attendance"].choices = choices


class RoomActionForm(FingerprintMixin, ActionForm):
    """One 役割分担 row: who (attendees and the people around the case), what, by when."""

    fingerprint_fields = services.ROOM_ACTION_FIELDS

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices is not None:  # read once for every row of the case
            self.fields["responsible"].choices = choices


class RoomSignForm(SignForm):
    """The attendee signs on the room's tablet: name typed, consent, as on paper."""


class RoomCloseForm(forms.Form):
    summary = forms.CharField(
        label="開催結果の要約",
        max_length=TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "開催結果の要約を入力してください。"},
    )
