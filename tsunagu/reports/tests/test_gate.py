"""The access gate on the report pages and their exports."""

import datetime

import pytest

from conftest import logged_in, make_user
from tsunagu.accounts.models import Role
from tsunagu.audit.models import AuditEntry
from tsunagu.meetings.choices import Category, Host, Level
from tsunagu.meetings.models import Attendance, Meeting, MeetingType
from tsunagu.tests.url_names import reverse

PAGES = ["schedule_matrix", "meeting_stats"]
FY = {"fy": 2026}


@pytest.fixture
def meeting(municipality, center, person):
    body = MeetingType.objects.create(
        municipality=municipality,
        name="地域個別ケア会議",
        category=Category.INDIVIDUAL,
        level=Level.CENTER,
        host=Host.EACH_CENTER,
    )
    meeting = Meeting.objects.create(
        municipality=municipality,
        meeting_type=body,
        center=center,
        date=datetime.date(2026, 7, 27),
    )
    Attendance.objects.create(
        meeting=meeting, person=person, name=person.name, profession=person.profession
    )
    return meeting


@pytest.mark.parametrize("page", PAGES)
def test_it_sends_anonymous_users_to_login(client, meeting, page):
    for params in (FY, {**FY, "format": "csv"}):
        response = client.get(reverse(page), params)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    assert not AuditEntry.objects.filter(action="report.exported").exists()


@pytest.mark.parametrize("page", PAGES)
def test_it_refuses_a_user_without_membership(stranger_client, meeting, page):
    response = stranger_client.get(reverse(page), FY)
    assert response.status_code == 403
    assert "権限がありません" in response.content.decode()
    assert stranger_client.get(reverse(page), {**FY, "format": "csv"}).status_code == 403


@pytest.mark.parametrize("persona", ["viewer_client", "staff_client", "city_client"])
@pytest.mark.parametrize("page", PAGES)
def test_it_lets_staff_roles_and_a_viewer_read_the_reports(request, meeting, persona, page):
    reader = request.getfixturevalue(persona)
    response = reader.get(reverse(page), FY)
    assert response.status_code == 200
    assert "明第1地域包括支援センター" in response.content.decode()


@pytest.mark.parametrize("role", [Role.ADVISER, Role.CARE_MANAGER])
@pytest.mark.parametrize("page", PAGES)
def test_it_refuses_the_roles_that_see_only_their_own_meetings(
    client, municipality, person, meeting, role, page
):
    user = make_user("limited", (municipality, role, None))
    user.memberships.update(person=person)
    limited = logged_in(client, user)
    assert limited.get(reverse(page), FY).status_code == 403
    assert limited.get(reverse(page), {**FY, "format": "xlsx"}).status_code == 403
    assert not AuditEntry.objects.filter(action="report.exported").exists()


def test_it_shows_another_municipality_none_of_the_meetings(outsider_client, meeting):
    matrix = outsider_client.get(reverse("reports:schedule_matrix"), FY).content.decode()
    assert "明第1地域包括支援センター" not in matrix and "7月27日" not in matrix
    stats = outsider_client.get(reverse("reports:meeting_stats"), FY).content.decode()
    assert "全0回" in stats and "地域個別ケア会議" not in stats
    export = outsider_client.get(reverse("reports:schedule_matrix"), {**FY, "format": "csv"})
    assert "明第1" not in export.content.decode("utf-8-sig")
