"""`{{ form.field|as_field }}`: a form field in Bootstrap 5's markup, written by Python.

The markup is crispy-forms' Bootstrap 5 field (`as_crispy_field`), which the pages used before and the browser and
accessibility tests check: a label tied to the input (a legend in a fieldset for radio buttons), the asterisk of a
required field, `is-invalid` and `aria-invalid` on an input with errors, the errors in an `invalid-feedback` block
whose id the input's `aria-describedby` names, and the help text likewise. Crispy renders it through a dozen nested
templates, a fifth of a wizard page's CPU time; this writes the same elements directly. Widgets it does not know
(file inputs, multi-widgets) still go through crispy. The tests compare both renderings after normalising the
whitespace (config/tests/test_form_fields.py).
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from config.form_renderer import flat_attrs

register = template.Library()

ASTERISK = '<span class="asteriskField">*</span>'


def _text(value) -> str:
    return conditional_escape(localize(value))


def _errors(field: BoundField) -> str:
    if not field.errors:
        return ""
    lines = "".join(
        f'<p id="error_{number}_{field.auto_id}"><strong>{conditional_escape(error)}</strong></p>'
        for number, error in enumerate(field.errors, start=1)
    )
    return f'<div id="{field.errors.field_id}_error" class="invalid-feedback">{lines}</div>'


def _help(field: BoundField) -> str:
    if not field.help_text:
        return ""
    # Help texts are the developers' own strings and may hold markup (crispy shows them with |safe).
    element_id = f'id="{field.auto_id}_helptext" ' if field.auto_id else ""
    return f'<div {element_id}class="form-text">{field.help_text}</div>'


def _wrapper_classes(field: BoundField, base: str) -> str:
    extra = field.css_classes()
    return f"{base} {extra}" if extra else base


def _widget(field: BoundField, bootstrap: str) -> str:
    # crispy's class: the widget's own classes, its class name in lower case, then Bootstrap's.
    widget = field.field.widget
    name = type(widget).__name__.lower()
    own = widget.attrs.get("class", "")
    css = (f"{own} {name}" if name not in own else own) if own else name
    css = f"{css} {bootstrap}{' is-invalid' if field.errors else ''}"
    return str(field.as_widget(attrs={"class": css}))


def _label(field: BoundField, element: str, css: str) -> str:
    required = field.field.required
    label_for = f' for="{field.id_for_label}"' if field.id_for_label else ""
    classes = f"{css}{' requiredField' if required else ''}{' fs-6' if element == 'legend' else ''}"
    return f'<{element}{label_for} class="{classes}">{_text(field.label)}{ASTERISK if required else ""}</{element}>'


def _choices(field: BoundField) -> str:
    """Radio buttons or checkboxes, each in a form-check, the errors after the last one (crispy's layout)."""
    id_ = field.field.widget.attrs.get("id") or field.auto_id
    attrs = field.build_widget_attrs({"id": id_} if id_ else {})
    groups = field.field.widget.optgroups(field.html_name, field.field.widget.format_value(field.value()), attrs)
    invalid = " is-invalid" if field.errors else ""
    parts = ["<div>"]
    for group_number, (group, options, _index) in enumerate(groups, start=1):
        if group:
            parts.append(f"<strong>{_text(group)}</strong>")
        for number, option in enumerate(options, start=1):
            value = conditional_escape(option["value"])
            parts.append(
                f'<div class="form-check"><input type="{option["type"]}" class="form-check-input{invalid}" '
                f'name="{field.html_name}" value="{value}"{flat_attrs(option["attrs"])}>'
                f'<label for="{option["attrs"].get("id", "")}" class="form-check-label">'
                f"{_text(option['label'])}</label>"
            )
            if field.errors and number == len(options) and group_number == len(groups):
                parts.append(_errors(field))
            parts.append("</div>")
    parts.append("</div>")
    return "".join(parts) + _help(field)


# Every value put into the markup below is escaped on the way in (labels, errors, option labels and values, widget
# attributes); names and ids are the form's own. Help texts are shown as given, as crispy and Django do.
@register.filter
def as_field(field: BoundField) -> SafeString:
    widget = field.field.widget
    if isinstance(widget, forms.FileInput | forms.MultiWidget) or getattr(field.form, "helper", None) is not None:
        return as_crispy_field(field)
    if field.is_hidden:
        return mark_safe(  # noqa: S308
            str(field)
        )
    wrapper_id = f"div_{field.auto_id}"
    if isinstance(widget, forms.CheckboxInput):
        return mark_safe(  # noqa: S308
            f'<div class="mb-3"><div id="{wrapper_id}" class="{_wrapper_classes(field, "form-check")}">'
            f"{_widget(field, 'form-check-input')}{_label(field, 'label', 'form-check-label')}"
            f"{_errors(field)}{_help(field)}</div></div>"
        )
    if isinstance(widget, forms.RadioSelect):  # and CheckboxSelectMultiple
        label = ""
        if field.label:
            described = field.aria_describedby
            described = f' aria-describedby="{described}"' if described else ""
            label = f"<fieldset{described}>{_label(field, 'legend', 'form-label')}"
        return mark_safe(  # noqa: S308
            f'<div id="{wrapper_id}" class="{_wrapper_classes(field, "mb-3")}">{label}{_choices(field)}'
            f"{'</fieldset>' if field.label else ''}</div>"
        )
    bootstrap = "form-select" if isinstance(widget, forms.Select) else "form-control"
    label = _label(field, "label", "form-label") if field.label else ""
    return mark_safe(  # noqa: S308
        f'<div id="{wrapper_id}" class="{_wrapper_classes(field, "mb-3")}">{label}'
        f"{_widget(field, bootstrap)}{_errors(field)}{_help(field)}</div>"
    )
