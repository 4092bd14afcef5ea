"""Celery entry points of the reminders: each calls one service."""

from celery import shared_task

from reminders import services


@shared_task(ignore_result=True)
def send_reminders() -> int:
    """Periodic: record and queue every reminder due now (see reminders.services)."""
    return services.send_reminders().emails
