"""The low-balance alert: one reminder per crossing below the customer's threshold, recorded as a Reminder row (the
previous issue's record of every reminder) with its outbox e-mail, in the ledger write's transaction."""

from django.conf import settings
from django.urls import reverse

from outbox.services import queue_email
from reminders.models import Reminder


def low_balance_alert(account) -> Reminder | None:
    owner = account.owner
    if owner.reminders_opted_out_at is not None:
        return None
    key = f"low-balance:{account.pk}:{account.low_balance_crossings}"
    if Reminder.objects.filter(recipient=owner, item_key=key, step=1).exists():
        return None
    email = queue_email(
        to=[account.invoice_email or owner.email],
        template="low_balance",
        context={
            "full_name": owner.full_name,
            "legal_name": account.legal_name,
            "code": account.code,
            "balance": account.balance,
            "threshold": account.low_balance_threshold,
            "account_url": settings.SITE_URL + reverse("billing:account", args=[account.code]),
        },
        language=owner.language or None,
        about=account,
    )
    return Reminder.objects.create(
        recipient=owner, item_key=key, kind="low_balance", step=1, application=account.application, email=email
    )
