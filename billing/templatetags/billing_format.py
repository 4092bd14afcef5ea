"""Template filters for money pages: a tax rate as people write it ("%20" in Turkish, "20%" in English)."""

from decimal import Decimal

from django import template
from django.utils import formats
from django.utils.translation import get_language

from billing.estimates import percent as as_percent

register = template.Library()


@register.filter
def percent(rate: Decimal | None) -> str:
    if rate is None:
        return ""
    number = formats.number_format(as_percent(Decimal(rate)), use_l10n=True)
    # Turkish writes the sign before the number (%20); English after it (20%).
    return f"%{number}" if (get_language() or "tr").startswith("tr") else f"{number}%"
