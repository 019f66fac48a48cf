import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tsunagu.audit.models import AuditEntry
from tsunagu.audit.services import log

from .helpers import log_at, tokyo

URL = reverse("audit:audit_entry_list")


def body(response):
    return response.content.decode()


def csv_rows(response):
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:])))


@pytest.fixture
def entries(municipality, other_municipality, area, city_admin, viewer, outsider):
    """A few entries of each kind, in both municipalities and without one."""
    log(
        "area.updated", by=city_admin, municipality=municipality, target=area, summary="明第1を変更"
    )
    log("meeting.closed", by=city_admin, municipality=municipality, summary="第1回を確定")
    log("user.logged_in", by=viewer)  # personal: belongs where viewer is a member
    log("user.login_failed", username="viewer")  # typed a member's name
    log("user.login_failed", username="nobody-here")
    log("user.logged_in", by=outsider)
    log("area.created", by=outsider, municipality=other_municipality, summary="他市の圏域")


def test_it_sends_anonymous_users_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["viewer_client", "staff_client", "stranger_client"])
def test_it_refuses_roles_that_may_not_read_the_log(request, persona, entries):
    client = request.getfixturevalue(persona)
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"format": "csv"}).status_code == 403


def test_it_shows_the_own_municipalitys_entries_and_its_members_logins(city_client, entries):
    page = body(city_client.get(URL))
    assert "明第1を変更" in page and "第1回を確定" in page
    assert "会議の確定" in page and "圏域の変更" in page  # Japanese labels
    rows = AuditEntry.objects.filter(action__startswith="user.")
    visible = {(e.action, e.actor_username) for e in rows if e.actor_username in page}
    # city_admin's own login comes from logging the test client in.
    assert visible == {
        ("user.logged_in", "viewer"),
        ("user.login_failed", "viewer"),
        ("user.logged_in", "city_admin"),
    }
    assert "他市の圏域" not in page and "nobody-here" not in page and "outsider" not in page


def test_another_municipality_sees_none_of_them(outsider_client, entries):
    page = body(outsider_client.get(URL))
    assert "他市の圏域" in page
    assert "明第1を変更" not in page and "第1回を確定" not in page
    assert ">viewer<" not in page and "city_admin" not in page


def test_it_shows_the_time_in_tokyo_as_wareki(city_client, municipality):
    log_at(tokyo(2026, 4, 1, 0, 30, 5), "meeting.closed", municipality=municipality)
    page = body(city_client.get(URL))
    assert "令和8年4月1日 00:30:05" in page


def test_it_filters_by_date_range_in_wareki(city_client, municipality):
    for day in (1, 2, 3):
        log_at(
            tokyo(2026, 4, day, 23, 59),
            "test.done",
            municipality=municipality,
            summary=f"{day}日目の記録",
        )
    page = body(city_client.get(URL, {"start": "R8.4.2", "end": "令和8年4月2日"}))
    assert "2日目の記録" in page and "1日目の記録" not in page and "3日目の記録" not in page


def test_it_shows_a_wrong_date_and_refuses_to_export_with_it(city_client, entries):
    response = city_client.get(URL, {"start": "R8.13.40", "format": "csv"})
    assert response.status_code == 200 and not response.streaming
    assert 'role="alert"' in body(response)
    assert not AuditEntry.objects.filter(action="audit.exported").exists()


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"action": "meeting."}, "第1回を確定", "明第1を変更"),
        ({"action": "area.updated"}, "明第1を変更", "第1回を確定"),
        ({"user": "VIEW"}, "ログイン失敗", "明第1を変更"),
        ({"target_type": "organizations.area"}, "明第1を変更", "第1回を確定"),
    ],
)
def test_it_filters(city_client, entries, params, shown, hidden):
    page = body(city_client.get(URL, params))
    assert shown in page and hidden not in page


def test_it_filters_by_target_id_and_address(city_client, municipality, area, rf):
    log(
        "area.viewed",
        municipality=municipality,
        target=area,
        summary="対象",
        request=rf.get("/", REMOTE_ADDR="192.0.2.10"),
    )
    log(
        "area.viewed",
        municipality=municipality,
        summary="別の接続元",
        request=rf.get("/", REMOTE_ADDR="198.51.100.7"),
    )
    page = body(city_client.get(URL, {"target_id": str(area.pk)}))
    assert "対象" in page and "別の接続元" not in page
    page = body(city_client.get(URL, {"ip": "192.0.2."}))
    assert "対象" in page and "別の接続元" not in page


def test_it_answers_htmx_with_the_results_only(city_client, entries):
    page = body(city_client.get(URL, {"action": "meeting."}, HTTP_HX_REQUEST="true"))
    assert "第1回を確定" in page and "<html" not in page
    assert "format=csv" in page and "action=meeting." in page  # export keeps the filter


def test_it_shows_the_newest_first_and_paginates(city_client, municipality, settings):
    for i in range(30):
        log("test.done", municipality=municipality, summary=f"記録{i:02d}")
    first = body(city_client.get(URL))
    assert first.index("記録29") < first.index("記録28")
    assert "記録04" not in first and "全31件" in first  # with the test client's login
    assert "記録00" in body(city_client.get(URL, {"page": 2}))


def test_it_exports_the_filtered_entries_as_csv(city_client, city_admin, entries, rf):
    log(
        "test.formula",
        by=city_admin,
        municipality=city_admin.memberships.get().municipality,
        summary='=HYPERLINK("http://example.com")',
    )
    response = city_client.get(URL, {"user": "city", "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit_')
    header, *rows = csv_rows(response)
    assert header[:5] == ["通番", "日時", "和暦", "操作", "操作コード"]
    by_action = {row[4]: row for row in rows}
    assert set(by_action) >= {"area.updated", "meeting.closed", "test.formula"}
    assert "area.created" not in by_action and "user.login_failed" not in by_action
    assert by_action["meeting.closed"][3] == "会議の確定"
    assert by_action["meeting.closed"][9] == "第1回を確定"
    assert by_action["area.updated"][7] == "日常生活圏域"  # the model's verbose_name
    assert by_action["test.formula"][9].startswith("'=")  # not run as a formula by Excel


def test_the_export_is_itself_logged(city_client, city_admin, municipality, entries):
    response = city_client.get(URL, {"action": "meeting.", "start": "R8.4.1", "format": "csv"})
    b"".join(response.streaming_content)
    entry = AuditEntry.objects.get(action="audit.exported")
    assert entry.actor_id == city_admin.pk and entry.municipality_id == municipality.pk
    assert entry.data == {"conditions": {"action": "meeting.", "start": "2026-04-01"}}
    assert entry.ip_address == "127.0.0.1"


def test_it_runs_the_same_number_of_queries_whatever_the_rows(city_client, municipality, area):
    def queries():
        with CaptureQueriesContext(connection) as context:
            assert city_client.get(URL).status_code == 200
        return len(context)

    log("area.viewed", municipality=municipality, target=area, detail="x")
    few = queries()
    for i in range(20):
        log(f"test.kind{i}", municipality=municipality, target=area, summary=str(i), n=i)
    assert queries() == few
