"""Queueing e-mail: the one way the portal sends a message.

Other apps call :func:`queue_email`; it writes an `OutboxEmail` row in the caller's transaction and, once that
transaction commits, hands the row's id (nothing else) to Celery. If the transaction rolls back, the row goes with it
and nothing is sent. If the broker cannot be reached, the row waits for the sweep (`outbox.delivery.send_due_emails`,
run by beat every minute and by `manage.py send_outbox`): an outage only delays mail.
"""

import json
import logging
import time
from datetime import timedelta

from django.db import models, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from outbox import tasks
from outbox.models import OutboxEmail
from outbox.rendering import email_language

logger = logging.getLogger(__name__)

# The sweep leaves a new message to its own task for this long before it sends the message itself.
TASK_HEAD_START = timedelta(seconds=60)
# After the broker refused a publish, skip publishing for this long: each attempt would cost the request the
# connection timeout, and the sweep sends the waiting rows anyway.
BROKER_PAUSE_SECONDS = 30.0
_broker_paused_until = 0.0


class OutboxError(Exception):
    """The outbox's one domain error; the message is for staff."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def queue_email(
    *,
    to: list[str],
    template: str,
    context: dict,
    language: str | None = None,
    about: models.Model | None = None,
    headers: dict[str, str] | None = None,
) -> OutboxEmail:
    """Record a templated e-mail in the outbox now and have a worker send it once the transaction commits.

    `context` must be JSON (str, int, float, bool, None, lists and dicts of them): it is stored in the row. Pass the
    values the templates print — names, URLs built from ``settings.SITE_URL``, dates as text — never model instances
    or lazy translations; translate inside the template instead. Anything else raises ``TypeError`` here, in the
    caller. `language` is the recipient's; ``None`` means the active one (the request's, inside a view): tasks and
    sweeps have no request and should pass it. `about` names the record the message is about (staff see it).
    """
    [email] = queue_emails(
        [
            {
                "to": to,
                "template": template,
                "context": context,
                "language": language,
                "about": about,
                "headers": headers,
            }
        ]
    )
    return email


def queue_emails(messages: list[dict]) -> list[OutboxEmail]:
    """Several messages in one INSERT (each a dict of queue_email's arguments), for sweeps that write many at once.

    After the commit one task carries all their ids (`send_emails`), not a task each.
    """
    rows = []
    for message in messages:
        if isinstance(message["to"], str):
            raise TypeError("to must be a list of addresses, not a single string.")
        about = message.get("about")
        rows.append(
            OutboxEmail(
                to=list(message["to"]),
                template=message["template"],
                # A JSON round trip fails fast on what the column cannot hold, and copies the context so later
                # changes by the caller cannot alter a message already queued.
                context=json.loads(json.dumps(message["context"])),
                headers=json.loads(json.dumps(message.get("headers") or {})),
                language=email_language(message.get("language")),
                about_type=about._meta.label_lower if about is not None else "",
                about_id=about.pk if about is not None else None,
                next_attempt_at=timezone.now() + TASK_HEAD_START,
            )
        )
    emails = OutboxEmail.objects.bulk_create(rows)
    if emails:
        # One task for the lot: a publish costs about a millisecond, and a sweep queues tens of thousands at once.
        transaction.on_commit(lambda ids=[email.pk for email in emails]: publish(*ids), robust=True)
    return emails


def publish(*email_ids: int) -> bool:
    """Hand messages' ids to the broker (one task); False (logged) when the broker is unreachable. Never raises."""
    global _broker_paused_until
    if time.monotonic() < _broker_paused_until:
        return False
    try:
        if len(email_ids) == 1:
            tasks.send_email.delay(email_ids[0])
        else:
            tasks.send_emails.delay(list(email_ids))
    except (BrokerError, OSError) as error:
        _broker_paused_until = time.monotonic() + BROKER_PAUSE_SECONDS
        logger.warning(
            "broker unreachable; %s e-mail(s) from id %s wait for the outbox sweep: %s",
            len(email_ids),
            email_ids[0],
            error,
        )
        return False
    return True


@transaction.atomic
def resend_email(email: OutboxEmail, *, actor) -> OutboxEmail:
    """Send a failed or uncertain message again (staff decide; see outbox.delivery on uncertain messages)."""
    locked = OutboxEmail.objects.select_for_update().get(pk=email.pk)
    if locked.state not in (OutboxEmail.State.FAILED, OutboxEmail.State.UNCERTAIN):
        raise OutboxError(f"{locked}: {locked.get_state_display()}")
    logger.info("e-mail %s (%s) sent again by %s", locked.pk, locked.get_state_display(), actor)
    locked.state = OutboxEmail.State.PENDING
    locked.next_attempt_at = timezone.now()
    locked.attempts = 0  # a fresh series of attempts, not the last of the old one
    locked.save(update_fields=["state", "next_attempt_at", "attempts"])
    transaction.on_commit(lambda: publish(locked.pk), robust=True)
    return locked


def reset_broker_pause() -> None:
    """Forget a past broker failure (tests, and a worker that knows the broker is back)."""
    global _broker_paused_until
    _broker_paused_until = 0.0
