"""Importing resources from CSV or XLSX, all or nothing, with every problem by row and column.

The columns are those of the export (exports.COLUMNS); 名称, 種別 and 提供主体 are required,
the others may be left out. Reading the file, with its limits, is the shared toolkit's
(tsunagu/lib/tabular: CSV in UTF-8 or Shift_JIS, TSV, XLSX). Parsing never writes;
`import_resources` saves a result only if it has no problems.

Problems reported, each with its row and column as the spreadsheet numbers them:
an unknown 種別・状態・圏域, a schedule (日時) that schedule.py cannot read, a 定員 below zero
or not a number, a date that is not one, a postal code or e-mail address in the wrong form,
and duplicates: the same name, provider and area twice in the file, or already registered.
"""

from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from tsunagu.audit.services import log_import
from tsunagu.lib.jtext import normalize
from tsunagu.lib.tabular import (
    FAILED,
    Bad,
    ImportProblem,
    Problems,
    UnreadableFile,
    attempt,
    cell,
    choice,
    header_columns,
    header_index,
    read_table,
    rows_below,
)
from tsunagu.lib.tabular.flow import TemplateSheet
from tsunagu.lib.wareki import WarekiError, format_wareki, parse_date
from tsunagu.organizations.models import Area, Organization

from .choices import ResourceKind, ResourceStatus
from .exports import ALL_AREAS, COLUMNS
from .models import Resource, ResourcePlace, normalize_postal_code
from .schedule import ScheduleError, parse_schedule
from .services import DuplicateIndex, areas_overlap, provider_key

__all__ = ["ImportProblem", "UnreadableFile", "read_table", "parse_resources", "import_resources"]

REQUIRED_COLUMNS = ("名称", "種別", "提供主体")
ALL_AREA_WORDS = {ALL_AREAS, "全域", "市内全域", "全圏域"}
FIELD_COLUMNS = {
    "name": "名称",
    "kind": "種別",
    "description": "内容",
    "provider_name": "提供主体",
    "schedule_text": "日時",
    "eligibility": "対象者",
    "cost": "費用",
    "capacity": "定員",
    "phone": "電話番号",
    "email": "メールアドレス",
    "status": "状態",
    "last_confirmed_on": "最終確認日",
}
PLACE_COLUMNS = {"name": "会場名", "postal_code": "郵便番号", "address": "会場住所"}


@dataclass
class ResourceRow:
    row: int
    resource: Resource
    areas: list
    places: list

    @property
    def area_label(self) -> str:
        return "、".join(area.name for area in self.areas) or ALL_AREAS


@dataclass
class ImportResult:
    rows: list[ResourceRow] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)

    @property
    def ok(self) -> bool:
        return not self.problems


def _kind(text: str):
    return choice(ResourceKind, "種別", text, required=True)


def _status(text: str):
    return choice(ResourceStatus, "状態", text, default=ResourceStatus.ACTIVE)


def _capacity(text: str):
    value = normalize(text).removesuffix("人").removesuffix("名").strip()
    if not value:
        return None
    if value.lstrip("-").isdigit() and value.startswith("-"):
        raise Bad(f"定員「{value}」が0より小さくなっています。0以上の整数で入力してください。")
    if not (value.isascii() and value.isdigit()):
        raise Bad(f"定員「{value}」は0以上の整数で入力してください。")
    if int(value) > 2_147_483_647:
        raise Bad(f"定員「{value}」が大きすぎます。")
    return int(value)


def _date(text: str):
    value = normalize(text)
    if not value:
        return None
    try:
        return parse_date(value)
    except WarekiError as error:
        raise Bad(f"最終確認日「{value}」: {error}") from None


def _lines(text: str) -> list[str]:
    return [normalize(line) for line in (text or "").replace("\r\n", "\n").split("\n")]


class _Parser:
    def __init__(self, municipality):
        self.municipality = municipality
        self.areas = {normalize(a.name): a for a in Area.objects.filter(municipality=municipality)}
        self.organizations = {
            normalize(o.name): o for o in Organization.objects.filter(municipality=municipality)
        }
        self.existing = DuplicateIndex(municipality)
        self.seen: dict[tuple, list] = {}  # (name, provider) -> [(row, area ids)]
        self.result = ImportResult()

    def problem(self, row, column, message):
        self.result.problems.add(row, column, message)

    def cell(self, row, column, parse, *args):
        """parse(*args), or record the problem at (row, column) and return FAILED."""
        return attempt(self.result.problems, row, column, parse, *args, errors=(ScheduleError,))

    def find_areas(self, text):
        names = [normalize(n) for n in normalize(text).replace(",", "、").split("、")]
        names = [n for n in names if n]
        if not names or (len(names) == 1 and names[0] in ALL_AREA_WORDS):
            return []
        missing = [n for n in names if n not in self.areas]
        if missing:
            raise Bad(f"圏域「{'」「'.join(missing)}」が見つかりません。")
        return [self.areas[n] for n in names]

    def places(self, row, names_text, codes_text, addresses_text):
        names, codes, addresses = _lines(names_text), _lines(codes_text), _lines(addresses_text)
        while names and not names[-1]:
            names.pop()
        for column, values in (("郵便番号", codes), ("会場住所", addresses)):
            if any(values[len(names) :]):
                self.problem(
                    row,
                    column,
                    f"{column}の行数が会場名より多くなっています（会場ごとに1行ずつ）。",
                )
                return FAILED
        places = []
        for i, name in enumerate(names):
            if not name:
                raise Bad(f"会場名の{i + 1}行目が空欄です。")
            code = normalize_postal_code(codes[i]) if i < len(codes) else ""
            address = addresses[i] if i < len(addresses) else ""
            place = ResourcePlace(name=name, postal_code=code, address=address)
            try:
                place.full_clean(exclude=["resource"])
            except ValidationError as error:
                for name_, messages in error.message_dict.items():
                    self.problem(row, PLACE_COLUMNS.get(name_, "会場名"), " ".join(messages))
                return FAILED
            places.append(place)
        return places

    def parse_row(self, row, value):
        name = normalize(value["名称"])
        if not name:
            self.problem(row, "名称", "名称が空欄です。")
        kind = self.cell(row, "種別", _kind, value["種別"])
        provider_text = normalize(value["提供主体"])
        if not provider_text:
            self.problem(row, "提供主体", "提供主体が空欄です。")
        provider = self.organizations.get(provider_text)
        areas = self.cell(row, "対象圏域", self.find_areas, value["対象圏域"])
        schedule = self.cell(row, "日時", parse_schedule, normalize(value["日時"]))
        capacity = self.cell(row, "定員", _capacity, value["定員"])
        status = self.cell(row, "状態", _status, value["状態"])
        confirmed = self.cell(row, "最終確認日", _date, value["最終確認日"])
        places = self.cell(
            row, "会場名", self.places, row, value["会場名"], value["郵便番号"], value["会場住所"]
        )
        if (
            not name
            or not provider_text
            or FAILED in (kind, areas, schedule, capacity, status, confirmed, places)
        ):
            return
        resource = Resource(
            municipality=self.municipality,
            name=name,
            kind=kind,
            description=value["内容"].strip(),
            provider=provider,
            provider_name="" if provider else provider_text,
            schedule_text=schedule.text,
            eligibility=normalize(value["対象者"]),
            cost=normalize(value["費用"]),
            capacity=capacity,
            phone=normalize(value["電話番号"]),
            email=normalize(value["メールアドレス"]),
            status=status,
            last_confirmed_on=confirmed,
        )
        try:
            resource.full_clean(validate_unique=False)
        except ValidationError as error:
            for name_, messages in error.message_dict.items():
                column = FIELD_COLUMNS.get(name_, "名称") if name_ != NON_FIELD_ERRORS else "名称"
                self.problem(row, column, " ".join(messages))
            return
        self.check_duplicates(row, resource, areas)
        self.result.rows.append(ResourceRow(row, resource, areas, places))

    def check_duplicates(self, row, resource, areas):
        area_ids = {area.pk for area in areas}
        key = (resource.name, provider_key(resource.provider_id, resource.provider_name))
        for earlier_row, earlier_ids in self.seen.get(key, []):
            if areas_overlap(area_ids, earlier_ids):
                self.problem(
                    row,
                    "名称",
                    f"名称・提供主体・対象圏域が同じ社会資源が{earlier_row}行目にもあります。",
                )
                return
        self.seen.setdefault(key, []).append((row, area_ids))
        found = self.existing.find(
            resource.name, resource.provider_id, resource.provider_name, area_ids
        )
        if found:
            self.problem(
                row,
                "名称",
                f"名称・提供主体・対象圏域が同じ社会資源「{found[1]}」がすでに登録されています。",
            )


def parse_resources(table, *, municipality) -> ImportResult:
    """One resource per row under a header row naming the columns (see exports.COLUMNS)."""
    parser = _Parser(municipality)
    h = header_index(table, lambda cells: "名称" in cells)
    columns = header_columns(table, h, COLUMNS)
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    for name in missing:
        parser.problem(h + 1, name, f"見出しが「{name}」の列がありません。")
    if missing:
        return parser.result
    for row, cells in rows_below(table, h):
        parser.parse_row(row, {name: cell(cells, columns.get(name)) for name in COLUMNS})
    if not parser.result.rows and not parser.result.problems:
        parser.problem(h + 2, "名称", "取り込む社会資源がありません。")
    parser.result.problems.sort(key=lambda p: p.row)
    return parser.result


@transaction.atomic
def import_resources(result: ImportResult, *, municipality, by, request=None, source="") -> int:
    """Save every row of a result without problems; return how many resources were created."""
    if not result.ok:
        raise ValueError("問題のある取り込み結果は保存できません。")
    for row in result.rows:
        resource = row.resource
        if resource.municipality_id != municipality.pk or any(
            area.municipality_id != municipality.pk for area in row.areas
        ):
            raise ValueError("他の市町村の社会資源・圏域は取り込めません。")
        resource.save()
        resource.areas.set(row.areas)
        for place in row.places:
            place.resource = resource
        ResourcePlace.objects.bulk_create(row.places)
    return log_import(
        "resource.imported",
        rows=len(result.rows),
        by=by,
        municipality=municipality,
        request=request,
        source=source,
        what="社会資源",
    )


def template_sheets(member) -> dict[str, TemplateSheet]:
    """The template file: the export's columns and one example row, with the member's own
    first organisation and area where there are some."""
    municipality = member.municipality_id
    organization = Organization.objects.filter(municipality=municipality).order_by("pk").first()
    area = Area.objects.filter(municipality=municipality).order_by("pk").first()
    example = {
        "名称": "ふれあいサロン（記入例）",
        "種別": ResourceKind.SALON.label,
        "提供主体": organization.name if organization else "○○町会",
        "内容": "体操とお茶会。送迎なし。",
        "対象圏域": area.name if area else ALL_AREAS,
        "会場名": "○○集会所",
        "郵便番号": "270-0000",
        "会場住所": "○○市○○町1-2-3",
        "日時": "毎週水曜 10:00-12:00",
        "対象者": "65歳以上の方",
        "費用": "100円",
        "定員": "20",
        "電話番号": "047-000-0000",
        "メールアドレス": "",
        "状態": ResourceStatus.ACTIVE.label,
        "最終確認日": format_wareki(timezone.localdate()),
    }
    return {"resources": TemplateSheet("社会資源", list(COLUMNS), [example[c] for c in COLUMNS])}
