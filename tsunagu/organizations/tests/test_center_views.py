import datetime

from django.urls import reverse

from tsunagu.organizations.models import Center


def center_data(**changes):
    data = {
        "name": "小金地域包括支援センター",
        "area": "",
        "operation": "commissioned",
        "operator": "社会福祉法人 テスト会",
        "opened_on": "",
        "address": "",
        "phone": "",
    }
    data.update(changes)
    return data


def test_it_reads_a_wareki_opening_date(city_client, municipality, area):
    response = city_client.post(
        reverse("organizations:center_create"), center_data(area=area.pk, opened_on="R3.6.1")
    )
    assert response.status_code == 302
    center = Center.objects.get(name="小金地域包括支援センター")
    assert center.opened_on == datetime.date(2021, 6, 1)
    detail = city_client.get(
        reverse("organizations:center_detail", args=[center.pk])
    ).content.decode()
    assert "令和3年6月1日（2021-06-01）" in detail


def test_it_explains_a_date_it_cannot_read_and_keeps_the_input(city_client, area):
    response = city_client.post(
        reverse("organizations:center_create"), center_data(opened_on="令和3年13月1日")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "令和3年13月1日" in body
    assert "存在しない日付" in body
    assert not Center.objects.exists()


def test_it_allows_one_core_center_per_municipality(city_client, center):
    Center.objects.filter(pk=center.pk).update(is_core=True)
    response = city_client.post(reverse("organizations:center_create"), center_data(is_core="on"))
    assert "基幹型センターはすでにあります" in response.content.decode()
    assert Center.objects.count() == 1


def test_it_offers_only_own_areas(city_client, area, other_area):
    response = city_client.post(
        reverse("organizations:center_create"), center_data(area=other_area.pk)
    )
    assert response.status_code == 200
    assert "正しく選択してください" in response.content.decode()
    assert not Center.objects.filter(name="小金地域包括支援センター").exists()


def test_it_marks_the_core_center_in_the_list(city_client, center):
    Center.objects.filter(pk=center.pk).update(is_core=True)
    body = city_client.get(reverse("organizations:center_list")).content.decode()
    assert "基幹型" in body


def test_it_filters_centers_by_area(city_client, municipality, center):
    from tsunagu.organizations.models import Area

    other = Area.objects.create(municipality=municipality, name="小金")
    Center.objects.create(municipality=municipality, name="小金センター", area=other)
    body = city_client.get(
        reverse("organizations:center_list"), {"area": other.pk}
    ).content.decode()
    assert "小金センター" in body and "明第1地域包括支援センター" not in body


def test_it_shows_the_centers_people(city_client, center, person):
    person.center = center
    person.save()
    body = city_client.get(
        reverse("organizations:center_detail", args=[center.pk])
    ).content.decode()
    assert "佐藤 陽子" in body
