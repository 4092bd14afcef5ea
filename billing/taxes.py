"""KDV and ÖİV on a net amount: both on the same net base, each rounded to the kuruş (half up), the total their sum.

Rates are data with effective dates (TaxRate); whether ÖİV is charged at all is the setting PORTAL_CHARGE_OIV.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone

CENT = Decimal("0.01")
ZERO = Decimal("0")


def money(amount: Decimal) -> Decimal:
    """Round to the kuruş, half up (0.005 → 0.01), the way Turkish invoices round."""
    return Decimal(amount).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class Rates:
    kdv: Decimal
    oiv: Decimal


@dataclass(frozen=True)
class Amounts:
    """A net amount with its taxes; every field a Decimal to the kuruş, except the rates."""

    net: Decimal
    kdv_rate: Decimal
    kdv: Decimal
    oiv_rate: Decimal
    oiv: Decimal
    total: Decimal

    @property
    def kdv_percent(self) -> Decimal:
        return (self.kdv_rate * 100).normalize()

    @property
    def oiv_percent(self) -> Decimal:
        return (self.oiv_rate * 100).normalize()


def rates_on(on: datetime.date | None = None) -> Rates:
    """The KDV and ÖİV rates in force on `on` (today by default); ÖİV is 0 when the reseller does not charge it."""
    from billing.models import TaxRate

    on = on or timezone.localdate()
    found = {TaxRate.Code.KDV: ZERO, TaxRate.Code.OIV: ZERO}
    # One query: every rate in force by then, oldest first, so the latest of each code wins.
    for code, rate in TaxRate.objects.filter(valid_from__lte=on).order_by("valid_from").values_list("code", "rate"):
        found[code] = rate
    oiv = found[TaxRate.Code.OIV] if settings.PORTAL_CHARGE_OIV else ZERO
    return Rates(kdv=found[TaxRate.Code.KDV], oiv=oiv)


def with_taxes(net: Decimal, rates: Rates) -> Amounts:
    net = money(net)
    kdv = money(net * rates.kdv)
    oiv = money(net * rates.oiv)
    return Amounts(net=net, kdv_rate=rates.kdv, kdv=kdv, oiv_rate=rates.oiv, oiv=oiv, total=net + kdv + oiv)
