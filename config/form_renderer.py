"""Django's standard widgets rendered by Python code, byte for byte as their templates render them.

A form's widgets are rendered through templates: an 81-province select is 82 template includes, each including the
attributes template, and that one field cost more CPU than the rest of the wizard page. This renderer writes the
markup of the stock widget templates (`django/forms/widgets/…`) directly; any other template — a widget of our own,
the admin's, a project override — goes through the template engine as before. The output is the same: the tests
render every widget kind both ways and compare the strings (config/tests/test_form_renderer.py).
"""

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape

_W = "django/forms/widgets/"


def _value(value) -> str:
    # `{{ value|stringformat:'s' }}`: the value as a string, escaped unless it is already safe.
    return conditional_escape(value if hasattr(value, "__html__") else f"{value}")


def _text(value) -> str:
    # `{{ value }}`: localized (a number or a date as the language writes it), escaped unless already safe.
    return conditional_escape(localize(value))


def flat_attrs(attrs: dict) -> str:
    # attrs.html: a True value is a bare attribute, a False one is left out.
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        name = _text(name)
        out.append(f" {name}" if value is True else f' {name}="{_value(value)}"')
    return "".join(out)


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_value(widget["value"])}"'
    return (
        f'<input type="{_value(widget["type"])}" name="{_value(widget["name"])}"{value}{flat_attrs(widget["attrs"])}>'
    )


# An included template keeps its file's final newline: input.html's output ends with one, and so do the option
# templates (radio_option.html includes input_option.html, which includes input.html: three newlines in all).
def _input_option(option: dict) -> str:
    if not option.get("wrap_label"):
        return f"{_input(option)}\n\n\n"
    label_for = f' for="{_value(option["attrs"]["id"])}"' if option["attrs"].get("id") else ""
    return f"<label{label_for}>{_input(option)}\n {_text(option['label'])}</label>\n\n"


def _select_option(option: dict) -> str:
    return (
        f'<option value="{_value(option["value"])}"{flat_attrs(option["attrs"])}>{_text(option["label"])}</option>\n'
    )


_OPTIONS = {
    _W + "select_option.html": _select_option,
    _W + "radio_option.html": _input_option,
    _W + "checkbox_option.html": _input_option,
}


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{_value(widget["name"])}"{flat_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            render = _OPTIONS.get(option["template_name"])
            if render is None:
                return None
            parts.append(f"\n  {render(option)}")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _multiple_input(widget: dict) -> str | None:
    attrs = widget["attrs"]
    parts = ["<div"]
    if attrs.get("id"):
        parts.append(f' id="{_text(attrs["id"])}"')
    if attrs.get("class"):
        parts.append(f' class="{_text(attrs["class"])}"')
    parts.append(">")
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_text(group)}</label>")
        for option in options:
            render = _OPTIONS.get(option["template_name"])
            if render is None:
                return None
            parts.append(f"<div>\n    {render(option)}</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


def _textarea(widget: dict) -> str:
    value = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_value(widget["name"])}"{flat_attrs(widget["attrs"])}>\n{value}</textarea>'


_INPUTS = (
    "text",
    "email",
    "number",
    "password",
    "hidden",
    "url",
    "search",
    "tel",
    "date",
    "datetime",
    "time",
    "color",
    "file",
)
PYTHON_WIDGETS = {
    **{f"{_W}{name}.html": _input for name in (*_INPUTS, "input", "checkbox")},
    _W + "select.html": _select,
    _W + "radio.html": _multiple_input,
    _W + "checkbox_select.html": _multiple_input,
    _W + "multiple_input.html": _multiple_input,
    _W + "textarea.html": _textarea,
}


class FastWidgetRenderer(DjangoTemplates):
    """The default renderer, except that the stock widget templates are written by Python (see the module)."""

    def render(self, template_name, context, request=None):
        render = PYTHON_WIDGETS.get(template_name)
        if render is not None and "widget" in context:
            html = render(context["widget"])
            if html is not None:
                return html.strip()
        return super().render(template_name, context, request)
