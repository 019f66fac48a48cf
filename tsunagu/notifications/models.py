"""Notifications: what the system tells a person, in the app and (if they wish) by email.

A notification belongs to a directory person (organizations.Person), not to a login: the
advisers and care managers the system reaches often have no account. Users see the
notifications of the person their membership names.

The prefecture tier is the exception: its staff, coordinators and pooled advisers have a
login but (before a dispatch is accepted) no person in any municipality's directory. A
notification for them names the login (`user`) instead, and is mailed to the login's
address; exactly one of person and user is set. Its municipality is the one the matter
belongs to (the dispatch request's).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from tsunagu.accounts.models import User
from tsunagu.lib.model_fields import OptionalKey, optional_foreign_key
from tsunagu.meetings.models import Meeting, MeetingType
from tsunagu.organizations.models import Person, TenantModel


class Kind(models.TextChoices):
    INVITATION = "invitation", "会議の案内（変更・中止を含む）"
    PLEDGE_REQUEST = "pledge_request", "誓約書の提出のお願い"
    REMINDER = "reminder", "開催前のお知らせ"
    PAPERS_READY = "papers_ready", "会議資料の準備ができたお知らせ"
    OVERDUE_WORK = "overdue_work", "期限を過ぎた役割分担・予定日のモニタリング（週1回）"
    UNCLOSED_MEETING = "unclosed_meeting", "記録が確定していない会議"
    ISSUE_MOVED = "issue_moved", "事例に関わる地域課題の動き"
    DISPATCH_REQUEST = "dispatch_request", "専門職派遣の新しい依頼（県・派遣調整）"
    DISPATCH_ASSIGNMENT = "dispatch_assignment", "あなたへの派遣の依頼と、その変更・取消"
    DISPATCH_ANSWER = "dispatch_answer", "派遣の承諾・辞退と、派遣の変更・取消"
    REPORT_DUE = "report_due", "月次報告の提出期限（期限前・期限超過）"
    REPORT_DECIDED = "report_decided", "報告書の差戻し・受理"


ONE_RECIPIENT = Q(person__isnull=False, user__isnull=True) | Q(
    person__isnull=True, user__isnull=False
)


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "すぐにメールで受け取る"
    DAILY = "daily", "1日分をまとめて翌日メールで受け取る"
    OFF = "off", "メールでは受け取らない（画面のお知らせだけ）"


class EmailStatus(models.TextChoices):
    PENDING = "pending", "送信待ち"
    SENT = "sent", "送信済み"
    DIGEST = "digest", "まとめて送信待ち"
    DIGEST_SENT = "digest_sent", "まとめて送信済み"
    OFF = "off", "メールなし（受け取らない設定）"
    NO_ADDRESS = "no_address", "メールなし（アドレス未登録）"


class Notification(TenantModel):
    """One thing said to one person, once: (person, kind, key) is unique, so an event seen
    twice (a schedule run twice, a worker restarted) says nothing new.

    Subject and body carry only a meeting's name, date and place, an issue's title, counts
    and a link: never what is recorded about a person (case fields, advice, minutes)."""

    same_tenant_fields = ("person",)

    person = optional_foreign_key(
        Person, verbose_name="宛先", on_delete=models.CASCADE, related_name="notifications"
    )
    user: "OptionalKey[User]" = optional_foreign_key(
        settings.AUTH_USER_MODEL,
        verbose_name="宛先（ログイン）",
        on_delete=models.CASCADE,
        related_name="notifications",
        help_text="名簿の人がいない県の利用者・派遣アドバイザーに宛てる場合",
    )
    kind = models.CharField("種類", max_length=30, choices=Kind.choices)
    key = models.CharField("対象", max_length=100)
    subject = models.CharField("件名", max_length=200)
    # Written by the system from its own templates, never typed by a user.
    body = models.TextField("本文", editable=False)
    link = models.CharField("リンク", max_length=300)
    calendar = models.TextField("カレンダー（.ics）", blank=True, editable=False)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    read_at = models.DateTimeField("既読日時", null=True, blank=True)
    email_status = models.CharField(
        "メール", max_length=20, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    emailed_at = models.DateTimeField("メール送信日時", null=True, blank=True)

    class Meta:
        verbose_name = "お知らせ"
        verbose_name_plural = "お知らせ"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "key"], name="notification_once_per_person_kind_key"
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "key"], name="notification_once_per_user_kind_key"
            ),
            models.CheckConstraint(condition=ONE_RECIPIENT, name="notification_one_recipient"),
        ]
        indexes = [
            models.Index(fields=["person", "read_at"]),
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["email_status", "created_at"]),
        ]

    def __str__(self):
        return self.subject


class Preference(models.Model):
    """How one person (or a login without one) wants one kind of notification by email
    (immediately by default)."""

    person = optional_foreign_key(
        Person, verbose_name="人", on_delete=models.CASCADE, related_name="notification_preferences"
    )
    user: "OptionalKey[User]" = optional_foreign_key(
        settings.AUTH_USER_MODEL,
        verbose_name="ログイン",
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField("種類", max_length=30, choices=Kind.choices)
    delivery = models.CharField("受け取り方", max_length=20, choices=Delivery.choices)

    class Meta:
        verbose_name = "お知らせの受け取り方"
        verbose_name_plural = "お知らせの受け取り方"
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="preference_once_per_kind"),
            models.UniqueConstraint(fields=["user", "kind"], name="preference_once_per_user_kind"),
            models.CheckConstraint(condition=ONE_RECIPIENT, name="preference_one_recipient"),
        ]

    def __str__(self):
        return (
            f"{self.person or self.user}: {self.get_kind_display()} {self.get_delivery_display()}"
        )


class MeetingCalendar(models.Model):
    """What the invitations of a meeting last said: calendars replace an event only when the
    same UID comes with a higher SEQUENCE, so each change or cancellation raises it."""

    meeting = models.OneToOneField(
        Meeting, verbose_name="会議", on_delete=models.CASCADE, related_name="invitation_state"
    )
    sequence = models.PositiveIntegerField("版（SEQUENCE）", default=0)
    fingerprint = models.CharField("日時・会場・状態", max_length=300)

    class Meta:
        verbose_name = "会議の案内の版"
        verbose_name_plural = "会議の案内の版"

    def __str__(self):
        return f"{self.meeting} 第{self.sequence}版"


class ReminderSetting(models.Model):
    """How many days before a meeting of this body the reminder goes (default 2)."""

    meeting_type = models.OneToOneField(
        MeetingType,
        verbose_name="会議体",
        on_delete=models.CASCADE,
        related_name="reminder_setting",
    )
    days_before = models.PositiveSmallIntegerField("何日前に知らせるか", default=2)

    class Meta:
        verbose_name = "開催前のお知らせの設定"
        verbose_name_plural = "開催前のお知らせの設定"

    def __str__(self):
        return f"{self.meeting_type}: {self.days_before}日前"
