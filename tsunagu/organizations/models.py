from django.core.exceptions import ValidationError
from django.db import models

from tsunagu.lib.jtext import normalize, to_katakana
from tsunagu.lib.limits import (
    EARLIEST_OPENING,
    NOTE_CHARS,
    date_validators,
    number_validators,
    text_validators,
)
from tsunagu.lib.model_fields import optional_foreign_key

from .choices import Operation, OrganizationKind, Prefecture, Profession
from .validators import validate_furigana, validate_municipality_code


class Municipality(models.Model):
    code = models.CharField(
        "全国地方公共団体コード", max_length=6, unique=True, validators=[validate_municipality_code]
    )
    name = models.CharField("市町村名", max_length=50)
    prefecture = models.CharField("都道府県", max_length=2, choices=Prefecture.choices)

    class Meta:
        verbose_name = "市町村"
        verbose_name_plural = "市町村"
        ordering = ["code"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.code and self.prefecture and self.code[:2] != self.prefecture:
            prefecture = self.get_prefecture_display()
            raise ValidationError({"code": f"上2桁が{prefecture}のコードと一致しません。"})


def check_same_tenant(row, fields) -> None:
    """Refuse foreign keys of `row` that point into another municipality than its own."""
    for field in fields:
        # A required key left empty (or refused by the form) is not set at all: its own
        # field error says so, and reading the relation would raise instead.
        if getattr(row, row._meta.get_field(field).attname) is None:
            continue
        related = getattr(row, field)
        if related is not None and related.municipality_id != row.municipality_id:
            label = row._meta.get_field(field).verbose_name
            raise ValidationError({field: f"他の市町村の{label}は選べません。"})


class TenantModel(models.Model):
    """A row that belongs to one municipality; every query goes through that tenant."""

    municipality = models.ForeignKey(Municipality, verbose_name="市町村", on_delete=models.PROTECT)
    # Foreign keys that must stay inside the row's own municipality.
    same_tenant_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if hasattr(self, "name"):
            self.name = normalize(self.name)
        check_same_tenant(self, self.same_tenant_fields)


class Area(TenantModel):
    name = models.CharField("圏域名", max_length=50)
    sort_order = models.PositiveSmallIntegerField(
        "表示順", default=0, validators=number_validators(0, 9999)
    )
    description = models.TextField(
        "説明（町名など）",
        max_length=NOTE_CHARS,
        validators=text_validators(NOTE_CHARS),
        blank=True,
    )

    class Meta:
        verbose_name = "日常生活圏域"
        verbose_name_plural = "日常生活圏域"
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="area_name_unique"),
        ]

    def __str__(self):
        return self.name


class Center(TenantModel):
    same_tenant_fields = ("area",)

    name = models.CharField("センター名", max_length=100)
    area = optional_foreign_key(
        Area, verbose_name="担当圏域", on_delete=models.PROTECT, related_name="centers"
    )
    is_core = models.BooleanField("基幹型", default=False)
    operation = models.CharField(
        "運営形態", max_length=20, choices=Operation.choices, default=Operation.COMMISSIONED
    )
    operator = models.CharField("運営法人", max_length=100, blank=True)
    opened_on = models.DateField(
        "開設日", validators=date_validators(EARLIEST_OPENING), null=True, blank=True
    )
    address = models.CharField("所在地", max_length=200, blank=True)
    phone = models.CharField("電話番号", max_length=20, blank=True)

    class Meta:
        verbose_name = "地域包括支援センター"
        verbose_name_plural = "地域包括支援センター"
        ordering = ["-is_core", "area__sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="center_name_unique"),
            # One center per municipality coordinates the others.
            models.UniqueConstraint(
                fields=["municipality"],
                condition=models.Q(is_core=True),
                name="one_core_center_per_municipality",
            ),
        ]

    def __str__(self):
        return self.name


class Organization(TenantModel):
    same_tenant_fields = ("area",)

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("種別", max_length=40, choices=OrganizationKind.choices)
    area = optional_foreign_key(
        Area, verbose_name="所在圏域", on_delete=models.SET_NULL, related_name="organizations"
    )
    office_number = models.CharField("事業所番号", max_length=10, blank=True)
    address = models.CharField("所在地", max_length=200, blank=True)
    phone = models.CharField("電話番号", max_length=20, blank=True)

    class Meta:
        verbose_name = "関係機関・事業所"
        verbose_name_plural = "関係機関・事業所"
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="organization_name_unique"
            ),
        ]

    def __str__(self):
        return self.name


class Person(TenantModel):
    """Someone in the municipality's network: staff, advisers, local people.

    Names may repeat (two 佐藤さん are two people), so there is no uniqueness on them.
    """

    same_tenant_fields = ("organization", "center")

    name = models.CharField("氏名", max_length=50)
    furigana = models.CharField(
        "ふりがな",
        max_length=100,
        validators=[validate_furigana],
        help_text="50音順の並べ替えに使います。",
    )
    profession = models.CharField("職種", max_length=40, choices=Profession.choices)
    organization = optional_foreign_key(
        Organization, verbose_name="所属機関", on_delete=models.SET_NULL, related_name="people"
    )
    center = optional_foreign_key(
        Center, verbose_name="所属センター", on_delete=models.SET_NULL, related_name="people"
    )
    phone = models.CharField("電話番号", max_length=20, blank=True)
    email = models.EmailField("メールアドレス", blank=True)
    note = models.TextField(
        "備考", max_length=NOTE_CHARS, validators=text_validators(NOTE_CHARS), blank=True
    )

    unique_name = False

    class Meta:
        verbose_name = "人"
        verbose_name_plural = "人"
        ordering = ["furigana", "id"]
        indexes = [models.Index(fields=["municipality", "furigana"])]

    def __str__(self):
        return self.name

    @property
    def affiliation(self):
        return self.center or self.organization

    def clean(self):
        super().clean()
        self.furigana = to_katakana(self.furigana)
