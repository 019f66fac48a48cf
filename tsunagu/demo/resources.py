"""Social resources, needs and coordinator activities for the demo.

The resources are each city's directory export (data/demo/*_resources.csv), loaded by the
resource importer as a municipality would load its own; needs and activities
(data/demo/resources.json) are saved through the resource services. Every group, place,
address and phone number is invented; phone numbers use the unassigned 000 exchange. Needs are
placed so that the gap table shows real gaps: 松風市 has no 移動支援 in 六実六高台, no 買い物支援
in 常盤平団地, no 認知症カフェ in 東部, and 馬橋西's only salon is paused; 小川平市 has no 家事支援
in 南部 (among others). Other needs are met by resources that exist, so matching has something
to show. Each kind of row is loaded once per city: loading twice changes nothing.
"""

from django.utils import timezone

from tsunagu.cases.models import Case
from tsunagu.lib.jtext import normalize
from tsunagu.organizations.choices import Profession
from tsunagu.organizations.models import Area, Municipality, Person
from tsunagu.resources.models import Activity, Need, Resource
from tsunagu.resources.services import save_activity, save_need

from .files import WRITTEN_ON, data_path, days_ago, read_json
from .importers import import_resources

# The case a need was heard at (a need's "case": "demo"): the demo's first case of 明第1.
DEMO_CASE_CENTER = "明第1地域包括支援センター"


def load_needs(municipality, areas, rows, today):
    demo_case = (
        Case.objects.filter(municipality=municipality, center__name=DEMO_CASE_CENTER)
        .order_by("code")
        .first()
    )
    for row in rows:
        case = demo_case if row.get("case") == "demo" else None
        # A need heard at a case review, in a city without the demo case: heard at the desk.
        source = "consultation" if row.get("case") and case is None else row["source"]
        need = Need(
            municipality=municipality,
            area=areas[row["area"]],
            kind=row["kind"],
            note=row["note"],
            people=row["people"],
            source=source,
            weekdays=sum(1 << day for day in row["weekdays"]),
            recorded_on=days_ago(row["days_ago"], today),
            status=row["status"],
            case=case,
        )
        save_need(need=need, by=None)


def load_activities(municipality, areas, rows, today):
    coordinators = {}
    for person in Person.objects.filter(
        municipality=municipality,
        profession__in=[Profession.COORDINATOR_1, Profession.COORDINATOR_2],
    ).order_by("id"):
        coordinators.setdefault(person.profession, person)
    for row in rows:
        activity = Activity(
            municipality=municipality,
            coordinator=coordinators[row["coordinator"]],
            area=areas[row["area"]] if row["area"] else None,
            kind=row["kind"],
            title=normalize(row["title"]),
            note=row["note"],
            date=days_ago(row["days_ago"], today),
        )
        save_activity(activity=activity, by=None)


def load_resources():
    today = timezone.localdate()
    for city in read_json("resources.json")["municipalities"]:
        municipality = Municipality.objects.get(code=city["code"])
        areas = {a.name: a for a in Area.objects.filter(municipality=municipality)}
        if not Resource.objects.filter(municipality=municipality).exists():
            import_resources(
                data_path(city["resources"]),
                municipality=municipality,
                by=None,
                moved_by=today - WRITTEN_ON,
            )
        if not Need.objects.filter(municipality=municipality).exists():
            load_needs(municipality, areas, city["needs"], today)
        if not Activity.objects.filter(municipality=municipality).exists():
            load_activities(municipality, areas, city["activities"], today)
