"""The demo's resources, needs and activities: valid, idempotent, with gaps to show."""

from io import StringIO

from django.core.management import call_command

from tsunagu.organizations.models import Municipality
from tsunagu.resources.choices import ResourceKind
from tsunagu.resources.hsds import hsds_document
from tsunagu.resources.matching import gap_table
from tsunagu.resources.models import Activity, Need, Resource, ResourcePlace
from tsunagu.resources.tests.test_hsds import validate_document

MODELS = (Resource, ResourcePlace, Need, Activity)


def load():
    call_command("load_demo", stdout=StringIO())


def test_the_demo_has_resources_of_every_kind_needs_gaps_and_activities(db):
    load()
    matsukaze = Municipality.objects.get(code="129909")
    ogawadaira = Municipality.objects.get(code="139904")
    assert Resource.objects.count() >= 40
    assert set(Resource.objects.values_list("kind", flat=True)) == set(ResourceKind.values)
    assert Resource.objects.filter(municipality=ogawadaira).exists()
    gaps = {(g.area.name, g.kind) for g in gap_table(matsukaze).gaps()}
    assert {
        ("六実六高台", "transport"),
        ("常盤平団地", "shopping"),
        ("東部", "dementia_cafe"),
    } <= gaps
    assert ("南部", "housework") in {(g.area.name, g.kind) for g in gap_table(ogawadaira).gaps()}
    assert Need.objects.filter(case__isnull=False).exists()  # one heard at a case review
    assert Activity.objects.filter(municipality=matsukaze).count() >= 5
    assert any(r.is_stale for r in Resource.objects.all())  # flagged for re-confirmation


def test_loading_twice_changes_nothing(db):
    load()
    counts = [model.objects.count() for model in MODELS]
    uuids = set(ResourcePlace.objects.values_list("uuid", flat=True))
    load()
    assert [model.objects.count() for model in MODELS] == counts
    assert set(ResourcePlace.objects.values_list("uuid", flat=True)) == uuids


def test_every_demo_row_is_valid_and_the_export_validates(db):
    load()
    for model in MODELS:
        for row in model.objects.all():
            row.full_clean()
    for municipality in Municipality.objects.all():
        assert validate_document(hsds_document(municipality)) == []
