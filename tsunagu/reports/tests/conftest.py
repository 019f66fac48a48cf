"""What the report tests share: the sample 令和3年度 schedule of a real city, imported."""

from pathlib import Path

import pytest

from tsunagu.meetings.importing import import_meetings, parse_matrix, read_table
from tsunagu.meetings.models import MeetingType
from tsunagu.meetings.presets import load_preset
from tsunagu.organizations.models import Center

SAMPLE = Path(__file__).resolve().parents[3] / "data" / "samples" / "matsudo_r3_schedule.csv"
SAMPLE_CENTERS = (
    "明第1 明第2西 明第2東 本庁 矢切 東部 常盤平 常盤平団地 "
    "五香松飛台 六実六高台 小金 小金原 新松戸 馬橋西 馬橋"
)


@pytest.fixture
def sample(municipality, city_admin):
    """The sample 令和3年度 schedule, imported: 102 meetings, all held."""
    load_preset(municipality=municipality, key="matsudo", by=city_admin)
    for name in SAMPLE_CENTERS.split():
        Center.objects.create(municipality=municipality, name=f"{name}地域包括支援センター")
    table = read_table(SAMPLE.read_bytes(), SAMPLE.name)
    result = parse_matrix(table, municipality=municipality, fiscal_year=2021)
    assert result.ok, result.problems
    import_meetings(result, municipality=municipality, by=city_admin)
    return {
        "center": Center.objects.get(name="明第1地域包括支援センター"),
        "types": {t.name: t for t in MeetingType.objects.filter(municipality=municipality)},
    }
