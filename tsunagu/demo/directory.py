"""Two fictional municipalities with the shapes of the seeds' real ones (data/demo/directory.json).

松風市 has the 15 daily-life areas of seed 002 (Matsudo's design) and a city-run 基幹型 center;
小川平市 has five areas, one center of which is 基幹型 (seed 001, Kodaira's design). Every
person, phone number and address is invented; phone numbers use the unassigned 000 exchange.
Rows are saved through the directory's service, in the file's order (the first person of a
profession is the one the demo's logins and meetings use).
"""

from tsunagu.organizations.models import Area, Center, Municipality, Organization, Person
from tsunagu.organizations.services import save_entry

from .files import read_json


def _city(code: str) -> dict:
    return next(c for c in read_json("directory.json")["municipalities"] if c["code"] == code)


MATSUKAZE_AREAS = [area["name"] for area in _city("129909")["areas"]]


def _municipality(city: dict) -> Municipality:
    """Municipalities are set up by the system administrator; there is no service for them."""
    municipality = Municipality(code=city["code"], name=city["name"], prefecture=city["prefecture"])
    municipality.full_clean()
    municipality.save()
    return municipality


def load_city(city: dict) -> Municipality:
    municipality = _municipality(city)

    def save(model, **fields):
        return save_entry(row=model(municipality=municipality, **fields), by=None)

    areas = {
        row["name"]: save(Area, sort_order=order, **row)
        for order, row in enumerate(city["areas"], start=1)
    }
    centers = {
        row["name"]: save(Center, **{**row, "area": areas.get(row["area"])})
        for row in city["centers"]
    }
    organizations = {
        row["name"]: save(Organization, **{**row, "area": areas[row["area"]]})
        for row in city["organizations"]
    }
    for row in city["people"]:
        place = {
            "center": centers.get(row.get("center")),
            "organization": organizations.get(row.get("organization")),
        }
        save(Person, **{**row, **place})
    return municipality


def load_directory():
    """Each city once: a city already there is left as it is."""
    for city in read_json("directory.json")["municipalities"]:
        if not Municipality.objects.filter(code=city["code"]).exists():
            load_city(city)
