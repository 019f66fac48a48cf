"""The pages: what each role may do, searches, forms, matching, gaps, and query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import logged_in, make_user
from tsunagu.accounts.models import Role
from tsunagu.audit.models import AuditEntry
from tsunagu.issues.models import CommunityIssue
from tsunagu.organizations.models import Center
from tsunagu.resources.models import Activity, Need, Resource
from tsunagu.tests.url_names import reverse

from .conftest import TODAY, make_need, make_resource


def resource_post(**changes):
    data = {
        "name": "ふれあいサロン",
        "kind": "salon",
        "provider_name": "明第1町会",
        "schedule_text": "毎週水曜 13:30〜15:30",
        "status": "active",
        "last_confirmed_on": "令和7年4月1日",
        "places-TOTAL_FORMS": "1",
        "places-INITIAL_FORMS": "0",
        "places-MIN_NUM_FORMS": "0",
        "places-MAX_NUM_FORMS": "10",
        "places-0-name": "明第1町会会館",
        "places-0-postal_code": "２７１００００",
        "places-0-address": "松風一丁目1番",
    }
    data.update(changes)
    return data


# --- Access --------------------------------------------------------------------------------


def test_every_page_needs_a_login(client, resource, need):
    for url in [
        reverse("resources:resource_list"),
        reverse("resources:resource_detail", args=[resource.pk]),
        reverse("resources:need_list"),
        reverse("resources:need_match", args=[need.pk]),
        reverse("resources:gap_list"),
        reverse("resources:activity_list"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/login/"), url


def test_another_municipalitys_rows_are_not_found(outsider_client, resource, need, case, area):
    for url in [
        reverse("resources:resource_detail", args=[resource.pk]),
        reverse("resources:resource_edit", args=[resource.pk]),
        reverse("resources:resource_delete", args=[resource.pk]),
        reverse("resources:resource_match", args=[resource.pk]),
        reverse("resources:need_match", args=[need.pk]),
        reverse("resources:need_edit", args=[need.pk]),
        reverse("resources:match_case", args=[case.pk]),
        reverse("resources:resource_area_pdf", args=[area.pk]),
    ]:
        assert outsider_client.get(url).status_code == 404, url
    assert (
        "いきいきサロン明"
        not in outsider_client.get(reverse("resources:resource_list")).content.decode()
    )
    assert (
        outsider_client.post(
            reverse("resources:gap_issue"), {"area": area.pk, "kind": "salon"}
        ).status_code
        == 404
    )


def test_read_only_roles_read_but_may_not_write(viewer_client, resource, need):
    assert (
        viewer_client.get(reverse("resources:resource_detail", args=[resource.pk])).status_code
        == 200
    )
    assert viewer_client.get(reverse("resources:need_match", args=[need.pk])).status_code == 200
    for url in [
        reverse("resources:resource_create"),
        reverse("resources:resource_edit", args=[resource.pk]),
        reverse("resources:resource_delete", args=[resource.pk]),
        reverse("resources:need_create"),
        reverse("resources:need_edit", args=[need.pk]),
        reverse("resources:activity_create"),
        reverse("resources:resource_import"),
    ]:
        assert viewer_client.get(url).status_code == 403, url
    assert (
        viewer_client.post(reverse("resources:resource_delete", args=[resource.pk])).status_code
        == 403
    )
    assert Resource.objects.filter(pk=resource.pk).exists()
    response = viewer_client.post(
        reverse("resources:gap_issue"), {"area": need.area_id, "kind": "salon"}
    )
    assert response.status_code == 403
    body = viewer_client.get(reverse("resources:resource_list")).content.decode()
    assert reverse("resources:resource_create") not in body


def test_a_user_without_membership_is_refused(stranger_client):
    assert stranger_client.get(reverse("resources:resource_list")).status_code == 403


def test_the_gap_action_is_post_only(city_client):
    assert city_client.get(reverse("resources:gap_issue")).status_code == 405


# --- Resources -----------------------------------------------------------------------------


def test_staff_create_a_resource_with_its_place(staff_client, area):
    response = staff_client.post(
        reverse("resources:resource_create"), resource_post(areas=[area.pk])
    )
    assert response.status_code == 302, response.content.decode()
    resource = Resource.objects.get()
    assert resource.weekday_labels == "水" and resource.last_confirmed_on == datetime.date(
        2025, 4, 1
    )
    assert [(p.name, p.postal_code) for p in resource.places.all()] == [
        ("明第1町会会館", "271-0000")
    ]
    assert AuditEntry.objects.filter(action="resource.created").count() == 1


def test_the_form_says_what_is_wrong(staff_client, area, resource):
    body = staff_client.post(
        reverse("resources:resource_create"),
        resource_post(
            schedule_text="気が向いたら", capacity="-1", **{"places-0-postal_code": "1-2"}
        ),
    ).content.decode()
    assert "日時「気が向いたら」を読み取れません" in body
    assert "123-4567" in body
    assert "0 以上" in body or "0以上" in body
    duplicate = staff_client.post(
        reverse("resources:resource_create"),
        resource_post(name="いきいきサロン明", areas=[area.pk], **{"places-TOTAL_FORMS": "0"}),
    ).content.decode()
    assert "名称・提供主体・対象圏域が同じ社会資源がすでに登録されています" in duplicate
    assert Resource.objects.count() == 1


def test_staff_edit_and_delete(staff_client, area, resource):
    place = resource.places.get()
    data = resource_post(
        name="いきいきサロン明（改）",
        areas=[area.pk],
        **{
            "places-TOTAL_FORMS": "2",
            "places-INITIAL_FORMS": "1",
            "places-0-id": place.pk,
            "places-0-resource": resource.pk,
            "places-0-name": "明第1町会会館",
            "places-0-DELETE": "on",
            "places-1-name": "新会場",
            "places-1-postal_code": "",
            "places-1-address": "",
        },
    )
    response = staff_client.post(reverse("resources:resource_edit", args=[resource.pk]), data)
    assert response.status_code == 302, response.content.decode()
    resource.refresh_from_db()
    assert resource.name == "いきいきサロン明(改)"  # NFKC, as every name
    assert [p.name for p in resource.places.all()] == ["新会場"]
    assert (
        staff_client.get(reverse("resources:resource_delete", args=[resource.pk])).status_code
        == 200
    )
    assert (
        staff_client.post(reverse("resources:resource_delete", args=[resource.pk])).status_code
        == 302
    )
    assert not Resource.objects.exists()


def test_the_detail_shows_the_stale_warning_and_the_read_schedule(viewer_client, municipality):
    old = make_resource(
        municipality, "古いサロン", last_confirmed_on=TODAY - datetime.timedelta(days=400)
    )
    body = viewer_client.get(reverse("resources:resource_detail", args=[old.pk])).content.decode()
    assert "1年以上たっています" in body and "読み取り結果: 第2・第4火 10:00〜12:00" in body


def results(client, **params):
    response = client.get(reverse("resources:resource_list"), params, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body  # only the results, for htmx
    return body


def test_the_list_searches_by_area_kind_day_text_status_and_staleness(
    viewer_client, municipality, area, second_area
):
    make_resource(municipality, "明の火曜サロン", areas=[area])
    make_resource(municipality, "西の木曜サロン", areas=[second_area], schedule_text="毎週木曜")
    make_resource(municipality, "市全域の配食", kind="meals", schedule_text="平日 11:00〜13:00")
    make_resource(municipality, "終わった体操", kind="gathering", status="ended", areas=[area])
    make_resource(municipality, "古いカフェ", kind="dementia_cafe", last_confirmed_on=None)
    by_area = results(viewer_client, area=area.pk)
    assert (
        "明の火曜サロン" in by_area
        and "市全域の配食" in by_area
        and "西の木曜サロン" not in by_area
    )
    assert "市全域の配食" in results(viewer_client, kind="meals")
    assert "明の火曜サロン" not in results(viewer_client, kind="meals")
    thursday = results(viewer_client, weekday="3")
    assert (
        "西の木曜サロン" in thursday
        and "市全域の配食" in thursday
        and "明の火曜サロン" not in thursday
    )
    assert "古いカフェ" in results(viewer_client, q="ｶﾌｪ")
    assert "明第1町会" in results(viewer_client, q="明第1町会")  # provider name
    assert "終わった体操" in results(viewer_client, status="ended")
    stale = results(viewer_client, stale="on")
    assert "古いカフェ" in stale and "明の火曜サロン" not in stale
    page = viewer_client.get(reverse("resources:resource_list"), {"area": area.pk}).content.decode()
    assert reverse("resources:resource_area_pdf", args=[area.pk]) in page


def test_from_a_resource_the_needs_it_could_meet(viewer_client, municipality, area, resource, case):
    make_need(municipality, area, source="case", case=case)
    body = viewer_client.get(
        reverse("resources:resource_match", args=[resource.pk])
    ).content.decode()
    assert "C-001" in body and "誓約書" not in body


# --- Needs ---------------------------------------------------------------------------------


def need_post(area, **changes):
    data = {
        "area": area.pk,
        "kind": "transport",
        "people": "2",
        "weekdays": ["1", "3"],
        "source": "council",
        "note": "通院の足がない",
        "recorded_on": "R7.5.1",
        "status": "open",
    }
    data.update(changes)
    return data


def test_staff_record_a_need_from_a_case_by_its_code(staff_client, area, case):
    response = staff_client.post(
        reverse("resources:need_create"), need_post(area, source="case", case_code="C-001")
    )
    assert response.status_code == 302, response.content.decode()
    need = Need.objects.get()
    assert need.case == case and need.weekdays == (1 << 1) | (1 << 3)
    assert need.recorded_on == datetime.date(2025, 5, 1)


def test_a_need_from_a_case_without_its_code_is_refused_on_the_form(staff_client, area):
    response = staff_client.post(reverse("resources:need_create"), need_post(area, source="case"))
    body = response.content.decode()
    assert "個別事例から把握したニーズは、事例番号を入力してください" in body
    assert not Need.objects.exists()


def test_a_case_out_of_the_members_scope_is_not_found_by_code(client, municipality, area, case):
    other_center = Center.objects.create(municipality=municipality, name="別のセンター", area=area)
    other = make_user("other_staff", (municipality, Role.CENTER_STAFF, other_center))
    body = (
        logged_in(client, other)
        .post(reverse("resources:need_create"), need_post(area, source="case", case_code="C-001"))
        .content.decode()
    )
    assert "事例番号「C-001」の事例が見つかりません" in body
    assert not Need.objects.exists()


def test_needs_show_the_case_code_never_its_content(client, municipality, area, case):
    make_need(municipality, area, source="case", case=case, note="ニーズの内容")
    other_center = Center.objects.create(municipality=municipality, name="別のセンター", area=area)
    other = logged_in(
        client, make_user("other_staff", (municipality, Role.CENTER_STAFF, other_center))
    )
    body = other.get(reverse("resources:need_list")).content.decode()
    assert "C-001" in body and "ニーズの内容" not in body
    assert reverse("cases:case_detail", args=[case.pk]) not in body  # not in their scope: no link
    assert case.wishes not in body


def test_the_case_is_linked_for_those_in_scope(staff_client, municipality, area, case):
    need = make_need(municipality, area, source="case", case=case)
    body = staff_client.get(reverse("resources:need_match", args=[need.pk])).content.decode()
    assert reverse("cases:case_detail", args=[case.pk]) in body and case.wishes not in body


def test_from_a_need_the_resources_of_its_kind_near_its_area(
    viewer_client, municipality, area, resource
):
    need = make_need(municipality, area, kind="salon", weekdays=1 << 1)
    make_resource(municipality, "市全域の木曜サロン", schedule_text="毎週木曜")
    make_resource(
        municipality, "市全域の火曜サロン", schedule_text="毎週火曜", provider_name="社協"
    )
    body = viewer_client.get(reverse("resources:need_match", args=[need.pk])).content.decode()
    assert "いきいきサロン明" in body and "市全域の火曜サロン" in body
    assert "市全域の木曜サロン" not in body
    assert body.index("いきいきサロン明") < body.index("市全域の火曜サロン")


def test_staff_edit_a_need_to_met(staff_client, municipality, area, resource, need):
    data = need_post(area, kind="salon", status="met", met_by=resource.pk)
    assert (
        staff_client.post(reverse("resources:need_edit", args=[need.pk]), data).status_code == 302
    )
    need.refresh_from_db()
    assert need.status == "met" and need.met_by == resource
    body = staff_client.get(
        reverse("resources:resource_detail", args=[resource.pk])
    ).content.decode()
    assert "この資源につないだニーズ" in body and str(need) in body


# --- Matching from a case ------------------------------------------------------------------


def test_matching_from_a_case_uses_its_centers_area_without_its_content(
    staff_client, municipality, area, second_area, case, resource
):
    make_resource(municipality, "西のサロン", areas=[second_area])
    make_resource(municipality, "木曜の配食", kind="meals", areas=[area], schedule_text="毎週木曜")
    url = reverse("resources:match_case", args=[case.pk])
    body = staff_client.get(url).content.decode()
    assert "C-001" in body and "いきいきサロン明" in body and "木曜の配食" in body
    assert "西のサロン" not in body and case.wishes not in body
    tuesday = staff_client.get(url, {"days": ["1"], "kind": "salon"}).content.decode()
    assert "いきいきサロン明" in tuesday and "木曜の配食" not in tuesday


def test_matching_from_a_case_is_404_outside_the_members_scope(client, municipality, area, case):
    other_center = Center.objects.create(municipality=municipality, name="別のセンター", area=area)
    other = logged_in(
        client, make_user("other_staff", (municipality, Role.CENTER_STAFF, other_center))
    )
    assert other.get(reverse("resources:match_case", args=[case.pk])).status_code == 404


def test_matching_from_a_case_needs_no_pledge(viewer_client, case, resource):
    # The viewer is in scope for every case but has signed no 誓約書: the case page refuses
    # its content, the matching page does not show any and so answers.
    assert viewer_client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 403
    body = viewer_client.get(reverse("resources:match_case", args=[case.pk])).content.decode()
    assert "いきいきサロン明" in body and case.wishes not in body


# --- Gaps ----------------------------------------------------------------------------------


def test_a_gap_is_shown_and_made_an_issue_with_one_action(
    city_client, municipality, area, second_area
):
    make_need(municipality, second_area, "transport", people=3)
    body = city_client.get(reverse("resources:gap_list")).content.decode()
    assert "明第2西" in body and "地域課題にする" in body
    response = city_client.post(
        reverse("resources:gap_issue"), {"area": second_area.pk, "kind": "transport"}
    )
    assert response.status_code == 302
    issue = CommunityIssue.objects.get()
    body = city_client.get(reverse("resources:gap_list")).content.decode()
    assert "課題化済み" in body and reverse("issues:issue_detail", args=[issue.pk]) in body
    needs = city_client.get(reverse("resources:need_list")).content.decode()
    assert reverse("issues:issue_detail", args=[issue.pk]) in needs


def test_the_gap_action_refuses_what_is_no_gap(city_client, municipality, area, resource):
    make_need(municipality, area, "salon")
    response = city_client.post(
        reverse("resources:gap_issue"), {"area": area.pk, "kind": "salon"}, follow=True
    )
    assert "いま不足" in response.content.decode()
    assert not CommunityIssue.objects.exists()


# --- Activities ----------------------------------------------------------------------------


def test_staff_record_a_coordinators_activity(staff_client, area, coordinator):
    data = {
        "coordinator": coordinator.pk,
        "date": "令和7年6月3日",
        "kind": "council",
        "area": area.pk,
        "title": "第2層協議体（明第1）",
        "note": "移動支援の担い手について",
    }
    assert staff_client.post(reverse("resources:activity_create"), data).status_code == 302
    body = staff_client.get(reverse("resources:activity_list"), {"area": area.pk}).content.decode()
    assert "第2層協議体(明第1)" in body and "高橋 恵美" in body  # NFKC
    assert Activity.objects.get().date == datetime.date(2025, 6, 3)


def test_only_coordinators_are_offered(staff_client, coordinator, person):
    body = staff_client.get(reverse("resources:activity_create")).content.decode()
    assert "高橋 恵美" in body and person.name not in body


# --- Query counts --------------------------------------------------------------------------


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params or {}).status_code == 200
    return len(context)


def add_rows(municipality, area, coordinator, n, start):
    for i in range(start, start + n):
        make_resource(
            municipality,
            f"サロン{i}",
            areas=[area],
            places=[{"name": f"会場{i}", "address": "一丁目"}],
            provider_name=f"会{i}",
        )
        make_need(municipality, area, "transport", note=f"ニーズ{i}")
        Activity.objects.create(
            municipality=municipality,
            coordinator=coordinator,
            kind="visit",
            area=area,
            title=f"訪問{i}",
        )


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("resource_list", {}),
        ("resource_list", {"area": "AREA", "weekday": "1", "q": "サロン"}),
        ("need_list", {"status": "all"}),
        ("gap_list", {}),
        ("activity_list", {}),
    ],
)
def test_pages_run_the_same_number_of_queries_with_few_and_many_rows(
    staff_client, municipality, area, coordinator, name, params
):
    params = {key: (area.pk if value == "AREA" else value) for key, value in params.items()}
    add_rows(municipality, area, coordinator, 1, 0)
    few = count_queries(staff_client, reverse(name), params)
    add_rows(municipality, area, coordinator, 15, 1)
    assert count_queries(staff_client, reverse(name), params) == few


def test_matching_pages_run_a_fixed_number_of_queries(
    staff_client, municipality, area, coordinator, case
):
    need = make_need(municipality, area, "salon")
    make_need(municipality, area, "salon", case=case, source="case")
    resource = make_resource(municipality, "基準のサロン", areas=[area])
    urls = [
        reverse("resources:need_match", args=[need.pk]),
        reverse("resources:match_case", args=[case.pk]),
        reverse("resources:resource_match", args=[resource.pk]),
    ]
    add_rows(municipality, area, coordinator, 1, 0)
    few = [count_queries(staff_client, url) for url in urls]
    add_rows(municipality, area, coordinator, 12, 1)
    for _ in range(12):
        make_need(municipality, area, "salon", case=case, source="case")
    assert [count_queries(staff_client, url) for url in urls] == few
