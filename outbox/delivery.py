"""Sending outbox messages: claimed under a lock, each attempt recorded before the message leaves.

The promise is *at most once where it matters, at least once where it is safe*:

1. **Claim.** A conditional UPDATE moves the row from pending to sending and counts the attempt. It commits before
   anything is sent, so of a task and a sweep racing for one message exactly one wins; the other sends nothing.
2. **Connect.** A failure to connect, greet, start TLS or log in means the server never saw the message: the row
   goes back to pending with a later due time (1, 2, 4 … 60 minutes), up to `OUTBOX_MAX_ATTEMPTS`.
3. **Hand over.** Before the message is transmitted, `handed_over_at` is committed.
4. **Answer.** Accepted → sent (the context, which may hold links with tokens, is cleared). Refused with a 4xx code →
   pending again (the server said "not now", so it did not take the message). Refused with a 5xx code or every
   recipient refused → failed. **No answer** (the connection dropped or timed out after hand-over) → *uncertain*: the
   server may have accepted the message. Uncertain messages are not retried by themselves, because a second copy of
   an e-mail that did arrive is worse for an applicant than a delay staff can see; staff resend them from the admin.
   Every attempt carries the same Message-ID, so a receiving server that got the first copy may drop the second.
5. **Crash.** A row left in sending longer than `OUTBOX_SENDING_LEASE` by a worker that died goes back to pending if
   it was never handed over, and to uncertain if it was.
"""

import logging
import smtplib
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import mailers
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from outbox.models import OutboxEmail
from outbox.rendering import render_email

logger = logging.getLogger(__name__)

State = OutboxEmail.State


def max_attempts() -> int:
    """Attempts before a message that was never taken is given up: 60 is about two days at the longest interval."""
    return getattr(settings, "OUTBOX_MAX_ATTEMPTS", 60)


def sending_lease() -> timedelta:
    return timedelta(seconds=getattr(settings, "OUTBOX_SENDING_LEASE_SECONDS", 600))


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8, 16, 32 and then 60 minutes between attempts."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def message_id(email: OutboxEmail) -> str:
    """One Message-ID for every attempt of a message."""
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<outbox.{email.pk}.{email.created_at:%Y%m%d%H%M%S}@{domain}>"


def _finish(email: OutboxEmail, state: str, error: str = "", **extra) -> str:
    fields = {"state": state, "last_error": error[:2000], **extra}
    if state == State.SENT:
        fields |= {"sent_at": timezone.now(), "context": {}, "last_error": ""}
    elif state == State.PENDING:
        if email.attempts >= max_attempts():
            fields["state"] = state = State.FAILED
        else:
            fields["next_attempt_at"] = timezone.now() + retry_delay(email.attempts)
    # Only our own claim is finished: a row a sweep released and re-claimed meanwhile (attempts moved on) is not ours.
    if not _ours(email).update(**fields):
        logger.warning(
            "e-mail %s attempt %s: claim lost before it could be finished as %s", email.pk, email.attempts, state
        )
        return None
    log = logger.info if state == State.SENT else logger.warning
    log("e-mail %s (%s) attempt %s: %s %s", email.pk, email.template, email.attempts, state, error)
    return state


def _ours(email: OutboxEmail):
    """The row while it is still held by this attempt's claim."""
    return OutboxEmail.objects.filter(pk=email.pk, state=State.SENDING, attempts=email.attempts)


def _close_quietly(connection) -> None:
    try:
        connection.close()
    except Exception:  # the message's fate is already decided; a failed QUIT changes nothing
        logger.debug("closing the SMTP connection failed", exc_info=True)


def deliver_email(email_id: int, *, due_only: bool = False) -> str | None:
    """Claim one pending message and send it; returns the state it ended in, or None if it was not ours to send.

    Must not run inside a transaction that is still open: the claim and the hand-over must be committed before the
    message leaves (steps 1–4 of the module's docstring).
    """
    now = timezone.now()
    claimable = OutboxEmail.objects.filter(pk=email_id, state=State.PENDING)
    if due_only:
        claimable = claimable.filter(next_attempt_at__lte=now)
    # durable: refuses to run inside a caller's transaction, whose rollback would undo the claim after the send.
    with transaction.atomic(durable=True):
        claimed = claimable.update(
            state=State.SENDING, attempts=F("attempts") + 1, claimed_at=now, handed_over_at=None
        )
    if not claimed:
        return None
    email = OutboxEmail.objects.get(pk=email_id)

    try:
        message = render_email(
            to=email.to,
            template=email.template,
            context=email.context,
            language=email.language,
            headers={**email.headers, "Message-ID": message_id(email)},
        )
    except Exception as error:  # a template that cannot render will not render next time either
        logger.exception("e-mail %s cannot be rendered", email.pk)
        return _finish(email, State.FAILED, f"render: {error!r}")
    subject = message.subject[:300]

    connection = mailers.default
    try:
        connection.open()
    except OSError as error:  # smtplib's errors are OSErrors too: nothing was handed over
        _close_quietly(connection)
        return _finish(email, State.PENDING, f"connect: {error!r}", subject=subject)

    if not _ours(email).update(handed_over_at=timezone.now(), subject=subject):
        # A sweep took the message back from this attempt (it outlived the lease): the message is theirs now.
        _close_quietly(connection)
        return None
    try:
        sent = connection.send_messages([message])
    except smtplib.SMTPRecipientsRefused as error:
        # Every recipient refused: "not now" (4xx: greylisting, rate limits) is retried, anything else is final.
        transient = all(400 <= code < 500 for code, _text in error.recipients.values())
        return _finish(
            email, State.PENDING if transient else State.FAILED, f"recipients refused: {error.recipients!r}"
        )
    except smtplib.SMTPResponseException as error:
        transient = 400 <= error.smtp_code < 500
        return _finish(email, State.PENDING if transient else State.FAILED, f"{error.smtp_code} {error.smtp_error!r}")
    except ValueError as error:  # an address Django cannot encode: refused before anything is transmitted
        return _finish(email, State.FAILED, f"address: {error}")
    except OSError as error:  # no answer after hand-over: the server may have the message
        return _finish(email, State.UNCERTAIN, f"no answer: {error!r}")
    finally:
        _close_quietly(connection)
    if sent != 1:  # no recipients at all: nothing was sent, and nothing will be
        return _finish(email, State.FAILED, "no recipients")
    return _finish(email, State.SENT)


def release_abandoned(now=None) -> int:
    """Rows a dead worker left in sending: back to pending if never handed over, uncertain if they were."""
    now = now or timezone.now()
    stale = OutboxEmail.objects.filter(state=State.SENDING, claimed_at__lt=now - sending_lease())
    # A message whose every attempt kills its worker must not come back for ever.
    exhausted = stale.filter(handed_over_at__isnull=True, attempts__gte=max_attempts()).update(
        state=State.FAILED, last_error="worker stopped before handing the message over, on every attempt"
    )
    released = stale.filter(handed_over_at__isnull=True).update(state=State.PENDING, next_attempt_at=now)
    uncertain = stale.filter(handed_over_at__isnull=False).update(
        state=State.UNCERTAIN, last_error="worker stopped after handing the message to the server"
    )
    return exhausted + released + uncertain


def send_due_emails(*, chunk: int = 200, limit: int = 5000, include_fresh: bool = False) -> int:
    """Send every message whose due time has passed, oldest first, in chunks; returns how many were sent.

    A message a task is sending right now is skipped (the claim fails); a message that fails again gets a later due
    time and so is not picked twice in one run. At most `limit` per run, so one run's memory and time are bounded.
    `include_fresh` also takes messages queued in the last minute (which the sweep otherwise leaves to their task).
    After three messages in a row that the server did not take, the run stops: a server that is down or silently
    dropping connections would otherwise cost every waiting message its timeout; the next run tries again.
    """
    release_abandoned()
    sent = seen = not_taken = 0
    while seen < limit and not_taken < 3:
        due_by = timezone.now() + (timedelta(minutes=2) if include_fresh else timedelta(0))
        due = list(
            OutboxEmail.objects.filter(state=State.PENDING, next_attempt_at__lte=due_by)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:chunk]
        )
        if not due:
            break
        for email_id in due:
            seen += 1
            outcome = deliver_email(email_id, due_only=not include_fresh)
            if outcome == State.SENT:
                sent += 1
                not_taken = 0
            elif outcome == State.PENDING:
                not_taken += 1
                if not_taken >= 3:
                    logger.warning("outbox sweep stopped: the mail server took none of the last 3 messages")
                    break
    return sent
