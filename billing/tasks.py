"""The billing's periodic work, scheduled in config/celery.py; each is safe to run twice."""

from celery import shared_task


@shared_task(acks_late=True)
def daily_billing() -> dict:
    """Expire credits past their date and bring plans up to the changes that took effect."""
    from billing.accounts import refresh_plans
    from billing.ledger import expire_credits

    return {"expired": expire_credits(), "plans": refresh_plans()}


@shared_task(acks_late=True)
def issue_statements() -> dict:
    """Issue last month's statements for invoiced accounts (a second run issues nothing new)."""
    from billing.statements import issue_statements as issue

    result = issue()
    return {"issued": len(result.issued), "skipped": result.skipped}
