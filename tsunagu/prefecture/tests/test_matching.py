"""Who fits a request: profession, area or municipality, the half-day of that date, the load."""

import datetime

from tsunagu.organizations.models import Area
from tsunagu.prefecture import services
from tsunagu.prefecture.matching import candidates
from tsunagu.prefecture.models import DispatchRequest, slot_of

from .conftest import make_adviser, make_meeting


def ask(meeting, by, profession="physiotherapist"):
    return services.request_dispatch(meeting=meeting, profession=profession, by=by)


def fits(request):
    return set(candidates(request).values_list("pk", flat=True))


def test_it_offers_only_the_profession_asked_for(prefecture, municipality, meeting, city_admin):
    pt = make_adviser(prefecture, municipalities=[municipality])
    dietitian = make_adviser(prefecture, profession="dietitian", municipalities=[municipality])
    assert fits(ask(meeting, city_admin)) == {pt.pk}
    assert fits(ask(meeting, city_admin, "dietitian")) == {dietitian.pk}


def test_it_offers_only_advisers_who_travel_to_the_municipality_or_area(
    prefecture, municipality, town, meeting, center, city_admin
):
    here = make_adviser(prefecture, municipalities=[municipality])
    to_the_area = make_adviser(prefecture, areas=[center.area])
    other_area = Area.objects.create(municipality=municipality, name="別圏域")
    make_adviser(prefecture, areas=[other_area])
    make_adviser(prefecture, municipalities=[town])
    assert fits(ask(meeting, city_admin)) == {here.pk, to_the_area.pk}


def test_it_offers_only_advisers_available_on_that_weekday_and_half_day(
    prefecture, municipality, meeting, city_admin
):
    slot = slot_of(meeting)
    assert slot % 2 == 1  # the meeting starts at 14:00: an afternoon
    afternoon = make_adviser(prefecture, municipalities=[municipality], availability=1 << slot)
    make_adviser(prefecture, municipalities=[municipality], availability=1 << (slot - 1))
    other_day = (slot + 2) % 14
    make_adviser(prefecture, municipalities=[municipality], availability=1 << other_day)
    make_adviser(prefecture, municipalities=[municipality], availability=0)
    assert fits(ask(meeting, city_admin)) == {afternoon.pk}


def test_a_meeting_without_a_start_time_counts_as_a_morning(
    prefecture, municipality, body, city_admin
):
    meeting = make_meeting(body, start=None)
    morning = make_adviser(
        prefecture, municipalities=[municipality], availability=1 << (meeting.date.weekday() * 2)
    )
    make_adviser(
        prefecture,
        municipalities=[municipality],
        availability=1 << (meeting.date.weekday() * 2 + 1),
    )
    assert fits(ask(meeting, city_admin)) == {morning.pk}


def test_it_leaves_out_an_adviser_already_dispatched_that_half_day(
    prefecture, municipality, body, city_admin
):
    first = make_meeting(body, start=datetime.time(13, 30))
    same_afternoon = make_meeting(body, start=datetime.time(15, 30))
    same_morning = make_meeting(body, start=datetime.time(9, 30))
    busy = make_adviser(prefecture, municipalities=[municipality])
    services.assign(dispatch_request=ask(first, city_admin), adviser=busy, by=city_admin)
    assert busy.pk not in fits(ask(same_afternoon, city_admin))
    assert busy.pk in fits(ask(same_morning, city_admin))


def test_it_leaves_out_an_adviser_at_their_monthly_load(prefecture, municipality, body, city_admin):
    adviser = make_adviser(prefecture, municipalities=[municipality], monthly_limit=1)
    # Two meetings of the same month, on different days.
    base = make_meeting(body, days=40)
    other_day = 1 if base.date.day < 28 else -1
    taken = base
    later = make_meeting(body, days=40 + other_day)
    assert later.date.month == taken.date.month
    request = ask(later, city_admin)
    assert adviser.pk in fits(request)
    services.assign(dispatch_request=ask(taken, city_admin), adviser=adviser, by=city_admin)
    assert adviser.pk not in fits(request)


def test_a_declined_assignment_and_a_withdrawn_one_free_the_load(
    prefecture, municipality, body, city_admin
):
    adviser = make_adviser(prefecture, municipalities=[municipality], monthly_limit=1)
    first = make_meeting(body, days=40, start=datetime.time(9, 0))
    second = make_meeting(body, days=40, start=datetime.time(14, 0))
    assignment = services.assign(
        dispatch_request=ask(first, city_admin), adviser=adviser, by=city_admin
    )
    request = ask(second, city_admin)
    assert adviser.pk not in fits(request)
    services.answer(assignment=assignment, accept=False, reason="学会のため", by=adviser.user)
    assert adviser.pk in fits(request)


def test_it_does_not_offer_again_who_declined_this_request(
    prefecture, municipality, meeting, city_admin
):
    adviser = make_adviser(prefecture, municipalities=[municipality])
    request = ask(meeting, city_admin)
    assignment = services.assign(dispatch_request=request, adviser=adviser, by=city_admin)
    services.answer(assignment=assignment, accept=False, reason="都合がつかない", by=adviser.user)
    request.refresh_from_db()
    assert request.status == DispatchRequest._meta.get_field("status").default
    assert adviser.pk not in fits(request)


def test_it_leaves_out_inactive_advisers_and_other_prefectures(
    prefecture, other_prefecture, municipality, meeting, city_admin
):
    resting = make_adviser(prefecture, municipalities=[municipality])
    resting.is_active = False
    resting.save()
    gone = make_adviser(prefecture, municipalities=[municipality])
    gone.user.is_active = False
    gone.user.save()
    elsewhere = make_adviser(other_prefecture)
    elsewhere.municipalities.set([municipality])
    assert fits(ask(meeting, city_admin)) == set()
