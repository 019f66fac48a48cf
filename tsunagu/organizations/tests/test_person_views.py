from django.urls import reverse

from tsunagu.organizations.models import Person


def person_data(**changes):
    data = {
        "name": "鈴木 恵美",
        "furigana": "すずき えみ",
        "profession": "dietitian",
        "organization": "",
        "center": "",
        "phone": "",
        "email": "",
        "note": "",
    }
    data.update(changes)
    return data


def test_it_stores_furigana_in_katakana(staff_client, municipality):
    response = staff_client.post(reverse("organizations:person_create"), person_data())
    assert response.status_code == 302
    assert Person.objects.get(name="鈴木 恵美").furigana == "スズキ エミ"


def test_it_refuses_furigana_that_is_not_kana(staff_client, municipality):
    response = staff_client.post(
        reverse("organizations:person_create"), person_data(furigana="Suzuki")
    )
    body = response.content.decode()
    assert "ふりがなはひらがなかカタカナで入力してください" in body
    assert "Suzuki" in body and "鈴木 恵美" in body
    assert not Person.objects.exists()


def test_it_sorts_people_in_50on_order(staff_client, municipality):
    for name, kana in [
        ("渡辺 翔", "ワタナベ ショウ"),
        ("青木 彩", "アオキ アヤ"),
        ("佐藤 修", "サトウ オサム"),
    ]:
        Person.objects.create(
            municipality=municipality, name=name, furigana=kana, profession="nurse"
        )
    body = staff_client.get(reverse("organizations:person_list")).content.decode()
    assert body.index("青木 彩") < body.index("佐藤 修") < body.index("渡辺 翔")


def test_it_finds_people_by_hiragana_reading(staff_client, person):
    body = staff_client.get(reverse("organizations:person_list"), {"q": "さとう"}).content.decode()
    assert "佐藤 陽子" in body


def test_it_filters_by_profession(staff_client, municipality, person):
    Person.objects.create(
        municipality=municipality,
        name="薬師 一郎",
        furigana="ヤクシ イチロウ",
        profession="pharmacist",
    )
    body = staff_client.get(
        reverse("organizations:person_list"), {"profession": "pharmacist"}
    ).content.decode()
    assert "薬師 一郎" in body and "佐藤 陽子" not in body


def test_it_allows_two_people_with_the_same_name(staff_client, person):
    response = staff_client.post(
        reverse("organizations:person_create"),
        person_data(name="佐藤 陽子", furigana="サトウ ヨウコ"),
    )
    assert response.status_code == 302
    assert Person.objects.filter(name="佐藤 陽子").count() == 2


def test_it_refuses_an_organisation_of_another_municipality(staff_client, other_rows):
    response = staff_client.post(
        reverse("organizations:person_create"),
        person_data(organization=other_rows["organization"].pk),
    )
    assert "正しく選択してください" in response.content.decode()
    assert not Person.objects.filter(name="鈴木 恵美").exists()


def test_it_shows_a_person(viewer_client, person):
    body = viewer_client.get(
        reverse("organizations:person_detail", args=[person.pk])
    ).content.decode()
    assert "介護支援専門員" in body and "ケアプランあさがお" in body
