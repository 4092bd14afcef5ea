"""Cost estimates shown on the billing step: what a monthly volume would cost under each option."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from billing.models import CreditPackage, TariffTier

CENT = Decimal("0.01")


@dataclass(frozen=True)
class PackageEstimate:
    package: CreditPackage
    unit_price: Decimal
    monthly_cost: Decimal
    months_covered: Decimal | None  # None when the volume is zero


@dataclass(frozen=True)
class Estimate:
    monthly_messages: int
    invoiced_unit_price: Decimal | None
    invoiced_monthly_cost: Decimal | None
    packages: list[PackageEstimate]


def tariff_price(monthly_messages: int, tiers: list[TariffTier]) -> Decimal | None:
    """The per-message price of the highest tier the volume reaches (tiers sorted by min_messages)."""
    price = None
    for tier in sorted(tiers, key=lambda t: t.min_messages):
        if monthly_messages >= tier.min_messages:
            price = tier.price_per_message
    return price


def estimate(monthly_messages: int, *, tiers: list[TariffTier], packages: list[CreditPackage]) -> Estimate:
    """Invoiced: volume × tariff (delivered messages only). Prepaid: volume × each package's unit price."""
    unit = tariff_price(monthly_messages, tiers)
    invoiced = (unit * monthly_messages).quantize(CENT, ROUND_HALF_UP) if unit is not None else None
    rows = []
    for package in packages:
        unit_price = package.price / package.credits
        rows.append(
            PackageEstimate(
                package=package,
                unit_price=unit_price.quantize(Decimal("0.0001"), ROUND_HALF_UP),
                monthly_cost=(unit_price * monthly_messages).quantize(CENT, ROUND_HALF_UP),
                months_covered=(Decimal(package.credits) / monthly_messages).quantize(Decimal("0.1"))
                if monthly_messages
                else None,
            )
        )
    return Estimate(monthly_messages, unit, invoiced, rows)
