"""Inputs that once gave a server error, and the bounds that now hold every typed value.

Each answer is a form shown again with what was typed and a Japanese message at the field,
or a refusal; never a server error, and nothing saved (the fuzz test in test_input_fuzz.py
tries the same on every URL).
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from conftest import logged_in, make_user
from tsunagu.accounts.models import Role
from tsunagu.cases.models import Case
from tsunagu.confidentiality.models import PrivacySettings
from tsunagu.issues.models import CommunityIssue
from tsunagu.issues.services import themes_for
from tsunagu.lib.limits import LATEST_DATE, MINUTES_CHARS, TEXT_CHARS
from tsunagu.lib.params import parse_id, parse_int
from tsunagu.meetings.choices import Category, Host, Level
from tsunagu.meetings.models import Meeting, MeetingType
from tsunagu.tests.url_names import reverse


@pytest.fixture
def body(municipality):
    return MeetingType.objects.create(
        municipality=municipality,
        name="地域個別ケア会議",
        category=Category.INDIVIDUAL,
        level=Level.CENTER,
        host=Host.EACH_CENTER,
    )


@pytest.fixture
def other_body(other_municipality):
    return MeetingType.objects.create(
        municipality=other_municipality,
        name="他市の会議",
        category=Category.INDIVIDUAL,
        level=Level.CENTER,
        host=Host.EACH_CENTER,
    )


def meeting_post(**fields):
    return {"date": "令和8年6月1日", "format": "in_person", "venue": "入力した会場", **fields}


@pytest.mark.parametrize("chosen", ["", "other", "abc", "99999999999999999999999"])
def test_a_meeting_without_a_valid_body_comes_back_with_what_was_typed(
    city_client, center, other_body, chosen
):
    value = other_body.pk if chosen == "other" else chosen
    response = city_client.post(
        reverse("meetings:meeting_create"), meeting_post(meeting_type=value, center=center.pk)
    )
    page = response.content.decode()
    assert response.status_code == 200 and "入力した会場" in page
    assert "会議体" in page and "errorlist" in page
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("date", ["9999-12-31", "1999-12-31", "2101-01-01", "昭和50年1月1日"])
def test_a_meeting_date_outside_the_range_is_refused_at_the_field(city_client, center, body, date):
    response = city_client.post(
        reverse("meetings:meeting_create"),
        meeting_post(meeting_type=body.pk, center=center.pk, date=date),
    )
    page = response.content.decode()
    assert response.status_code == 200 and "入力した会場" in page
    assert "2000-01-01から2100-12-31までの日付を入力してください。" in page
    assert not Meeting.objects.exists()


def test_a_meeting_on_the_last_accepted_day_is_in_the_calendar_feed(
    city_client, center, body, center_staff
):
    response = city_client.post(
        reverse("meetings:meeting_create"),
        meeting_post(meeting_type=body.pk, center=center.pk, date=LATEST_DATE.isoformat()),
    )
    assert response.status_code == 302 and Meeting.objects.get().date == LATEST_DATE
    staff = logged_in(Client(), center_staff)
    page = staff.post(reverse("meetings:calendar_settings"), {"action": "issue"}).content.decode()
    feed = page[page.index("http://testserver/calendar/") :].split(".ics")[0] + ".ics"
    answer = Client().get(feed.removeprefix("http://testserver"))
    assert answer.status_code == 200 and b"21001231" in answer.content


def test_the_database_refuses_a_meeting_date_outside_the_range(municipality, center, body):
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(
            municipality=municipality,
            meeting_type=body,
            center=center,
            date=datetime.date(9999, 12, 31),
        )


@pytest.mark.parametrize("chosen", ["", "other", "abc"])
def test_a_case_without_a_valid_center_comes_back_with_what_was_typed(
    client, municipality, other_rows, chosen
):
    admin = make_user("case_admin", (municipality, Role.CITY_ADMIN, None))
    value = other_rows["center"].pk if chosen == "other" else chosen
    response = logged_in(client, admin).post(
        reverse("cases:case_create"),
        {"center": value, "wishes": "入力した意向", "version": "1", "case_type": "independence"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "入力した意向" in page and "errorlist" in page
    assert not Case.objects.exists()


@pytest.mark.parametrize("chosen", ["", "other", "abc"])
def test_an_issue_without_a_valid_theme_comes_back_with_what_was_typed(
    city_client, municipality, other_municipality, chosen
):
    other_theme = themes_for(other_municipality)[0]
    value = other_theme.pk if chosen == "other" else chosen
    response = city_client.post(
        reverse("issues:issue_create"),
        {
            "title": "入力した課題名",
            "theme": value,
            "level": "city",
            "status": "candidate",
            "opened_on": "令和8年4月1日",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "入力した課題名" in page and "errorlist" in page
    assert not CommunityIssue.objects.exists()


def test_moving_a_case_to_a_status_that_does_not_exist_is_refused_with_a_message(
    client, municipality, center
):
    admin = make_user("mover", (municipality, Role.CENTER_STAFF, center))
    case = Case.objects.create(
        municipality=municipality,
        code="X-1",
        center=center,
        case_type="independence",
        age_band="80",
        sex="female",
        care_level="care_1",
        household="alone",
    )
    response = logged_in(client, admin).post(
        reverse("cases:case_move", args=[case.pk]), {"to": "bogus"}, follow=True
    )
    assert response.status_code in (200, 403)
    case.refresh_from_db()
    assert case.status == "draft"


@pytest.mark.parametrize("area", ["abc", "²", "-1", "99999999999999999999999"])
def test_list_filters_ignore_ids_that_are_not_ids(city_client, area):
    for name in ("resource_list", "need_list", "activity_list", "meeting_list", "center_list"):
        assert city_client.get(reverse(name), {"area": area, "center": area}).status_code == 200
    assert city_client.get(reverse("meetings:meeting_list"), {"fy": area}).status_code == 200


@pytest.mark.parametrize("area", ["abc", "²", "", "99999999999999999999999"])
def test_a_gap_for_an_area_that_is_not_an_id_is_not_found(city_client, area):
    response = city_client.post(reverse("resources:gap_issue"), {"area": area, "kind": "salon"})
    assert response.status_code == 404


def test_a_screened_plan_for_a_center_that_is_not_an_id_is_not_found(city_client, center):
    from tsunagu.cases.tests.test_screening_page import upload

    upload(city_client)
    for value in ("abc", "²", "99999999999999999999999"):
        response = city_client.post(
            reverse("cases:screening_to_case"),
            {"office_number": "1270000052", "user_number": "U0013", "center": value},
        )
        assert response.status_code == 404
    assert not Case.objects.exists()


@pytest.mark.parametrize("days", ["1000000000", "366", "-1", "abc"])
def test_privacy_settings_out_of_bounds_are_refused_at_the_field(city_client, municipality, days):
    response = city_client.post(
        reverse("confidentiality:privacy"),
        {
            "action": "settings",
            "pledge_scope": "per_meeting",
            "adviser_days_before": days,
            "adviser_days_after": "1",
            "retention_years": "5",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "errorlist" in page and days in page
    assert not PrivacySettings.objects.filter(municipality=municipality).exists()


def test_the_database_refuses_privacy_settings_out_of_bounds(municipality):
    with pytest.raises(IntegrityError), transaction.atomic():
        PrivacySettings.objects.create(municipality=municipality, adviser_days_before=400)


def test_a_text_over_its_limit_is_refused_by_the_model_too(municipality, center):
    case = Case(
        municipality=municipality,
        code="X-2",
        center=center,
        case_type="independence",
        age_band="80",
        sex="female",
        care_level="care_1",
        household="alone",
        wishes="あ" * (TEXT_CHARS + 1),
    )
    with pytest.raises(ValidationError) as refused:
        case.full_clean()
    assert "文章が長すぎます" in str(refused.value.message_dict["wishes"])
    case.wishes = "あ" * TEXT_CHARS
    case.full_clean()


def test_every_free_text_field_of_the_models_has_a_limit():
    from django.apps import apps
    from django.db import models

    unlimited = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        # The task queue's own table holds what the system writes (task paths, tracebacks).
        if model._meta.app_label
        not in {"audit", "sessions", "admin", "auth", "contenttypes", "django_tasks_database"}
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField | models.CharField)
        and getattr(field, "editable", False)
        and (field.max_length is None or field.max_length > MINUTES_CHARS)
    ]
    assert unlimited == []


def test_minutes_over_the_limit_come_back_with_a_message(client, municipality, center, body):
    from tsunagu.confidentiality.services import policy_for_signing
    from tsunagu.meetings.models import Pledge

    staff = make_user("minutes", (municipality, Role.CENTER_STAFF, center))
    meeting = Meeting.objects.create(
        municipality=municipality, meeting_type=body, center=center, date=timezone.localdate()
    )
    Pledge.objects.create(
        municipality=municipality,
        meeting=meeting,
        user=staff,
        signer_name="署名",
        affiliation="所属",
        method="online",
        policy_version=policy_for_signing(municipality),
    )
    response = logged_in(client, staff).post(
        reverse("meetings:meeting_minutes", args=[meeting.pk]),
        {"minutes": "議" * (MINUTES_CHARS + 1), "decisions": "決定"},
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == ""


def test_an_oversize_autosave_is_refused_before_it_is_read(client, municipality, center):
    staff = make_user("autosaver", (municipality, Role.CENTER_STAFF, center))
    case = Case.objects.create(
        municipality=municipality,
        code="X-3",
        center=center,
        case_type="independence",
        age_band="80",
        sex="female",
        care_level="care_1",
        household="alone",
    )
    response = logged_in(client, staff).post(
        reverse("cases:case_autosave", args=[case.pk]), {"wishes": "あ" * 800_000, "version": "1"}
    )
    assert response.status_code == 413 and "大きすぎる" in response.content.decode()
    case.refresh_from_db()
    assert case.wishes == "" and case.version == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), (" 7 ", 7), ("0", None), ("-1", None), ("abc", None), ("²", None)]
    + [("١٢", None), ("", None), (None, None), ("9" * 30, None), ("1.0", None)],
)
def test_ids_are_plain_ascii_digits_within_range(text, expected):
    assert parse_id(text) == expected


def test_numbers_outside_their_bounds_are_none():
    assert parse_int("2026", low=1989, high=2100) == 2026
    assert parse_int("2101", low=1989, high=2100) is None
    assert parse_int("²", low=0, high=9) is None
