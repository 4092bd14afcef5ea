"""`|as_field` writes crispy-forms' Bootstrap 5 field markup: the same elements, attributes and texts."""

from html.parser import HTMLParser

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms

from accounts import forms as account_forms
from billing import forms as billing_forms
from config.form_fields import as_field
from onboarding import forms as onboarding_forms
from privacy import forms as privacy_forms


class _Canonical(HTMLParser):
    """Elements with their attributes in order of name, and the non-blank texts: what a browser and a screen reader
    get, whatever the whitespace between tags."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []

    def handle_starttag(self, tag, attrs):
        self.out.append(("<", tag, tuple(sorted(attrs, key=lambda pair: (pair[0], pair[1] or "")))))

    def handle_endtag(self, tag):
        self.out.append((">", tag))

    def handle_data(self, data):
        if data.strip():
            self.out.append(("text", " ".join(data.split())))


def canonical(html: str) -> list:
    parser = _Canonical()
    parser.feed(str(html))
    return parser.out


class EveryKind(forms.Form):
    text = forms.CharField(
        help_text="Yardım <em>metni</em>", max_length=20, widget=forms.TextInput({"inputmode": "numeric"})
    )
    optional = forms.CharField(required=False, label="İsteğe bağlı & <seçimlik>")
    email = forms.EmailField()
    number = forms.IntegerField(min_value=1)
    area = forms.CharField(widget=forms.Textarea({"rows": 3}))
    choice = forms.ChoiceField(choices=[("", "İl seçin"), ("34", "İstanbul"), ("06", "Ankara")])
    radio = forms.ChoiceField(choices=[("yes", "Evet"), ("no", "Hayır")], widget=forms.RadioSelect, help_text="Seçin")
    styled = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    boxes = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple)
    agree = forms.BooleanField(help_text="Okudum")
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    date = forms.DateField(widget=forms.DateInput({"type": "date"}))


def _forms():
    yield EveryKind, {}
    for module in (onboarding_forms, account_forms, billing_forms, privacy_forms):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.Form) and value.__module__ == module.__name__:
                yield value, {}


def _instances(form_class):
    """Unbound, bound with nothing (every required field in error) and bound with some values."""
    data = {"text": "1", "radio": "no", "boxes": ["b"], "agree": "on", "choice": "34", "email": "yanlış"}
    for bound in (None, {}, data):
        try:
            yield form_class(bound) if bound is not None else form_class()
        except TypeError:
            return  # a form that needs arguments of its own (the page builds it)


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", [form_class for form_class, _ in _forms()], ids=lambda c: c.__name__)
def test_as_field_is_crispys_markup(form_class):
    checked = 0
    for form in _instances(form_class):
        if form.is_bound:
            form.is_valid()
        for field in form:
            assert canonical(as_field(field)) == canonical(as_crispy_field(field)), field.name
            checked += 1
    if form_class is EveryKind:
        assert checked == 3 * len(EveryKind.base_fields)
