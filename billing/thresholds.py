"""The customer's low-balance threshold (the alert itself is sent by the ledger's writes, billing.ledger)."""

from django.db import transaction

from billing.models import BillingAccount


@transaction.atomic
def set_low_balance_threshold(account: BillingAccount, *, threshold: int | None) -> BillingAccount:
    """Set the threshold (None turns the alert off). Saving re-arms the alert when the balance is at or above the new
    threshold, so the next fall below it sends one reminder. A balance already below it counts as known (the customer
    is looking at it as they save): no e-mail now, and the next one after the balance rises to the threshold again.

    Locks the account row as the ledger's writes do, so a debit in flight sees either the old or the new threshold.
    """
    locked = BillingAccount.objects.select_for_update().get(pk=account.pk)
    locked.low_balance_threshold = threshold
    locked.low_balance_alerted = threshold is not None and locked.balance < threshold
    locked.save(update_fields=["low_balance_threshold", "low_balance_alerted"])
    account.low_balance_threshold = locked.low_balance_threshold
    account.low_balance_alerted = locked.low_balance_alerted
    return locked
