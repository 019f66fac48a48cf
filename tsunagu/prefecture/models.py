"""The prefecture tier (seed 004): a tenant above its municipalities, its adviser pool, the
requests municipalities make for an adviser, and the prefecture's training.

A municipality belongs to the prefecture whose 2-digit code opens its 全国地方公共団体コード; no
foreign key is needed, and none can disagree with the code.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from tsunagu.accounts.models import Membership, User
from tsunagu.lib.jtext import to_katakana
from tsunagu.lib.limits import NOTE_CHARS, text_validators
from tsunagu.lib.model_fields import OptionalKey, optional_foreign_key
from tsunagu.meetings.models import Attendance, Meeting
from tsunagu.organizations.choices import Prefecture as PrefectureCode
from tsunagu.organizations.choices import Profession
from tsunagu.organizations.models import Area, Municipality, Person, TenantModel
from tsunagu.organizations.validators import validate_furigana

from .choices import (
    HALVES,
    PREFECTURE_PERMISSIONS,
    SLOT_CHOICES,
    AssignmentStatus,
    PrefectureRole,
    RequestStatus,
    TrainingKind,
)

NOON = datetime.time(12, 0)


def slot_of(meeting) -> int:
    """The half-day a meeting falls on, as a bit number (a meeting without a time: morning)."""
    afternoon = meeting.start_time is not None and meeting.start_time >= NOON
    return meeting.date.weekday() * 2 + (1 if afternoon else 0)


class Prefecture(models.Model):
    code = models.CharField(
        "都道府県コード", max_length=2, unique=True, choices=PrefectureCode.choices
    )

    class Meta:
        verbose_name = "都道府県"
        verbose_name_plural = "都道府県"
        ordering = ["code"]

    def __str__(self):
        return self.get_code_display()

    @property
    def municipalities(self):
        """Its municipalities: those whose code starts with the prefecture's."""
        return Municipality.objects.filter(code__startswith=self.code)


class PrefectureMembership(models.Model):
    """A user's place in one prefecture. Separate from Membership, so the municipality gate
    (request.member and every access module below) never has to think about prefectures."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="利用者",
        on_delete=models.CASCADE,
        related_name="prefecture_memberships",
    )
    prefecture = models.ForeignKey(
        Prefecture, verbose_name="都道府県", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField("役割", max_length=20, choices=PrefectureRole.choices)
    association = models.CharField(
        "団体名", max_length=100, blank=True, help_text="派遣調整を担う職能団体の名称"
    )
    member_associations = models.TextField(
        "調整する所属団体",
        max_length=2000,
        blank=True,
        help_text="この団体が派遣調整するアドバイザーの所属団体（1行に1団体）。"
        "空欄なら、団体名と同じ所属のアドバイザーだけです。",
    )
    is_active = models.BooleanField("有効", default=True)
    created_at = models.DateTimeField("登録日時", auto_now_add=True)

    class Meta:
        verbose_name = "県での役割"
        verbose_name_plural = "県での役割"
        ordering = ["prefecture__code", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "prefecture"], name="one_prefecture_membership_per_prefecture"
            ),
        ]

    def __str__(self):
        return f"{self.user}（{self.prefecture}・{self.get_role_display()}）"

    def clean(self):
        if self.role == PrefectureRole.COORDINATOR and not self.association.strip():
            raise ValidationError({"association": "派遣調整を担う団体の名称を入力してください。"})

    @property
    def coordinated_associations(self) -> list[str]:
        """The associations whose advisers a coordinator keeps: its own name and those it
        lists (a 協議会 coordinates its member 士会)."""
        names = [self.association, *self.member_associations.splitlines()]
        return list(dict.fromkeys(name.strip() for name in names if name.strip()))

    @property
    def permissions(self) -> set[str]:
        return PREFECTURE_PERMISSIONS.get(self.role, set())

    def may(self, permission: str) -> bool:
        return permission in self.permissions


class AdviserProfile(models.Model):
    """A professional in the prefecture's pool (人材バンク), with where and when they can go."""

    prefecture = models.ForeignKey(
        Prefecture, verbose_name="都道府県", on_delete=models.PROTECT, related_name="advisers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ログイン",
        on_delete=models.CASCADE,
        related_name="adviser_profiles",
    )
    name = models.CharField("氏名", max_length=50)
    furigana = models.CharField("ふりがな", max_length=100, validators=[validate_furigana])
    profession = models.CharField("職種", max_length=40, choices=Profession.choices)
    association = models.CharField("所属団体", max_length=100, blank=True)
    affiliation = models.CharField("勤務先", max_length=100, blank=True)
    municipalities = models.ManyToManyField(
        Municipality, verbose_name="派遣できる市町村", blank=True, related_name="+"
    )
    areas = models.ManyToManyField(
        Area,
        verbose_name="派遣できる圏域",
        blank=True,
        related_name="+",
        help_text="市町村全体ではなく一部の圏域だけに行ける場合に選びます。",
    )
    availability = models.PositiveIntegerField(
        "対応できる曜日・時間帯", default=0, validators=[MaxValueValidator(2**14 - 1)]
    )
    monthly_limit = models.PositiveSmallIntegerField(
        "月の上限回数", default=4, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    is_active = models.BooleanField("派遣を受け付ける", default=True)
    note = models.TextField(
        "備考", max_length=NOTE_CHARS, validators=text_validators(NOTE_CHARS), blank=True
    )
    created_at = models.DateTimeField("登録日時", auto_now_add=True)

    class Meta:
        verbose_name = "派遣アドバイザー"
        verbose_name_plural = "派遣アドバイザー"
        ordering = ["profession", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["prefecture", "user"], name="one_adviser_profile_per_prefecture"
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.get_profession_display()}）"

    def clean(self):
        self.furigana = to_katakana(self.furigana)

    def is_available_at(self, slot: int) -> bool:
        return bool(self.availability & (1 << slot))

    @property
    def slot_labels(self) -> list[str]:
        return [label for value, label in SLOT_CHOICES if self.is_available_at(int(value))]


class DispatchRequest(TenantModel):
    """A municipality's (or center's) request for an adviser of one profession at a meeting."""

    same_tenant_fields = ("meeting",)

    prefecture = models.ForeignKey(
        Prefecture, verbose_name="都道府県", on_delete=models.PROTECT, related_name="requests"
    )
    meeting = models.ForeignKey(
        Meeting, verbose_name="会議", on_delete=models.CASCADE, related_name="dispatch_requests"
    )
    profession = models.CharField("職種", max_length=40, choices=Profession.choices)
    note = models.TextField(
        "依頼内容",
        max_length=NOTE_CHARS,
        validators=text_validators(NOTE_CHARS),
        blank=True,
        help_text="期待する助言の観点など。事例の内容は書かないでください。",
    )
    status = models.CharField(
        "状況", max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    requested_by: "OptionalKey[User]" = optional_foreign_key(
        settings.AUTH_USER_MODEL, verbose_name="依頼者", on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("依頼日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = "派遣依頼"
        verbose_name_plural = "派遣依頼"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["prefecture", "status"])]

    def __str__(self):
        return f"{self.get_profession_display()}の派遣依頼（{self.meeting}）"

    def clean(self):
        super().clean()
        if (
            self.prefecture_id
            and self.municipality_id
            and not self.municipality.code.startswith(self.prefecture.code)
        ):
            raise ValidationError("この市町村は選んだ都道府県に属していません。")


class Assignment(models.Model):
    """One adviser asked to serve one request; the adviser accepts or declines it."""

    request = models.ForeignKey(
        DispatchRequest,
        verbose_name="派遣依頼",
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    adviser = models.ForeignKey(
        AdviserProfile,
        verbose_name="アドバイザー",
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    status = models.CharField(
        "回答", max_length=20, choices=AssignmentStatus.choices, default=AssignmentStatus.PENDING
    )
    reason = models.CharField("理由", max_length=200, blank=True)
    assigned_by: "OptionalKey[User]" = optional_foreign_key(
        settings.AUTH_USER_MODEL, verbose_name="割当者", on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField("割当日時", auto_now_add=True)
    answered_at = models.DateTimeField("回答日時", null=True, blank=True)
    # Set on acceptance: the attendance that invites the adviser, and the membership the
    # adviser reaches that meeting through. `membership_created` marks a membership this
    # dispatch made (and may therefore end), as opposed to one the municipality gave by hand.
    attendance = optional_foreign_key(Attendance, verbose_name="出席者", on_delete=models.SET_NULL)
    membership = optional_foreign_key(
        Membership, verbose_name="利用する所属", on_delete=models.SET_NULL, related_name="+"
    )
    membership_created = models.BooleanField("派遣で作成した所属", default=False)

    class Meta:
        verbose_name = "派遣の割当"
        verbose_name_plural = "派遣の割当"
        ordering = ["-assigned_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status__in=["pending", "accepted"]),
                name="one_live_assignment_per_request",
                violation_error_message="この依頼にはすでにアドバイザーが割り当てられています。",
            ),
        ]

    def __str__(self):
        return f"{self.adviser}（{self.get_status_display()}）"

    @property
    def slot_label(self) -> str:
        meeting = self.request.meeting
        return HALVES[slot_of(meeting) % 2]


class Training(models.Model):
    """One session of the prefecture's 研修 (seed 004): 基礎・司会者養成・アドバイザー養成."""

    prefecture = models.ForeignKey(
        Prefecture, verbose_name="都道府県", on_delete=models.PROTECT, related_name="trainings"
    )
    kind = models.CharField("種類", max_length=20, choices=TrainingKind.choices)
    title = models.CharField("名称", max_length=120)
    held_on = models.DateField("開催日")
    venue = models.CharField("会場", max_length=200, blank=True)

    class Meta:
        verbose_name = "研修"
        verbose_name_plural = "研修"
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.title}（{self.held_on:%Y-%m-%d}）"


class TrainingAttendee(models.Model):
    """Someone who took part: a pooled adviser (by login) or a municipality's person."""

    training = models.ForeignKey(
        Training, verbose_name="研修", on_delete=models.CASCADE, related_name="attendees"
    )
    user: "OptionalKey[User]" = optional_foreign_key(
        settings.AUTH_USER_MODEL,
        verbose_name="ログイン",
        on_delete=models.CASCADE,
        related_name="trainings_attended",
    )
    person = optional_foreign_key(
        Person,
        verbose_name="市町村の名簿の人",
        on_delete=models.CASCADE,
        related_name="trainings_attended",
    )
    name = models.CharField("氏名", max_length=50)
    affiliation = models.CharField("所属", max_length=100, blank=True)
    completed = models.BooleanField("修了", default=True)

    class Meta:
        verbose_name = "研修の受講者"
        verbose_name_plural = "研修の受講者"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["training", "user"],
                condition=Q(user__isnull=False),
                name="training_user_once",
            ),
            models.UniqueConstraint(
                fields=["training", "person"],
                condition=Q(person__isnull=False),
                name="training_person_once",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.training}）"
