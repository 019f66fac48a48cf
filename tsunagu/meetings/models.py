import uuid

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest

from tsunagu.accounts.models import User
from tsunagu.confidentiality.models import PolicyVersion
from tsunagu.lib.fiscal import format_fiscal_year
from tsunagu.lib.limits import (
    MAX_CASES_REVIEWED,
    MINUTES_CHARS,
    NOTE_CHARS,
    TEXT_CHARS,
    date_in_range,
    date_validators,
    number_validators,
    text_validators,
)
from tsunagu.lib.model_fields import optional_foreign_key
from tsunagu.lib.wareki import format_wareki
from tsunagu.organizations.choices import Profession
from tsunagu.organizations.models import Area, Center, Organization, Person, TenantModel

from .choices import AttendanceRole, Category, Format, Function, Host, Level, Status


class MeetingType(TenantModel):
    """A 会議体: one kind of meeting in the municipality's catalogue."""

    same_tenant_fields = ("host_organization",)
    # What a municipality's published plan says of a body beyond its name, kind and host: the
    # fields its form edits and a preset (meetings.presets) may carry.
    PLAN_DESCRIPTION = (
        "purpose",
        "functions",
        "member_professions",
        "member_note",
        "frequency_per_year",
        "frequency_note",
        "handles_personal_info",
        "reviews_cases",
    )

    name = models.CharField("会議体名", max_length=100)
    category = models.CharField("区分", max_length=20, choices=Category.choices)
    level = models.CharField("レベル", max_length=20, choices=Level.choices)
    host = models.CharField("主催", max_length=20, choices=Host.choices)
    host_organization = optional_foreign_key(
        Organization,
        verbose_name="主催団体",
        on_delete=models.PROTECT,
        help_text="主催が「その他の団体」のときに選びます。",
    )
    purpose = models.TextField(
        "目的", max_length=TEXT_CHARS, validators=text_validators(TEXT_CHARS), blank=True
    )
    functions = models.JSONField(
        "機能", default=list, blank=True, help_text="地域ケア会議の5つの機能のうち該当するもの"
    )
    member_professions = models.JSONField("構成員（職種）", default=list, blank=True)
    member_note = models.TextField(
        "構成員（説明）", max_length=NOTE_CHARS, validators=text_validators(NOTE_CHARS), blank=True
    )
    frequency_per_year = models.PositiveSmallIntegerField(
        "年間目標回数",
        validators=number_validators(0, 365),
        null=True,
        blank=True,
        help_text="主催者ごと・年度ごとの回数。空欄は「必要時」。",
    )
    frequency_note = models.CharField(
        "開催頻度（表記）", max_length=50, blank=True, help_text="例: 年5回程度、年4〜6回、必要時"
    )
    handles_personal_info = models.BooleanField(
        "個人情報を扱う", default=False, help_text="扱う場合、参加者の誓約書が必要です。"
    )
    reviews_cases = models.BooleanField("事例を検討する", default=False)
    follow_up_months = models.CharField(
        "モニタリングの時期（か月後）",
        max_length=30,
        default="3,6",
        validators=[
            RegexValidator(
                r"^\s*\d{1,2}(\s*,\s*\d{1,2})*\s*$",
                "「3,6」のように、か月数をカンマで区切って入力してください。",
            )
        ],
        help_text="事例を検討した会議から何か月後にモニタリングするか。",
    )
    sort_order = models.PositiveSmallIntegerField(
        "表示順", default=0, validators=number_validators(0, 9999)
    )
    minutes_per_case = models.PositiveSmallIntegerField(
        "1事例の予定時間（分）",
        default=20,
        validators=number_validators(1, 240),
        help_text="会議の議題に事例を加えるときの予定時間の初期値。",
    )
    is_active = models.BooleanField("使用中", default=True)
    standing_members = models.ManyToManyField(
        Person,
        verbose_name="構成員（名簿の人）",
        blank=True,
        related_name="standing_bodies",
        help_text="会議のたびに招待する人。出席者の画面から一度に招待できます。",
    )
    implementation_plan = models.TextField(
        "実施計画",
        max_length=MINUTES_CHARS,
        validators=text_validators(MINUTES_CHARS),
        blank=True,
        help_text="個人情報を扱う会議では、個人情報基本方針とともに毎回配布資料になります。",
    )

    class Meta:
        verbose_name = "会議体"
        verbose_name_plural = "会議体"
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="meeting_type_name_unique"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        unknown = set(self.functions) - set(Function.values)
        if unknown:
            raise ValidationError({"functions": "不明な機能があります。"})
        if set(self.member_professions) - set(Profession.values):
            raise ValidationError({"member_professions": "不明な職種があります。"})
        if self.host == Host.OTHER and self.host_organization_id is None:
            raise ValidationError({"host_organization": "主催団体を選んでください。"})

    @property
    def function_labels(self):
        return [Function(value).label for value in self.functions if value in Function.values]

    @property
    def profession_labels(self):
        return [
            Profession(value).label
            for value in self.member_professions
            if value in Profession.values
        ]

    @property
    def frequency_label(self):
        if self.frequency_note:
            return self.frequency_note
        return f"年{self.frequency_per_year}回" if self.frequency_per_year else "必要時"

    @property
    def follow_up_intervals(self) -> list[int]:
        return sorted({int(n) for n in self.follow_up_months.split(",") if n.strip()})

    def host_problem(self, center) -> str | None:
        """Why `center` (None: the city) may not organise this body, or None if it may."""
        if self.host == Host.CITY and center is not None:
            return f"「{self}」は市が主催する会議体です。"
        if self.host == Host.EACH_CENTER and center is None:
            return f"「{self}」は各センターが主催する会議体です。センターを選んでください。"
        if self.host == Host.CORE_CENTER and (center is None or not center.is_core):
            return f"「{self}」は基幹型センターが主催する会議体です。"
        if self.host == Host.OTHER and center is not None:
            organizer = self.host_organization
            return f"「{self}」は{organizer}が主催する会議体です。主催は空欄にしてください。"
        return None


class PlanEntry(TenantModel):
    """How many meetings of a body an organiser plans in one 年度 (年間計画)."""

    same_tenant_fields = ("meeting_type", "center")

    fiscal_year = models.PositiveSmallIntegerField("年度")
    meeting_type = models.ForeignKey(
        MeetingType, verbose_name="会議体", on_delete=models.CASCADE, related_name="plan_entries"
    )
    center = optional_foreign_key(
        Center, verbose_name="主催センター", on_delete=models.CASCADE, help_text="空欄は市の主催"
    )
    planned_count = models.PositiveSmallIntegerField(
        "計画回数", validators=number_validators(0, 365)
    )

    class Meta:
        verbose_name = "年間計画"
        verbose_name_plural = "年間計画"
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "meeting_type", "center"],
                condition=Q(center__isnull=False),
                name="plan_entry_unique_per_center",
            ),
            models.UniqueConstraint(
                fields=["fiscal_year", "meeting_type"],
                condition=Q(center__isnull=True),
                name="plan_entry_unique_for_city",
            ),
        ]

    def __str__(self):
        organizer = self.center or "市"
        return (
            f"{format_fiscal_year(self.fiscal_year)} {self.meeting_type} {organizer}"
            f" {self.planned_count}回"
        )


class MeetingQuerySet(models.QuerySet):
    def with_case_count(self):
        """Annotate `case_count`, the one 検討事例数 every page shows: the cases on the agenda,
        or the figure recorded at closing when it is larger (meetings whose cases were not
        registered one by one, such as imported past years)."""
        # The agenda lives in the cases app, which imports this one; name it lazily.
        review = apps.get_model("cases", "CaseReview")
        agenda = (
            review.objects.filter(meeting=OuterRef("pk"))
            .order_by()
            .values("meeting")
            .annotate(n=Count("case", distinct=True))
            .values("n")
        )
        return self.annotate(
            case_count=Greatest(
                "cases_reviewed",
                Coalesce(Subquery(agenda, output_field=models.IntegerField()), 0),
            )
        )


class Meeting(TenantModel):
    """One 地域ケア会議 (or other meeting of a body), planned or held."""

    objects = MeetingQuerySet.as_manager()

    same_tenant_fields = ("meeting_type", "center", "area")

    meeting_type = models.ForeignKey(
        MeetingType, verbose_name="会議体", on_delete=models.PROTECT, related_name="meetings"
    )
    # A joint meeting: held once, counted for these bodies as well (e.g. the 市地域ケア会議
    # that is also the 第1層協議体).
    joint_meeting_types = models.ManyToManyField(
        MeetingType,
        verbose_name="合同で開催する会議体",
        blank=True,
        related_name="joint_meetings",
        help_text="1回の会議を複数の会議体の開催として数えるときに選びます。",
    )
    # A meeting an organisation holds for one 圏域 (e.g. an NPO 事務局 in each 圏域).
    area = optional_foreign_key(
        Area,
        verbose_name="圏域",
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text="圏域ごとに開く会議のとき、その圏域を選びます。統計は圏域別にも数えます。",
    )
    center = optional_foreign_key(
        Center,
        verbose_name="主催センター",
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text="空欄は市（または会議体の主催団体）の主催",
    )
    date = models.DateField("開催日", validators=date_validators(), db_index=True)
    start_time = models.TimeField("開始時刻", null=True, blank=True)
    end_time = models.TimeField("終了時刻", null=True, blank=True)
    venue = models.CharField("会場", max_length=200, blank=True)
    format = models.CharField(
        "形式", max_length=20, choices=Format.choices, default=Format.IN_PERSON
    )
    theme = models.CharField("テーマ", max_length=200, blank=True)
    status = models.CharField(
        "状態", max_length=20, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    cases_reviewed = models.PositiveSmallIntegerField(
        "検討事例数",
        default=0,
        validators=number_validators(0, MAX_CASES_REVIEWED),
        help_text="事例を個別に登録しない場合の件数",
    )
    minutes = models.TextField(
        "議事録", max_length=MINUTES_CHARS, validators=text_validators(MINUTES_CHARS), blank=True
    )
    decisions = models.TextField(
        "決定事項", max_length=TEXT_CHARS, validators=text_validators(TEXT_CHARS), blank=True
    )
    summary = models.TextField(
        "開催結果の要約", max_length=TEXT_CHARS, validators=text_validators(TEXT_CHARS), blank=True
    )
    closed_at = models.DateTimeField("記録確定日時", null=True, blank=True)
    content_purged_at = models.DateTimeField(
        "内容の消去日時",
        null=True,
        blank=True,
        help_text="保存年限を過ぎて議事録などを消去した日時。回数・出席などの統計は残ります。",
    )

    class Meta:
        verbose_name = "会議"
        verbose_name_plural = "会議"
        ordering = ["-date", "-start_time", "-id"]
        indexes = [models.Index(fields=["municipality", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__isnull=True)
                | Q(start_time__isnull=True)
                | Q(end_time__gte=models.F("start_time")),
                name="meeting_ends_after_start",
            ),
            # A date outside the range broke every calendar feed that contained the meeting.
            date_in_range("date", "meeting_date_in_range"),
        ]

    def __str__(self):
        return f"{self.meeting_type}（{self.organizer_name}・{format_wareki(self.date)}）"

    @property
    def organizer_name(self) -> str:
        if self.center_id:
            return str(self.center)
        if self.meeting_type.host_organization_id:
            return str(self.meeting_type.host_organization)
        return str(self.municipality)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def case_total(self) -> int:
        """検討事例数 of one meeting, counted as MeetingQuerySet.with_case_count does."""
        annotated = getattr(self, "case_count", None)
        if annotated is not None:
            return annotated
        return type(self).objects.filter(pk=self.pk).with_case_count().get().case_count


class Attendance(models.Model):
    """Someone invited to or present at a meeting, from the directory or ad hoc."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="会議", on_delete=models.CASCADE, related_name="attendances"
    )
    person = optional_foreign_key(
        Person, verbose_name="名簿の人", on_delete=models.SET_NULL, related_name="attendances"
    )
    name = models.CharField("氏名", max_length=50)
    profession = models.CharField("職種", max_length=40, choices=Profession.choices)
    affiliation = models.CharField("所属", max_length=100, blank=True)
    role = models.CharField(
        "役割", max_length=20, choices=AttendanceRole.choices, default=AttendanceRole.PARTICIPANT
    )
    invited = models.BooleanField("招待", default=False)
    attended = models.BooleanField("出席", default=False)

    class Meta:
        verbose_name = "出席者"
        verbose_name_plural = "出席者"
        # In the order the roles appear in a meeting record: 司会, 事例提供者, 助言者, ...
        ordering = [
            models.Case(
                *[
                    models.When(role=role, then=index)
                    for index, role in enumerate(AttendanceRole.values)
                ],
                output_field=models.IntegerField(),
            ),
            "id",
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(person__isnull=False),
                name="attendance_person_once_per_meeting",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.get_role_display()}）"

    @property
    def municipality_id(self):
        return self.meeting.municipality_id


def handout_path(handout: "Handout", filename: str) -> str:
    """Stored under a name of our own: the uploader's file name is kept only as a label."""
    suffix = {"pdf": ".pdf", "docx": ".docx", "xlsx": ".xlsx"}.get(handout.kind, "")
    folder = f"handouts/{handout.meeting.municipality_id}/{handout.meeting_id}"
    return f"{folder}/{uuid.uuid4().hex}{suffix}"


class Handout(models.Model):
    """A file handed out at a meeting (配布資料): PDF, Word or Excel, checked by content."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="会議", on_delete=models.CASCADE, related_name="handouts"
    )
    title = models.CharField("資料名", max_length=100)
    file = models.FileField("ファイル", upload_to=handout_path)
    kind = models.CharField("種類", max_length=10)
    size = models.PositiveIntegerField("大きさ（バイト）", default=0)
    uploaded_at = models.DateTimeField("登録日時", auto_now_add=True)
    uploaded_by = models.CharField("登録者", max_length=150, blank=True)

    class Meta:
        verbose_name = "配布資料"
        verbose_name_plural = "配布資料"
        ordering = ["id"]

    def __str__(self):
        return self.title

    @property
    def municipality_id(self):
        return self.meeting.municipality_id

    @property
    def kind_label(self) -> str:
        return {"pdf": "PDF", "docx": "Word", "xlsx": "Excel"}.get(self.kind, self.kind)


class CalendarToken(models.Model):
    """A private .ics feed address for one user, since calendar apps cannot log in.

    Only a SHA-256 digest of the token is kept; the address is shown once, when issued.
    """

    user = models.OneToOneField(
        "accounts.User",
        verbose_name="利用者",
        on_delete=models.CASCADE,
        related_name="calendar_token",
    )
    digest = models.CharField("トークンのハッシュ", max_length=64, unique=True)
    created_at = models.DateTimeField("発行日時", auto_now_add=True)
    last_used_at = models.DateTimeField("最終利用日時", null=True, blank=True)

    class Meta:
        verbose_name = "カレンダー連携"
        verbose_name_plural = "カレンダー連携"

    def __str__(self):
        return f"{self.user} のカレンダー"


ALREADY_SIGNED = "この方の誓約書はすでに記録されています。"


class PledgeMethod(models.TextChoices):
    ONLINE = "online", "画面で署名"
    PAPER = "paper", "紙で受領"


class Pledge(models.Model):
    """A signed 誓約書: for one meeting, or for one 年度, by a user or a directory person.

    It lives with the meetings it covers (docs/ARCHITECTURE.md, 「データも同じ向き」): the
    table keeps the name it had in confidentiality, so moving it changed no data."""

    municipality = models.ForeignKey(
        "organizations.Municipality",
        verbose_name="市町村",
        on_delete=models.PROTECT,
        related_name="pledges",
    )
    policy_version = models.ForeignKey(
        PolicyVersion, verbose_name="署名した版", on_delete=models.PROTECT, related_name="pledges"
    )
    meeting = optional_foreign_key(
        Meeting, verbose_name="会議", on_delete=models.PROTECT, related_name="pledges"
    )
    fiscal_year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    user = optional_foreign_key(
        User, verbose_name="利用者", on_delete=models.PROTECT, related_name="pledges"
    )
    person = optional_foreign_key(
        Person,
        verbose_name="名簿の人",
        on_delete=models.SET_NULL,
        related_name="pledges",
    )
    # The attendance line it was signed for in the meeting room (会議モード): an attendee who
    # is not in the directory has no person, so only this says whose signature it is.
    attendance = optional_foreign_key(
        Attendance,
        verbose_name="出席者",
        on_delete=models.SET_NULL,
        related_name="pledges",
    )
    signer_name = models.CharField("氏名", max_length=50)
    affiliation = models.CharField("所属・団体または住所", max_length=200)
    method = models.CharField("方法", max_length=20, choices=PledgeMethod.choices)
    scan = models.FileField("紙の誓約書（スキャン）", upload_to="pledges/%Y/%m/", blank=True)
    signed_at = models.DateTimeField("署名日時", auto_now_add=True)
    recorded_by = models.CharField("記録者", max_length=150, blank=True)

    class Meta:
        db_table = "confidentiality_pledge"
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


class ScheduleChange(models.Model):
    """One change to what the schedule matrix shows, appended by the database.

    Triggers (migration 0011) add a row for every insert or delete of a meeting, its joint
    bodies or a plan entry, and for every update of a column the matrix reads (a meeting's
    date, time, format, status, organiser or body; a body's name, order or use; a center's name
    or order; an area's order). The application never writes here itself, so a bulk update or
    an import counts as surely as a form. reports.schedule_table keeps the rendered matrix
    until schedule_changes.version() differs. Appending takes no lock that another writer
    waits on (a counter row would, and could deadlock with the audit chain's head).
    """

    municipality_id = models.BigIntegerField("市町村")  # written by triggers only

    class Meta:
        verbose_name = "開催状況の変更"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["municipality_id", "id"], name="schedule_change_by_city")]

    def __str__(self):
        return f"{self.municipality_id}: {self.pk}"
