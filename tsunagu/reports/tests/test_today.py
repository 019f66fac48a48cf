"""The dashboard leads with the member's own work today, each item linked (issue 16)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from conftest import logged_in, make_user
from tsunagu.accounts.models import Role
from tsunagu.cases.models import Action, Case, CaseReview
from tsunagu.meetings.choices import RECENT_UNCLOSED_DAYS
from tsunagu.meetings.models import Attendance, Meeting, MeetingType, PlanEntry

TODAY = timezone.localdate()


def _body(municipality, *, personal=True, name="個別"):
    return MeetingType.objects.get_or_create(
        municipality=municipality,
        name=name,
        defaults={
            "category": "individual",
            "level": "center",
            "host": "each_center",
            "reviews_cases": True,
            "handles_personal_info": personal,
        },
    )[0]


def _case(municipality, center, code, **fields):
    return Case.objects.create(
        municipality=municipality,
        code=code,
        center=center,
        case_type="independence",
        age_band="80",
        sex="female",
        care_level="care_1",
        household="alone",
        **fields,
    )


def test_it_lists_my_meetings_this_week_and_the_pledges_to_sign(
    client, municipality, center, person
):
    user = make_user("cm1", (municipality, Role.CARE_MANAGER, None))
    user.memberships.update(person=person)
    soon = Meeting.objects.create(
        municipality=municipality,
        meeting_type=_body(municipality),
        center=center,
        date=TODAY + datetime.timedelta(days=2),
    )
    Attendance.objects.create(meeting=soon, person=person, name=person.name, profession="nurse")
    body = logged_in(client, user).get(reverse("reports:dashboard")).content.decode()
    assert "今週の会議" in body and reverse("meetings:meeting_detail", args=[soon.pk]) in body
    assert (
        "署名がまだの誓約書" in body and reverse("meetings:meeting_pledge", args=[soon.pk]) in body
    )


def test_it_shows_center_staff_the_cases_waiting_for_them(staff_client, municipality, center):
    draft = _case(municipality, center, "W-1")
    submitted = _case(municipality, center, "W-2", status="submitted")
    body = staff_client.get(reverse("reports:dashboard")).content.decode()
    assert "提出を待つ下書きの事例" in body
    assert reverse("cases:case_detail", args=[draft.pk]) in body
    assert "会議の準備を待つ事例" in body
    assert reverse("cases:case_detail", args=[submitted.pk]) in body


def test_it_shows_the_overdue_action_by_what_it_is(client, municipality, center, person):
    user = make_user("staff2", (municipality, Role.CENTER_STAFF, center))
    user.memberships.update(person=person)
    meeting = Meeting.objects.create(
        municipality=municipality,
        meeting_type=_body(municipality),
        center=center,
        date=TODAY - datetime.timedelta(days=30),
    )
    review = CaseReview.objects.create(case=_case(municipality, center, "A-1"), meeting=meeting)
    Action.objects.create(
        review=review,
        responsible=person,
        what="通所型サービスの見学を調整する",
        due_on=TODAY - datetime.timedelta(days=3),
    )
    body = logged_in(client, user).get(reverse("reports:dashboard")).content.decode()
    assert "通所型サービスの見学を調整する</a>" in body


def test_it_shows_the_city_the_centers_pending_items(city_client, municipality, center):
    body_type = _body(municipality, personal=False)
    unclosed = Meeting.objects.create(
        municipality=municipality,
        meeting_type=body_type,
        center=center,
        date=TODAY - datetime.timedelta(days=10),
        status="held",
    )
    PlanEntry.objects.create(
        municipality=municipality,
        fiscal_year=TODAY.year if TODAY.month >= 4 else TODAY.year - 1,
        meeting_type=body_type,
        center=center,
        planned_count=12,
    )
    body = city_client.get(reverse("reports:dashboard")).content.decode()
    assert "センターの未処理" in body
    assert "記録が確定していない会議" in body
    assert reverse("meetings:meeting_detail", args=[unclosed.pk]) in body
    assert "年間計画に届かない会議体" in body and "計画 12回に対し 実施 1回" in body


def test_it_lists_only_recent_unclosed_meetings_newest_first(city_client, municipality, center):
    body_type = _body(municipality, personal=False)

    def held(days_ago):
        return Meeting.objects.create(
            municipality=municipality,
            meeting_type=body_type,
            center=center,
            date=TODAY - datetime.timedelta(days=days_ago),
            status="held",
        )

    older, newer = held(60), held(5)
    imported = held(RECENT_UNCLOSED_DAYS + 400)  # an imported 令和3年度 meeting never closed
    body = city_client.get(reverse("reports:dashboard")).content.decode()
    newer_link = reverse("meetings:meeting_detail", args=[newer.pk])
    older_link = reverse("meetings:meeting_detail", args=[older.pk])
    assert body.index(newer_link) < body.index(older_link)
    assert reverse("meetings:meeting_detail", args=[imported.pk]) not in body


def test_it_does_not_show_center_staff_the_centers_pending_items(staff_client):
    assert "センターの未処理" not in staff_client.get(reverse("reports:dashboard")).content.decode()


def test_it_puts_my_work_before_the_directory_counts(staff_client, municipality, center):
    body = staff_client.get(reverse("reports:dashboard")).content.decode()
    assert body.index("あなたの今日の仕事") < body.index("登録状況")
