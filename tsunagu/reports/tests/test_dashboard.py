from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tsunagu.organizations.models import Person


def test_it_shows_real_counts_of_the_own_municipality(city_client, center, person, other_rows):
    body = city_client.get(reverse("reports:dashboard")).content.decode()
    assert "松風テスト市 ダッシュボード" in body
    assert "介護支援専門員" in body
    # The other municipality's pharmacist is not counted.
    assert "薬剤師" not in body


def test_it_shows_the_fiscal_year_in_wareki(city_client):
    body = city_client.get(reverse("reports:dashboard")).content.decode()
    assert "年度）です" in body and ("令和" in body)


def test_it_runs_a_fixed_number_of_queries(city_client, municipality, person):
    def queries():
        with CaptureQueriesContext(connection) as context:
            city_client.get(reverse("reports:dashboard"))
        return len(context)

    before = queries()
    Person.objects.bulk_create(
        Person(municipality=municipality, name=f"人{i}", furigana="ヒト", profession=profession)
        for i, profession in enumerate(["nurse", "dentist"] * 10)
    )
    assert queries() == before


def test_it_sends_anonymous_users_to_login(client):
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_it_refuses_a_user_without_membership(stranger_client):
    assert stranger_client.get(reverse("reports:dashboard")).status_code == 403


def test_it_shows_a_viewer_the_dashboard(viewer_client):
    assert viewer_client.get(reverse("reports:dashboard")).status_code == 200


def test_it_shows_the_other_municipality_only_its_own(outsider_client, person):
    body = outsider_client.get(reverse("reports:dashboard")).content.decode()
    assert "小川平テスト市" in body and "松風テスト市" not in body


def test_it_shows_each_person_only_their_own_overdue_actions(
    staff_client, center_staff, municipality, center, person
):
    import datetime

    from tsunagu.cases.models import Action, Case, CaseReview
    from tsunagu.meetings.models import Meeting, MeetingType

    body = MeetingType.objects.create(
        municipality=municipality,
        name="個別",
        category="individual",
        level="center",
        host="each_center",
        reviews_cases=True,
    )
    meeting = Meeting.objects.create(
        municipality=municipality, meeting_type=body, center=center, date=datetime.date(2026, 4, 10)
    )
    case = Case.objects.create(
        municipality=municipality,
        code="D-1",
        center=center,
        case_type="independence",
        age_band="80",
        sex="female",
        care_level="care_1",
        household="alone",
    )
    review = CaseReview.objects.create(case=case, meeting=meeting)
    past = datetime.date(2026, 5, 1)
    Action.objects.create(review=review, responsible_label="薬局", what="x", due_on=past)
    mine = Action.objects.create(review=review, responsible=person, what="y", due_on=past)
    # The center staff persona has no directory person: nothing is theirs.
    body_text = staff_client.get(reverse("reports:dashboard")).content.decode()
    assert "期限を過ぎた役割分担" not in body_text
    center_staff.memberships.update(person=person)
    body_text = staff_client.get(reverse("reports:dashboard")).content.decode()
    # Each overdue action says what it is (issue 16), linked to its review record.
    assert body_text.count("、期限 ") == 1 and f'/reviews/{mine.review_id}/">y</a>' in body_text
