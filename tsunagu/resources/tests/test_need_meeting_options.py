"""The need form's meeting select: searchable, recent first, and following the 圏域 chosen,
also for a new need (the list reloads when the 圏域 changes)."""

import datetime

from django.utils import timezone

from tsunagu.meetings.models import Meeting, MeetingType
from tsunagu.organizations.models import Center
from tsunagu.tests.url_names import reverse

TODAY = timezone.localdate()
URL = "resources:need_meeting_options"


def _meeting(municipality, center, days_ago, *, name="個別", venue=""):
    body, _ = MeetingType.objects.get_or_create(
        municipality=municipality, name=name, defaults={"category": "individual", "level": "center"}
    )
    return Meeting.objects.create(
        municipality=municipality,
        meeting_type=body,
        center=center,
        venue=venue,
        date=TODAY - datetime.timedelta(days=days_ago),
    )


def _select(html):
    """The meeting select alone (the 圏域 select's option values are ids too)."""
    start = html.index('name="meeting"')
    return html[start : html.index("</select>", start)]


def _options(client, **params):
    response = client.get(reverse(URL), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_new_need_form_lists_the_first_areas_meetings_and_reloads_on_a_change(
    city_client, municipality, area, second_area, center
):
    west = Center.objects.create(municipality=municipality, name="西センター", area=second_area)
    mine = _meeting(municipality, center, 5)
    theirs = _meeting(municipality, west, 5)
    page = city_client.get(reverse("resources:need_create")).content.decode()
    listed = _select(page)
    assert f'<option value="{mine.pk}">' in listed
    assert f'<option value="{theirs.pk}">' not in listed
    # The 圏域 select reloads the list, and a search box narrows it.
    assert f'hx-get="{reverse(URL)}"' in page and 'id="id_meeting_q"' in page
    body = _options(city_client, area=second_area.pk)
    assert f'<option value="{theirs.pk}">' in body and f'<option value="{mine.pk}">' not in body


def test_the_list_is_newest_first_without_old_meetings_and_keeps_the_choice(
    city_client, municipality, area, center
):
    older, newer = _meeting(municipality, center, 40), _meeting(municipality, center, 3)
    long_ago = _meeting(municipality, center, 800)
    body = _options(city_client, area=area.pk)
    assert body.index(f'value="{newer.pk}"') < body.index(f'value="{older.pk}"')
    assert f'value="{long_ago.pk}"' not in body
    body = _options(city_client, area=area.pk, meeting=long_ago.pk)
    assert f'<option value="{long_ago.pk}" selected>' in body


def test_the_search_narrows_by_body_venue_or_wareki_date(city_client, municipality, area, center):
    salon = _meeting(municipality, center, 7, name="地域ケア推進会議", venue="明公民館")
    other = _meeting(municipality, center, 8)
    for search in (
        "推進",
        "公民館",
        f"R{salon.date.year - 2018}.{salon.date.month}.{salon.date.day}",
    ):
        body = _options(city_client, area=area.pk, meeting_q=search)
        assert f'value="{salon.pk}"' in body and f'value="{other.pk}"' not in body, search
    assert "候補 1 件" in body


def test_a_posted_need_keeps_a_meeting_of_the_area_posted(
    city_client, municipality, area, second_area, center
):
    west = Center.objects.create(municipality=municipality, name="西センター", area=second_area)
    theirs = _meeting(municipality, west, 5)
    response = city_client.post(
        reverse("resources:need_create"),
        {
            "area": second_area.pk,
            "kind": "salon",
            "people": 1,
            "source": "hearing",
            "meeting": theirs.pk,
            "recorded_on": TODAY.isoformat(),
            "status": "open",
        },
    )
    assert response.status_code == 302, response.content.decode()


def test_it_needs_a_login(client, db):
    response = client.get(reverse(URL))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_another_municipality_sees_none_of_ours(outsider_client, municipality, area, center):
    ours = _meeting(municipality, center, 5)
    assert f'value="{ours.pk}"' not in _options(outsider_client, area=area.pk)


def test_a_read_only_role_is_refused(viewer_client):
    assert viewer_client.get(reverse(URL)).status_code == 403


def test_nonsense_parameters_give_the_list(city_client, center):
    assert "候補" in _options(city_client, area="x²", meeting="-1", meeting_q="R99.99.99")
