from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.cases.models import CaseReview
from tsunagu.lib.limits import (
    MINUTES_CHARS,
    TEXT_CHARS,
    date_validators,
    number_validators,
    text_validators,
)
from tsunagu.lib.model_fields import OptionalKey, optional_foreign_key
from tsunagu.meetings.models import Meeting
from tsunagu.organizations.models import Area, TenantModel

from .choices import LEVEL_RANK, IssueStatus, Level, ProposalKind, ProposalStatus


class Theme(TenantModel):
    """One theme of the municipality's community-issue taxonomy."""

    name = models.CharField("テーマ", max_length=60)
    sort_order = models.PositiveSmallIntegerField(
        "表示順", default=0, validators=number_validators(0, 9999)
    )
    active = models.BooleanField("使用中", default=True)

    class Meta:
        verbose_name = "地域課題のテーマ"
        verbose_name_plural = "地域課題のテーマ"
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="theme_name_unique"),
        ]

    def __str__(self):
        return self.name


class CommunityIssue(TenantModel):
    """A 地域課題: recurring across cases, discussed upwards until it becomes policy."""

    same_tenant_fields = ("theme", "area", "escalated_to")

    title = models.CharField("課題名", max_length=120)
    description = models.TextField(
        "内容",
        max_length=TEXT_CHARS,
        validators=text_validators(TEXT_CHARS),
        blank=True,
    )
    theme = models.ForeignKey(Theme, verbose_name="テーマ", on_delete=models.PROTECT)
    level = models.CharField("レベル", max_length=20, choices=Level.choices, default=Level.AREA)
    area = optional_foreign_key(
        Area, verbose_name="圏域", on_delete=models.PROTECT, help_text="市・県レベルの課題は空欄"
    )
    status = models.CharField(
        "状況",
        max_length=20,
        choices=IssueStatus.choices,
        default=IssueStatus.CANDIDATE,
        db_index=True,
    )
    escalated_to: "OptionalKey[CommunityIssue]" = optional_foreign_key(
        "self",
        verbose_name="提起先の課題",
        on_delete=models.SET_NULL,
        related_name="escalated_from",
    )
    opened_on = models.DateField("提起日", validators=date_validators(), default=timezone.localdate)
    # Kept by the tagging services, so that the register sorts by evidence without counting
    # hundreds of thousands of tags on every page.
    case_count = models.PositiveIntegerField("事例数", default=0, editable=False)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = "地域課題"
        verbose_name_plural = "地域課題"
        ordering = ["opened_on", "id"]
        indexes = [
            models.Index(fields=["municipality", "status", "opened_on"]),
            models.Index(fields=["municipality", "case_count"]),
        ]

    def save(self, *args, **kwargs):
        # 事例数 is written by services.recount_cases alone: an edit saved from a copy loaded
        # before a recount (escalating, changing the status) must not put back a stale count.
        updating = not self._state.adding and not kwargs.get("force_insert")
        if updating and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "case_count"
            ]
        super().save(*args, **kwargs)

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.level in (Level.CITY, Level.PREFECTURE) and self.area_id:
            raise ValidationError({"area": "市・県レベルの課題には圏域を指定しません。"})
        parent = self.escalated_to
        if parent is None:
            return
        if self.pk and parent.pk == self.pk:
            raise ValidationError({"escalated_to": "課題をそれ自身へ提起することはできません。"})
        if LEVEL_RANK[parent.level] <= LEVEL_RANK[self.level]:
            raise ValidationError(
                {"escalated_to": "提起先は、この課題より上のレベルの課題にしてください。"}
            )
        seen = {self.pk}
        while parent is not None:
            if parent.pk in seen:
                raise ValidationError({"escalated_to": "提起先をたどると循環してしまいます。"})
            seen.add(parent.pk)
            parent = parent.escalated_to


class IssueTag(models.Model):
    """A community issue seen in one case review: the evidence that accumulates upwards.

    Case, area, date and 年度 are copied from the review so that the heat map and the counts
    read one table, however many cases a prefecture holds.
    """

    municipality = models.ForeignKey(
        "organizations.Municipality", verbose_name="市町村", on_delete=models.PROTECT
    )
    review = models.ForeignKey(
        CaseReview, verbose_name="事例検討", on_delete=models.CASCADE, related_name="issue_tags"
    )
    theme = models.ForeignKey(Theme, verbose_name="テーマ", on_delete=models.PROTECT)
    issue = optional_foreign_key(
        CommunityIssue, verbose_name="地域課題", on_delete=models.SET_NULL, related_name="tags"
    )
    note = models.CharField("気づき（自由記述）", max_length=300, blank=True)
    case = models.ForeignKey(
        "cases.Case", verbose_name="事例", on_delete=models.CASCADE, related_name="issue_tags"
    )
    area = optional_foreign_key(Area, verbose_name="圏域", on_delete=models.PROTECT)
    tagged_on = models.DateField("会議日", validators=date_validators())
    fiscal_year = models.PositiveSmallIntegerField("年度")
    tagged_by: "OptionalKey[User]" = optional_foreign_key(
        settings.AUTH_USER_MODEL, verbose_name="記録者", on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("作成日時", auto_now_add=True)

    class Meta:
        verbose_name = "事例の地域課題タグ"
        verbose_name_plural = "事例の地域課題タグ"
        ordering = ["id"]
        indexes = [
            models.Index(fields=["municipality", "tagged_on"]),
            models.Index(fields=["municipality", "fiscal_year"]),
            models.Index(fields=["issue", "tagged_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "theme"],
                name="tag_theme_once_per_review",
                violation_error_message="この事例検討には、このテーマがすでに記録されています。",
            ),
        ]

    def __str__(self):
        return f"{self.theme}（{self.review}）"


class IssueDiscussion(models.Model):
    """An issue on the agenda of a meeting (推進会議, city meeting), with what was concluded."""

    issue = models.ForeignKey(
        CommunityIssue,
        verbose_name="地域課題",
        on_delete=models.CASCADE,
        related_name="discussions",
    )
    meeting = models.ForeignKey(
        Meeting, verbose_name="会議", on_delete=models.PROTECT, related_name="issue_discussions"
    )
    discussion = models.TextField(
        "検討内容", max_length=MINUTES_CHARS, validators=text_validators(MINUTES_CHARS), blank=True
    )
    conclusion = models.TextField(
        "結論", max_length=TEXT_CHARS, validators=text_validators(TEXT_CHARS), blank=True
    )

    class Meta:
        verbose_name = "会議での地域課題の検討"
        verbose_name_plural = "会議での地域課題の検討"
        ordering = ["meeting__date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "meeting"], name="issue_once_per_meeting"),
        ]

    def __str__(self):
        return f"{self.issue}（{self.meeting}）"


class Proposal(TenantModel):
    """施策提案・資源開発・事業計画への反映 under an issue; nested proposals are its parts."""

    same_tenant_fields = ("issue", "parent")

    issue = models.ForeignKey(
        CommunityIssue, verbose_name="地域課題", on_delete=models.CASCADE, related_name="proposals"
    )
    parent: "OptionalKey[Proposal]" = optional_foreign_key(
        "self", verbose_name="上位の取組", on_delete=models.CASCADE, related_name="children"
    )
    kind = models.CharField("種類", max_length=20, choices=ProposalKind.choices)
    title = models.CharField("件名", max_length=120)
    description = models.TextField(
        "内容", max_length=TEXT_CHARS, validators=text_validators(TEXT_CHARS), blank=True
    )
    owner = models.CharField("担当", max_length=100, help_text="課・係・センター・協議体など")
    target_body = models.CharField(
        "提案先", max_length=100, blank=True, help_text="例: 介護保険運営協議会"
    )
    status = models.CharField(
        "状況", max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PLANNED
    )
    progress = models.PositiveSmallIntegerField(
        "進捗（%）",
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="下位の取組がある場合は、それらから計算されます。",
    )
    weight = models.PositiveSmallIntegerField(
        "重み",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="上位の取組の進捗を計算するときの重み",
    )
    result = models.TextField(
        "結果", max_length=TEXT_CHARS, validators=text_validators(TEXT_CHARS), blank=True
    )
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = "施策・取組"
        verbose_name_plural = "施策・取組"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="proposal_progress_at_most_100"
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        parent = self.parent
        if parent is None:
            return
        if parent.issue_id != self.issue_id:
            raise ValidationError({"parent": "上位の取組は同じ地域課題のものを選んでください。"})
        seen = {self.pk}
        while parent is not None:
            if parent.pk in seen:
                raise ValidationError({"parent": "上位の取組をたどると循環してしまいます。"})
            seen.add(parent.pk)
            parent = parent.parent


class Milestone(models.Model):
    proposal = models.ForeignKey(
        Proposal, verbose_name="施策・取組", on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField("節目", max_length=120)
    due_on = models.DateField("予定日", validators=date_validators())
    done_on = models.DateField("達成日", validators=date_validators(), null=True, blank=True)

    class Meta:
        verbose_name = "節目"
        verbose_name_plural = "節目"
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.title


class StatusChange(models.Model):
    """A change of an issue's or a proposal's status: the timeline, and the feedback that
    reaches the staff of the cases the issue came from."""

    municipality = models.ForeignKey(
        "organizations.Municipality", verbose_name="市町村", on_delete=models.PROTECT
    )
    issue = models.ForeignKey(
        CommunityIssue,
        verbose_name="地域課題",
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    proposal = optional_foreign_key(
        Proposal, verbose_name="施策・取組", on_delete=models.CASCADE, related_name="status_changes"
    )
    old_status = models.CharField("変更前", max_length=40, blank=True)
    new_status = models.CharField("変更後", max_length=40)
    note = models.CharField("説明", max_length=300, blank=True)
    changed_at = models.DateTimeField("変更日時", default=timezone.now)
    changed_by: "OptionalKey[User]" = optional_foreign_key(
        settings.AUTH_USER_MODEL, verbose_name="変更者", on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = "状況の変更"
        verbose_name_plural = "状況の変更"
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["issue", "changed_at"])]

    def __str__(self):
        return f"{self.issue}: {self.old_status} → {self.new_status}"


class MiningJob(TenantModel):
    """One text-mining run over the records of an area and period, done outside the web
    process (a background task, issues/tasks.py) so that a large run blocks no page."""

    class Status(models.TextChoices):
        QUEUED = "queued", "待機中"
        RUNNING = "running", "実行中"
        DONE = "done", "完了"
        FAILED = "failed", "失敗"

    same_tenant_fields = ("area",)

    area = optional_foreign_key(Area, verbose_name="圏域", on_delete=models.CASCADE)
    start = models.DateField("期間の開始", validators=date_validators())
    end = models.DateField("期間の終了", validators=date_validators())
    sources = models.JSONField("対象", default=list)
    status = models.CharField("状態", max_length=20, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField("処理済み", default=0)
    total = models.PositiveIntegerField("件数", default=0)
    result = models.JSONField("結果", default=dict, blank=True)
    error = models.CharField("エラー", max_length=300, blank=True)
    requested_by: "OptionalKey[User]" = optional_foreign_key(
        settings.AUTH_USER_MODEL, verbose_name="依頼者", on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("依頼日時", auto_now_add=True)
    finished_at = models.DateTimeField("終了日時", null=True, blank=True)

    class Meta:
        verbose_name = "テキストマイニング"
        verbose_name_plural = "テキストマイニング"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"テキストマイニング {self.start}〜{self.end}"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0
