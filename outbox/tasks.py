"""Celery entry points of the outbox: each takes an id or nothing and calls one function of outbox.delivery."""

from celery import shared_task

from outbox import delivery


@shared_task(ignore_result=True)
def send_email(email_id: int) -> None:
    """Send one outbox message (safe to run twice: the second finds it claimed or sent)."""
    delivery.deliver_email(email_id)


@shared_task(ignore_result=True)
def send_emails(email_ids: list[int]) -> None:
    """Send the messages queued together (a sweep's chunk), one after another, each as send_email does."""
    for email_id in email_ids:
        delivery.deliver_email(email_id)


@shared_task(ignore_result=True)
def send_due_emails() -> int:
    """Periodic: send every outbox message still waiting (see delivery.send_due_emails)."""
    return delivery.send_due_emails()
