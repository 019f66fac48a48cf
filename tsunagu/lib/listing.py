"""Search and pagination shared by every list page."""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from tsunagu.lib.acting import MemberRequest

from .jtext import normalize, to_katakana


def search(queryset: QuerySet, text: str, fields: list[str]) -> QuerySet:
    """Rows where every word typed appears in one of `fields`.

    Each word is also tried in katakana, so ふりがな can be searched with hiragana.
    """
    for word in normalize(text).split():
        condition = Q()
        for field in fields:
            for variant in {word, to_katakana(word)}:
                condition |= Q(**{f"{field}__icontains": variant})
        queryset = queryset.filter(condition)
    return queryset


def paginate(request: MemberRequest, queryset: QuerySet) -> Page:
    return Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def is_htmx(request: MemberRequest) -> bool:
    return request.headers.get("HX-Request") == "true"
