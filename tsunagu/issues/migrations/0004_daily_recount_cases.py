"""事例数 now counts the cases tagged with an issue or with any issue raised into it, as the
issue page always did; recount the stored figure once so the register agrees."""

from django.db import migrations
from django.db.models import Count


def recount(apps, schema_editor):
    CommunityIssue = apps.get_model("issues", "CommunityIssue")
    IssueTag = apps.get_model("issues", "IssueTag")
    parent = dict(CommunityIssue.objects.values_list("pk", "escalated_to_id"))
    below = {pk: {pk} for pk in parent}
    for pk in parent:
        current, steps = parent[pk], 0
        while current and steps < len(parent):
            below[current].add(pk)
            current, steps = parent.get(current), steps + 1
    for pk, ids in below.items():
        n = IssueTag.objects.filter(issue_id__in=ids).aggregate(n=Count("case_id", distinct=True))["n"]
        CommunityIssue.objects.filter(pk=pk).update(case_count=n)


class Migration(migrations.Migration):
    dependencies = [("issues", "0003_inputs_limits")]
    operations = [migrations.RunPython(recount, migrations.RunPython.noop)]
