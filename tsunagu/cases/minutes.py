"""The whole meeting's 会議録, laid out once and written as an A4 PDF (WeasyPrint, fonts
embedded) and as an editable Word file (.docx), which municipalities file and amend.

Views fetch the room through cases.access.open_room (the gate, recorded); this module only
lays it out. Cases are named by their code and the 「80〜84歳 女性 …」 summary, never by a
name or the center's 管理番号.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, unescape

from django.template.loader import render_to_string
from django.utils import timezone

from tsunagu.lib import document_cache
from tsunagu.lib.wareki import format_wareki

from .access import Room


@dataclass
class CaseMinutes:
    code: str
    summary: str
    question: str
    planned_minutes: int
    used_minutes: int
    policy: str
    advice: list[tuple[str, str, str]] = field(default_factory=list)  # name, profession, text
    actions: list[tuple[str, str, str]] = field(default_factory=list)  # who, what, by when


@dataclass
class Minutes:
    title: str
    facts: list[tuple[str, str]]
    attendance: list[tuple[str, str, str, str]]  # name, profession, affiliation, role
    cases: list[CaseMinutes]
    decisions: str
    summary: str
    printed_on: str


def _time(meeting) -> str:
    if not meeting.start_time:
        return ""
    end = f"〜{meeting.end_time:%H:%M}" if meeting.end_time else ""
    return f"{meeting.start_time:%H:%M}{end}"


def minutes_of(room: Room) -> Minutes:
    meeting = room.meeting
    now = timezone.now()
    cases = [
        CaseMinutes(
            code=review.case.code,
            summary=review.case.summary,
            question=review.case.question,
            planned_minutes=review.planned_minutes,
            used_minutes=round(review.elapsed_seconds(now) / 60),
            policy=review.support_policy,
            advice=[
                (a.adviser_name, a.get_profession_display(), a.text) for a in review.advice.all()
            ],
            actions=[
                (a.who, a.what, format_wareki(a.due_on) if a.due_on else "")
                for a in review.actions.all()
            ],
        )
        for review in room.reviews
    ]
    present = room.present
    facts = [
        ("会議体", str(meeting.meeting_type)),
        ("主催", meeting.organizer_name),
        ("開催日", format_wareki(meeting.date)),
        ("時間", _time(meeting)),
        ("会場", meeting.venue),
        ("テーマ", meeting.theme),
        ("出席者数", f"{len(present)}名"),
        ("検討事例数", f"{sum(1 for r in room.reviews if r.reviewed_at)}件"),
    ]
    return Minutes(
        title=f"{meeting.meeting_type} 会議録",
        facts=[(label, value) for label, value in facts if value],
        attendance=[
            (a.name, a.get_profession_display(), a.affiliation, a.get_role_display())
            for a in present
        ],
        cases=cases,
        decisions=meeting.decisions,
        summary=meeting.summary,
        printed_on=format_wareki(timezone.localdate()),
    )


def pdf_name(room: Room) -> str:
    return f"minutes_{room.meeting.pk}"


def pdf_html(room: Room) -> str:
    return render_to_string("cases/minutes_pdf.html", {"m": minutes_of(room)})


def kept_pdf(room: Room) -> bytes | None:
    """The 会議録 PDF kept from an earlier run if what it shows is unchanged, else None."""
    return document_cache.kept_pdf(room.meeting.municipality_id, pdf_name(room), pdf_html(room))


def minutes_pdf(room: Room) -> bytes:
    """The 会議録 PDF: the kept one while what it shows is unchanged, else laid out (about
    0.1 s a page; a meeting of 20 cases runs to 6 pages) and kept (tsunagu.lib.document_cache).
    """
    return document_cache.pdf_from_html(
        room.meeting.municipality_id, pdf_name(room), pdf_html(room)
    )


# --- Word (.docx): WordprocessingML written directly, so no extra library is needed --------

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
    'package.core-properties+xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
    'relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>'
)
DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/></Relationships>'
)
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f"<w:styles {NS}>"
    '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="MS Mincho" w:eastAsia="MS Mincho"'
    ' w:hAnsi="MS Mincho"/><w:sz w:val="21"/><w:lang w:eastAsia="ja-JP"/></w:rPr>'
    "</w:rPrDefault></w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    "</w:style>"
    '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn '
    'w:val="Normal"/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/>'
    "</w:rPr></w:style>"
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn '
    'w:val="Normal"/><w:pPr><w:spacing w:before="240"/><w:outlineLvl w:val="0"/></w:pPr>'
    '<w:rPr><w:b/><w:sz w:val="26"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn '
    'w:val="Normal"/><w:pPr><w:spacing w:before="120"/><w:outlineLvl w:val="1"/></w:pPr>'
    '<w:rPr><w:b/><w:sz w:val="22"/></w:rPr></w:style>'
    '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr>'
    '<w:tblBorders><w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/>'
    '<w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/><w:insideH '
    'w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders></w:tblPr>'
    "</w:style></w:styles>"
)


def _runs(text: str) -> str:
    """A run per line (line breaks kept as Word line breaks)."""
    lines = (text or "").split("\n")
    parts = []
    for index, line in enumerate(lines):
        if index:
            parts.append("<w:br/>")
        parts.append(f'<w:t xml:space="preserve">{escape(line)}</w:t>')
    return f"<w:r>{''.join(parts)}</w:r>"


def _paragraph(text: str, style: str = "") -> str:
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{props}{_runs(text)}</w:p>"


def _table(header: list[str], rows: list[tuple[str, ...]]) -> str:
    def row(cells, bold=False):
        weight = "<w:rPr><w:b/></w:rPr>" if bold else ""
        body = "".join(
            f"<w:tc><w:p>{_runs(str(cell)).replace('<w:r>', f'<w:r>{weight}', 1)}</w:p></w:tc>"
            for cell in cells
        )
        return f"<w:tr>{body}</w:tr>"

    grid = "".join("<w:gridCol/>" for _ in header)
    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="5000" w:type="pct"/>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
        + row(header, bold=True)
        + "".join(row(cells) for cells in rows)
        + "</w:tbl><w:p/>"
    )


def _empty_or(text: str) -> str:
    return text if text.strip() else "記録されていません。"


def minutes_docx(room: Room) -> bytes:
    m = minutes_of(room)
    body = [_paragraph(m.title, "Title"), _paragraph(f"作成日 {m.printed_on}")]
    body.append(_table(["項目", "内容"], m.facts))
    body.append(_paragraph("出席者", "Heading1"))
    body.append(_table(["氏名", "職種", "所属", "役割"], m.attendance))
    for number, case in enumerate(m.cases, start=1):
        body.append(_paragraph(f"事例{number}　{case.code}　{case.summary}", "Heading1"))
        body.append(_paragraph(f"予定 {case.planned_minutes}分・実績 {case.used_minutes}分"))
        body.append(_paragraph("検討したい点", "Heading2"))
        body.append(_paragraph(_empty_or(case.question)))
        body.append(_paragraph("助言", "Heading2"))
        if case.advice:
            body.append(_table(["助言者", "職種", "助言"], case.advice))
        else:
            body.append(_paragraph("記録されていません。"))
        body.append(_paragraph("支援方針", "Heading2"))
        body.append(_paragraph(_empty_or(case.policy)))
        body.append(_paragraph("役割分担", "Heading2"))
        if case.actions:
            body.append(_table(["担当", "内容", "期限"], case.actions))
        else:
            body.append(_paragraph("記録されていません。"))
    body.append(_paragraph("決定事項", "Heading1"))
    body.append(_paragraph(_empty_or(m.decisions)))
    body.append(_paragraph("開催結果の要約", "Heading1"))
    body.append(_paragraph(_empty_or(m.summary)))
    section = (
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" '
        'w:bottom="1134" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>'
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f"<w:document {NS}><w:body>{''.join(body)}{section}</w:body></w:document>"
    )
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{escape(m.title)}</dc:title><dc:language>ja-JP</dc:language>"
        "</cp:coreProperties>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("_rels/.rels", ROOT_RELS)
        package.writestr("word/_rels/document.xml.rels", DOCUMENT_RELS)
        package.writestr("word/document.xml", document)
        package.writestr("word/styles.xml", STYLES)
        package.writestr("docProps/core.xml", core)
    return buffer.getvalue()


def docx_text(body: bytes) -> str:
    """The text of a .docx written here (or by Word), paragraph by paragraph: for tests and
    for checking a file read back."""
    with zipfile.ZipFile(io.BytesIO(body)) as package:
        xml = package.read("word/document.xml").decode()
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>|<w:p/>", xml, re.S)
    texts = []
    for paragraph in paragraphs:
        paragraph = paragraph.replace("<w:br/>", "\n")
        texts.append("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", paragraph)))
    return "\n".join(unescape(t) for t in texts)
