"""Meeting counts by body and organiser: the stats page and the meeting_stats command."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tsunagu.meetings.choices import Status
from tsunagu.meetings.importing import import_meetings, parse_matrix, read_table
from tsunagu.meetings.models import Meeting
from tsunagu.meetings.presets import load_preset
from tsunagu.organizations.models import Center

SAMPLE = Path(__file__).resolve().parents[3] / "data" / "samples" / "matsudo_r3_schedule.csv"
# The sample's centers, with their meetings from 2021-06-01 to 2021-11-30.
JUNE_TO_NOVEMBER = {
    "明第1": 3,
    "明第2西": 3,
    "明第2東": 4,
    "本庁": 3,
    "矢切": 3,
    "東部": 4,
    "常盤平": 3,
    "常盤平団地": 6,
    "五香松飛台": 4,
    "六実六高台": 4,
    "小金": 4,
    "小金原": 4,
    "新松戸": 3,
    "馬橋西": 3,
    "馬橋": 3,
}


def period(municipality):
    return ["--municipality", municipality.code, "--from", "2021-06-01", "--to", "2021-11-30"]


@pytest.fixture
def sample(municipality, city_admin):
    load_preset(municipality=municipality, key="matsudo", by=city_admin)
    for name in JUNE_TO_NOVEMBER:
        Center.objects.create(municipality=municipality, name=f"{name}地域包括支援センター")
    table = read_table(SAMPLE.read_bytes(), SAMPLE.name)
    result = parse_matrix(table, municipality=municipality, fiscal_year=2021)
    assert result.ok, result.problems
    import_meetings(result, municipality=municipality, by=city_admin)


def run(*args):
    out = io.StringIO()
    call_command("meeting_stats", *args, stdout=out)
    return out.getvalue()


def test_it_counts_the_sample_by_body_and_center_as_json(sample, municipality):
    output = run(*period(municipality), "--format", "json")
    assert json.loads(output) == {
        "total": 54,
        "by_type": {
            "地域包括ケア推進会議": {"meetings": 17, "cases": 0},
            "地域個別ケア会議": {"meetings": 31, "cases": 0},
            "自立支援型個別ケア会議": {"meetings": 6, "cases": 0},
        },
        "by_center": {
            f"{name}地域包括支援センター": {"meetings": n, "cases": 0}
            for name, n in JUNE_TO_NOVEMBER.items()
        },
        "by_area": {},  # no meeting of the sample was held for one 圏域
    }


def test_it_leaves_cancelled_meetings_out_and_sums_cases(sample, municipality):
    Meeting.objects.filter(date="2021-07-27").update(status=Status.CANCELLED)
    Meeting.objects.filter(date="2021-09-28").update(cases_reviewed=3)
    stats = json.loads(
        run(
            "--municipality",
            municipality.code,
            "--from",
            "R3.6.1",
            "--to",
            "R3.11.30",
            "--format",
            "json",
        )
    )
    assert stats["total"] == 53
    assert stats["by_type"]["地域個別ケア会議"] == {"meetings": 30, "cases": 3}
    assert stats["by_center"]["明第1地域包括支援センター"] == {"meetings": 2, "cases": 3}


def test_it_writes_text_by_default(sample, municipality):
    output = run(*period(municipality))
    assert "全54回" in output
    assert "  地域個別ケア会議: 31回、0事例" in output
    assert "  常盤平団地地域包括支援センター: 6回、0事例" in output


def test_it_refuses_an_unknown_municipality(db):
    with pytest.raises(CommandError, match="市町村コード 999999 は登録されていません。"):
        run("--municipality", "999999", "--from", "2021-06-01", "--to", "2021-11-30")


@pytest.mark.parametrize(
    "start,end,message",
    [
        ("2021-02-30", "2021-11-30", "2021年2月30日は存在しない日付です。"),
        ("2021-06-01", "来週", "日付として読めません。"),
    ],
)
def test_it_refuses_a_date_it_cannot_read(municipality, start, end, message):
    with pytest.raises(CommandError, match=message):
        run("--municipality", municipality.code, "--from", start, "--to", end)


def test_it_refuses_a_reversed_period(municipality):
    with pytest.raises(CommandError, match="開始日が終了日より後になっています。"):
        run("--municipality", municipality.code, "--from", "2021-11-30", "--to", "2021-06-01")


def test_it_shows_the_stats_page_for_a_fiscal_year(city_client, sample):
    html = city_client.get(reverse("reports:meeting_stats"), {"fy": 2021}).content.decode()
    assert "全102回、0事例検討" in html
    assert "令和3年度" in html
    assert '<td>地域個別ケア会議</td><td class="num">61</td>' in html


def test_it_shows_the_stats_page_for_a_period(city_client, sample):
    response = city_client.get(
        reverse("reports:meeting_stats"), {"start": "R3.6.1", "end": "R3.11.30"}
    )
    html = response.content.decode()
    assert "全54回" in html
    assert '<td>地域包括ケア推進会議</td><td class="num">17</td>' in html
    assert '<td>常盤平団地地域包括支援センター</td><td class="num">6</td>' in html


def test_it_says_so_when_there_are_no_meetings(city_client, municipality):
    html = city_client.get(reverse("reports:meeting_stats"), {"fy": 2021}).content.decode()
    assert "全0回" in html
    assert "この期間の会議はありません。" in html
