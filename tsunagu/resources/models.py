import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.cases.models import Case
from tsunagu.issues.models import CommunityIssue
from tsunagu.lib.jtext import normalize
from tsunagu.lib.limits import (
    NOTE_CHARS,
    TEXT_CHARS,
    date_validators,
    number_validators,
    text_validators,
)
from tsunagu.lib.model_fields import OptionalKey, optional_foreign_key
from tsunagu.lib.wareki import format_wareki
from tsunagu.meetings.models import Meeting
from tsunagu.organizations.choices import Profession
from tsunagu.organizations.models import (
    Area,
    Organization,
    Person,
    TenantModel,
    check_same_tenant,
)

from .choices import (
    STALE_AFTER_DAYS,
    ActivityKind,
    NeedSource,
    NeedStatus,
    ResourceKind,
    ResourceStatus,
)
from .schedule import Schedule, ScheduleError, mask_labels, parse_schedule

COORDINATORS = (Profession.COORDINATOR_1, Profession.COORDINATOR_2)
validate_postal_code = RegexValidator(
    r"^\d{3}-\d{4}$", "郵便番号は「123-4567」の形で入力してください。"
)


def normalize_postal_code(text: str) -> str:
    """「〒１２３４５６７」 → 「123-4567」; anything else is left for the validator to refuse."""
    code = normalize(text).replace("〒", "").strip()
    if len(code) == 7 and code.isdigit():
        return f"{code[:3]}-{code[3:]}"
    return code


def check_set_fields_tenant(row) -> None:
    """check_same_tenant for the foreign keys that are set: a required one still missing is
    reported by its form field, and must not make clean() fail on the empty relation."""
    fields = [name for name in row.same_tenant_fields if getattr(row, f"{name}_id") is not None]
    check_same_tenant(row, fields)


def stale_before(today: datetime.date | None = None) -> datetime.date:
    """Resources last confirmed before this day are flagged as stale."""
    return (today or timezone.localdate()) - datetime.timedelta(days=STALE_AFTER_DAYS)


def anonymous_note() -> models.TextField:
    """内容 of a need or a coordinator's activity: shared across the municipality, so it
    must not name anyone."""
    return models.TextField(
        "内容",
        max_length=NOTE_CHARS,
        validators=text_validators(NOTE_CHARS),
        blank=True,
        help_text="氏名や住所など、個人を特定できることは書かないでください。",
    )


class Resource(TenantModel):
    """One social resource (サロン, 配食, 移動支援…) in the municipality's directory.

    No areas served means the whole municipality. The schedule is kept as typed, for
    residents to read, and as parsed rules (schedule.py) for searching and the HSDS export.
    """

    same_tenant_fields = ("provider",)
    # Names repeat (every area has its サロン); duplicates are the same name, provider and
    # area together (services.find_duplicate), not the name alone.
    unique_name = False

    uuid = models.UUIDField("識別子（HSDS）", default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("名称", max_length=120)
    kind = models.CharField("種別", max_length=30, choices=ResourceKind.choices, db_index=True)
    description = models.TextField(
        "内容", max_length=TEXT_CHARS, validators=text_validators(TEXT_CHARS), blank=True
    )
    provider = optional_foreign_key(
        Organization,
        verbose_name="提供主体（名簿の関係機関）",
        on_delete=models.PROTECT,
        related_name="resources",
    )
    provider_name = models.CharField(
        "提供主体（名簿にない団体）",
        max_length=120,
        blank=True,
        help_text="自治会のサロンや住民グループなど、関係機関の名簿にない団体の名前",
    )
    areas = models.ManyToManyField(
        Area,
        verbose_name="対象圏域",
        blank=True,
        related_name="resources",
        help_text="選ばないときは市全域が対象です。",
    )
    schedule_text = models.CharField(
        "日時",
        max_length=200,
        blank=True,
        help_text="例: 第2・第4火曜 10:00〜12:00／毎週月・木 9:00〜12:00／平日 11:00〜13:00／随時",
    )
    schedule_rules = models.JSONField(
        "日時（読み取り結果）", default=dict, blank=True, editable=False
    )
    weekdays = models.PositiveSmallIntegerField(
        "曜日（検索用）", default=0, editable=False, help_text="月=1, 火=2, 水=4 … のビットの和"
    )
    eligibility = models.CharField("対象者", max_length=200, blank=True)
    cost = models.CharField("費用", max_length=200, blank=True, help_text="例: 1回100円、無料")
    capacity = models.PositiveIntegerField(
        "定員", null=True, blank=True, validators=number_validators(0, 100_000)
    )
    phone = models.CharField("連絡先電話番号", max_length=20, blank=True)
    email = models.EmailField("連絡先メールアドレス", blank=True)
    status = models.CharField(
        "状態", max_length=20, choices=ResourceStatus.choices, default=ResourceStatus.ACTIVE
    )
    last_confirmed_on = models.DateField(
        "最終確認日", validators=date_validators(), null=True, blank=True
    )
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = "社会資源"
        verbose_name_plural = "社会資源"
        ordering = ["kind", "name", "id"]
        indexes = [models.Index(fields=["municipality", "kind", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=0),
                name="resource_capacity_not_negative",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def provider_label(self) -> str:
        return self.provider.name if self.provider_id else self.provider_name

    @property
    def schedule(self) -> Schedule:
        return Schedule.from_dict(self.schedule_text, self.schedule_rules)

    @property
    def weekday_labels(self) -> str:
        return mask_labels(self.weekdays)

    @property
    def is_stale(self) -> bool:
        return self.last_confirmed_on is None or self.last_confirmed_on < stale_before()

    def clean(self):
        super().clean()
        self.provider_name = normalize(self.provider_name)
        if self.provider_id and self.provider_name:
            raise ValidationError(
                {
                    "provider_name": "提供主体は、名簿から選ぶか団体名を入力するか、"
                    "どちらかにしてください。"
                }
            )
        if not self.provider_id and not self.provider_name:
            raise ValidationError(
                {"provider_name": "提供主体を名簿から選ぶか、名簿にない団体名を入力してください。"}
            )
        self.schedule_text = normalize(self.schedule_text)
        try:
            schedule = parse_schedule(self.schedule_text)
        except ScheduleError as error:
            raise ValidationError({"schedule_text": str(error)}) from error
        self.schedule_rules = schedule.as_dict()
        self.weekdays = schedule.weekday_mask


class ResourcePlace(models.Model):
    """Where a resource takes place (会場). Delivered services (配食) may have none."""

    resource = models.ForeignKey(
        Resource, verbose_name="社会資源", on_delete=models.CASCADE, related_name="places"
    )
    uuid = models.UUIDField("識別子（HSDS）", default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("会場名", max_length=120)
    postal_code = models.CharField(
        "郵便番号", max_length=8, blank=True, validators=[validate_postal_code]
    )
    address = models.CharField(
        "所在地", max_length=200, blank=True, help_text="市町村名より後（町名・番地・建物）"
    )

    class Meta:
        verbose_name = "会場"
        verbose_name_plural = "会場"
        ordering = ["id"]

    def __str__(self):
        return self.name

    def clean(self):
        self.name = normalize(self.name)
        self.address = normalize(self.address)


class Need(TenantModel):
    """A need heard by a coordinator or a meeting: what kind of help, where, for how many.

    A need may come from a case; only the case's code is ever shown with it, never the case's
    content (that stays behind tsunagu/cases/access.py and the 誓約書).
    """

    same_tenant_fields = ("area", "case", "meeting", "recorded_by", "met_by", "issue")

    area = models.ForeignKey(
        Area, verbose_name="圏域", on_delete=models.PROTECT, related_name="resource_needs"
    )
    kind = models.CharField("必要な資源の種別", max_length=30, choices=ResourceKind.choices)
    people = models.PositiveIntegerField(
        "人数",
        default=1,
        validators=number_validators(1, 100_000),
        help_text="同じニーズのある人の数",
    )
    weekdays = models.PositiveSmallIntegerField(
        "希望する曜日", default=0, help_text="月=1, 火=2, 水=4 … のビットの和（0は指定なし）"
    )
    source = models.CharField("把握のきっかけ", max_length=20, choices=NeedSource.choices)
    case = optional_foreign_key(
        Case, verbose_name="事例", on_delete=models.SET_NULL, related_name="resource_needs"
    )
    meeting = optional_foreign_key(
        Meeting,
        verbose_name="会議（協議体など）",
        on_delete=models.SET_NULL,
        related_name="resource_needs",
    )
    note = anonymous_note()
    recorded_by = optional_foreign_key(
        Person, verbose_name="把握した人", on_delete=models.SET_NULL, related_name="resource_needs"
    )
    recorded_on = models.DateField(
        "把握日", validators=date_validators(), default=timezone.localdate
    )
    status = models.CharField(
        "状況",
        max_length=20,
        choices=NeedStatus.choices,
        default=NeedStatus.OPEN,
        db_index=True,
    )
    met_by = optional_foreign_key(
        Resource,
        verbose_name="つないだ社会資源",
        on_delete=models.SET_NULL,
        related_name="needs_met",
    )
    issue = optional_foreign_key(
        CommunityIssue,
        verbose_name="地域課題",
        on_delete=models.SET_NULL,
        related_name="resource_needs",
    )
    created_by: "OptionalKey[User]" = optional_foreign_key(
        settings.AUTH_USER_MODEL,
        verbose_name="登録者",
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = "ニーズ"
        verbose_name_plural = "ニーズ"
        ordering = ["-recorded_on", "-id"]
        indexes = [models.Index(fields=["municipality", "status", "kind", "area"])]

    def __str__(self):
        return f"{self.area}・{self.get_kind_display()}（{self.people}人）"

    @property
    def weekday_labels(self) -> str:
        return mask_labels(self.weekdays)

    def clean(self):
        check_set_fields_tenant(self)
        if self.source == NeedSource.CASE and self.case_id is None:
            # Under "source", which every form has (the case is chosen by its code).
            raise ValidationError(
                {"source": "個別事例から把握したニーズは、事例番号を入力してください。"}
            )


class Activity(TenantModel):
    """What a 生活支援コーディネーター did: a visit, a 協議体, help to start a salon…"""

    same_tenant_fields = ("coordinator", "area")

    coordinator = models.ForeignKey(
        Person,
        verbose_name="生活支援コーディネーター",
        on_delete=models.PROTECT,
        related_name="coordinator_activities",
    )
    date = models.DateField("実施日", validators=date_validators(), default=timezone.localdate)
    kind = models.CharField("種類", max_length=20, choices=ActivityKind.choices)
    area = optional_foreign_key(
        Area,
        verbose_name="圏域",
        on_delete=models.PROTECT,
        related_name="coordinator_activities",
        help_text="第1層（市全域）の活動は空欄",
    )
    title = models.CharField("件名", max_length=120)
    note = anonymous_note()
    created_at = models.DateTimeField("作成日時", auto_now_add=True)

    class Meta:
        verbose_name = "コーディネーターの活動"
        verbose_name_plural = "コーディネーターの活動"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["municipality", "date"])]

    def __str__(self):
        return f"{format_wareki(self.date)} {self.title}"

    def clean(self):
        check_set_fields_tenant(self)
        self.title = normalize(self.title)
        if self.coordinator_id is None:
            return  # The form has already said it is required.
        coordinator = self.coordinator
        if coordinator.profession not in COORDINATORS:
            raise ValidationError(
                {
                    "coordinator": "職種が生活支援コーディネーター（第1層・第2層）の人を"
                    "選んでください。"
                }
            )
        if coordinator.profession == Profession.COORDINATOR_2 and self.area_id is None:
            raise ValidationError({"area": "第2層コーディネーターの活動は圏域を選んでください。"})
