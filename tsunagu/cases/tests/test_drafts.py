"""A draft case can be deleted; a reused 管理番号 is pointed out (issue 16)."""

from django.urls import reverse

from tsunagu.audit.models import AuditEntry
from tsunagu.cases.models import Case


def _case(municipality, center, code, **fields):
    return Case.objects.create(
        municipality=municipality,
        code=code,
        center=center,
        case_type="independence",
        age_band="80",
        sex="female",
        care_level="care_1",
        household="alone",
        **fields,
    )


def test_it_deletes_a_draft_and_logs_it(staff_client, municipality, center):
    draft = _case(municipality, center, "D-1")
    page = staff_client.get(reverse("cases:case_detail", args=[draft.pk])).content.decode()
    assert reverse("cases:case_delete", args=[draft.pk]) in page
    response = staff_client.post(reverse("cases:case_delete", args=[draft.pk]))
    assert response.status_code == 302 and response.url == reverse("cases:case_list")
    assert not Case.objects.filter(pk=draft.pk).exists()
    assert AuditEntry.objects.filter(action="case.deleted", summary="事例 D-1").exists()


def test_it_keeps_a_submitted_case(staff_client, municipality, center):
    submitted = _case(municipality, center, "D-2", status="submitted")
    page = staff_client.get(reverse("cases:case_detail", args=[submitted.pk])).content.decode()
    assert reverse("cases:case_delete", args=[submitted.pk]) not in page
    response = staff_client.post(reverse("cases:case_delete", args=[submitted.pk]), follow=True)
    assert "下書きの事例だけです" in response.content.decode()
    assert Case.objects.filter(pk=submitted.pk).exists()


def test_it_points_out_a_reused_reference(staff_client, municipality, center):
    _case(municipality, center, "D-3", center_reference="A-0012")
    response = staff_client.post(
        reverse("cases:case_create"),
        {
            "center": center.pk,
            "center_reference": "A-0012",
            "case_type": "independence",
            "age_band": "80",
            "sex": "female",
            "care_level": "care_1",
            "household": "alone",
            "version": 1,
            "services-TOTAL_FORMS": "0",
            "services-INITIAL_FORMS": "0",
            "assessment-TOTAL_FORMS": "0",
            "assessment-INITIAL_FORMS": "0",
        },
        follow=True,
    )
    assert "管理番号「A-0012」はD-3でも使われています" in response.content.decode()
