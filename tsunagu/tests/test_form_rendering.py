"""Forms as staff read them: no Django "---------", no stray ":" after a label, and an edit
conflict is not called an input mistake (issue 16)."""

from django import forms
from django.template import Context, Template

from tsunagu.accounts.models import Role


class _Sample(forms.Form):
    agree = forms.BooleanField(label="同意します。")
    role = forms.ChoiceField(label="役割", choices=[("", "---------"), *Role.choices])
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)


def test_it_writes_labels_without_a_colon():
    html = str(_Sample())
    assert "同意します。</label>" in html and "同意します。:" not in html


def test_it_never_shows_the_dashes_in_a_select():
    html = str(_Sample())
    assert "---------" not in html and '<option value="" selected>選択してください</option>' in html


def _errors(form) -> str:
    return Template('{% include "includes/form_errors.html" %}{{ form }}').render(
        Context({"form": form})
    )


def test_it_says_a_form_wide_error_once_without_calling_it_an_input_mistake():
    form = _Sample(data={"agree": "on", "role": "viewer"})
    form.is_valid()
    form.add_error(None, "ほかの人が先に保存しました。")
    html = _errors(form)
    assert html.count("ほかの人が先に保存しました。") == 1
    assert "入力内容に誤りがあります" not in html


def test_it_asks_to_check_the_fields_when_a_field_is_wrong():
    form = _Sample(data={})
    form.is_valid()
    html = _errors(form)
    assert "入力内容に誤りがあります" in html
    assert html.count("このフィールドは必須です。") == 2
