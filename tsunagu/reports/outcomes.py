"""モニタリングの結果: recorded follow-ups by meeting body, outcome and goal achievement.

Read-only. The caller passes the follow-ups the member may count (for instance
cases.access.follow_ups_visible_to); counting happens in SQL, in one grouped query over the
follow-ups' own copies of their municipality and body (index follow_up_outcome_stats), so it
reads one municipality's period and nothing of the other municipalities sharing the database.
The query groups by the body's id and counts rows (COUNT(*)), so it reads the covering index
alone (PostgreSQL: index-only scan) with no join; the few bodies' names are read after.
"""

import datetime

from django.db.models import Count, QuerySet

from tsunagu.cases.choices import GoalAchievement, Outcome
from tsunagu.meetings.models import MeetingType

BODY = "meeting_type_id"


def outcome_stats(follow_ups: QuerySet, start: datetime.date, end: datetime.date) -> dict:
    """Follow-ups done between start and end (inclusive), counted three ways.

    Returns {"total": n, "by_type": {body name: {"total", "outcome": {label: n},
    "goal": {label: n}}}, "outcome": {label: n}, "goal": {label: n}}. Every label of
    改善/維持/悪化 and ◎○△× is present (0 when none); a follow-up recorded without an
    outcome or goal is counted under "未記入".
    """
    done = follow_ups.filter(done_on__isnull=False, done_on__gte=start, done_on__lte=end)
    by_type: dict[str, dict] = {}

    def row(name):
        return by_type.setdefault(
            name,
            {
                "total": 0,
                "outcome": empty(Outcome),
                "goal": empty(GoalAchievement),
            },
        )

    outcome_labels = dict(Outcome.choices)
    goal_labels = dict(GoalAchievement.choices)
    totals = {"outcome": empty(Outcome), "goal": empty(GoalAchievement)}
    # One pass over the period's follow-ups (each join over hundreds of thousands of rows
    # costs; two groupings took twice as long).
    counts = list(done.order_by().values(BODY, "outcome", "goal").annotate(n=Count("*")))
    names = dict(
        MeetingType.objects.filter(pk__in={item[BODY] for item in counts}).values_list("pk", "name")
    )
    for item in counts:
        entry = row(names[item[BODY]])
        entry["total"] += item["n"]
        for field, labels in (("outcome", outcome_labels), ("goal", goal_labels)):
            label = labels.get(item[field], "未記入")
            entry[field][label] = entry[field].get(label, 0) + item["n"]
            totals[field][label] = totals[field].get(label, 0) + item["n"]
    # Every row has the same columns as the totals, in the same order, so tables line up.
    for entry in by_type.values():
        for field in ("outcome", "goal"):
            entry[field] = {label: entry[field].get(label, 0) for label in totals[field]}
    return {
        "total": sum(entry["total"] for entry in by_type.values()),
        "by_type": dict(sorted(by_type.items())),
        **totals,
    }


def empty(choices) -> dict[str, int]:
    return {label: 0 for label in choices.labels}
