from django.core.exceptions import ValidationError

from tsunagu.lib.jtext import is_kana_reading, to_katakana

WEIGHTS = (6, 5, 4, 3, 2)


def municipality_check_digit(first_five: str) -> int:
    """The check digit of a 全国地方公共団体コード: 11 minus the weighted sum mod 11, last digit."""
    total = sum(int(digit) * weight for digit, weight in zip(first_five, WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def validate_municipality_code(value: str) -> None:
    if len(value) != 6 or not value.isascii() or not value.isdigit():
        raise ValidationError(
            "全国地方公共団体コードは6桁の数字で入力してください。", code="format"
        )
    if not 1 <= int(value[:2]) <= 47:
        raise ValidationError("上2桁は都道府県コード（01〜47）です。", code="prefecture")
    expected = municipality_check_digit(value[:5])
    if int(value[5]) != expected:
        raise ValidationError(
            "検査数字（6桁目）が合いません。%(first)s に続く検査数字は %(digit)s です。",
            code="check_digit",
            params={"first": value[:5], "digit": expected},
        )


def validate_furigana(value: str) -> None:
    if value and not is_kana_reading(to_katakana(value)):
        raise ValidationError("ふりがなはひらがなかカタカナで入力してください。", code="kana")
