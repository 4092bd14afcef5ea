"""Prices of the day: a package's net price and the invoiced tariff in force on a date, with their taxes, and the
cost estimates shown on the billing step."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Subquery
from django.utils import timezone

from billing.models import CreditPackage, PackagePrice, Tariff, TariffTier
from billing.taxes import Amounts, Rates, money, rates_on, with_taxes

UNIT = Decimal("0.0001")


def package_amounts(package: CreditPackage, *, on: datetime.date | None = None, rates: Rates | None = None):
    """The package's net price on `on` with its taxes; None when it has no price yet."""
    on = on or timezone.localdate()
    price = getattr(package, "price", None)
    if price is None:
        row = (
            PackagePrice.objects.filter(package=package, valid_from__lte=on)
            .order_by("-valid_from")
            .values("price")
            .first()
        )
        if row is None:
            return None
        price = row["price"]
    return with_taxes(price, rates or rates_on(on))


def tiers_on(on: datetime.date | None = None) -> list[TariffTier]:
    """The tiers of the tariff in force on `on`, in one query."""
    on = on or timezone.localdate()
    latest = Tariff.objects.filter(valid_from__lte=on).order_by("-valid_from").values("pk")[:1]
    return list(TariffTier.objects.filter(tariff=Subquery(latest)).order_by("min_messages"))


def tariff_price(monthly_messages: int, tiers: list[TariffTier]) -> Decimal | None:
    """The per-part price of the highest tier the volume reaches (all units at that tier's price)."""
    price = None
    for tier in sorted(tiers, key=lambda t: t.min_messages):
        if monthly_messages >= tier.min_messages:
            price = tier.price_per_message
    return price


@dataclass(frozen=True)
class PackageEstimate:
    package: CreditPackage
    unit_price: Decimal
    monthly: Amounts
    months_covered: Decimal | None  # None when the volume is zero
    price: Amounts

    @property
    def monthly_cost(self) -> Decimal:
        return self.monthly.net


@dataclass(frozen=True)
class Estimate:
    monthly_messages: int  # message parts a month
    invoiced_unit_price: Decimal | None
    invoiced: Amounts | None
    packages: list[PackageEstimate]

    @property
    def invoiced_monthly_cost(self) -> Decimal | None:
        return self.invoiced.net if self.invoiced else None


def estimate(
    monthly_messages: int, *, tiers: list[TariffTier], packages: list[CreditPackage], rates: Rates
) -> Estimate:
    """Invoiced: parts × tariff (delivered parts only). Prepaid: parts × each package's unit price. Net and taxes."""
    unit = tariff_price(monthly_messages, tiers)
    invoiced = with_taxes(unit * monthly_messages, rates) if unit is not None else None
    rows = []
    for package in packages:
        if getattr(package, "price", None) is None:
            continue
        unit_price = package.price / package.credits
        rows.append(
            PackageEstimate(
                package=package,
                unit_price=unit_price.quantize(UNIT, ROUND_HALF_UP),
                monthly=with_taxes(money(unit_price * monthly_messages), rates),
                months_covered=(Decimal(package.credits) / monthly_messages).quantize(Decimal("0.1"))
                if monthly_messages
                else None,
                price=with_taxes(package.price, rates),
            )
        )
    return Estimate(monthly_messages, unit, invoiced, rows)
