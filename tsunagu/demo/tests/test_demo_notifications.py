"""The demo shows notifications in the app, and their emails carry no case content."""

from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from conftest import run_queued_tasks
from tsunagu.accounts.models import User


def test_the_demo_logins_see_notifications_and_no_email_carries_case_content(
    db, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=StringIO())
    run_queued_tasks()
    # The autouse fixture in conftest.py scans each of these for the demo's case texts.
    assert len(mail.outbox) >= 5
    client.force_login(User.objects.get(username="cm"))
    page = client.get(reverse("notifications:notification_list")).content.decode()
    assert "未読" in page and "お知らせはありません" not in page
