"""Existing issues most like a text, for tagging a case review with the issue it shows.

Building the index over a municipality's open issues costs about 0.4 s for a thousand issues,
and the tagging page asks again on every pause in typing. So each process keeps the index per
municipality and builds it again only when the open issues changed (their number, newest id
or last update); a query against a kept index takes about 10 ms.
"""

from django.db.models import Count, Max

from .choices import OPEN_STATUSES
from .models import CommunityIssue
from .textmining import MAX_TEXT_CHARS, SimilarityIndex

MAX_ISSUES = 2000
# Below this similarity two texts share little more than common words: such "suggestions"
# (0.01–0.02) only point at unrelated issues, so none is shown instead. The same bar as the
# text-mining neighbours (textmining.neighbours).
MIN_SCORE = 0.15
_indexes: dict[int, tuple[tuple, SimilarityIndex]] = {}


def _index(issues, municipality_id: int) -> SimilarityIndex:
    stamp = tuple(
        issues.aggregate(n=Count("id"), newest=Max("id"), updated=Max("updated_at")).values()
    )
    kept = _indexes.get(municipality_id)
    if kept is None or kept[0] != stamp:
        rows = issues.order_by("-opened_on").values_list("pk", "title", "description")
        index = SimilarityIndex(
            (pk, f"{title}。{description}") for pk, title, description in rows[:MAX_ISSUES]
        )
        kept = _indexes[municipality_id] = (stamp, index)
    return kept[1]


def similar_issues(visible_issues, municipality_id: int, text: str, k: int = 3):
    """[(issue, score)] for the open issues among `visible_issues` most like `text`."""
    if not text.strip() or len(text) > MAX_TEXT_CHARS:
        return []
    issues = visible_issues.filter(status__in=OPEN_STATUSES)
    index = _index(issues, municipality_id)
    found = [(pk, score) for pk, score in index.query(text, k=k) if score >= MIN_SCORE]
    by_pk = CommunityIssue.objects.select_related("theme", "area").in_bulk([pk for pk, _ in found])
    return [(by_pk[pk], score) for pk, score in found if pk in by_pk]
