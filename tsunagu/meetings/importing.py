"""Importing meetings from spreadsheets, in a long table or in the matrix municipalities publish.

Parsing never writes: it returns the rows it understood and every problem it found, so that the
upload page can show a preview. `import_meetings` then saves a result only if it has no problems
(all or nothing). Messages are shown to staff as they are, hence Japanese; rows and columns are
numbered as the spreadsheet shows them.

Long form: a header row naming センター, 会議体, 開催日 and optionally 形式, 状態, 検討事例数.
Matrix form (as in seed 002): the first column names the center, the header row names the body
over its columns (an empty header cell continues the body to its left, as merged cells export),
and each cell holds a date such as 「7月27日」 or 「7月27日（一部オンライン）」.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from tsunagu.audit.services import log_import
from tsunagu.lib.fiscal import fiscal_year as fiscal_year_of
from tsunagu.lib.fiscal import fiscal_year_range, format_fiscal_year
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
    column_name,
    header_columns,
    header_index,
    read_table,
    rows_below,
)
from tsunagu.lib.tabular.flow import TemplateSheet
from tsunagu.lib.wareki import WarekiError, format_wareki, parse_date
from tsunagu.organizations.models import Center

from .choices import Format, Status
from .models import Meeting, MeetingType

# Reading files and reporting problems are the shared toolkit's; named here for callers.
__all__ = [
    "ImportProblem",
    "ImportResult",
    "MeetingRow",
    "UnreadableFile",
    "import_meetings",
    "parse_long",
    "parse_matrix",
    "read_table",
]

CENTER_SUFFIX = "地域包括支援センター"
LONG_COLUMNS = ("センター", "会議体", "開催日", "形式", "状態", "検討事例数")
REQUIRED_COLUMNS = ("センター", "会議体", "開催日")

# 「7月27日」, optionally with the weekday copied from a calendar: 「7月27日(木)」.
_MONTH_DAY = re.compile(r"(\d{1,2})月(\d{1,2})日(?:\([月火水木金土日](?:曜日?)?\))?")
# A note after a date in a matrix cell; NFKC has already made （） half-width.
_FORMAT_NOTE = re.compile(r"\((一部オンライン|オンライン)\)$")
# A trailing note in a header, such as 「地域包括ケア推進会議 (実施済又は予定)」.
_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)$")
_MAX_CASES = 32767  # PositiveSmallIntegerField


@dataclass
class MeetingRow:
    row: int
    center: Center | None  # None: organised by the city
    meeting_type: MeetingType
    date: date
    format: str
    status: str
    cases_reviewed: int

    @property
    def format_label(self) -> str:
        return Format(self.format).label

    @property
    def status_label(self) -> str:
        return Status(self.status).label


@dataclass
class ImportResult:
    rows: list[MeetingRow] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- Parsing -------------------------------------------------------------------------------


def parse_long(table, *, municipality, fiscal_year: int | None = None) -> ImportResult:
    """One meeting per row. With `fiscal_year`, dates must lie in it and may omit the year."""
    builder = _Builder(municipality, fiscal_year)
    h = header_index(table, lambda cells: "センター" in cells)
    columns = header_columns(table, h, LONG_COLUMNS)
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    for name in missing:
        builder.problem(h + 1, name, f"見出しが「{name}」の列がありません。")
    if missing:
        return builder.result

    for row, cells in rows_below(table, h):
        value = {name: cell(cells, columns.get(name)) for name in LONG_COLUMNS}
        center = builder.attempt(row, "センター", builder.find_center, value["センター"])
        body = builder.attempt(row, "会議体", builder.find_type, value["会議体"])
        day = builder.attempt(row, "開催日", builder.parse_day, value["開催日"])
        fmt = builder.attempt(row, "形式", choice, Format, "形式", value["形式"])
        status = builder.attempt(row, "状態", choice, Status, "状態", value["状態"])
        cases = builder.attempt(row, "検討事例数", _cases, value["検討事例数"])
        if any(v is FAILED for v in (center, body, day, fmt, status, cases)):
            continue
        builder.add(
            row,
            ("会議体", "開催日"),
            center,
            body,
            day,
            fmt or Format.IN_PERSON,
            status or _default_status(day),
            cases,
        )
    return builder.finish(h + 2)


def parse_matrix(table, *, municipality, fiscal_year: int) -> ImportResult:
    """Centers down, bodies across, a date (and its format) in each cell."""
    builder = _Builder(municipality, fiscal_year)
    # A title line may sit above the header, as in the published table.
    h = header_index(table, lambda cells: bool(cells) and cells[0] == "センター")
    header = table[h] if table else []
    bodies = builder.header_bodies(header, h + 1)

    for row, cells in rows_below(table, h):
        center = builder.attempt(row, column_name(header, 0), builder.find_center, cells[0])
        if center is FAILED:
            continue  # One problem for the row is enough; its dates have no organiser.
        for col in range(1, len(cells)):
            if not cells[col].strip():
                continue
            column = column_name(header, col)
            # Trailing empty header cells may be missing altogether (merged cells in .xlsx).
            body = bodies[min(col, len(bodies) - 1)]
            if body is FAILED:
                continue  # Already reported once, at the header.
            if body is None:
                builder.problem(row, column, "この列の見出しに会議体名がありません。")
                continue
            parsed = builder.attempt(row, column, builder.parse_cell, cells[col])
            if parsed is not FAILED:
                day, fmt = parsed
                builder.add(row, (column, column), center, body, day, fmt, _default_status(day), 0)
    return builder.finish(h + 2)


class _Builder:
    """Matches names against one municipality's catalogue and collects rows and problems."""

    def __init__(self, municipality, fiscal_year):
        self.municipality = municipality
        self.fiscal_year = fiscal_year
        centers = Center.objects.filter(municipality=municipality)
        self.centers = {normalize(c.name): c for c in centers}
        types = MeetingType.objects.filter(municipality=municipality)
        self.types = {normalize(t.name): t for t in types}
        self.city_names = {"市", normalize(municipality.name)}
        self.result = ImportResult()
        self.seen = {}  # (center id, type id, date) -> (row, date column) where first read

    def problem(self, row, column, message):
        self.result.problems.add(row, column, message)

    def attempt(self, row, column, parse, *args):
        return attempt(self.result.problems, row, column, parse, *args, errors=(WarekiError,))

    def find_center(self, text) -> Center | None:
        name = normalize(text)
        if not name:
            raise Bad("センター名が空欄です。")
        if name in self.city_names:
            return None
        # Published tables write 「明第1」 for 「明第1地域包括支援センター」.
        center = self.centers.get(name) or self.centers.get(name + CENTER_SUFFIX)
        if center is None:
            raise Bad(f"センター「{name}」が見つかりません。")
        return center

    def find_type(self, text) -> MeetingType:
        name = normalize(text)
        if not name:
            raise Bad("会議体名が空欄です。")
        # The exact name first, in case a body's own name ends in parentheses.
        found = self.types.get(name) or self.types.get(_TRAILING_NOTE.sub("", name))
        if found is None:
            raise Bad(f"会議体「{name}」が見つかりません。")
        return found

    def header_bodies(self, header, row) -> list:
        """The body of each column (index 0, the center column, has none)."""
        bodies, current = [None], None
        for col in range(1, len(header)):
            if header[col].strip():
                current = self.attempt(row, column_name(header, col), self.find_type, header[col])
            bodies.append(current)  # An empty header continues the body to its left.
        return bodies

    def parse_day(self, text) -> date:
        s = re.sub(r"\s+", "", normalize(text))
        if not s:
            raise Bad("開催日が空欄です。")
        m = _MONTH_DAY.fullmatch(s)
        if m is None:
            try:
                day = parse_date(s)
            except WarekiError as e:
                raise Bad(f"「{s}」: {e}") from None
            self._check_in_fiscal_year(s, day)
            return day
        if self.fiscal_year is None:
            raise Bad(f"「{s}」: 年のない日付には年度の指定が必要です。")
        month, day_of_month = int(m[1]), int(m[2])
        # 年度 run April to March: January to March fall in the next calendar year.
        year = self.fiscal_year + 1 if month <= 3 else self.fiscal_year
        try:
            return date(year, month, day_of_month)
        except ValueError:
            raise Bad(f"「{s}」: 存在しない日付です。") from None

    def _check_in_fiscal_year(self, text, day):
        if self.fiscal_year is None:
            return
        first, last = fiscal_year_range(self.fiscal_year)
        if not first <= day <= last:
            period = f"{format_wareki(first)}〜{format_wareki(last)}"
            name = format_fiscal_year(self.fiscal_year)
            raise Bad(f"「{text}」: {name}（{period}）の期間外です。")

    def parse_cell(self, text) -> tuple[date, str]:
        s = normalize(text)
        # The seed marks online meetings by typeface: underlined (下線太字) were partly online,
        # bold alone fully online. Pasted from it, they arrive as <u>…</u> and **…**.
        fmt = Format.IN_PERSON
        if "<u>" in s:
            fmt = Format.HYBRID
        elif "**" in s:
            fmt = Format.ONLINE
        s = re.sub(r"</?u>|\*\*", "", s).strip()
        note = _FORMAT_NOTE.search(s)
        if note:
            fmt = Format.HYBRID if note[1] == "一部オンライン" else Format.ONLINE
            s = s[: note.start()]
        return self.parse_day(s), fmt

    def add(self, row, columns, center, meeting_type, day, fmt, status, cases):
        body_column, date_column = columns
        problem = meeting_type.host_problem(center)
        if problem:
            self.problem(row, body_column, problem)
            return
        key = (center and center.pk, meeting_type.pk, day)
        if key in self.seen:
            earlier_row, earlier_column = self.seen[key]
            self.problem(
                row,
                date_column,
                f"{_describe(center, meeting_type, day)}が"
                f"{earlier_row}行目「{earlier_column}」列と重複しています。",
            )
            return
        self.seen[key] = (row, date_column)
        self.result.rows.append(MeetingRow(row, center, meeting_type, day, fmt, status, cases))

    def finish(self, first_data_row) -> ImportResult:
        rows = self.result.rows
        if not rows and not self.result.problems:
            self.problem(first_data_row, "センター", "取り込む会議がありません。")
        # Cancelled meetings do not block: a meeting may be re-planned on the same day.
        existing = set(
            Meeting.objects.filter(municipality=self.municipality, date__in={r.date for r in rows})
            .exclude(status=Status.CANCELLED)
            .values_list("center_id", "meeting_type_id", "date")
        )
        for r in rows:
            key = (r.center and r.center.pk, r.meeting_type.pk, r.date)
            if key in existing:
                description = _describe(r.center, r.meeting_type, r.date)
                self.problem(r.row, self.seen[key][1], f"{description}はすでに登録されています。")
        self.result.problems.sort(key=lambda p: p.row)  # Stable: columns keep their order.
        return self.result


def _describe(center, meeting_type, day) -> str:
    return f"同じ会議（{center or '市'}・{meeting_type}・{format_wareki(day)}）"


def _cases(text) -> int:
    s = normalize(text)
    if not s:
        return 0
    if not (s.isascii() and s.isdigit()):
        raise Bad(f"検討事例数「{s}」は0以上の整数で入力してください。")
    if int(s) > _MAX_CASES:
        raise Bad(f"検討事例数「{s}」が大きすぎます。")
    return int(s)


def _default_status(day) -> str:
    return Status.HELD if day < timezone.localdate() else Status.PLANNED


# --- Saving --------------------------------------------------------------------------------


@transaction.atomic
def import_meetings(
    result: ImportResult, *, municipality, by, request=None, source: str = ""
) -> int:
    """Save every row of a result without problems; return how many meetings were created."""
    if not result.ok:
        raise ValueError("問題のある取り込み結果は保存できません。")
    if any(r.meeting_type.municipality_id != municipality.pk for r in result.rows) or any(
        r.center is not None and r.center.municipality_id != municipality.pk for r in result.rows
    ):
        raise ValueError("他の市町村の会議体・センターは取り込めません。")
    Meeting.objects.bulk_create(
        Meeting(
            municipality=municipality,
            meeting_type=r.meeting_type,
            center=r.center,
            date=r.date,
            format=r.format,
            status=r.status,
            cases_reviewed=r.cases_reviewed,
        )
        for r in result.rows
    )
    return log_import(
        "meeting.imported",
        rows=len(result.rows),
        by=by,
        municipality=municipality,
        request=request,
        source=source,
        what="会議",
    )


def template_sheets(member) -> dict[str, TemplateSheet]:
    """The two layouts as template files: the header row and one example row, named from
    the member's own catalogue where it has one."""
    centers = Center.objects.filter(municipality=member.municipality_id).order_by("pk")
    types = list(MeetingType.objects.filter(municipality=member.municipality_id).order_by("pk")[:3])
    center = centers.first()
    center_name = center.name.removesuffix(CENTER_SUFFIX) if center else "○○"
    type_names = [t.name for t in types] or ["地域ケア個別会議", "地域ケア推進会議"]
    fy = fiscal_year_of(timezone.localdate())
    example_day = date(fy, 7, 27)
    return {
        "matrix": TemplateSheet(
            "一覧表",
            ["センター", *type_names],
            [
                center_name,
                *(["7月27日", "9月14日（一部オンライン）", "11月9日"][: len(type_names)]),
            ],
        ),
        "long": TemplateSheet(
            "1行1会議",
            list(LONG_COLUMNS),
            [
                center_name,
                type_names[0],
                format_wareki(example_day),
                Format.IN_PERSON.label,
                Status.PLANNED.label,
                "2",
            ],
        ),
    }
