"""Fingerprints of what a page saw, and refusing a save when the record changed since."""

import datetime
import hashlib
import json

import pytest
from django import forms
from django.template import Context, Template

from tsunagu.lib import concurrency
from tsunagu.organizations.models import Area, Center

FIELDS = ["name", "area", "opened_on", "phone"]


def test_a_digest_is_sha256_of_the_json_of_the_value():
    expected = hashlib.sha256(json.dumps("会議室", ensure_ascii=False).encode()).hexdigest()
    assert concurrency.digest("会議室") == expected[: concurrency.DIGEST_LENGTH]


def test_values_of_every_kind_have_distinct_stable_digests():
    values = ["", None, 0, "0", datetime.date(2026, 4, 1), datetime.time(13, 30), "改善"]
    digests = [concurrency.digest(value) for value in values]
    assert len(set(digests)) == len(values)
    assert digests == [concurrency.digest(value) for value in values]


def test_the_fingerprint_does_not_depend_on_the_order_of_the_fields():
    assert concurrency.fingerprint({"a": 1, "b": "x"}) == concurrency.fingerprint(
        {"b": "x", "a": 1}
    )


def test_it_names_the_fields_that_changed_in_the_order_given():
    seen = concurrency.fingerprint({"minutes": "前半", "decisions": "", "venue": "第1会議室"})
    now = {"venue": "第2会議室", "minutes": "前半", "decisions": "見守りを続ける"}
    assert concurrency.changed_fields(seen, now) == ["venue", "decisions"]
    assert concurrency.changed_fields(seen, {"minutes": "前半", "decisions": ""}) == []


def test_a_field_the_fingerprint_does_not_cover_counts_as_changed():
    seen = concurrency.fingerprint({"minutes": "前半"})
    assert concurrency.changed_fields(seen, {"minutes": "前半", "decisions": ""}) == ["decisions"]
    assert concurrency.changed_fields("not a fingerprint", {"minutes": "前半"}) == ["minutes"]
    assert concurrency.parse("a:short,:0123456789abcdef,") == {}


def test_the_message_names_the_fields():
    assert concurrency.conflict_message(["議事録", "決定事項"]) == (
        "他の人が先に保存したため、保存しませんでした。変更された項目: 議事録、決定事項。"
        "内容を確かめてから、もう一度保存してください。"
    )


@pytest.fixture
def center(municipality):
    area = Area.objects.create(municipality=municipality, name="明第1")
    return Center.objects.create(
        municipality=municipality,
        name="明第1センター",
        area=area,
        opened_on=datetime.date(2020, 4, 1),
    )


def test_a_row_is_fingerprinted_by_its_values_a_foreign_key_by_its_id(
    center, django_assert_num_queries
):
    center = Center.objects.get(pk=center.pk)
    with django_assert_num_queries(0):
        values = concurrency.values_of(center, FIELDS)
    assert values == {
        "name": "明第1センター",
        "area": center.area_id,
        "opened_on": datetime.date(2020, 4, 1),
        "phone": "",
    }
    assert concurrency.fingerprint_of(center, FIELDS) == concurrency.fingerprint(values)


def test_it_refuses_when_the_row_changed_and_says_what_changed(center):
    seen = concurrency.fingerprint_of(center, FIELDS)
    Center.objects.filter(pk=center.pk).update(phone="0120-000-000", name="明第一センター")
    current = Center.objects.get(pk=center.pk)
    with pytest.raises(concurrency.SavedMeanwhile) as refused:
        concurrency.refuse_if_changed(current, FIELDS, seen)
    assert refused.value.changed == ["センター名", "電話番号"]
    assert "変更された項目: センター名、電話番号。" in refused.value.messages[0]
    assert refused.value.fingerprint == concurrency.fingerprint_of(current, FIELDS)


def test_it_lets_the_save_through_when_nothing_changed_or_nothing_was_seen(center):
    seen = concurrency.fingerprint_of(center, FIELDS)
    Center.objects.filter(pk=center.pk).update(operator="社会福祉法人")  # not a field of the page
    current = Center.objects.get(pk=center.pk)
    concurrency.refuse_if_changed(current, FIELDS, seen)
    Center.objects.filter(pk=center.pk).update(name="別の名前")
    current = Center.objects.get(pk=center.pk)
    concurrency.refuse_if_changed(current, FIELDS, None)
    concurrency.refuse_if_changed(current, FIELDS, "")


def test_stamp_gives_each_row_its_fingerprint(center):
    rows = concurrency.stamp(Center.objects.all(), ["phone"])
    assert [row.fingerprint for row in rows] == [concurrency.fingerprint({"phone": ""})]


class CenterForm(concurrency.FingerprintMixin, forms.ModelForm):
    fingerprint_fields = ["name", "phone"]

    class Meta:
        model = Center
        fields = ["name", "phone"]


class NoteForm(concurrency.FingerprintMixin, forms.Form):
    fingerprint_fields = ["phone"]
    phone = forms.CharField()


def test_a_form_carries_the_fingerprint_of_what_it_shows(center):
    form = CenterForm(instance=center)
    seen = concurrency.fingerprint_of(center, ["name", "phone"])
    assert f'type="hidden" name="fingerprint" value="{seen}"' in str(form)
    # A plain form takes the record it edits.
    assert NoteForm(record=center)["fingerprint"].value() == concurrency.fingerprint_of(
        center, ["phone"]
    )
    # A new record has nothing to compare with.
    assert CenterForm(instance=Center())["fingerprint"].value() is None


def test_a_form_without_a_fingerprint_checks_nothing(center):
    form = CenterForm({"name": "明第1センター", "phone": ""}, instance=center)
    assert form.is_valid() and form.seen_fingerprint is None


def test_a_refused_form_keeps_the_typed_text_and_offers_to_save_again(center):
    seen = concurrency.fingerprint_of(center, ["name", "phone"])
    form = CenterForm({"name": "打ち込んだ名前", "phone": "", "fingerprint": seen}, instance=center)
    assert form.is_valid() and form.seen_fingerprint == seen
    Center.objects.filter(pk=center.pk).update(name="他の人の名前")
    try:
        concurrency.refuse_if_changed(
            Center.objects.get(pk=center.pk), form.fingerprint_fields, form.seen_fingerprint
        )
    except concurrency.SavedMeanwhile as error:
        concurrency.add_refusal(form, error)
    # The page shows the form's own errors once, above the fields (includes/form_errors.html,
    # issue 16), so the refusal is looked for in the form as a page renders it.
    html = Template('{% include "includes/form_errors.html" %}{{ form }}').render(
        Context({"form": form})
    )
    assert "変更された項目: センター名。" in html
    assert "入力内容に誤りがあります" not in html  # an edit conflict is not an input mistake
    assert 'value="打ち込んだ名前"' in html
    now = concurrency.fingerprint_of(Center.objects.get(pk=center.pk), ["name", "phone"])
    assert now != seen and f'name="fingerprint" value="{now}"' in html


def test_a_refused_delete_shows_the_row_as_it_now_stands(center):
    """A delete carries only the fingerprint; the row is shown again unbound, with the
    refusal and the current fingerprint, so deleting again is a choice made knowingly."""
    seen = concurrency.fingerprint_of(center, ["name", "phone"])
    Center.objects.filter(pk=center.pk).update(name="他の人の名前")
    current = Center.objects.get(pk=center.pk)
    form = CenterForm(instance=current)
    try:
        concurrency.refuse_if_changed(current, form.fingerprint_fields, seen)
    except concurrency.SavedMeanwhile as error:
        concurrency.add_refusal(form, error)
    html = Template('{% include "includes/form_errors.html" %}{{ form }}').render(
        Context({"form": form})
    )
    assert "変更された項目: センター名。" in html and 'value="他の人の名前"' in html
    now = concurrency.fingerprint_of(current, ["name", "phone"])
    assert f'name="fingerprint" value="{now}"' in html
