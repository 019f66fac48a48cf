from django.urls import reverse

from tsunagu.audit.models import AuditEntry
from tsunagu.organizations.models import Organization, Person


def test_it_filters_by_kind(staff_client, municipality, organization):
    Organization.objects.create(municipality=municipality, name="みなと薬局", kind="pharmacy")
    body = staff_client.get(
        reverse("organizations:organization_list"), {"kind": "pharmacy"}
    ).content.decode()
    assert "みなと薬局" in body and "ケアプランあさがお" not in body


def test_it_ignores_an_unknown_kind(staff_client, organization):
    response = staff_client.get(reverse("organizations:organization_list"), {"kind": "nonsense"})
    assert "ケアプランあさがお" in response.content.decode()


def test_it_edits_an_organisation(staff_client, organization):
    response = staff_client.post(
        reverse("organizations:organization_edit", args=[organization.pk]),
        {
            "name": "ケアプランあさがお本店",
            "kind": "home_care_support",
            "office_number": "1270000001",
        },
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.name == "ケアプランあさがお本店"
    assert AuditEntry.objects.filter(action="organization.updated").count() == 1


def test_it_deletes_an_organisation_after_confirmation(staff_client, organization, person):
    response = staff_client.post(
        reverse("organizations:organization_delete", args=[organization.pk])
    )
    assert response.status_code == 302
    assert not Organization.objects.filter(pk=organization.pk).exists()
    # People stay in the directory; they only lose the affiliation.
    assert Person.objects.get(pk=person.pk).organization is None
    entry = AuditEntry.objects.get(action="organization.deleted")
    assert entry.target_id == str(organization.pk) and entry.summary == "ケアプランあさがお"


def test_it_shows_an_organisations_people(staff_client, organization, person):
    body = staff_client.get(
        reverse("organizations:organization_detail", args=[organization.pk])
    ).content
    assert "佐藤 陽子" in body.decode()
