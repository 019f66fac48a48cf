"""A center's business as records (seed 001 §4, §6) and what it reports to the city (§2 (6)).

Consultations name no one: the center's own 管理番号 finds the person again, as for cases.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from tsunagu.cases.models import Case
from tsunagu.lib.fiscal import fiscal_year, format_fiscal_year
from tsunagu.lib.model_fields import optional_foreign_key
from tsunagu.lib.wareki import era_year
from tsunagu.organizations.models import Center, Municipality, TenantModel

from .choices import (
    Consulter,
    EventKind,
    FollowUp,
    Method,
    OutreachKind,
    OutreachList,
    Response,
    SubmissionKind,
    SubmissionStatus,
    TargetItem,
    VisitResult,
    VolunteerKind,
)

REFERENCE_HELP = "氏名ではなく、センター内の番号を入力します。"


def center_field(related_name: str, label: str = "センター", *, on_delete=models.PROTECT):
    """The center a record belongs to."""
    return models.ForeignKey(
        Center, verbose_name=label, on_delete=on_delete, related_name=related_name
    )


def recorder_field(label: str = "記録者"):
    """The login that recorded a row (kept empty when the login is removed)."""
    return optional_foreign_key(
        settings.AUTH_USER_MODEL, verbose_name=label, on_delete=models.SET_NULL, related_name="+"
    )


def person_ref_field():
    return models.CharField("管理番号", max_length=50, help_text=REFERENCE_HELP)


class BusinessSettings(models.Model):
    """What each city decides for its oversight."""

    municipality = models.OneToOneField(
        Municipality, verbose_name="市町村", on_delete=models.CASCADE, related_name="+"
    )
    monthly_due_day = models.PositiveSmallIntegerField(
        "月次報告の提出期限（翌月の日）",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )

    class Meta:
        verbose_name = "センター業務の設定"
        verbose_name_plural = "センター業務の設定"

    def __str__(self):
        return f"{self.municipality}の設定"


class ConsultationCategory(TenantModel):
    """A 区分 of consultations; the city keeps the list."""

    name = models.CharField("区分", max_length=50)
    sort_order = models.PositiveSmallIntegerField("表示順", default=0)
    # The municipality is the body responsible for abuse (高齢者虐待防止法): its staff see these.
    is_abuse = models.BooleanField("虐待（疑い）として市も閲覧", default=False)
    leads_to_case = models.BooleanField("困難事例（個別会議の事例にできる）", default=False)

    class Meta:
        verbose_name = "相談の区分"
        verbose_name_plural = "相談の区分"
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="consultation_category_unique"
            ),
        ]

    def __str__(self):
        return self.name


class Consultation(TenantModel):
    """One 総合相談 (seed 001 §4 (1) ①)."""

    same_tenant_fields = ("center", "case")

    center = center_field("consultations")
    received_on = models.DateField("受付日", db_index=True)
    method = models.CharField("方法", max_length=20, choices=Method.choices)
    consulter = models.CharField("相談者", max_length=20, choices=Consulter.choices)
    categories = models.ManyToManyField(
        ConsultationCategory, verbose_name="区分", related_name="consultations"
    )
    person_ref = person_ref_field()
    response = models.CharField("対応", max_length=20, choices=Response.choices)
    summary = models.TextField("概要", max_length=2000, blank=True)
    follow_up = models.CharField(
        "経過", max_length=10, choices=FollowUp.choices, default=FollowUp.CLOSED
    )
    # The case this consultation became (困難事例 → 地域ケア個別会議). The link lives here so
    # that cases need not know about consultations.
    case = optional_foreign_key(
        Case,
        verbose_name="個別会議の事例",
        on_delete=models.SET_NULL,
        related_name="source_consultations",
    )
    created_by = recorder_field()
    created_at = models.DateTimeField("記録日時", auto_now_add=True)

    class Meta:
        verbose_name = "総合相談"
        verbose_name_plural = "総合相談"
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["municipality", "center", "received_on"])]

    def __str__(self):
        return f"総合相談 {self.received_on:%Y-%m-%d} {self.person_ref}"


class ContactRecord(models.Model):
    """One contact in continuing support (seed 001 §4 (1) ①イ)."""

    consultation = models.ForeignKey(
        Consultation, verbose_name="相談", on_delete=models.CASCADE, related_name="contacts"
    )
    contacted_on = models.DateField("日付")
    method = models.CharField("方法", max_length=20, choices=Method.choices)
    note = models.TextField("内容", max_length=2000)
    created_by = recorder_field()
    created_at = models.DateTimeField("記録日時", auto_now_add=True)

    class Meta:
        verbose_name = "継続支援の記録"
        verbose_name_plural = "継続支援の記録"
        ordering = ["contacted_on", "id"]

    def __str__(self):
        return f"{self.contacted_on:%Y-%m-%d} {self.get_method_display()}"


class OutreachTarget(TenantModel):
    """One person on a year's 実態把握 / 介護予防把握 list, by 管理番号 (seed 001 §4 (8))."""

    same_tenant_fields = ("center",)

    center = center_field("outreach_targets")
    fiscal_year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("事業", max_length=20, choices=OutreachKind.choices)
    source_list = models.CharField("リスト", max_length=10, choices=OutreachList.choices)
    person_ref = person_ref_field()

    class Meta:
        verbose_name = "把握の対象者"
        verbose_name_plural = "把握の対象者"
        ordering = ["source_list", "person_ref"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "fiscal_year", "kind", "person_ref"],
                name="outreach_target_unique",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.person_ref}"


class OutreachVisit(TenantModel):
    """A visit for 実態把握 or 介護予防把握, on a list or not (見守り, a neighbour's call)."""

    same_tenant_fields = ("center",)

    center = center_field("outreach_visits")
    kind = models.CharField("事業", max_length=20, choices=OutreachKind.choices)
    target = optional_foreign_key(
        OutreachTarget, verbose_name="対象者", on_delete=models.SET_NULL, related_name="visits"
    )
    person_ref = person_ref_field()
    visited_on = models.DateField("訪問日", db_index=True)
    result = models.CharField("結果", max_length=10, choices=VisitResult.choices)
    watch_household = models.BooleanField("高齢者見守り事業の世帯", default=False)
    note = models.CharField("メモ", max_length=200, blank=True)

    class Meta:
        verbose_name = "把握の訪問"
        verbose_name_plural = "把握の訪問"
        ordering = ["-visited_on", "-id"]

    def __str__(self):
        return f"{self.visited_on:%Y-%m-%d} {self.person_ref}"


class Event(TenantModel):
    """A course, event or training (seed 001 §4 (6),(7),(9)–(12); 基幹型 (13),(14))."""

    same_tenant_fields = ("center",)

    center = center_field("business_events")
    kind = models.CharField("種別", max_length=30, choices=EventKind.choices)
    held_on = models.DateField("開催日", db_index=True)
    title = models.CharField("名称", max_length=100)
    place = models.CharField("会場", max_length=100, blank=True)
    organiser = models.CharField("主催・講師", max_length=100, blank=True)
    caravan_mate = models.CharField(
        "キャラバンメイト", max_length=100, blank=True, help_text="認知症サポーター養成講座の講師"
    )
    participants = models.PositiveIntegerField("参加者数")
    # Headcount by category, no names: {"住民": 12, "家族": 3}.
    headcount = models.JSONField("参加者の内訳", default=dict, blank=True)

    class Meta:
        verbose_name = "講座・行事・研修"
        verbose_name_plural = "講座・行事・研修"
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class Volunteer(TenantModel):
    """A registered volunteer (特別対策 (6),(7)). Volunteers are helpers, not clients."""

    same_tenant_fields = ("center",)

    center = center_field("volunteers", "登録センター")
    kind = models.CharField("種別", max_length=20, choices=VolunteerKind.choices)
    number = models.CharField("登録番号", max_length=20)
    name = models.CharField("氏名", max_length=50)
    registered_on = models.DateField("登録日")

    class Meta:
        verbose_name = "ボランティア"
        verbose_name_plural = "ボランティア"
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "number"], name="volunteer_number_unique"
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.name}"


class VolunteerActivity(models.Model):
    volunteer = models.ForeignKey(
        Volunteer, verbose_name="ボランティア", on_delete=models.CASCADE, related_name="activities"
    )
    done_on = models.DateField("活動日", db_index=True)
    programme = models.CharField("活動先・事業", max_length=100)
    points = models.PositiveSmallIntegerField("ポイント", validators=[MaxValueValidator(100)])

    class Meta:
        verbose_name = "ボランティア活動"
        verbose_name_plural = "ボランティア活動"
        ordering = ["-done_on", "-id"]

    def __str__(self):
        return f"{self.done_on:%Y-%m-%d} {self.programme} {self.points}pt"


class YearTarget(TenantModel):
    """A yearly number from a center's 事業計画書."""

    same_tenant_fields = ("center",)

    center = center_field("year_targets", on_delete=models.CASCADE)
    fiscal_year = models.PositiveSmallIntegerField("年度")
    item = models.CharField("項目", max_length=30, choices=TargetItem.choices)
    target = models.PositiveIntegerField("目標")

    class Meta:
        verbose_name = "年間目標"
        verbose_name_plural = "年間目標"
        constraints = [
            models.UniqueConstraint(
                fields=["center", "fiscal_year", "item"], name="year_target_unique"
            ),
        ]

    def __str__(self):
        return f"{self.center} {self.fiscal_year} {self.get_item_display()} {self.target}"


class Guidance(TenantModel):
    """基幹型's 指導・助言 to a center (seed 001 §3 (4)).

    The center comes from a form's choice, so its tenant is checked by the service (a model
    check would fail on an empty choice before the form could say so)."""

    center = center_field("guidance", "対象センター")
    given_on = models.DateField("実施日")
    topic = models.CharField("テーマ", max_length=100)
    content = models.TextField("内容", max_length=4000)
    given_by = recorder_field()

    class Meta:
        verbose_name = "指導・助言"
        verbose_name_plural = "指導・助言"
        ordering = ["-given_on", "-id"]

    def __str__(self):
        return f"{self.given_on:%Y-%m-%d} {self.topic}"


class Submission(TenantModel):
    """A report a center submits to the city: monthly, the plan, or the year's report.

    `period_start` is the month's first day, or April 1st of the 年度. Once submitted, the
    figures are kept as they were compiled and nothing of the period may change until the
    city returns it.
    """

    same_tenant_fields = ("center",)

    center = center_field("submissions")
    kind = models.CharField("報告", max_length=10, choices=SubmissionKind.choices)
    period_start = models.DateField("対象期間の初日")
    status = models.CharField(
        "状態",
        max_length=10,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
        db_index=True,
    )
    remarks = models.TextField("センターの所見・特記事項", max_length=4000, blank=True)
    figures = models.JSONField("提出時の数値", default=dict, blank=True)
    city_comment = models.TextField("市のコメント", max_length=4000, blank=True)
    submitted_at = models.DateTimeField("提出日時", null=True, blank=True)
    decided_at = models.DateTimeField("受理・差戻し日時", null=True, blank=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = "報告書"
        verbose_name_plural = "報告書"
        ordering = ["-period_start", "center_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "kind", "period_start"], name="submission_unique"
            ),
        ]

    def __str__(self):
        return f"{self.center} {self.get_kind_display()} {self.period_label}"

    @property
    def period_label(self) -> str:
        if self.kind == SubmissionKind.MONTHLY:
            return month_label(self.period_start)
        return format_fiscal_year(fiscal_year(self.period_start))

    @property
    def is_locked(self) -> bool:
        return self.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)

    def clean(self):
        super().clean()
        if self.period_start and self.period_start.day != 1:
            raise ValidationError({"period_start": "対象期間は月の初日で指定します。"})
        if (
            self.kind in (SubmissionKind.PLAN, SubmissionKind.ANNUAL)
            and self.period_start
            and self.period_start.month != 4
        ):
            raise ValidationError({"period_start": "年度の報告は4月1日から始まります。"})


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """First day of the month and first day of the next (Asia/Tokyo dates)."""
    first = datetime.date(year, month, 1)
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return first, following


def month_label(day: datetime.date) -> str:
    """「令和8年10月」"""
    era, year = era_year(day)
    return f"{era}{'元' if year == 1 else year}年{day.month}月"
