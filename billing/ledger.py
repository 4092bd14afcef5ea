"""The prepaid credit ledger: insert-only entries, a balance that never goes below zero, idempotent by key.

Every write locks the account row first (SELECT … FOR UPDATE), so writes to one account run one at a time: a debit
that does not fit is refused before anything is written, and the same idempotency key seen again (one after the other
or at the same moment) finds the first entry and records nothing. The unique key in the database is the backstop.

Credits arrive in lots (a purchase, a grant, a positive correction) and are drawn soonest-expiring first (no expiry
last), granted before paid, oldest first. `BillingAccount.balance` and `CreditLot.remaining` are kept beside the
entries in the same transaction; `verify()` checks them against the entries and allocations.
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Case, F, IntegerField, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import BillingAccount, CreditLot, CreditSource, LedgerAllocation, LedgerEntry

Kind = LedgerEntry.Kind
DRAW_ORDER = (
    F("expires_at").asc(nulls_last=True),
    Case(When(source=CreditSource.GRANTED, then=Value(0)), default=Value(1), output_field=IntegerField()),
    "created_at",
    "id",
)


class LedgerError(Exception):
    """A ledger write was refused; `message` says why, in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InsufficientCredit(LedgerError):
    def __init__(self, message: str, *, balance: int, wanted: int):
        super().__init__(message)
        self.balance = balance
        self.wanted = wanted


@dataclass(frozen=True)
class Posted:
    entry: LedgerEntry
    created: bool  # False: the key was seen before and this is the first entry


def _lock(account: BillingAccount | int) -> BillingAccount:
    pk = account.pk if isinstance(account, BillingAccount) else account
    return BillingAccount.objects.select_for_update().get(pk=pk)


def _seen(key: str) -> LedgerEntry | None:
    if not key:
        raise ValueError("Every ledger entry needs an idempotency key.")
    return LedgerEntry.objects.filter(idempotency_key=key).first()


def _insert(account: BillingAccount, *, kind: str, credits: int, key: str, now, **fields) -> LedgerEntry:
    """Write the entry and move the kept balance with it; the caller holds the account's lock."""
    before = account.balance
    account.balance = before + credits
    entry = LedgerEntry.objects.create(
        account=account,
        kind=kind,
        credits=credits,
        balance_after=account.balance,
        idempotency_key=key,
        created_at=now,
        **fields,
    )
    BillingAccount.objects.filter(pk=account.pk).update(balance=account.balance)
    _watch_threshold(account, before)
    return entry


def _watch_threshold(account: BillingAccount, before: int) -> None:
    """One low-balance alert per crossing below the threshold; rising to it again re-arms it."""
    threshold = account.low_balance_threshold
    if threshold is None:
        return
    if account.balance < threshold and not account.low_balance_alerted:
        account.low_balance_alerted = True
        account.low_balance_crossings += 1
        BillingAccount.objects.filter(pk=account.pk).update(
            low_balance_alerted=True, low_balance_crossings=account.low_balance_crossings
        )
        from billing.alerts import low_balance_alert

        low_balance_alert(account)
    elif account.balance >= threshold and account.low_balance_alerted:
        account.low_balance_alerted = False
        BillingAccount.objects.filter(pk=account.pk).update(low_balance_alerted=False)


def _posted_once(write):
    """Run `write` in a savepoint; if a concurrent writer of the same key won the unique index, return its entry."""

    def run(account, *, key: str, **kwargs) -> Posted:
        try:
            with transaction.atomic():
                return write(account, key=key, **kwargs)
        except IntegrityError:
            first = _seen(key)
            if first is None:
                raise
            return Posted(first, False)

    run.__doc__ = write.__doc__
    run.__name__ = write.__name__
    return run


@_posted_once
def credit(
    account: BillingAccount | int,
    *,
    key: str,
    credits: int,
    kind: str = Kind.PURCHASE,
    source: str = CreditSource.PAID,
    expires_at: datetime.datetime | None = None,
    order=None,
    description: str = "",
    actor=None,
    now: datetime.datetime | None = None,
) -> Posted:
    """Add `credits` as a new lot (purchase, grant or positive correction)."""
    if credits <= 0:
        raise LedgerError(_("Eklenecek kontör sıfırdan büyük olmalı."))
    if kind not in (Kind.PURCHASE, Kind.GRANT, Kind.CORRECTION):
        raise ValueError(f"credit() does not write {kind} entries")
    now = now or timezone.now()
    account = _lock(account)
    if first := _seen(key):
        return Posted(first, False)
    entry = _insert(
        account, kind=kind, credits=credits, key=key, now=now, order=order, description=description, actor=actor
    )
    lot = CreditLot.objects.create(
        account=account,
        entry=entry,
        source=source,
        credits=credits,
        remaining=credits,
        expires_at=expires_at,
        created_at=now,
    )
    LedgerAllocation.objects.create(entry=entry, lot=lot, credits=credits)
    return Posted(entry, True)


@_posted_once
def debit(
    account: BillingAccount | int,
    *,
    key: str,
    credits: int,
    kind: str = Kind.USAGE,
    description: str = "",
    actor=None,
    now: datetime.datetime | None = None,
) -> Posted:
    """Take `credits` (usage or a negative correction), soonest-expiring first; refused whole if it does not fit."""
    if credits <= 0:
        raise LedgerError(_("Düşülecek kontör sıfırdan büyük olmalı."))
    if kind not in (Kind.USAGE, Kind.CORRECTION):
        raise ValueError(f"debit() does not write {kind} entries")
    now = now or timezone.now()
    account = _lock(account)
    if first := _seen(key):
        return Posted(first, False)
    _expire_due_lots(account, now)
    if account.balance < credits:
        raise InsufficientCredit(
            _("Yetersiz kontör: %(account)s hesabında %(balance)s kontör var, %(wanted)s kontör gerekiyor.")
            % {"account": account.code, "balance": account.balance, "wanted": credits},
            balance=account.balance,
            wanted=credits,
        )
    lots = list(
        account.credit_lots.filter(remaining__gt=0)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .order_by(*DRAW_ORDER)
    )
    entry = _insert(account, kind=kind, credits=-credits, key=key, now=now, description=description, actor=actor)
    _take(entry, lots, credits)
    return Posted(entry, True)


def _draw_key(lot: CreditLot) -> tuple:
    """DRAW_ORDER in Python: soonest expiry first (none last), granted before paid, oldest first."""
    return (
        lot.expires_at is None,
        lot.expires_at or lot.created_at,
        0 if lot.source == CreditSource.GRANTED else 1,
        lot.created_at,
        lot.pk,
    )


def _take(entry: LedgerEntry, lots: list[CreditLot], credits: int) -> None:
    left, allocations, touched = credits, [], []
    for lot in lots:
        if not left:
            break
        take = min(lot.remaining, left)
        lot.remaining -= take
        left -= take
        allocations.append(LedgerAllocation(entry=entry, lot=lot, credits=-take))
        touched.append(lot)
    if left:
        # The kept balance said it fits but the lots disagree: never write a half debit.
        raise LedgerError(_("Kontör dilimleri bakiye ile tutarsız; işlem yapılmadı."))
    LedgerAllocation.objects.bulk_create(allocations)
    CreditLot.objects.bulk_update(touched, ["remaining"])


@_posted_once
def refund(
    account: BillingAccount | int,
    *,
    key: str,
    credits: int,
    description: str = "",
    now: datetime.datetime | None = None,
) -> Posted:
    """Give back credits of undelivered or expired parts: into the lots they were most likely taken from (the reverse
    of the draw order, unexpired only), any rest as a new paid lot without expiry."""
    if credits <= 0:
        raise LedgerError(_("İade edilecek kontör sıfırdan büyük olmalı."))
    now = now or timezone.now()
    account = _lock(account)
    if first := _seen(key):
        return Posted(first, False)
    entry = _insert(account, kind=Kind.REFUND, credits=credits, key=key, now=now, description=description)
    drawn = account.credit_lots.filter(remaining__lt=F("credits")).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )
    drawn = sorted(drawn, key=_draw_key, reverse=True)
    left, allocations, touched = credits, [], []
    for lot in drawn:
        if not left:
            break
        room = min(lot.credits - lot.remaining, left)
        lot.remaining += room
        left -= room
        allocations.append(LedgerAllocation(entry=entry, lot=lot, credits=room))
        touched.append(lot)
    if left:
        lot = CreditLot.objects.create(
            account=account, entry=entry, source=CreditSource.PAID, credits=left, remaining=left, created_at=now
        )
        allocations.append(LedgerAllocation(entry=entry, lot=lot, credits=left))
    LedgerAllocation.objects.bulk_create(allocations)
    CreditLot.objects.bulk_update(touched, ["remaining"])
    return Posted(entry, True)


def correct(
    account: BillingAccount | int, *, credits: int, reason: str, actor, key: str, source: str = CreditSource.PAID
) -> Posted:
    """Finance's correcting entry: positive adds a lot, negative takes like usage; a reason is required."""
    reason = (reason or "").strip()
    if not reason:
        raise LedgerError(_("Düzeltme kaydı için gerekçe yazın."))
    if credits > 0:
        return credit(
            account, key=key, credits=credits, kind=Kind.CORRECTION, source=source, description=reason, actor=actor
        )
    if credits < 0:
        return debit(account, key=key, credits=-credits, kind=Kind.CORRECTION, description=reason, actor=actor)
    raise LedgerError(_("Düzeltme sıfır kontör olamaz."))


def _expire_due_lots(account: BillingAccount, now: datetime.datetime) -> int:
    """Write an expiry entry for each lot past its date with credits left; the caller holds the account's lock."""
    expired = 0
    for lot in account.credit_lots.filter(remaining__gt=0, expires_at__lte=now).order_by("expires_at", "id"):
        entry = _insert(
            account,
            kind=Kind.EXPIRY,
            credits=-lot.remaining,
            key=f"expiry:lot{lot.pk}:{lot.credits - lot.remaining}:{now.timestamp():.6f}",
            now=now,
            description=_("%(date)s tarihinde süresi dolan kontörler")
            % {"date": timezone.localtime(lot.expires_at).strftime("%d.%m.%Y")},
        )
        LedgerAllocation.objects.create(entry=entry, lot=lot, credits=-lot.remaining)
        expired += lot.remaining
        lot.remaining = 0
        lot.save(update_fields=["remaining"])
    return expired


def expire_credits(*, now: datetime.datetime | None = None, chunk_size: int = 500) -> int:
    """The daily sweep: expire what is past its date on every account, one account per transaction."""
    now = now or timezone.now()
    total, after = 0, 0
    while True:
        ids = list(
            CreditLot.objects.filter(remaining__gt=0, expires_at__lte=now, account_id__gt=after)
            .order_by("account_id")
            .values_list("account_id", flat=True)
            .distinct()[:chunk_size]
        )
        if not ids:
            return total
        for account_id in ids:
            with transaction.atomic():
                total += _expire_due_lots(_lock(account_id), now)
        after = ids[-1]


@dataclass(frozen=True)
class Check:
    balance: int
    entries: int
    lots: int
    allocations_ok: bool

    @property
    def ok(self) -> bool:
        return self.balance == self.entries == self.lots and self.allocations_ok


def verify(account: BillingAccount | int) -> Check:
    """The kept balance against the sum of the entries, the lots' remaining against their allocations."""
    pk = account.pk if isinstance(account, BillingAccount) else account
    balance = BillingAccount.objects.values_list("balance", flat=True).get(pk=pk)
    entries = LedgerEntry.objects.filter(account_id=pk).aggregate(s=Sum("credits"))["s"] or 0
    lots = CreditLot.objects.filter(account_id=pk).aggregate(s=Sum("remaining"))["s"] or 0
    mismatched = (
        CreditLot.objects.filter(account_id=pk)
        .annotate(allocated=Sum("allocations__credits"))
        .exclude(remaining=F("allocated"))
        .exists()
    )
    return Check(balance=balance, entries=entries, lots=lots, allocations_ok=not mismatched)


def next_expiry(account: BillingAccount) -> tuple[datetime.datetime, int] | None:
    """The soonest expiry date with credits left, and how many credits expire then."""
    lot = (
        account.credit_lots.filter(remaining__gt=0, expires_at__isnull=False)
        .order_by("expires_at")
        .values("expires_at")
        .first()
    )
    if lot is None:
        return None
    credits = account.credit_lots.filter(remaining__gt=0, expires_at=lot["expires_at"]).aggregate(s=Sum("remaining"))
    return lot["expires_at"], credits["s"]
