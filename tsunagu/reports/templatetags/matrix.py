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
def matrix_body(rows):
    """Every row of the table body: the organiser, then one cell per body (a shortfall of
    the plan marked by the class), each row followed by the template's line break."""
    parts = []
    for center, cells in rows:
        name = escape(center.name) if center is not None and center.name else "市"
        parts.append(f'<tr><th scope="row">{name}</th>')
        for cell in cells:
            shortfall = ' class="shortfall"' if cell is not None and cell.shortfall else ""
            parts.append(f"<td{shortfall}>{cell_markup(cell)}</td>")
        parts.append("</tr>\n  ")
    return mark_safe("".join(parts))  # safe: names escaped, cells as above


def cell_markup(cell) -> str:
    if cell is None:
        return ""
    count = f"実施{cell.held}"
    if cell.scheduled:
        count += f"・予定{cell.scheduled}"
    if cell.planned is not None:
        count += f"／計画{cell.planned}"
    dates = "".join(date_markup(*entry) for entry in cell.dates)
    return f'{dates}<span class="count">{count}</span>'
