# A reminder's key now names the meeting's date (scans.reminder_key), so that a meeting moved
# after its reminder is reminded of its new date. Reminders already sent are given the date
# their meeting has now, so that none of them is sent a second time for the same date.

import re

from django.db import migrations

OLD_KEY = re.compile(r"^meeting:(\d+)$")


def add_dates(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    Meeting = apps.get_model("meetings", "Meeting")
    reminders = [
        (n, int(m.group(1)))
        for n in Notification.objects.filter(kind="reminder", key__startswith="meeting:")
        if (m := OLD_KEY.match(n.key))
    ]
    dates = dict(
        Meeting.objects.filter(pk__in={pk for _, pk in reminders}).values_list("pk", "date")
    )
    for notification, meeting_id in reminders:
        if meeting_id in dates:
            notification.key = f"meeting:{meeting_id}:{dates[meeting_id]:%Y%m%d}"
            notification.save(update_fields=["key"])


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0003_wire_user_recipient"),
        ("meetings", "0011_schedule_changes"),
    ]

    operations = [migrations.RunPython(add_dates, migrations.RunPython.noop)]
