"""Each row of the 課題整理総括表 offers only the scale that fits it, with room to write the
要因 and 備考 (issue 16)."""

from django.urls import reverse

from tsunagu.cases.choices import AssessmentItem
from tsunagu.cases.forms import AssessmentFormSet, assessment_initial
from tsunagu.cases.models import Case


def _row(formset, item):
    return next(form for form in formset if form.initial["item"] == item)


def test_each_row_offers_only_its_own_scale():
    formset = AssessmentFormSet(initial=assessment_initial(Case()), prefix="assessment")
    mobility = dict(_row(formset, AssessmentItem.INDOOR_MOBILITY).fields["current"].choices)
    cognition = dict(_row(formset, AssessmentItem.COGNITION).fields["current"].choices)
    assert set(mobility) == {"", "independent", "watch", "partial", "full"}
    assert set(cognition) == {"", "no_problem", "problem"}


def test_a_value_from_the_other_scale_is_refused():
    data = {
        "assessment-TOTAL_FORMS": "1",
        "assessment-INITIAL_FORMS": "0",
        "assessment-0-item": AssessmentItem.COGNITION,
        "assessment-0-current": "full",
    }
    formset = AssessmentFormSet(data, prefix="assessment")
    assert not formset.is_valid()


def test_the_case_form_writes_factors_and_notes_in_text_areas(staff_client):
    page = staff_client.get(reverse("cases:case_create")).content.decode()
    assert 'name="assessment-0-factors"' in page
    factors = page[page.index('name="assessment-0-factors"') - 120 :]
    assert "<textarea" in factors[:200]
    assert "---------" not in page
