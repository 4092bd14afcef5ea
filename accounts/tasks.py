"""Celery entry points of the accounts app: thin wrappers that take only JSON-serialisable arguments."""

import smtplib

from celery import shared_task

from accounts.emails import send_templated_email


@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=5,
)
def send_email_task(to: list[str], template: str, context: dict, language: str = "tr") -> None:
    """Render and send one templated e-mail; queue it with `accounts.emails.queue_email`, not directly."""
    # Retried on SMTP and network errors. A retry after a partial SMTP failure may deliver a message twice, which is
    # the lesser harm for a notification than never delivering it.
    send_templated_email(to=to, template=template, context=context, language=language)
