"""Sweeping at a chosen moment and reading what it sent: for the reminder tests."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core import mail
from django.utils import timezone

from reminders import services


def morning(days: int) -> datetime:
    """10:00 in Istanbul on the day `days` from now: outside quiet hours, between days-1 and days later than now."""
    return (
        (timezone.now() + timedelta(days=days))
        .astimezone(services.ISTANBUL)
        .replace(hour=10, minute=0, second=0, microsecond=0)
    )


def sweep(capture, *, at: datetime) -> services.SweepResult:
    """One sweep at `at`, its e-mails sent once its transactions commit (the eager Celery of the tests)."""
    with capture(execute=True):
        return services.send_reminders(now=at)


def mails_to(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def stop_link_of(message, user) -> str:
    """The one-click stop link of a sent reminder (its List-Unsubscribe header), checked to name `user`."""
    stop_url = message.extra_headers["List-Unsubscribe"].removeprefix("<").removesuffix(">")
    prefix = settings.SITE_URL + "/hesap/bildirimler/durdur/"
    assert stop_url.startswith(prefix)
    assert services.user_for_unsubscribe_token(stop_url.removeprefix(prefix).removesuffix("/")) == user
    return stop_url
