import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from tsunagu.lib.fields import WarekiDateField
from tsunagu.lib.jtext import is_kana_reading, normalize, to_katakana


def test_it_normalises_what_staff_type():
    assert normalize("  明第１　 地区 ") == "明第1 地区"
    assert to_katakana("さとう　ようこ") == "サトウ ヨウコ"
    assert to_katakana("ｻﾄｳ") == "サトウ"
    assert is_kana_reading("サトウ ヨウコ") and not is_kana_reading("佐藤")


def test_the_date_field_reads_wareki_and_explains_errors():
    field = WarekiDateField()
    assert field.clean("令3.6.1") == datetime.date(2021, 6, 1)
    with pytest.raises(Exception) as error:
        field.clean("来週")
    assert "日付として読めません" in str(error.value)


def test_the_date_widget_shows_wareki():
    assert 'value="令和3年6月1日"' in WarekiDateField().widget.render(
        "d", datetime.date(2021, 6, 1)
    )


def test_the_template_filters_format_dates_and_fiscal_years():
    template = Template(
        "{{ d|wareki }} {{ d|wareki_short }} {{ fy|fiscal_year_label }} {{ none|wareki }}"
    )
    text = template.render(Context({"d": datetime.date(2019, 5, 1), "fy": 2021, "none": None}))
    assert text.strip() == "令和元年5月1日 R1.5.1 令和3年度"


def test_a_january_date_belongs_to_the_previous_fiscal_year():
    text = Template("{{ d|fiscal_year_of }}").render(Context({"d": datetime.date(2022, 1, 15)}))
    assert text == "令和3年度"


def test_query_with_keeps_filters_across_pages():
    request = RequestFactory().get("/people/", {"q": "佐藤", "page": "1"})
    text = Template("{% query_with page=2 %}").render(Context({"request": request}))
    assert "page=2" in text and "q=%E4%BD%90%E8%97%A4" in text
