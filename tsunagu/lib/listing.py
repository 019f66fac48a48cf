"""Search and pagination shared by every list page."""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from tsunagu.lib.acting import MemberRequest

from .jtext import normalize, to_katakana

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 10


def search(queryset: QuerySet, text: str, fields: list[str]) -> QuerySet:
    """Rows where every word typed appears in one of `fields`.

    Each word is also tried in katakana, so ふりがな can be searched with hiragana.
    """
    # A pasted page would make one condition per word: the first words of a short query do.
    # NUL cannot be sent to PostgreSQL at all; no one searches for it.
    text = text[:MAX_QUERY_CHARS].replace("\x00", "")
    for word in normalize(text).split()[:MAX_QUERY_WORDS]:
        condition = Q()
        for field in fields:
            for variant in {word, to_katakana(word)}:
                condition |= Q(**{f"{field}__icontains": variant})
        queryset = queryset.filter(condition)
    return queryset


class KnownCountPaginator(Paginator):
    """A paginator told how many rows there are (for instance from counts the page shows
    anyway), so that it does not count the rows a second time. `more`: there are more rows
    than `count` (a capped count); the pages then go as far as `count`."""

    def __init__(
        self, object_list: QuerySet, per_page: int, *, count: int, more: bool = False
    ) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count
        self.more = more

    @property
    def count(self) -> int:
        return self.known_count


def paginate(
    request: MemberRequest, queryset: QuerySet, *, count: int | None = None, more: bool = False
) -> Page:
    """One page of the rows. `count`: the number of rows if the caller already knows it
    (`more`: at least that many)."""
    paginator: Paginator
    if count is None:
        paginator = Paginator(queryset, settings.PAGE_SIZE)
    else:
        paginator = KnownCountPaginator(queryset, settings.PAGE_SIZE, count=count, more=more)
    return paginator.get_page(request.GET.get("page"))


def is_htmx(request: MemberRequest) -> bool:
    return request.headers.get("HX-Request") == "true"
