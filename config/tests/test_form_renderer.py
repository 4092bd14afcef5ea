"""The Python-written widgets are the stock templates' markup, byte for byte (config/form_renderer.py)."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from config.form_renderer import PYTHON_WIDGETS, FastWidgetRenderer

CHOICES = [("", "Seçin"), ("01", "Adana"), ("34", "İstanbul & <Çevresi>"), (7, 1234567)]
GROUPED = [("Marmara", [("34", "İstanbul"), ("16", "Bursa")]), ("Ege", [("35", "İzmir")]), ("x", "Tek")]


class EveryWidget(forms.Form):
    text = forms.CharField(help_text="Yardım", max_length=20, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    email = forms.EmailField(required=False)
    number = forms.IntegerField(min_value=1)
    password = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput)
    url = forms.URLField()
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    check = forms.BooleanField(required=False)
    area = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "data-x": mark_safe("a&amp;b")}))
    select = forms.ChoiceField(choices=CHOICES)
    grouped = forms.ChoiceField(choices=GROUPED)
    multiple = forms.MultipleChoiceField(choices=CHOICES[1:], widget=forms.SelectMultiple)
    radio = forms.ChoiceField(choices=CHOICES[1:], widget=forms.RadioSelect)
    radio_grouped = forms.ChoiceField(choices=GROUPED, widget=forms.RadioSelect(attrs={"class": "list"}))
    boxes = forms.MultipleChoiceField(choices=CHOICES[1:], widget=forms.CheckboxSelectMultiple)
    file = forms.FileField(required=False)


DATA = [
    {},
    {
        "text": 'O"Neil <b>&',
        "email": "a@b.test",
        "number": "12",
        "password": "gizli",
        "hidden": "h",
        "url": "https://örnek.test/?a=1&b=2",
        "date": "2026-12-04",
        "check": "on",
        "area": "satır 1\nsatır <2> & İğdır",
        "select": "34",
        "grouped": "16",
        "multiple": ["01", "34"],
        "radio": "7",
        "radio_grouped": "35",
        "boxes": ["34", "7"],
    },
]


@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("bound", [True, False])
def test_every_stock_widget_renders_as_its_template(data, bound):
    initial = {"date": datetime.date(2026, 1, 2), "number": 1500, "area": "ilk"}
    fast = EveryWidget(data if bound else None, initial=initial, renderer=FastWidgetRenderer())
    slow = EveryWidget(data if bound else None, initial=initial, renderer=DjangoTemplates())
    if bound:
        fast.is_valid()
        slow.is_valid()
    for name in fast.fields:
        assert str(fast[name]) == str(slow[name]), name
    # And the whole form through its own template (which renders each widget through the renderer).
    assert str(fast) == str(slow)


def test_every_python_widget_is_a_stock_template():
    """Each template written in Python exists in Django's form templates (a rename there must not go unnoticed)."""
    renderer = DjangoTemplates()
    for name in PYTHON_WIDGETS:
        renderer.get_template(name)


def test_other_templates_go_through_the_engine():
    class Custom(forms.TextInput):
        template_name = "django/forms/widgets/clearable_file_input.html"

    widget = forms.ClearableFileInput()
    assert widget.render("f", None, renderer=FastWidgetRenderer()) == widget.render(
        "f", None, renderer=DjangoTemplates()
    )
