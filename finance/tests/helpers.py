"""Finance test data: accounts opened through billing.accounts.open_account, credits and orders through the ledger
and order services, and the rollups and statements that the importer and the monthly run write (built here as rows:
those services are other parts of the work)."""

import datetime
import itertools
import uuid
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from billing import ledger
from billing.accounts import open_account
from billing.models import (
    BillingAccount,
    BillingType,
    CreditPackage,
    CreditSource,
    PackageOrder,
    Statement,
    UsageMonth,
)
from billing.orders import confirm_payment, place_order
from billing.taxes import money
from finance.periods import ISTANBUL
from onboarding.models import Application

_serial = itertools.count(1)


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime.datetime:
    """A moment in Istanbul time."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=ISTANBUL)


def make_account(
    legal_name: str,
    *,
    plan: str = "prepaid",
    opened_at: datetime.datetime | None = None,
    e_invoice_user: bool = False,
) -> BillingAccount:
    """An active institution's billing account, opened by the same service activation uses."""
    n = next(_serial)
    owner = User.objects.create_user(
        email=f"kurum{n}@ornek.test", password="x", full_name=f"Yetkili {n}", email_confirmed_at=timezone.now()
    )
    application = Application.objects.create(
        applicant=owner,
        status=Application.Status.ACTIVE,
        legal_name=legal_name,
        tax_number=f"{4000000000 + n}",
        tax_number_kind="vkn",
        tax_office="Şişli",
        address="Halaskargazi Cad. No: 1",
        province="34",
        district="Şişli",
        email=f"fatura{n}@ornek.test",
        billing_type=BillingType.objects.get(code=plan),
        e_invoice_user=e_invoice_user,
    )
    return open_account(application, now=opened_at)


def buy(account: BillingAccount, credits: int, *, paid_at: datetime.datetime, actor) -> PackageOrder:
    """A package ordered and paid (finance's confirmation) at `paid_at`."""
    order = place_order(
        account, CreditPackage.objects.get(credits=credits), actor=account.owner, key=uuid.uuid4().hex
    )
    confirm_payment(order, actor=actor, now=paid_at)
    order.refresh_from_db()
    return order


def grant(account: BillingAccount, credits: int, *, expires_at=None, source=CreditSource.GRANTED):
    return ledger.credit(
        account,
        key=uuid.uuid4().hex,
        credits=credits,
        kind="grant" if source == CreditSource.GRANTED else "purchase",
        source=source,
        expires_at=expires_at,
    )


def usage(
    account: BillingAccount, month: datetime.date, *, plan=None, delivered=0, undelivered=0, pending=0, expired=0
):
    return UsageMonth.objects.create(
        account=account,
        month=month,
        plan=plan or account.plan,
        delivered=delivered,
        undelivered=undelivered,
        pending=pending,
        expired=expired,
    )


def issue(account: BillingAccount, period: datetime.date, net: str, *, kind="invoice", corrects=None) -> Statement:
    """An issued statement as the monthly run records it (KDV 20 %, ÖİV 10 % on the same net)."""
    net = Decimal(net)
    kdv, oiv = money(net * Decimal("0.20")), money(net * Decimal("0.10"))
    n = next(_serial)
    return Statement.objects.create(
        kind=kind,
        number=f"TSP{period.year}{n:09d}",
        profile="e_fatura" if account.e_invoice_user else "e_arsiv",
        account=account,
        period=period,
        issue_date=period.replace(day=28) + datetime.timedelta(days=5),
        corrects=corrects,
        seller={"name": "Örnek Bayi A.Ş."},
        buyer_name=account.legal_name,
        buyer_tax_number=account.tax_number,
        buyer_address=account.address,
        net=net,
        kdv_rate=Decimal("0.2000"),
        kdv=kdv,
        oiv_rate=Decimal("0.1000"),
        oiv=oiv,
        total=net + kdv + oiv,
    )
