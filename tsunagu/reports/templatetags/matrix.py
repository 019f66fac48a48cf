"""One cell of the schedule matrix as HTML, built in Python.

A cell holds a handful of dates and a 350-center matrix has thousands: rendering them with
nested template tags took most of the page's time, so the markup is assembled here. It is
made only of integers and the fixed strings below, so there is nothing to escape.
"""

from django import template
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
    if cell is None:
        return ""
    count = f"実施{cell.held}"
    if cell.scheduled:
        count += f"・予定{cell.scheduled}"
    if cell.planned is not None:
        count += f"／計画{cell.planned}"
    dates = "".join(date_markup(*entry) for entry in cell.dates)
    # Safe: only integers and the fixed strings above (see the module docstring).
    return mark_safe(f'{dates}<span class="count">{count}</span>')
