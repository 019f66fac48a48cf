import calendar
import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone

from tsunagu.lib.limits import TEXT_CHARS, date_validators, number_validators, text_validators
from tsunagu.lib.model_fields import optional_foreign_key
from tsunagu.meetings.models import Attendance, Meeting, MeetingType
from tsunagu.organizations.models import Center, Municipality, Person, TenantModel

from .choices import (
    LIFE_SUPPORT_THRESHOLDS,
    UNFINISHED_ACTION,
    ActionStatus,
    AgeBand,
    AssessmentItem,
    CareLevel,
    CaseStatus,
    CaseType,
    Current,
    GoalAchievement,
    Household,
    Outcome,
    Prospect,
    ServiceType,
    Sex,
)


class Case(TenantModel):
    """One older person's situation, anonymised: the person's name is never stored here.

    The center keeps its own reference (its file number) so it can find the person again.
    """

    # The free-text fields of a case, what could describe the person: checked for personal
    # identifiers before saving (forms), erased when the retention period ends (services).
    FREE_TEXT_FIELDS = (
        "main_diseases",
        "wishes",
        "question",
        "exercise",
        "oral",
        "nutrition",
        "cognition",
        "social",
    )

    same_tenant_fields = ("center", "care_manager")

    code = models.CharField("事例番号", max_length=30, editable=False)
    center = models.ForeignKey(
        Center, verbose_name="担当センター", on_delete=models.PROTECT, related_name="cases"
    )
    center_reference = models.CharField(
        "センターの管理番号",
        max_length=50,
        blank=True,
        help_text="氏名ではなく、センター内の番号を入力します。",
    )
    care_manager = optional_foreign_key(
        Person, verbose_name="担当介護支援専門員", on_delete=models.SET_NULL, related_name="cases"
    )
    status = models.CharField(
        "状態", max_length=20, choices=CaseStatus.choices, default=CaseStatus.DRAFT, db_index=True
    )
    case_type = models.CharField("事例の種類", max_length=20, choices=CaseType.choices)
    age_band = models.CharField("年齢", max_length=10, choices=AgeBand.choices)
    sex = models.CharField("性別", max_length=10, choices=Sex.choices)
    care_level = models.CharField("要介護度", max_length=20, choices=CareLevel.choices)
    household = models.CharField("世帯", max_length=20, choices=Household.choices)
    main_diseases = models.TextField(
        "主な疾患", max_length=TEXT_CHARS, validators=text_validators(TEXT_CHARS), blank=True
    )
    medication_count = models.PositiveSmallIntegerField(
        "服薬数（種類）", null=True, blank=True, validators=number_validators(0, 99)
    )
    wishes = models.TextField(
        "本人・家族の意向",
        max_length=TEXT_CHARS,
        validators=text_validators(TEXT_CHARS),
        blank=True,
    )
    question = models.TextField(
        "検討したい点", max_length=TEXT_CHARS, validators=text_validators(TEXT_CHARS), blank=True
    )
    exercise = models.TextField(
        "運動", max_length=TEXT_CHARS, validators=text_validators(TEXT_CHARS), blank=True
    )
    oral = models.TextField(
        "口腔", max_length=TEXT_CHARS, validators=text_validators(TEXT_CHARS), blank=True
    )
    nutrition = models.TextField(
        "栄養", max_length=TEXT_CHARS, validators=text_validators(TEXT_CHARS), blank=True
    )
    cognition = models.TextField(
        "認知", max_length=TEXT_CHARS, validators=text_validators(TEXT_CHARS), blank=True
    )
    social = models.TextField(
        "社会参加", max_length=TEXT_CHARS, validators=text_validators(TEXT_CHARS), blank=True
    )
    plan_changed_on = models.DateField(
        "ケアプランの作成・変更日", validators=date_validators(), null=True, blank=True
    )
    closed_on = models.DateField("終結日", validators=date_validators(), null=True, blank=True)
    content_purged_at = models.DateTimeField("内容の消去日時", null=True, blank=True)
    version = models.PositiveIntegerField(
        "版", default=1, help_text="同時に編集した変更の上書きを防ぎます。"
    )
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = "事例"
        verbose_name_plural = "事例"
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="case_code_unique"),
        ]
        indexes = [
            # The work list reads one page in list order, whatever the size of the city
            # (tsunagu.cases.views.case_list) ...
            models.Index(fields=["municipality", "-updated_at", "-id"], name="case_list_order"),
            # ... and, filtered by status, from this one, which also counts cases per status
            # from the index alone.
            models.Index(
                fields=["municipality", "status", "-updated_at", "-id"],
                name="case_list_status_order",
            ),
        ]

    def __str__(self):
        return f"事例 {self.code}"

    @property
    def summary(self) -> str:
        """The way cases are named at meetings: 「80〜84歳 女性 要支援2 独居」."""
        return " ".join(
            [
                self.get_age_band_display(),
                self.get_sex_display(),
                self.get_care_level_display(),
                self.get_household_display(),
            ]
        )

    @property
    def life_support_threshold(self) -> int | None:
        return LIFE_SUPPORT_THRESHOLDS.get(self.care_level)


def end_of_next_month(day: datetime.date) -> datetime.date:
    """Plans must be submitted by the end of the month after they were made or changed."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


class CarePlanService(models.Model):
    case = models.ForeignKey(
        Case, verbose_name="事例", on_delete=models.CASCADE, related_name="services"
    )
    service_type = models.CharField("サービス", max_length=30, choices=ServiceType.choices)
    monthly_count = models.PositiveSmallIntegerField(
        "月の回数", validators=number_validators(0, 300)
    )
    note = models.CharField("備考", max_length=200, blank=True)

    class Meta:
        verbose_name = "ケアプランのサービス"
        verbose_name_plural = "ケアプランのサービス"
        ordering = ["id"]

    def __str__(self):
        return f"{self.get_service_type_display()} 月{self.monthly_count}回"


class AssessmentRow(models.Model):
    """One row of the 課題整理総括表."""

    case = models.ForeignKey(
        Case, verbose_name="事例", on_delete=models.CASCADE, related_name="assessment"
    )
    item = models.CharField("項目", max_length=30, choices=AssessmentItem.choices)
    current = models.CharField("現在", max_length=20, choices=Current.choices, blank=True)
    factors = models.CharField("要因", max_length=200, blank=True)
    prospect = models.CharField(
        "改善・維持・悪化の可能性", max_length=20, choices=Prospect.choices, blank=True
    )
    note = models.CharField("備考", max_length=300, blank=True)

    class Meta:
        verbose_name = "課題整理総括表の行"
        verbose_name_plural = "課題整理総括表"
        constraints = [
            models.UniqueConstraint(fields=["case", "item"], name="assessment_item_once"),
        ]

    def __str__(self):
        return self.get_item_display()


class CaseReview(models.Model):
    """A case on a meeting's agenda. One case can come back to later meetings."""

    case = models.ForeignKey(
        Case, verbose_name="事例", on_delete=models.CASCADE, related_name="reviews"
    )
    meeting = models.ForeignKey(
        Meeting, verbose_name="会議", on_delete=models.PROTECT, related_name="case_reviews"
    )
    order = models.PositiveSmallIntegerField("順番", default=1)
    # The time the meeting plans for this case; the room's timer measures against it.
    planned_minutes = models.PositiveSmallIntegerField(
        "予定時間（分）", default=20, validators=number_validators(1, 240)
    )
    support_policy = models.TextField(
        "支援方針", max_length=TEXT_CHARS, validators=text_validators(TEXT_CHARS), blank=True
    )
    reviewed_at = models.DateTimeField("検討日時", null=True, blank=True)
    # The room's timer (会議モード): seconds used in finished stretches, and when the stretch
    # now running started (None: not running). One case runs at a time per meeting.
    seconds_used = models.PositiveIntegerField("使った時間（秒）", default=0)
    timer_started_at = models.DateTimeField("検討開始時刻", null=True, blank=True)

    class Meta:
        verbose_name = "会議での事例検討"
        verbose_name_plural = "会議での事例検討"
        ordering = ["meeting__date", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "meeting"], name="case_once_per_meeting"),
        ]
        indexes = [
            # Covers a meeting's agenda count (Meeting.with_case_count, on 統計 once per
            # meeting of the period): the cases of one meeting, read from the index alone.
            models.Index(fields=["meeting", "case"], name="case_review_agenda_count"),
        ]

    def __str__(self):
        return f"{self.case}（{self.meeting}）"

    def elapsed_seconds(self, now: datetime.datetime) -> int:
        """Time used so far, the running stretch included."""
        running = (now - self.timer_started_at).total_seconds() if self.timer_started_at else 0
        return self.seconds_used + max(0, int(running))

    @property
    def is_over(self) -> bool:
        """Past its planned minutes (the room marks it gently)."""
        return self.elapsed_seconds(timezone.now()) > self.planned_minutes * 60


class Advice(models.Model):
    review = models.ForeignKey(
        CaseReview, verbose_name="事例検討", on_delete=models.CASCADE, related_name="advice"
    )
    # The attendee who gave it (会議モード picks them); name and profession are copied so the
    # record stays as said if the attendance list changes later.
    attendance = optional_foreign_key(
        Attendance,
        verbose_name="出席者",
        on_delete=models.SET_NULL,
        related_name="advice",
    )
    adviser_name = models.CharField("助言者", max_length=50)
    profession = models.CharField(
        "職種", max_length=40, choices=Person._meta.get_field("profession").choices
    )
    text = models.TextField("助言", max_length=TEXT_CHARS, validators=text_validators(TEXT_CHARS))

    class Meta:
        verbose_name = "助言"
        verbose_name_plural = "助言"
        ordering = ["id"]

    def __str__(self):
        return f"{self.adviser_name}（{self.get_profession_display()}）"


class Action(models.Model):
    """Who does what by when (役割分担), followed up until done."""

    review = models.ForeignKey(
        CaseReview, verbose_name="事例検討", on_delete=models.CASCADE, related_name="actions"
    )
    responsible = optional_foreign_key(
        Person, verbose_name="担当者", on_delete=models.SET_NULL, related_name="actions"
    )
    responsible_label = models.CharField("担当（名簿外・機関名）", max_length=100, blank=True)
    what = models.CharField("内容", max_length=300)
    due_on = models.DateField("期限", validators=date_validators(), null=True, blank=True)
    status = models.CharField(
        "状況", max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )

    class Meta:
        verbose_name = "役割分担"
        verbose_name_plural = "役割分担"
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(responsible__isnull=False) | ~Q(responsible_label=""),
                name="action_has_someone_responsible",
            ),
        ]

    def __str__(self):
        return self.what

    @property
    def who(self) -> str:
        return str(self.responsible or self.responsible_label)

    @property
    def is_overdue(self) -> bool:
        """Past its 期限 and not finished (today in the municipality's time zone)."""
        return (
            self.due_on is not None
            and self.due_on < timezone.localdate()
            and self.status in UNFINISHED_ACTION
        )


class FollowUp(models.Model):
    """モニタリング: a check at a set interval after the review (default 3 and 6 months)."""

    review = models.ForeignKey(
        CaseReview, verbose_name="事例検討", on_delete=models.CASCADE, related_name="follow_ups"
    )
    months_after = models.PositiveSmallIntegerField("検討から何か月後")
    due_on = models.DateField("予定日", validators=date_validators())
    # Indexed: the outcome statistics count one period's follow-ups among hundreds of thousands.
    done_on = models.DateField(
        "実施日", validators=date_validators(), null=True, blank=True, db_index=True
    )
    outcome = models.CharField("結果", max_length=20, choices=Outcome.choices, blank=True)
    care_level_after = models.CharField(
        "その時点の要介護度", max_length=20, choices=CareLevel.choices, blank=True
    )
    goal = models.CharField(
        "目標の達成", max_length=20, choices=GoalAchievement.choices, blank=True
    )
    comment = models.TextField(
        "所見", max_length=TEXT_CHARS, validators=text_validators(TEXT_CHARS), blank=True
    )
    # Copies of review.case.municipality and review.meeting.meeting_type, so the outcome
    # statistics count one municipality's follow-ups from one index without joining reviews,
    # cases, meetings and bodies (see tsunagu.reports.outcomes). Set on save (below); a change
    # of a meeting's body is copied by cases.services.copy_meeting_type.
    municipality = models.ForeignKey(
        Municipality,
        verbose_name="市町村",
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
        db_index=False,  # the covering index below starts with it
    )
    meeting_type = models.ForeignKey(
        MeetingType,
        verbose_name="会議体",
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
        db_index=False,  # found through the covering index; bodies are never deleted in use
    )

    class Meta:
        verbose_name = "モニタリング"
        verbose_name_plural = "モニタリング"
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "months_after"], name="follow_up_once_per_interval"
            ),
        ]
        indexes = [
            # Covers the outcome statistics: one municipality's follow-ups done in a period,
            # grouped by body, outcome and goal, read from the index alone.
            models.Index(
                fields=["municipality", "done_on", "meeting_type", "outcome", "goal"],
                name="follow_up_outcome_stats",
            ),
        ]

    def __str__(self):
        return f"{self.months_after}か月後のモニタリング"

    def save(self, *args, **kwargs):
        if self.municipality_id is None or self.meeting_type_id is None:
            self.municipality_id, self.meeting_type_id = denormalised_for(self.review_id)
        super().save(*args, **kwargs)


def denormalised_for(review_id) -> tuple:
    """(municipality id, meeting type id) a follow-up of the review carries."""
    return (
        CaseReview.objects.filter(pk=review_id)
        .values_list("case__municipality_id", "meeting__meeting_type_id")
        .get()
    )
