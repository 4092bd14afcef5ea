"""Showing text the portal stored in Turkish in the reader's language."""

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def stored_reason(value: str) -> str:
    """A reason the portal itself wrote (stored in Turkish) in the reader's language; anyone's free text as it is.

    Unlike `{% translate variable %}`, a "%" in free text is left alone.
    """
    return gettext(value) if value else value
