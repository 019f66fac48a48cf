"""The case page leads to the resources that fit the case (matching from a case)."""

from tsunagu.tests.url_names import reverse


def test_the_case_page_links_to_the_resources_for_the_case(staff_client, case):
    page = staff_client.get(reverse("cases:case_detail", args=[case.pk]))
    assert page.status_code == 200
    link = reverse("resources:match_case", args=[case.pk])
    assert f'href="{link}">この事例に合う社会資源を探す</a>' in page.content.decode()
    # And the page it leads to answers for the same member.
    assert staff_client.get(link).status_code == 200
