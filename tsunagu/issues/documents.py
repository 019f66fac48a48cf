"""資料2 and 資料3 for a city meeting, as PDF and XLSX, from the same CityMeetingDocuments."""

from django.template.loader import render_to_string

from tsunagu.lib import document_cache
from tsunagu.lib.tabular import XlsxBook
from tsunagu.lib.wareki import format_wareki

from .overview import CityMeetingDocuments

EMPTY = "この期間に記録された圏域の検討・地域課題はありません。"


def period_label(docs: CityMeetingDocuments) -> str:
    return f"{format_wareki(docs.start)}〜{format_wareki(docs.end)}"


def proposal_lines(nodes, depth=0) -> list[str]:
    lines = []
    for node in nodes:
        proposal = node.proposal
        target = f"（提案先: {proposal.target_body}）" if proposal.target_body else ""
        lines.append(
            f"{'　' * depth}{proposal.get_kind_display()}「{proposal.title}」"
            f"{proposal.get_status_display()} {node.progress}%{target}"
        )
        lines += proposal_lines(node.children, depth + 1)
    return lines


def area_rows(docs: CityMeetingDocuments) -> list[list]:
    rows = [["圏域", "事例数", "多いテーマ", "会議", "課題", "検討内容", "結論"]]
    for area in docs.areas:
        themes = "、".join(f"{name}（{n}）" for name, n in area.top_themes)
        if not area.discussions:
            if area.case_count:
                rows.append([area.area, area.case_count, themes, "", "", "", ""])
            continue
        for index, discussion in enumerate(area.discussions):
            rows.append(
                [
                    area.area if index == 0 else "",
                    area.case_count if index == 0 else "",
                    themes if index == 0 else "",
                    f"{format_wareki(discussion.meeting.date)} {discussion.meeting.meeting_type}",
                    discussion.issue.title,
                    discussion.discussion,
                    discussion.conclusion,
                ]
            )
    return rows


def issue_rows(docs: CityMeetingDocuments) -> list[list]:
    rows = [
        [
            "課題",
            "テーマ",
            "状況",
            "期間内の根拠の事例",
            "事例数",
            "提起した圏域",
            "市の会議での検討",
            "施策・取組",
        ]
    ]
    for row in docs.issues:
        rows.append(
            [
                row.issue.title,
                str(row.issue.theme),
                row.issue.get_status_display(),
                row.case_count,
                row.issue.case_count,  # all time, as the register counts it
                "、".join(row.areas),
                "\n".join(
                    f"{format_wareki(d.meeting.date)}: {d.conclusion or d.discussion}"
                    for d in row.discussions
                ),
                "\n".join(proposal_lines(row.proposals)),
            ]
        )
    return rows


def to_xlsx(docs: CityMeetingDocuments) -> bytes:
    book = XlsxBook()
    for name, heading, (header, *rows) in [
        ("資料2", "圏域の会議での検討のまとめ", area_rows(docs)),
        ("資料3", "市レベルの地域課題の整理", issue_rows(docs)),
    ]:
        sheet = book.sheet(name)
        sheet.title(f"{name} {heading}（{period_label(docs)}）", size=13)
        sheet.header(header)
        sheet.rows(rows or [[EMPTY]], wrap=True)
        sheet.widths([24] * len(header))
    return book.to_bytes()


def pdf_name(docs: CityMeetingDocuments) -> str:
    return f"city-meeting-{docs.start:%Y%m%d}-{docs.end:%Y%m%d}"


def to_pdf(docs: CityMeetingDocuments, municipality) -> bytes:
    """The PDF, reused while its content is unchanged (tsunagu.lib.document_cache): building
    its HTML takes a fraction of a second, laying out 350 圏域 seconds."""
    html = render_to_string(
        "issues/city_documents_pdf.html",
        {
            "docs": docs,
            "period": period_label(docs),
            "municipality": municipality,
            "area_rows": area_rows(docs)[1:],
            "issue_rows": issue_rows(docs)[1:],
            "empty": EMPTY,
        },
    )
    return document_cache.pdf_from_html(municipality.pk, pdf_name(docs), html)
