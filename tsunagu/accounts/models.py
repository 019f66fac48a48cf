import datetime

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from tsunagu.lib.model_fields import optional_foreign_key
from tsunagu.organizations.models import Center, Municipality, Person, check_same_tenant


class User(AbstractUser):
    """A login. What it may see depends on its memberships, not on the user itself."""

    full_name = models.CharField("氏名", max_length=50, blank=True)
    # Two-factor authentication (TOTP). The key is kept only once the user has confirmed it
    # with a code; while setting up, it lives in the session. Stored as base32 text: a reader
    # of the database could also read every other row, and the password still protects it.
    totp_secret = models.CharField("二段階認証の鍵", max_length=64, blank=True, editable=False)
    totp_confirmed_at = models.DateTimeField(
        "二段階認証の設定日時", null=True, blank=True, editable=False
    )
    # The 30-second step of the last code accepted, so that a seen code cannot be used again.
    totp_last_step = models.BigIntegerField(
        "最後に使われた確認コード", null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = "利用者"
        verbose_name_plural = "利用者"

    def __str__(self):
        return self.full_name or self.username

    @property
    def has_two_factor(self) -> bool:
        return self.totp_confirmed_at is not None and bool(self.totp_secret)


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", "市職員（管理者）"
    CORE_CENTER = "core_center", "基幹型センター職員"
    CENTER_STAFF = "center_staff", "センター職員"
    CARE_MANAGER = "care_manager", "介護支援専門員"
    ADVISER = "adviser", "助言者（外部専門職）"
    VIEWER = "viewer", "閲覧者"


# What each role may do. Anything not listed is denied.
# meetings.view_all: every meeting of the municipality; without it, only the meetings the
# member's directory person attends (external advisers, care managers).
_READ = {"directory.view", "meetings.view", "resources.view"}
_STAFF_READ = _READ | {"meetings.view_all", "reports.view", "issues.view"}
# Recording community issues and resources: the staff of centers and the city.
_ISSUE_WORK = {"issues.edit", "resources.edit"}
# Raising issues to the city, proposals and text mining over case records.
_ISSUE_LEAD = {"issues.manage", "issues.mine"}
# Cases (事例). Scope: a role sees every case of the municipality, or only those it has a
# relation to (its own center's, the ones it presents as care manager, the ones on the agenda
# of a meeting it attends); the relation itself is tested in cases/access.py.
_CASES_ALL = {"cases.view_all"}
# Changing every case in scope, and reading a case's own fields before it is on an agenda.
_CASES_LEAD = {"cases.edit", "cases.edit_all", "cases.read_unpresented"}
# Case content is readable whenever a pledge covers the meeting (not only in the days around
# it, as for external advisers).
_CONTENT = {"content.read_any_time"}

# A center's business (tsunagu/centerwork): counts and reports for every staff role; the
# consultation records for centers and, flagged 虐待(疑い) only, the city; the city oversees.
# business.all_centers: every center's counts, reports and advice (else only the member's own
# center's); business.records_all: every center's consultation records (基幹型);
# business.records_abuse: the records flagged 虐待(疑い) (the city, responsible for abuse);
# business.volunteers_all: every center's volunteer register (基幹型 and the city, who pays).
_BUSINESS_VIEW = {"business.view"}
_BUSINESS_CENTER = _BUSINESS_VIEW | {"business.records", "business.edit"}
ROLE_PERMISSIONS = {
    Role.CITY_ADMIN: _STAFF_READ
    | {
        "directory.edit",
        "areas.edit",
        "members.manage",
        "meeting_types.edit",
        "meetings.edit_all",
        "meetings.import",
        "audit.view",
        "screening.run",
        "issues.themes",
    }
    | _ISSUE_WORK
    | _ISSUE_LEAD
    | _CASES_ALL
    | _CASES_LEAD
    | _CONTENT
    | _BUSINESS_VIEW
    | {
        "business.records",
        "business.records_abuse",
        "business.oversee",
        "business.all_centers",
        "business.volunteers_all",
    },
    Role.CORE_CENTER: _STAFF_READ
    | {"directory.edit", "meetings.edit_all"}
    | _ISSUE_WORK
    | _ISSUE_LEAD
    | _CASES_ALL
    | _CASES_LEAD
    | _CONTENT
    | _BUSINESS_CENTER
    | {
        "business.advise",
        "business.all_centers",
        "business.records_all",
        "business.volunteers_all",
    },
    Role.CENTER_STAFF: _STAFF_READ
    | {"directory.edit", "meetings.edit_own_center"}
    | _ISSUE_WORK
    | {"cases.view_own_center", "cases.edit"}
    | _CONTENT
    | _BUSINESS_CENTER,
    Role.CARE_MANAGER: _READ | {"cases.view_presented", "cases.edit"} | _CONTENT,
    Role.ADVISER: _READ | {"cases.view_attended"},
    Role.VIEWER: _STAFF_READ | _CASES_ALL | _CONTENT | _BUSINESS_VIEW | {"business.all_centers"},
}


class Membership(models.Model):
    """A user's place in one municipality: the role, and the center they work for if any."""

    user = models.ForeignKey(
        User, verbose_name="利用者", on_delete=models.CASCADE, related_name="memberships"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name="市町村", on_delete=models.PROTECT, related_name="memberships"
    )
    center = optional_foreign_key(
        Center, verbose_name="所属センター", on_delete=models.PROTECT, related_name="memberships"
    )
    person = optional_foreign_key(
        Person, verbose_name="名簿上の人", on_delete=models.SET_NULL, related_name="memberships"
    )
    role = models.CharField("役割", max_length=20, choices=Role.choices)
    is_active = models.BooleanField("有効", default=True)
    expires_on = models.DateField(
        "有効期限",
        null=True,
        blank=True,
        help_text="外部の助言者など、期間を区切る場合に入力します。",
    )
    created_at = models.DateTimeField("登録日時", auto_now_add=True)

    class Meta:
        verbose_name = "所属と役割"
        verbose_name_plural = "所属と役割"
        ordering = ["municipality__code", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality"], name="one_membership_per_municipality"
            ),
        ]

    def __str__(self):
        return f"{self.user}（{self.municipality}・{self.get_role_display()}）"

    def clean(self):
        check_same_tenant(self, ("center", "person"))
        if self.role in (Role.CENTER_STAFF, Role.CORE_CENTER) and self.center_id is None:
            raise ValidationError({"center": "センター職員は所属センターを選んでください。"})
        if self.role == Role.CORE_CENTER and self.center_id and not self.center.is_core:
            raise ValidationError({"center": "基幹型センター職員の所属は基幹型センターです。"})

    def is_current(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.is_active
            and self.user.is_active
            and (self.expires_on is None or today <= self.expires_on)
        )

    @property
    def permissions(self) -> set[str]:
        return ROLE_PERMISSIONS.get(self.role, set())

    def may(self, permission: str) -> bool:
        return permission in self.permissions


class Invitation(models.Model):
    """A role in a municipality offered to a login, which its owner accepts or declines.

    A city admin never adds a role to a login directly: the login may belong to a person of
    another municipality, who must agree first. New logins are invited the same way, so what
    the admin sees never tells whether a login ID was already taken.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "承諾待ち"
        ACCEPTED = "accepted", "承諾済み"
        DECLINED = "declined", "辞退"

    user = models.ForeignKey(
        User, verbose_name="利用者", on_delete=models.CASCADE, related_name="invitations"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name="市町村", on_delete=models.PROTECT, related_name="invitations"
    )
    role = models.CharField("役割", max_length=20, choices=Role.choices)
    center = optional_foreign_key(
        Center, verbose_name="所属センター", on_delete=models.PROTECT, related_name="invitations"
    )
    person = optional_foreign_key(
        Person, verbose_name="名簿上の人", on_delete=models.SET_NULL, related_name="invitations"
    )
    expires_on = models.DateField("有効期限", null=True, blank=True)
    # The name the admin typed, shown on the admin's list: the login's own name may be that
    # of a person of another municipality, which the admin has no business reading.
    name = models.CharField("氏名（招待時の入力）", max_length=50)
    invited_by = optional_foreign_key(
        User, verbose_name="招待した人", on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField("状態", max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField("招待日時", auto_now_add=True)
    answered_at = models.DateTimeField("回答日時", null=True, blank=True)

    class Meta:
        verbose_name = "招待"
        verbose_name_plural = "招待"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality"],
                condition=models.Q(status="pending"),
                name="one_pending_invitation_per_municipality",
                violation_error_message="この利用者はすでにこの市町村に招待されています。",
            ),
        ]

    def __str__(self):
        return f"{self.user.get_username()}（{self.municipality}・{self.get_role_display()}）"

    def as_membership(self) -> Membership:
        """The membership that accepting the invitation creates (not saved)."""
        return Membership(
            user=self.user,
            municipality=self.municipality,
            role=self.role,
            center=self.center,
            person=self.person,
            expires_on=self.expires_on,
        )

    def clean(self):
        # The same rules as the membership it becomes (same tenant, a center where needed).
        self.as_membership().clean()
