"""Importing a center's existing logs: a year of consultations or events from CSV / XLSX.

Parsing never writes (except that a city's default 区分 are created the first time they are
needed): it returns the rows it understood and every problem with its row and column, so that
the page can show a preview and the command can list them. Saving (services.import_records)
happens only when there is no problem at all.

Consultations: センター, 受付日, 方法, 相談者, 区分 (several separated by 、), 管理番号, 対応, 概要.
Events: センター, 種別, 開催日, 名称, 参加者数.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from tsunagu.lib.jtext import normalize
from tsunagu.lib.tabular import (
    FAILED,
    Bad,
    ImportProblem,
    Limits,
    Problems,
    UnreadableFile,
    attempt,
    cell,
    choice,
    column_name,
    header_index,
    is_blank,
    read_table,
)
from tsunagu.lib.tabular.flow import TemplateSheet
from tsunagu.lib.wareki import WarekiError, format_wareki, parse_date
from tsunagu.organizations.models import Center

from .choices import (
    DEFAULT_CATEGORIES,
    LOCKED_STATUSES,
    Consulter,
    EventKind,
    Method,
    OutreachList,
    Response,
    SubmissionKind,
)
from .models import Consultation, ConsultationCategory, Submission, month_label
from .services import categories_of

__all__ = [
    "ImportProblem",
    "UnreadableFile",
    "read_upload",
    "parse",
    "KINDS",
    "read_targets",
    "parse_targets",
]

MAX_ROWS = 20000
MAX_CELL = 100  # any cell but 概要
MAX_SUMMARY = 2000
# A year of a center's log: larger than the meeting and resource imports' row limit, with
# cells no longer than the longest 概要.
LIMITS = Limits(max_bytes=5 * 1024 * 1024, max_rows=MAX_ROWS, max_cell_chars=MAX_SUMMARY)
MAX_PARTICIPANTS = 100000
CENTER_SUFFIX = "地域包括支援センター"

CONSULTATION_COLUMNS = ("センター", "受付日", "方法", "相談者", "区分", "管理番号", "対応", "概要")
EVENT_COLUMNS = ("センター", "種別", "開催日", "名称", "参加者数")
KINDS = {"consultations": CONSULTATION_COLUMNS, "events": EVENT_COLUMNS}
OPTIONAL = {"概要"}


@dataclass
class ImportResult:
    kind: str
    rows: list[dict] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_upload(source, filename: str) -> list[list[str]]:
    """The table of an upload, refused whole (while reading) when it is too large to be a
    center's log."""
    return read_table(source, filename, LIMITS)


def parse(table, *, municipality, kind: str) -> ImportResult:
    parser = _Parser(municipality, kind)
    parser.run(table)
    return parser.result


class _Parser:
    def __init__(self, municipality, kind):
        self.municipality = municipality
        self.kind = kind
        self.result = ImportResult(kind)
        self.centers = {
            normalize(c.name): c for c in Center.objects.filter(municipality=municipality)
        }
        if kind == "consultations":
            self.categories = {c.name: c for c in categories_of(municipality)}

    def problem(self, row, column, message):
        self.result.problems.add(row, column, message)

    def run(self, table):
        columns = KINDS[self.kind]
        h = next(
            (i for i, cells in enumerate(table) if "センター" in [normalize(c) for c in cells]), 0
        )
        header = [normalize(c) for c in table[h]] if table else []
        index = {name: header.index(name) for name in columns if name in header}
        missing = [name for name in columns if name not in index and name not in OPTIONAL]
        for name in missing:
            self.problem(h + 1, name, f"見出しが「{name}」の列がありません。")
        if missing:
            return
        handle = self.consultation if self.kind == "consultations" else self.event
        for i in range(h + 1, len(table)):
            cells = table[i]
            if not any(c.strip() for c in cells):
                continue
            values = {
                name: (cells[index[name]] if name in index and index[name] < len(cells) else "")
                for name in columns
            }
            too_long = False
            for name, text in values.items():
                limit = MAX_SUMMARY if name == "概要" else MAX_CELL
                if len(text) > limit:
                    self.problem(i + 1, name, f"{limit}文字を超えています（{len(text)}文字）。")
                    too_long = True
            if not too_long:
                handle(
                    i + 1,
                    {k: normalize(v) if k != "概要" else v.strip() for k, v in values.items()},
                )
        if not self.result.rows and not self.result.problems:
            self.problem(h + 2, "センター", "取り込む行がありません。")
        self.check_existing()
        self.result.problems.sort(key=lambda p: p.row)

    def attempt(self, row, column, parse, *args):
        return attempt(self.result.problems, row, column, parse, *args, errors=(WarekiError,))

    def center(self, text) -> Center:
        if not text:
            raise Bad("センター名が空欄です。")
        found = self.centers.get(text) or self.centers.get(text + CENTER_SUFFIX)
        if found is None:
            raise Bad(f"センター「{text}」が見つかりません。")
        return found

    def consultation(self, row, v):
        center = self.attempt(row, "センター", self.center, v["センター"])
        day = self.attempt(row, "受付日", _date, "受付日", v["受付日"])
        method = self.attempt(row, "方法", _choice, Method, "方法", v["方法"])
        consulter = self.attempt(row, "相談者", _choice, Consulter, "相談者", v["相談者"])
        categories = self.attempt(row, "区分", self.category_list, v["区分"])
        ref = self.attempt(row, "管理番号", _required, "管理番号", v["管理番号"])
        response = self.attempt(row, "対応", _choice, Response, "対応", v["対応"])
        values = (center, day, method, consulter, categories, ref, response)
        if any(x is FAILED for x in values):
            return
        self.result.rows.append(
            {
                "row": row,
                "center": center,
                "received_on": day,
                "method": method,
                "consulter": consulter,
                "categories": categories,
                "person_ref": ref,
                "response": response,
                "summary": v["概要"],
            }
        )

    def category_list(self, text) -> list[ConsultationCategory]:
        names = [name.strip() for name in text.replace(",", "、").split("、") if name.strip()]
        if not names:
            raise Bad("区分が空欄です。")
        unknown = [name for name in names if name not in self.categories]
        if unknown:
            allowed = "、".join(self.categories)
            raise Bad(f"区分「{'、'.join(unknown)}」はありません。{allowed} から選んでください。")
        return [self.categories[name] for name in dict.fromkeys(names)]

    def event(self, row, v):
        center = self.attempt(row, "センター", self.center, v["センター"])
        kind = self.attempt(row, "種別", _choice, EventKind, "種別", v["種別"])
        day = self.attempt(row, "開催日", _date, "開催日", v["開催日"])
        title = self.attempt(row, "名称", _required, "名称", v["名称"])
        count = self.attempt(row, "参加者数", _count, v["参加者数"])
        if any(x is FAILED for x in (center, kind, day, title, count)):
            return
        self.result.rows.append(
            {
                "row": row,
                "center": center,
                "kind": kind,
                "held_on": day,
                "title": title,
                "participants": count,
            }
        )

    def check_existing(self):
        """Rows in a month already reported, and consultations already stored."""
        rows = self.result.rows
        if not rows:
            return
        day_key = "received_on" if self.kind == "consultations" else "held_on"
        column = "受付日" if self.kind == "consultations" else "開催日"
        months = {(r["center"].pk, r[day_key].replace(day=1)) for r in rows}
        locked = set(
            Submission.objects.filter(
                municipality=self.municipality,
                kind=SubmissionKind.MONTHLY,
                status__in=LOCKED_STATUSES,
                period_start__in={m for _, m in months},
            ).values_list("center_id", "period_start")
        )
        for r in rows:
            if (r["center"].pk, r[day_key].replace(day=1)) in locked:
                self.problem(
                    r["row"],
                    column,
                    f"{r['center']}の{month_label(r[day_key])}の月次報告は提出済のため、"
                    "この月の記録は追加できません。",
                )
        if self.kind != "consultations":
            return
        stored = set(
            Consultation.objects.filter(
                municipality=self.municipality,
                received_on__in={r["received_on"] for r in rows},
            )
            .filter(Q(person_ref__in={r["person_ref"] for r in rows}))
            .values_list("center_id", "received_on", "person_ref", "method", "summary")
        )
        for r in rows:
            key = (r["center"].pk, r["received_on"], r["person_ref"], r["method"], r["summary"])
            if key in stored:
                self.problem(r["row"], "管理番号", "同じ相談がすでに登録されています。")


def _required(label, text) -> str:
    if not text:
        raise Bad(f"{label}が空欄です。")
    return text


def _date(label, text) -> datetime.date:
    if not text:
        raise Bad(f"{label}が空欄です。")
    try:
        return parse_date(text)
    except WarekiError as e:
        raise Bad(f"「{text}」: {e}") from None


def _choice(choices, label, text) -> str:
    return choice(choices, label, text, required=True)


def _count(text) -> int:
    if not text:
        raise Bad("参加者数が空欄です。")
    if not (text.isascii() and text.isdigit()):
        raise Bad(f"参加者数「{text}」は0以上の整数で入力してください。")
    if int(text) > MAX_PARTICIPANTS:
        raise Bad(f"参加者数「{text}」が大きすぎます。")
    return int(text)


# The year's 実態把握 / 介護予防把握 lists (A 対象者, B 未回答者), by 管理番号 only.

TARGET_LIMITS = Limits(max_bytes=2 * 1024 * 1024, max_rows=5000, max_cell_chars=200)
MAX_REF = 50
# Columns that would carry a person's identity: the lists are by 管理番号 alone.
IDENTIFYING = ("氏名", "名前", "住所", "電話", "電話番号", "生年月日")
LIST_LABELS = {
    "a": OutreachList.A,
    "a対象者": OutreachList.A,
    "対象者": OutreachList.A,
    "b": OutreachList.B,
    "b未回答者": OutreachList.B,
    "未回答者": OutreachList.B,
}


@dataclass
class TargetsResult:
    """The 管理番号 of a list file with the list each goes on, or every problem."""

    rows: list[tuple[int, str, str]] = field(default_factory=list)  # (row, 管理番号, list)
    problems: Problems = field(default_factory=Problems)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def read_targets(source, filename: str) -> list[list[str]]:
    return read_table(source, filename, TARGET_LIMITS)


def parse_targets(table, *, source_list: str) -> TargetsResult:
    """A column 管理番号 (and optionally リスト: A 対象者 / B 未回答者, else `source_list`).
    Every problem is kept with its row and column; nothing is written here."""
    result = TargetsResult()
    h = header_index(table, lambda cells: "管理番号" in cells)
    header = [normalize(c) for c in table[h]] if table else []
    if "管理番号" not in header:
        result.problems.add(h + 1, "管理番号", "見出しが「管理番号」の列がありません。")
        return result
    for i, name in enumerate(header):
        if name in IDENTIFYING:
            result.problems.add(
                h + 1,
                column_name(header, i),
                "氏名・住所などの列は取り込めません。管理番号だけのファイルにしてください。",
            )
    ref_at = header.index("管理番号")
    list_at = header.index("リスト") if "リスト" in header else None
    seen: dict[str, int] = {}
    for i in range(h + 1, len(table)):
        cells = table[i]
        if is_blank(cells):
            continue
        row = i + 1
        ref = normalize(cell(cells, ref_at))
        chosen = source_list
        if list_at is not None and cell(cells, list_at).strip():
            label = normalize(cell(cells, list_at)).replace(" ", "").lower()
            if label not in LIST_LABELS:
                result.problems.add(
                    row,
                    "リスト",
                    f"リスト「{cell(cells, list_at)}」は A 対象者・B 未回答者 のどちらかです。",
                )
                continue
            chosen = LIST_LABELS[label]
        if not ref:
            result.problems.add(row, "管理番号", "管理番号が空欄です。")
        elif len(ref) > MAX_REF:
            result.problems.add(
                row, "管理番号", f"管理番号は{MAX_REF}文字までです（{len(ref)}文字）。"
            )
        elif ref in seen:
            result.problems.add(row, "管理番号", f"「{ref}」は{seen[ref]}行目と重複しています。")
        else:
            seen[ref] = row
            result.rows.append((row, ref, chosen))
    if not result.rows and not result.problems:
        result.problems.add(h + 2, "管理番号", "取り込む行がありません。")
    result.problems.sort(key=lambda p: p.row)
    return result


def template_sheets(member) -> dict[str, TemplateSheet]:
    """The two kinds as template files: the header row and one example row, with the
    member's own center and the city's first 区分 (seed 001's list until it has its own)."""
    center = member.center or (
        Center.objects.filter(municipality=member.municipality_id).order_by("pk").first()
    )
    center_name = center.name if center else "○○地域包括支援センター"
    category = (
        ConsultationCategory.objects.filter(municipality=member.municipality_id)
        .order_by("sort_order", "pk")
        .values_list("name", flat=True)
        .first()
    ) or DEFAULT_CATEGORIES[0]
    day = format_wareki(timezone.localdate())
    return {
        "consultations": TemplateSheet(
            "総合相談",
            list(CONSULTATION_COLUMNS),
            [
                center_name,
                day,
                Method.PHONE.label,
                Consulter.FAMILY.label,
                category,
                "K-0001",
                Response.INFORMATION.label,
                "（記入例）家族から介護保険の申請について相談。",
            ],
        ),
        "events": TemplateSheet(
            "講座・行事・研修",
            list(EVENT_COLUMNS),
            [
                center_name,
                EventKind.SUPPORTER.label,
                day,
                "認知症サポーター養成講座（記入例）",
                "25",
            ],
        ),
    }
