"""The body of the schedule matrix as HTML, built in Python in one pass.

A cell holds a handful of dates and a 350-center matrix has thousands: rendering them with
nested template tags (and then a template loop over rows and cells) took most of the page's
time, so the markup is assembled here. A cell is made only of integers and the fixed strings
below, so there is nothing to escape; the organiser's name is escaped.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from tsunagu.meetings.choices import Format, Status

register = template.Library()

FORMAT_MARKUP = {
    Format.HYBRID: (
        '<span class="online-hybrid">',
        '</span><span class="visually-hidden">（一部オンライン）</span>',
    ),
    Format.ONLINE: (
        '<span class="online-full">',
        '</span><span class="visually-hidden">（オンライン）</span>',
    ),
}
STATUS_BADGE = {
    Status.PLANNED: ' <span class="badge muted">予定</span>',
    Status.POSTPONED: ' <span class="badge muted">延期</span>',
}


def date_markup(day, fmt, status) -> str:
    before, after = FORMAT_MARKUP.get(fmt, ("", ""))
    return f"{before}{day.month}月{day.day}日{after}{STATUS_BADGE.get(status, '')}<br>"


@register.filter
def matrix_cell(cell):
    return mark_safe(cell_markup(cell))  # safe: see the module docstring


@register.filter
def matrix_body(rows, layout=""):
    """Every row of the table body: the organiser, then one cell per body (a shortfall of
    the plan marked by the class), each row followed by the template's line break.

    layout "print": the PDF's cells, plain text (see print_cell_markup). The screen's cells
    are written in one flat list joined once: a date's markup is made once per distinct
    (date, format, status) (a year has a few hundred) and reused from then on."""
    if layout == "print":
        return mark_safe(print_body(rows))  # safe: names escaped, cells as the docstring says
    memo: dict = {}  # (date, format, status) → its markup
    parts: list[str] = []
    append = parts.append
    for center, cells in rows:
        name = escape(center.name) if center is not None and center.name else "市"
        append(f'<tr><th scope="row">{name}</th>')
        for cell in cells:
            if cell is None:
                append("<td></td>")
                continue
            append('<td class="shortfall">' if cell.shortfall else "<td>")
            for entry in cell.dates:
                markup = memo.get(entry)
                if markup is None:
                    markup = memo[entry] = date_markup(*entry)
                append(markup)
            append(f'<span class="count">{count_text(cell)}</span></td>')
        append("</tr>\n  ")
    return mark_safe("".join(parts))  # safe: names escaped, cells as above


def print_body(rows) -> str:
    parts = []
    for center, cells in rows:
        name = escape(center.name) if center is not None and center.name else "市"
        parts.append(f'<tr><th scope="row">{name}</th>')
        for cell in cells:
            shortfall = ' class="shortfall"' if cell is not None and cell.shortfall else ""
            parts.append(f"<td{shortfall}>{print_cell_markup(cell)}</td>")
        parts.append("</tr>\n  ")
    return "".join(parts)


def count_text(cell) -> str:
    count = f"実施{cell.held}"
    if cell.scheduled:
        count += f"・予定{cell.scheduled}"
    if cell.planned is not None:
        count += f"／計画{cell.planned}"
    return count


def cell_markup(cell, memo: dict | None = None) -> str:
    if cell is None:
        return ""
    memo = {} if memo is None else memo
    dates = "".join(
        memo.get(entry) or memo.setdefault(entry, date_markup(*entry)) for entry in cell.dates
    )
    return f'{dates}<span class="count">{count_text(cell)}</span>'


# Short written marks of the printed table, explained in its note (schedule_matrix_pdf.html).
PRINT_FORMAT = {Format.HYBRID: "（一部）", Format.ONLINE: "（オ）"}
PRINT_STATUS = {Status.PLANNED: "（予）", Status.POSTPONED: "（延）"}


def print_cell_markup(cell) -> str:
    """A cell of the printed table: the dates as one run of text that wraps, with short written
    marks for online formats and plans, then the counts on a line of their own.

    WeasyPrint lays out every box and every line on its own: the screen's spans (underline,
    bold, badges) doubled the time of a 350-center PDF, and one date per line made it twice as
    long. The counts follow a newline that the printed cell keeps (white-space: pre-line), so
    the cell is one text: a <br> between two texts cost a quarter of the layout time."""
    if cell is None:
        return ""
    dates = "、".join(
        f"{day.month}月{day.day}日{PRINT_FORMAT.get(fmt, '')}{PRINT_STATUS.get(status, '')}"
        for day, fmt, status in cell.dates
    )
    return f"{dates}\n{count_text(cell)}" if dates else count_text(cell)
