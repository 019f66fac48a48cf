import datetime
from typing import Any

from django import forms, template
from django.conf import settings
from django.forms import BoundField
from django.shortcuts import resolve_url
from django.template import Context
from django.utils import timezone
from django.utils.safestring import SafeString

from tsunagu.lib import panels as lib_panels
from tsunagu.lib.fiscal import fiscal_year, format_fiscal_year
from tsunagu.lib.navigation import MENUS, shown_links
from tsunagu.lib.wareki import (
    format_elapsed,
    format_month,
    format_wareki,
    format_wareki_short,
    format_wareki_with_western,
)

register = template.Library()


def _as_date(value: datetime.date) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


@register.filter
def wareki(value: datetime.date | None) -> str:
    """令和3年6月1日"""
    return format_wareki(_as_date(value)) if value else ""


@register.filter
def wareki_short(value: datetime.date | None) -> str:
    """R3.6.1"""
    return format_wareki_short(_as_date(value)) if value else ""


@register.filter
def wareki_western(value: datetime.date | None) -> str:
    """令和3年6月1日（2021-06-01）"""
    return format_wareki_with_western(_as_date(value)) if value else ""


@register.filter
def wareki_month(value: datetime.date | None) -> str:
    """2021-10-01 → 令和3年10月"""
    return format_month(_as_date(value)) if value else ""


@register.filter
def fiscal_year_label(value: int | str | None) -> str:
    """2021 → 令和3年度"""
    return format_fiscal_year(int(value)) if value not in (None, "") else ""


@register.filter
def fiscal_year_of(value: datetime.date | None) -> str:
    """2022-01-15 → 令和3年度 (the 年度 runs April to March)"""
    return format_fiscal_year(fiscal_year(_as_date(value))) if value else ""


@register.simple_tag(takes_context=True)
def query_with(context: Context, **changes: Any) -> str:
    """The current query string with some parameters changed, for pagination links."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


@register.filter
def field(form: forms.BaseForm, name: str) -> BoundField:
    """The bound field `name` of a form whose fields are made at run time (e.g. the plan grid)."""
    return form[name]


@register.filter
def has_field_errors(form: forms.BaseForm) -> bool:
    """Whether a visible field has an error: only then does a page ask to check each field (an
    edit conflict or a wrong password is a message of its own, not an input mistake)."""
    return any(field.errors for field in form.visible_fields())


@register.filter
def elapsed(
    value: datetime.date | datetime.datetime | None,
    until: datetime.date | datetime.datetime | None = None,
) -> str:
    """How long since the date: 「1年11か月」 (until today unless another date is given)."""
    if not value:
        return ""
    return format_elapsed(_as_date(value), _as_date(until) if until else timezone.localdate())


@register.inclusion_tag("includes/nav.html", takes_context=True)
def nav(context: Context, name: str) -> dict[str, Any]:
    """One of the site's menus (lib/navigation.py), with the links this membership may use."""
    menu = MENUS[name]
    request = context["request"]
    if menu.prefecture:
        pref = getattr(request, "pref", None)
        permissions = pref.permissions if pref is not None else set()
    else:
        permissions = context.get("can") or set()
    links = shown_links(menu, permissions=permissions, path=request.path)
    return {
        "menu": menu,
        "name": name,
        "links": [link for link in links if not link.more],
        "more_links": [link for link in links if link.more],
    }


@register.simple_tag(takes_context=True)
def panels(context: Context, place: str) -> SafeString:
    """What the apps above fill into this place of the page (tsunagu.lib.panels)."""
    return lib_panels.render(place, context)


@register.simple_tag
def home_url() -> str:
    """The start page after login (a template of a low app may not name the dashboard's app)."""
    return resolve_url(settings.LOGIN_REDIRECT_URL)
