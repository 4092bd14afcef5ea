"""Template filters for Turkish display: `{{ number|phone_tr }}`."""

from django import template

from onboarding.turkish import format_phone

register = template.Library()


@register.filter
def phone_tr(value) -> str:
    """A Turkish phone number as Turks write it ("0262 373 10 00"); see onboarding.turkish.format_phone."""
    return format_phone(value)


@register.filter
def line_operator_warning(value) -> str:
    """The warning for a corporate line in another operator's range, or "" (onboarding.turkish)."""
    from onboarding.turkish import line_operator_warning as warning

    return warning(value)
