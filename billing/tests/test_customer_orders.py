"""Ordering a package from the customer's page: what to pay (net, KDV, ÖİV, total) and how, one order per submit,
refusals, the order page, and cancelling an unpaid order."""

import re
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from billing import orders
from billing.models import BillingAccount, CreditPackage, LedgerEntry, PackageOrder
from billing.tests.customers import active_account


def url(account: BillingAccount, rest: str = "") -> str:
    return f"/musteri/{account.code}/{rest}"


def order_url(order: PackageOrder, rest: str = "") -> str:
    return f"/musteri/{order.account.code}/siparisler/{order.code}/{rest}"


@pytest.fixture
def prepaid(applicant, reviewer) -> BillingAccount:
    return active_account(applicant, reviewer, plan="prepaid")


def placed(account: BillingAccount | None = None):
    """Orders placed on the portal's page (the wizard's package became a first order at activation: left out)."""
    found = PackageOrder.objects.exclude(idempotency_key__startswith="first-order:")
    return found.filter(account=account) if account else found


@pytest.fixture
def owner(client, applicant):
    client.force_login(applicant)
    return client


@pytest.fixture
def ten_thousand(db) -> CreditPackage:
    return CreditPackage.objects.get(credits=10_000)


def place(client, account, package, key=None):
    return client.post(url(account, "paket-siparisi/onay/"), {"package": package.pk, "key": str(key or uuid.uuid4())})


def test_the_package_list_shows_each_price_with_its_taxes(owner, prepaid):
    page = owner.get(url(prepaid, "paket-siparisi/")).content.decode()

    card = re.search(r'data-package="10000">(.*?)</label>', page, re.S).group(1)
    # 3,600.00 net + KDV 720.00 + ÖİV 360.00 = 4,680.00.
    for text in ("3.600,00 TL", "KDV %20", "720,00 TL", "ÖİV %10", "360,00 TL", "4.680,00 TL"):
        assert text in card


def test_the_confirmation_page_shows_amounts_rates_and_how_to_pay(owner, prepaid, ten_thousand, settings):
    page = owner.get(url(prepaid, "paket-siparisi/onay/"), {"package": ten_thousand.pk}).content.decode()

    amounts = dict(re.findall(r'data-amount="(\w+)">([^<]+) TL<', page))
    assert amounts == {"net": "3.600,00", "kdv": "720,00", "oiv": "360,00", "total": "4.680,00"}
    assert "KDV (%20)" in page and "ÖİV (%10)" in page
    assert settings.PORTAL_BANK_ACCOUNT["iban"] in page
    assert "4680,00 TL" in page  # the amount line of the bank transfer instructions
    key = re.search(r'name="key" value="([0-9a-f-]{36})"', page).group(1)
    assert uuid.UUID(key)
    assert not placed().exists()  # nothing is ordered by looking


def test_placing_an_order_snapshots_the_days_amounts(owner, prepaid, applicant, ten_thousand):
    response = place(owner, prepaid, ten_thousand)

    order = placed().get()
    assert response.headers["Location"] == order_url(order)
    assert (order.account, order.package, order.credits) == (prepaid, ten_thousand, 10_000)
    assert order.created_by == applicant
    assert order.status == PackageOrder.Status.PENDING
    assert (order.net, order.kdv_rate, order.kdv, order.oiv_rate, order.oiv, order.total) == (
        Decimal("3600.00"),
        Decimal("0.2000"),
        Decimal("720.00"),
        Decimal("0.1000"),
        Decimal("360.00"),
        Decimal("4680.00"),
    )
    # A new price from today changes the next order, never this one.
    ten_thousand.prices.create(price="3000.00", valid_from=timezone.localdate())
    place(owner, prepaid, ten_thousand)
    order.refresh_from_db()
    assert order.total == Decimal("4680.00")
    assert placed().exclude(pk=order.pk).get().total == Decimal("3900.00")


def test_the_same_key_twice_places_one_order(owner, prepaid, ten_thousand):
    key = uuid.uuid4()

    first = place(owner, prepaid, ten_thousand, key)
    second = place(owner, prepaid, ten_thousand, key)

    assert placed().count() == 1
    assert first.headers["Location"] == second.headers["Location"] == order_url(placed().get())


def test_an_invoiced_account_cannot_order(client, applicant, reviewer, ten_thousand):
    account = active_account(applicant, reviewer, plan="invoiced", e_invoice_user=False)
    client.force_login(applicant)

    posted = place(client, account, ten_thousand)
    looked = client.get(url(account, "paket-siparisi/"))

    assert not placed().exists()
    assert posted.headers["Location"] == looked.headers["Location"] == url(account)
    page = client.get(url(account)).content.decode()
    assert "Paket siparişi yalnızca ön ödemeli hesaplar içindir." in page


def test_a_package_no_longer_on_sale_cannot_be_ordered(owner, prepaid, ten_thousand):
    ten_thousand.is_active = False
    ten_thousand.save(update_fields=["is_active"])

    posted = place(owner, prepaid, ten_thousand)
    looked = owner.get(url(prepaid, "paket-siparisi/onay/"), {"package": ten_thousand.pk})

    assert not placed().exists()
    assert posted.headers["Location"] == looked.headers["Location"] == url(prepaid, "paket-siparisi/")
    page = owner.get(url(prepaid, "paket-siparisi/")).content.decode()
    assert 'data-package="10000"' not in page


def test_a_form_without_a_valid_key_orders_nothing(owner, prepaid, ten_thousand):
    owner.post(url(prepaid, "paket-siparisi/onay/"), {"package": ten_thousand.pk, "key": "yeniden-dene"})
    owner.post(url(prepaid, "paket-siparisi/onay/"), {"package": ten_thousand.pk})

    assert not placed().exists()


def test_the_order_page_shows_what_to_pay_until_it_is_paid(owner, prepaid, ten_thousand, finance):
    place(owner, prepaid, ten_thousand)
    order = placed().get()

    pending = owner.get(order_url(order)).content.decode()
    assert 'data-status="pending"' in pending
    assert order.code in pending and "4.680,00 TL" in pending and "Havale / EFT ile ödeme" in pending
    assert order_url(order, "iptal/") in pending

    orders.confirm_payment(order, actor=finance, reference="EFT-1")
    paid = owner.get(order_url(order)).content.decode()
    assert 'data-status="paid"' in paid and "10.000 kontör" in paid
    assert "Havale / EFT ile ödeme" not in paid and order_url(order, "iptal/") not in paid
    account_page = owner.get(url(prepaid)).content.decode()
    assert 'data-balance="10000"' in account_page and order.code in account_page


def test_an_unpaid_order_is_cancelled_after_confirmation(owner, prepaid, ten_thousand, applicant):
    place(owner, prepaid, ten_thousand)
    order = placed().get()

    asked = owner.get(order_url(order, "iptal/"))
    assert asked.status_code == 200 and "emin misiniz" in asked.content.decode()
    order.refresh_from_db()
    assert order.status == PackageOrder.Status.PENDING  # asking cancels nothing

    response = owner.post(order_url(order, "iptal/"))

    assert response.headers["Location"] == order_url(order)
    order.refresh_from_db()
    assert order.status == PackageOrder.Status.CANCELLED and order.cancelled_by == applicant
    assert 'data-status="cancelled"' in owner.get(order_url(order)).content.decode()


def test_a_paid_order_cannot_be_cancelled(owner, prepaid, ten_thousand, finance):
    place(owner, prepaid, ten_thousand)
    order = placed().get()
    orders.confirm_payment(order, actor=finance)

    owner.post(order_url(order, "iptal/"))

    order.refresh_from_db()
    assert order.status == PackageOrder.Status.PAID
    assert LedgerEntry.objects.filter(order=order).count() == 1
    assert "iade için muhasebe ile görüşün" in owner.get(order_url(order)).content.decode()


def test_someone_elses_order_is_a_404(client, prepaid, ten_thousand, applicant, other_applicant, reviewer):
    client.force_login(applicant)
    place(client, prepaid, ten_thousand)
    order = placed().get()
    others = active_account(other_applicant, reviewer, plan="prepaid")
    their_order = PackageOrder.objects.get(account=others)  # the wizard's package

    # Through the owner's own account code, or through the other account's.
    assert client.get(f"/musteri/{prepaid.code}/siparisler/{their_order.code}/").status_code == 404
    assert client.get(order_url(their_order)).status_code == 404
    assert client.post(order_url(their_order, "iptal/")).status_code == 404
    assert place(client, others, ten_thousand).status_code == 404

    client.force_login(other_applicant)
    assert client.get(order_url(order)).status_code == 404
    assert client.post(order_url(order, "iptal/")).status_code == 404
    client.force_login(reviewer)
    assert client.get(order_url(order)).status_code == 404
    order.refresh_from_db()
    their_order.refresh_from_db()
    assert order.status == their_order.status == PackageOrder.Status.PENDING
    assert placed().count() == 1


def test_a_key_used_on_another_account_never_returns_its_order(
    client, prepaid, ten_thousand, other_applicant, reviewer
):
    others = active_account(other_applicant, reviewer, plan="prepaid")
    key = uuid.uuid4()
    client.force_login(other_applicant)
    place(client, others, ten_thousand, key)
    client.force_login(prepaid.owner)

    response = place(client, prepaid, ten_thousand, key)

    mine = placed(prepaid).get()
    assert response.headers["Location"] == order_url(mine)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_double_submit_at_the_same_moment_places_one_order(prepaid, ten_thousand):
    from django.test import Client

    from conftest import run_at_once

    key = str(uuid.uuid4())

    def submit():
        client = Client()
        client.force_login(prepaid.owner)
        return place(client, prepaid, ten_thousand, key).headers["Location"]

    locations = run_at_once(*[submit] * 6)

    assert placed().count() == 1
    assert set(locations) == {order_url(placed().get())}
