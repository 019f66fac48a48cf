import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from tsunagu.audit.models import AuditEntry
from tsunagu.confidentiality.models import PrivacySettings
from tsunagu.meetings.models import Meeting, MeetingType
from tsunagu.reports.meetings import meeting_stats


@pytest.fixture
def meetings(municipality, center):
    individual = MeetingType.objects.create(
        municipality=municipality,
        name="個別",
        category="individual",
        level="center",
        host="each_center",
        handles_personal_info=True,
    )
    promotion = MeetingType.objects.create(
        municipality=municipality,
        name="推進",
        category="promotion",
        level="area",
        host="each_center",
    )
    make = lambda body, day: Meeting.objects.create(  # noqa: E731
        municipality=municipality,
        meeting_type=body,
        center=center,
        date=day,
        status="held",
        minutes="A氏の事例",
        summary="要約",
        theme="テーマ",
        cases_reviewed=2,
    )
    return {
        "old": make(individual, datetime.date(2019, 3, 31)),
        "recent": make(individual, datetime.date(2022, 1, 10)),
        "old_promotion": make(promotion, datetime.date(2018, 5, 1)),
    }


def purge(today="2026-11-22"):
    out = StringIO()
    call_command("purge_expired", "--today", today, stdout=out)
    return out.getvalue()


def test_it_erases_content_past_retention_and_keeps_the_statistics(municipality, meetings):
    period = (datetime.date(2018, 1, 1), datetime.date(2026, 12, 31))
    before = meeting_stats(Meeting.objects.all(), *period)
    assert "1件の会議の内容を消去しました" in purge()  # 5 years: before 2021-11-22
    old = Meeting.objects.get(pk=meetings["old"].pk)
    assert (old.minutes, old.summary, old.theme) == ("", "", "")
    assert old.content_purged_at is not None and old.cases_reviewed == 2
    assert Meeting.objects.get(pk=meetings["recent"].pk).minutes == "A氏の事例"
    # Meetings that handle no personal information keep their record.
    assert Meeting.objects.get(pk=meetings["old_promotion"].pk).minutes == "A氏の事例"
    assert meeting_stats(Meeting.objects.all(), *period) == before
    entry = AuditEntry.objects.get(action="meeting.content_purged")
    assert entry.data["meeting_ids"] == [meetings["old"].pk]


def test_it_is_safe_to_run_again(meetings):
    purge()
    assert "対象はありませんでした" in purge()
    assert AuditEntry.objects.filter(action="meeting.content_purged").count() == 1


def test_it_follows_the_municipalitys_retention_period(municipality, meetings):
    PrivacySettings.objects.create(municipality=municipality, retention_years=3)
    purge()
    assert Meeting.objects.get(pk=meetings["recent"].pk).minutes == ""


def test_it_explains_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="日付として読めません"):
        purge("someday")


def test_it_erases_the_text_of_cases_closed_before_retention(municipality, center, meetings):
    from tsunagu.cases.models import Case, CaseReview, FollowUp

    case = Case.objects.create(
        municipality=municipality,
        code="2019-001-001",
        center=center,
        status="closed",
        closed_on=datetime.date(2020, 3, 1),
        case_type="independence",
        age_band="80",
        sex="female",
        care_level="care_1",
        household="alone",
        wishes="自宅で暮らしたい",
        center_reference="明1-0001",
    )
    review = CaseReview.objects.create(
        case=case, meeting=meetings["old"], support_policy="通いの場へ"
    )
    FollowUp.objects.create(
        review=review,
        months_after=3,
        due_on=datetime.date(2019, 6, 30),
        outcome="improved",
        comment="歩行が伸びた",
    )
    open_case = Case.objects.create(
        municipality=municipality,
        code="2025-001-001",
        center=center,
        status="monitoring",
        case_type="independence",
        age_band="80",
        sex="female",
        care_level="care_1",
        household="alone",
        wishes="そのまま",
    )
    assert "1件の事例の内容を消去しました" in purge()
    case.refresh_from_db()
    assert (case.wishes, case.center_reference) == ("", "")
    assert case.care_level == "care_1" and case.content_purged_at is not None
    assert CaseReview.objects.get().support_policy == ""
    follow_up = FollowUp.objects.get()
    assert (follow_up.comment, follow_up.outcome) == ("", "improved")
    assert Case.objects.get(pk=open_case.pk).wishes == "そのまま"
    assert "対象はありませんでした" in purge()
