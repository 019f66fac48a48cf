import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tsunagu.organizations.models import Area, Center, Municipality
from tsunagu.organizations.validators import municipality_check_digit, validate_municipality_code


@pytest.mark.parametrize("code", ["122076", "132110", "011002", "131016", "472018"])
def test_it_accepts_real_municipality_codes(code):
    validate_municipality_code(code)


@pytest.mark.parametrize(
    "code,message",
    [
        ("122075", "検査数字"),
        ("12207", "6桁"),
        ("１２２０７６", "6桁"),
        ("992070", "都道府県コード"),
        ("12207a", "6桁"),
    ],
)
def test_it_explains_a_wrong_municipality_code(code, message):
    with pytest.raises(ValidationError) as error:
        validate_municipality_code(code)
    assert message in str(error.value)


def test_it_computes_check_digits_for_remainders_zero_and_one():
    # 01003 weighs 5+6 = 11 (remainder 0, so 11 → 1); 01009 weighs 5+18 = 23 (remainder 1,
    # so 10 → 0).
    assert municipality_check_digit("01003") == 1
    assert municipality_check_digit("01009") == 0
    assert all(0 <= municipality_check_digit(f"{n:05d}") <= 9 for n in range(0, 99999, 997))


def test_it_requires_the_code_to_match_the_prefecture(db):
    municipality = Municipality(code="122076", name="松戸市", prefecture="13")
    with pytest.raises(ValidationError) as error:
        municipality.full_clean()
    assert "上2桁が東京都のコードと一致しません" in str(error.value)


def test_the_database_refuses_a_second_core_center(municipality):
    Center.objects.create(municipality=municipality, name="基幹型", is_core=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Center.objects.create(municipality=municipality, name="もう一つの基幹型", is_core=True)


def test_the_database_refuses_duplicate_area_names(municipality):
    Area.objects.create(municipality=municipality, name="小金")
    with pytest.raises(IntegrityError), transaction.atomic():
        Area.objects.create(municipality=municipality, name="小金")


def test_it_refuses_an_area_of_another_municipality_for_a_center(municipality, other_area):
    center = Center(municipality=municipality, name="x", area=other_area)
    with pytest.raises(ValidationError):
        center.full_clean()


def test_every_tenant_row_refuses_links_into_another_municipality(municipality, center, other_rows):
    from tsunagu.meetings.models import Meeting, MeetingType

    body = MeetingType.objects.create(
        municipality=municipality,
        name="個別",
        category="individual",
        level="center",
        host="each_center",
    )
    meeting = Meeting(
        municipality=municipality, meeting_type=body, center=other_rows["center"], date="2026-12-01"
    )
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "他の市町村の主催センターは選べません" in str(error.value)
