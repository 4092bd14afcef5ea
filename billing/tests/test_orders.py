"""Package orders: the amounts of the day, payment confirmed once by finance, credits once, unpaid ones cancelled."""

import datetime
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from billing import ledger, orders
from billing.models import CreditPackage, LedgerEntry, PackageOrder, PackagePrice
from billing.payments import method_for
from billing.tests.factories import make_account
from conftest import run_at_once


@pytest.fixture
def account(applicant):
    return make_account(applicant)


def _package(credits=1_000):
    return CreditPackage.objects.get(credits=credits)


def test_an_order_keeps_the_price_and_taxes_of_its_day(account, applicant):
    order = orders.place_order(account, _package(), actor=applicant, key="k1")
    PackagePrice.objects.create(package=_package(), price="999.00", valid_from=timezone.localdate())

    order.refresh_from_db()
    assert (order.net, order.kdv, order.oiv, order.total) == tuple(
        map(Decimal, ("450.00", "90.00", "45.00", "585.00"))
    )
    assert (order.kdv_rate, order.oiv_rate) == (Decimal("0.2000"), Decimal("0.1000"))
    assert order.status == "pending" and order.code.startswith("SP-")
    later = orders.place_order(account, _package(), actor=applicant, key="k2")
    assert later.net == Decimal("999.00")


def test_the_same_key_places_one_order(account, applicant):
    first = orders.place_order(account, _package(), actor=applicant, key="same")
    again = orders.place_order(account, _package(), actor=applicant, key="same")

    assert first.pk == again.pk
    assert PackageOrder.objects.count() == 1


def test_only_prepaid_accounts_order_packages_still_on_sale(applicant, account):
    invoiced = make_account(applicant, plan="invoiced")
    with pytest.raises(orders.OrderError, match="ön ödemeli"):
        orders.place_order(invoiced, _package(), actor=applicant, key="a")
    CreditPackage.objects.filter(credits=1_000).update(is_active=False)
    with pytest.raises(orders.OrderError, match="satışta değil"):
        orders.place_order(account, _package(), actor=applicant, key="b")


def test_confirming_the_payment_loads_the_credits_once(account, applicant, finance):
    order = orders.place_order(account, _package(5_000), actor=applicant, key="k")

    entry = orders.confirm_payment(order, actor=finance, reference="EFT-1")
    again = orders.confirm_payment(order, actor=finance)

    assert entry.pk == again.pk
    assert entry.order_id == order.pk and entry.kind == "purchase" and entry.credits == 5_000
    account.refresh_from_db()
    assert account.balance == 5_000
    order.refresh_from_db()
    assert order.status == "paid" and order.confirmed_by == finance and order.payment_reference == "EFT-1"
    assert ledger.verify(account).ok


def test_credits_of_a_package_with_a_validity_expire(account, applicant, finance):
    CreditPackage.objects.filter(credits=1_000).update(validity_months=12)
    order = orders.place_order(account, _package(), actor=applicant, key="k")
    paid_at = datetime.datetime(2026, 1, 31, 9, 0, tzinfo=datetime.UTC)

    entry = orders.confirm_payment(order, actor=finance, now=paid_at)

    assert entry.lot.expires_at == paid_at + relativedelta(months=12)


def test_an_unpaid_order_can_be_cancelled_a_paid_one_cannot(account, applicant, finance):
    unpaid = orders.place_order(account, _package(), actor=applicant, key="u")
    paid = orders.place_order(account, _package(), actor=applicant, key="p")
    orders.confirm_payment(paid, actor=finance)

    cancelled = orders.cancel_order(unpaid, actor=applicant)

    assert cancelled.status == "cancelled" and cancelled.cancelled_by == applicant
    with pytest.raises(orders.OrderError):
        orders.cancel_order(paid, actor=applicant)
    with pytest.raises(orders.OrderError, match="İptal edilmiş"):
        orders.confirm_payment(unpaid, actor=finance)
    assert LedgerEntry.objects.filter(order=unpaid).count() == 0


def test_the_payment_instructions_carry_the_order_code_and_the_total(account, applicant):
    order = orders.place_order(account, _package(), actor=applicant, key="k")

    instructions = method_for(order).instructions(order)

    values = dict(instructions.lines)
    assert values["Açıklama"] == order.code
    assert values["Tutar"] == "585,00 TL"
    assert values["IBAN"].startswith("TR")


def test_finance_confirms_payments_in_the_admin(client, finance, account, applicant):
    order = orders.place_order(account, _package(), actor=applicant, key="k")
    client.force_login(finance)

    response = client.post(
        "/admin/billing/packageorder/",
        {"action": "confirm_payments", "_selected_action": [order.pk]},
    )
    client.post("/admin/billing/packageorder/", {"action": "confirm_payments", "_selected_action": [order.pk]})

    assert response.status_code == 302
    account.refresh_from_db()
    assert account.balance == 1_000
    assert LedgerEntry.objects.filter(order=order).count() == 1


def test_a_reviewer_cannot_see_orders(client, reviewer):
    client.force_login(reviewer)
    assert client.get("/admin/billing/packageorder/").status_code == 403


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_confirmations_at_once_load_the_credits_once(applicant, finance, superuser):
    account = make_account(applicant)
    order = orders.place_order(account, _package(), actor=applicant, key="race")

    results = run_at_once(
        lambda: orders.confirm_payment(PackageOrder.objects.get(pk=order.pk), actor=finance),
        lambda: orders.confirm_payment(PackageOrder.objects.get(pk=order.pk), actor=superuser),
    )

    assert all(isinstance(result, LedgerEntry) for result in results), results
    assert results[0].pk == results[1].pk
    account.refresh_from_db()
    assert account.balance == 1_000
