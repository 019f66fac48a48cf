"""検討事例数 is one figure: the meeting page, the list and the statistics agree (issue 16)."""

import datetime

from django.urls import reverse

from tsunagu.cases.models import Case, CaseReview
from tsunagu.meetings.models import Meeting, MeetingType
from tsunagu.reports.meetings import meeting_stats


def _meeting_with_agenda(municipality, center, n_cases):
    body = MeetingType.objects.create(
        municipality=municipality,
        name="個別",
        category="individual",
        level="center",
        host="each_center",
        reviews_cases=True,
    )
    meeting = Meeting.objects.create(
        municipality=municipality, meeting_type=body, center=center, date=datetime.date(2026, 5, 8)
    )
    for n in range(n_cases):
        case = Case.objects.create(
            municipality=municipality,
            code=f"M-{n}",
            center=center,
            case_type="independence",
            age_band="80",
            sex="female",
            care_level="care_1",
            household="alone",
        )
        CaseReview.objects.create(case=case, meeting=meeting)
    return meeting


def test_it_counts_the_cases_on_the_agenda_on_the_meeting_page(city_client, municipality, center):
    meeting = _meeting_with_agenda(municipality, center, 2)
    body = city_client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "<dt>検討事例数</dt><dd>2" in body


def test_it_counts_the_same_in_the_list_and_the_statistics(city_client, municipality, center):
    meeting = _meeting_with_agenda(municipality, center, 3)
    body = city_client.get(reverse("meetings:meeting_list"), {"fy": 2026}).content.decode()
    assert '<td class="num">3</td></tr>' in body
    stats = meeting_stats(
        Meeting.objects.filter(pk=meeting.pk), datetime.date(2026, 4, 1), datetime.date(2027, 3, 31)
    )
    assert stats["by_type"]["個別"]["cases"] == 3


def test_it_keeps_a_recorded_figure_larger_than_the_agenda(municipality, center):
    meeting = _meeting_with_agenda(municipality, center, 1)
    Meeting.objects.filter(pk=meeting.pk).update(cases_reviewed=4)
    assert Meeting.objects.get(pk=meeting.pk).case_total == 4
