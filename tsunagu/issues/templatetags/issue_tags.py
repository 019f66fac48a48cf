"""For pages of lower apps that show community issues (the meetings app cannot import this
one): one query, whatever the number of issues."""

from django import template

from tsunagu.issues.models import IssueDiscussion

register = template.Library()


@register.simple_tag
def discussions_at(meeting):
    """The community issues discussed at the meeting, with their discussion and conclusion."""
    return list(IssueDiscussion.objects.filter(meeting=meeting).select_related("issue"))
