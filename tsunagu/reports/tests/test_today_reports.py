"""The dashboard lists the monthly reports due, overdue or returned: every center's for the
city and 基幹型, a center's own for its staff, each linked."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import logged_in, make_user
from tsunagu.accounts.models import Role
from tsunagu.centerwork.models import Submission
from tsunagu.centerwork.reporting import monthly_due_date, previous_month
from tsunagu.organizations.models import Center

TODAY = timezone.localdate()
LAST_MONTH = previous_month(TODAY)
EARLIER = previous_month(LAST_MONTH)


def _submission(municipality, center, period_start, status="draft"):
    return Submission.objects.create(
        municipality=municipality,
        center=center,
        kind="monthly",
        period_start=period_start,
        status=status,
        city_comment="相談件数の内訳を直してください" if status == "returned" else "",
    )


def _dashboard(client):
    return client.get(reverse("reports:dashboard")).content.decode()


def test_the_city_sees_every_centers_report_due_and_returned(city_client, municipality, center):
    other = Center.objects.create(municipality=municipality, name="明第2地域包括支援センター")
    draft = _submission(municipality, center, LAST_MONTH)
    returned = _submission(municipality, other, EARLIER, status="returned")
    body = _dashboard(city_client)
    assert "月次事業実施状況報告" in body
    assert reverse("centerwork:submission_detail", args=[draft.pk]) in body
    # A center that has not opened last month's report: the monthly page, where it is made.
    assert f"{reverse('centerwork:monthly_overview')}?month={LAST_MONTH:%Y-%m}" in body
    assert "明第2地域包括支援センター</a>: 未提出" in body
    assert reverse("centerwork:submission_detail", args=[returned.pk]) in body
    assert "市から差し戻された報告" in body and "相談件数の内訳を直してください" in body
    due_on = monthly_due_date(LAST_MONTH.year, LAST_MONTH.month, 10)  # the default due day
    assert ("期限超過" in body) == (due_on < TODAY)


def test_a_submitted_report_is_not_listed(city_client, municipality, center):
    _submission(municipality, center, LAST_MONTH, status="submitted")
    assert "月次事業実施状況報告" not in _dashboard(city_client)


def test_core_center_sees_every_center(client, municipality, center):
    core = Center.objects.create(municipality=municipality, name="基幹型センター", is_core=True)
    other = Center.objects.create(municipality=municipality, name="明第2地域包括支援センター")
    returned = _submission(municipality, other, EARLIER, status="returned")
    user = make_user("core1", (municipality, Role.CORE_CENTER, core))
    body = _dashboard(logged_in(client, user))
    assert reverse("centerwork:submission_detail", args=[returned.pk]) in body


def test_center_staff_see_only_their_own_center(staff_client, municipality, center):
    other = Center.objects.create(municipality=municipality, name="明第2地域包括支援センター")
    own = _submission(municipality, center, EARLIER, status="returned")
    theirs = _submission(municipality, other, EARLIER, status="returned")
    body = _dashboard(staff_client)
    assert reverse("centerwork:submission_detail", args=[own.pk]) in body
    assert reverse("centerwork:submission_detail", args=[theirs.pk]) not in body
    assert "明第2地域包括支援センター" not in body


def test_nothing_where_the_city_does_not_use_the_monthly_report(city_client, center):
    assert "月次事業実施状況報告" not in _dashboard(city_client)


def test_the_viewer_and_another_municipality_see_none(
    viewer_client, outsider_client, municipality, center
):
    _submission(municipality, center, EARLIER, status="returned")
    assert "市から差し戻された報告" not in _dashboard(viewer_client)
    assert "市から差し戻された報告" not in _dashboard(outsider_client)


def test_the_dashboard_runs_the_same_queries_however_many_reports(
    city_client, municipality, center
):
    _submission(municipality, center, LAST_MONTH)

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert city_client.get(reverse("reports:dashboard")).status_code == 200
        return len(context)

    few = queries()
    for n in range(5):
        other = Center.objects.create(municipality=municipality, name=f"センター{n}")
        _submission(municipality, other, LAST_MONTH, status="returned")
        _submission(municipality, other, EARLIER, status="returned")
        _submission(municipality, other, previous_month(EARLIER), "returned")
    assert queries() == few
