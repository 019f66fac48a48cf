"""Offering a masked version of free text before it is saved.

A form's text fields are checked for personal identifiers; when some are found, the page
shows what was found and the masked text, and the user saves either version on purpose.
"""

from dataclasses import dataclass

from .masking import KIND_LABELS, mask

CHOICE_FIELD = "masking_choice"
MASKED, AS_TYPED = "masked", "as_typed"


@dataclass
class FieldReview:
    name: str
    label: str
    masked: str
    findings: list

    @property
    def summary(self):
        return [(KIND_LABELS[f.kind], f.text, f.replacement) for f in self.findings]


def review(form, fields) -> list[FieldReview]:
    """The fields of a valid form in which identifiers were found, with their masked text."""
    reviews = []
    for name in fields:
        masked, findings = mask(form.cleaned_data.get(name) or "")
        if findings:
            reviews.append(FieldReview(name, form.fields[name].label, masked, findings))
    return reviews


def apply_choice(request, form, fields) -> list[FieldReview] | None:
    """None when the form may be saved now (applying the masked text if chosen); otherwise the
    reviews to show, and the form is not saved yet."""
    reviews = review(form, fields)
    choice = request.POST.get(CHOICE_FIELD)
    if not reviews or choice == AS_TYPED:
        return None
    if choice == MASKED:
        for item in reviews:
            form.cleaned_data[item.name] = item.masked
            if hasattr(form, "instance"):  # A ModelForm already copied the typed text.
                setattr(form.instance, item.name, item.masked)
        return None
    return reviews
