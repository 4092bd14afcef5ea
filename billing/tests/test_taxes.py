"""KDV and ÖİV: both on the same net amount, each rounded half up to the kuruş, rates by date, ÖİV a setting."""

import datetime
from decimal import Decimal

import pytest

from billing.taxes import Rates, money, rates_on, with_taxes

TODAY = Rates(kdv=Decimal("0.20"), oiv=Decimal("0.10"))


@pytest.mark.parametrize(
    ("net", "kdv", "oiv", "total"),
    [
        ("100.00", "20.00", "10.00", "130.00"),  # the example of billing-facts.md
        ("450.00", "90.00", "45.00", "585.00"),
        ("33.33", "6.67", "3.33", "43.33"),  # 6.666 up, 3.333 down: each tax rounded on its own
        ("0.05", "0.01", "0.01", "0.07"),  # 0.005 is rounded half up, not to even
        ("0.04", "0.01", "0.00", "0.05"),
        ("12345678.91", "2469135.78", "1234567.89", "16049382.58"),
    ],
)
def test_each_tax_on_the_same_net_rounded_half_up(net, kdv, oiv, total):
    amounts = with_taxes(Decimal(net), TODAY)

    assert (amounts.net, amounts.kdv, amounts.oiv, amounts.total) == tuple(map(Decimal, (net, kdv, oiv, total)))
    assert amounts.total == amounts.net + amounts.kdv + amounts.oiv


def test_a_net_amount_with_more_decimals_is_rounded_first():
    assert money(Decimal("2.675")) == Decimal("2.68")
    assert with_taxes(Decimal("0.4549"), TODAY).net == Decimal("0.45")


@pytest.mark.parametrize(
    ("day", "kdv", "oiv"),
    [
        (datetime.date(2021, 1, 29), "0.1800", "0.0750"),
        (datetime.date(2021, 1, 30), "0.1800", "0.1000"),
        (datetime.date(2023, 7, 9), "0.1800", "0.1000"),
        (datetime.date(2023, 7, 10), "0.2000", "0.1000"),
        (datetime.date(2026, 12, 4), "0.2000", "0.1000"),
    ],
)
def test_rates_follow_their_effective_dates(db, day, kdv, oiv):
    assert rates_on(day) == Rates(kdv=Decimal(kdv), oiv=Decimal(oiv))


def test_oiv_is_not_charged_when_the_reseller_does_not_owe_it(db, settings):
    settings.PORTAL_CHARGE_OIV = False

    rates = rates_on(datetime.date(2026, 12, 4))

    assert rates == Rates(kdv=Decimal("0.2000"), oiv=Decimal("0"))
    assert with_taxes(Decimal("100"), rates).total == Decimal("120.00")


def test_rates_take_one_query(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        rates_on(datetime.date(2026, 12, 4))
