"""Package orders: a prepaid customer orders, sees what to pay (net, KDV, ÖİV, total) and how; finance confirms the
payment and the credits arrive once, with the order as their reference; an unpaid order can be cancelled."""

import datetime
import secrets

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing import ledger
from billing.models import BillingAccount, CreditPackage, CreditSource, LedgerEntry, PackageOrder, Plan
from billing.pricing import package_amounts
from onboarding.models import REFERENCE_ALPHABET


class OrderError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def new_order_code() -> str:
    return "SP-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def place_order(account: BillingAccount, package: CreditPackage, *, actor, key: str) -> PackageOrder:
    """A new pending order at today's price and taxes; the same key again returns the first order."""
    if first := PackageOrder.objects.filter(idempotency_key=key).first():
        return first
    if account.plan != Plan.PREPAID:
        raise OrderError(_("Paket siparişi yalnızca ön ödemeli hesaplar içindir."))
    if not package.is_active:
        raise OrderError(_("Bu paket artık satışta değil."))
    today = timezone.localdate()
    amounts = package_amounts(package, on=today)
    if amounts is None:
        raise OrderError(_("Bu paketin bugün geçerli bir fiyatı yok."))
    try:
        with transaction.atomic():
            return PackageOrder.objects.create(
                code=new_order_code(),
                account=account,
                package=package,
                credits=package.credits,
                validity_months=package.validity_months,
                net=amounts.net,
                kdv_rate=amounts.kdv_rate,
                kdv=amounts.kdv,
                oiv_rate=amounts.oiv_rate,
                oiv=amounts.oiv,
                total=amounts.total,
                idempotency_key=key,
                created_by=actor,
            )
    except IntegrityError:
        if first := PackageOrder.objects.filter(idempotency_key=key).first():
            return first
        raise


@transaction.atomic
def confirm_payment(
    order: PackageOrder, *, actor, reference: str = "", now: datetime.datetime | None = None
) -> LedgerEntry:
    """Mark the order paid and load its credits — once: a second confirmation returns the first entry."""
    now = now or timezone.now()
    locked = PackageOrder.objects.select_for_update().get(pk=order.pk)
    key = f"order:{locked.pk}"
    if locked.status == PackageOrder.Status.PAID:
        return LedgerEntry.objects.get(idempotency_key=key)
    if locked.status == PackageOrder.Status.CANCELLED:
        raise OrderError(_("İptal edilmiş bir siparişin ödemesi onaylanamaz."))
    expires_at = now + relativedelta(months=locked.validity_months) if locked.validity_months else None
    posted = ledger.credit(
        locked.account_id,
        key=key,
        credits=locked.credits,
        kind=LedgerEntry.Kind.PURCHASE,
        source=CreditSource.PAID,
        expires_at=expires_at,
        order=locked,
        description=_("%(code)s siparişi: %(credits)s kontör") % {"code": locked.code, "credits": locked.credits},
        actor=actor,
        now=now,
    )
    locked.status = PackageOrder.Status.PAID
    locked.paid_at = now
    locked.confirmed_by = actor
    locked.payment_reference = reference[:100]
    locked.save(update_fields=["status", "paid_at", "confirmed_by", "payment_reference"])
    order.status, order.paid_at = locked.status, locked.paid_at
    return posted.entry


@transaction.atomic
def cancel_order(order: PackageOrder, *, actor, now: datetime.datetime | None = None) -> PackageOrder:
    locked = PackageOrder.objects.select_for_update().get(pk=order.pk)
    if locked.status == PackageOrder.Status.CANCELLED:
        return locked
    if locked.status != PackageOrder.Status.PENDING:
        raise OrderError(_("Ödemesi onaylanmış bir sipariş iptal edilemez; iade için muhasebe ile görüşün."))
    locked.status = PackageOrder.Status.CANCELLED
    locked.cancelled_at = now or timezone.now()
    locked.cancelled_by = actor
    locked.save(update_fields=["status", "cancelled_at", "cancelled_by"])
    return locked
