from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from tsunagu.lib.fiscal import format_fiscal_year
from tsunagu.lib.limits import (
    MAX_ADVISER_DAYS,
    MAX_RETENTION_YEARS,
    MINUTES_CHARS,
    TEXT_CHARS,
    number_in_range,
    number_validators,
    text_validators,
)
from tsunagu.organizations.models import Municipality


class PledgeScope(models.TextChoices):
    PER_MEETING = "per_meeting", "会議ごとに署名（小平市の方式）"
    PER_FISCAL_YEAR = "per_fiscal_year", "年度ごとに1回署名"


class PrivacySettings(models.Model):
    """How one municipality applies its confidentiality rules."""

    municipality = models.OneToOneField(
        Municipality, verbose_name="市町村", on_delete=models.CASCADE, related_name="privacy"
    )
    pledge_scope = models.CharField(
        "誓約書の単位", max_length=20, choices=PledgeScope.choices, default=PledgeScope.PER_MEETING
    )
    adviser_days_before = models.PositiveSmallIntegerField(
        "外部助言者の閲覧開始（会議の何日前から）",
        default=7,
        validators=number_validators(0, MAX_ADVISER_DAYS),
    )
    adviser_days_after = models.PositiveSmallIntegerField(
        "外部助言者の閲覧終了（会議の何日後まで）",
        default=1,
        validators=number_validators(0, MAX_ADVISER_DAYS),
    )
    retention_years = models.PositiveSmallIntegerField(
        "事例内容の保存年限（年）",
        default=5,
        validators=number_validators(1, MAX_RETENTION_YEARS),
        help_text="会議の開催日（事例は終結日）から数えます。過ぎた内容は消去します。",
    )

    class Meta:
        verbose_name = "個人情報の取扱い設定"
        verbose_name_plural = "個人情報の取扱い設定"
        # A window of a billion days broke every page an adviser opened.
        constraints = [
            number_in_range(
                "adviser_days_before", "privacy_adviser_days_before_in_range", 0, MAX_ADVISER_DAYS
            ),
            number_in_range(
                "adviser_days_after", "privacy_adviser_days_after_in_range", 0, MAX_ADVISER_DAYS
            ),
            number_in_range(
                "retention_years", "privacy_retention_years_in_range", 1, MAX_RETENTION_YEARS
            ),
        ]

    def __str__(self):
        return f"{self.municipality}の設定"


class PolicyVersion(models.Model):
    """One published version of the 個人情報基本方針 and 誓約書 texts. Never edited afterwards:
    a pledge keeps pointing at the exact text its signer read."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name="市町村",
        on_delete=models.PROTECT,
        related_name="policy_versions",
    )
    version = models.PositiveIntegerField("版")
    policy_text = models.TextField(
        "個人情報基本方針", max_length=MINUTES_CHARS, validators=text_validators(MINUTES_CHARS)
    )
    pledge_text = models.TextField(
        "誓約書の文言", max_length=TEXT_CHARS, validators=text_validators(TEXT_CHARS)
    )
    published_at = models.DateTimeField("公開日時", auto_now_add=True)
    published_by = models.CharField("公開者", max_length=150, blank=True)

    class Meta:
        verbose_name = "基本方針・誓約書の版"
        verbose_name_plural = "基本方針・誓約書の版"
        ordering = ["municipality", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "version"], name="policy_version_unique"
            ),
        ]

    def __str__(self):
        return f"第{self.version}版"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("公開した版は変更できません。新しい版を公開してください。")
        super().save(*args, **kwargs)


ALREADY_SIGNED = "この方の誓約書はすでに記録されています。"


class PledgeMethod(models.TextChoices):
    ONLINE = "online", "画面で署名"
    PAPER = "paper", "紙で受領"


class Pledge(models.Model):
    """A signed 誓約書: for one meeting, or for one 年度, by a user or a directory person."""

    municipality = models.ForeignKey(
        Municipality, verbose_name="市町村", on_delete=models.PROTECT, related_name="pledges"
    )
    policy_version = models.ForeignKey(
        PolicyVersion, verbose_name="署名した版", on_delete=models.PROTECT, related_name="pledges"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name="会議",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pledges",
    )
    fiscal_year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    user = models.ForeignKey(
        "accounts.User",
        verbose_name="利用者",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pledges",
    )
    person = models.ForeignKey(
        "organizations.Person",
        verbose_name="名簿の人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pledges",
    )
    # The attendance line it was signed for in the meeting room (会議モード): an attendee who
    # is not in the directory has no person, so only this says whose signature it is.
    attendance = models.ForeignKey(
        "meetings.Attendance",
        verbose_name="出席者",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pledges",
    )
    signer_name = models.CharField("氏名", max_length=50)
    affiliation = models.CharField("所属・団体または住所", max_length=200)
    method = models.CharField("方法", max_length=20, choices=PledgeMethod.choices)
    scan = models.FileField("紙の誓約書（スキャン）", upload_to="pledges/%Y/%m/", blank=True)
    signed_at = models.DateTimeField("署名日時", auto_now_add=True)
    recorded_by = models.CharField("記録者", max_length=150, blank=True)

    class Meta:
        verbose_name = "誓約書"
        verbose_name_plural = "誓約書"
        ordering = ["-signed_at"]
        constraints = [
            # Exactly one of meeting / 年度 says what the pledge covers.
            models.CheckConstraint(
                condition=Q(meeting__isnull=False, fiscal_year__isnull=True)
                | Q(meeting__isnull=True, fiscal_year__isnull=False),
                name="pledge_covers_meeting_or_year",
            ),
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(meeting__isnull=False, user__isnull=False),
                name="pledge_once_per_meeting_user",
                violation_error_message=ALREADY_SIGNED,
            ),
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(meeting__isnull=False, person__isnull=False),
                name="pledge_once_per_meeting_person",
                violation_error_message=ALREADY_SIGNED,
            ),
            models.UniqueConstraint(
                fields=["fiscal_year", "user", "municipality"],
                condition=Q(fiscal_year__isnull=False, user__isnull=False),
                name="pledge_once_per_year_user",
                violation_error_message=ALREADY_SIGNED,
            ),
        ]

    def __str__(self):
        covered = self.meeting or format_fiscal_year(self.fiscal_year)
        return f"{self.signer_name}（{covered}）"
