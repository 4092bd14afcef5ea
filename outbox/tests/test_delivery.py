"""Sending outbox messages against a real SMTP server on a local port: each answer, each failure, never twice."""

from datetime import timedelta
from functools import partial

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from conftest import run_at_once
from outbox import delivery, services
from outbox.models import OutboxEmail
from outbox.tests.smtp_server import SmtpServer, closed_port

pytestmark = pytest.mark.django_db

CONTEXT = {"full_name": "Ayşe Yılmaz", "reset_url": "https://portal.example/sifre/abc/", "email": "a@ornek.test"}


def pending(**overrides) -> OutboxEmail:
    """A message waiting in the outbox, due now (as the broker lost its task)."""
    return OutboxEmail.objects.create(
        **{
            "to": ["ayse@ornek-belediye.test"],
            "template": "password_reset",
            "language": "tr",
            "context": CONTEXT,
            "next_attempt_at": timezone.now() - timedelta(seconds=1),
            **overrides,
        }
    )


def test_an_accepted_message_is_sent_once_with_its_message_id_and_keeps_no_tokens():
    email = pending()
    with SmtpServer("accept") as server, override_settings(MAILERS=server.mailers()):
        assert delivery.deliver_email(email.pk) == "sent"
        assert delivery.deliver_email(email.pk) is None  # a second run (a redelivered task) sends nothing

    [received] = server.received
    email.refresh_from_db()
    assert received["Message-ID"] == delivery.message_id(email)
    assert received["To"] == "ayse@ornek-belediye.test"
    assert (email.state, email.attempts, email.context) == ("sent", 1, {})
    assert email.handed_over_at is not None and email.sent_at is not None


def test_an_unreachable_server_saw_nothing_so_the_message_is_retried_later_with_backoff():
    email = pending()
    unreachable = {"default": {"OPTIONS": {"host": "127.0.0.1", "port": closed_port(), "use_tls": False}}}
    with override_settings(MAILERS=unreachable):
        before = timezone.now()
        assert delivery.deliver_email(email.pk) == "pending"

    email.refresh_from_db()
    assert (email.state, email.attempts, email.handed_over_at) == ("pending", 1, None)
    assert "connect" in email.last_error
    assert email.next_attempt_at >= before + timedelta(minutes=1)
    # Not due yet: the sweep leaves it alone.
    assert delivery.send_due_emails() == 0


def test_a_busy_server_4xx_did_not_take_the_message_so_it_is_retried_and_then_sent():
    email = pending()
    with SmtpServer("busy") as server, override_settings(MAILERS=server.mailers()):
        assert delivery.deliver_email(email.pk) == "pending"
        email.refresh_from_db()
        assert "451" in email.last_error
        OutboxEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
        server.behaviour = "accept"
        assert delivery.send_due_emails() == 1

    email.refresh_from_db()
    assert (email.state, email.attempts) == ("sent", 2)
    # Both attempts carried the same Message-ID.
    assert len({message["Message-ID"] for message in server.received}) == 1


@pytest.mark.parametrize("behaviour", ["refuse", "refuse_recipients"])
def test_a_permanent_refusal_5xx_fails_the_message_without_retrying(behaviour):
    email = pending()
    with SmtpServer(behaviour) as server, override_settings(MAILERS=server.mailers()):
        assert delivery.deliver_email(email.pk) == "failed"
        OutboxEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
        assert delivery.send_due_emails() == 0

    email.refresh_from_db()
    assert (email.state, email.attempts) == ("failed", 1)
    assert "550" in email.last_error or "refused" in email.last_error


def test_a_lost_answer_after_hand_over_is_uncertain_and_never_sent_again_by_itself():
    email = pending()
    with SmtpServer("vanish") as server, override_settings(MAILERS=server.mailers()):
        assert delivery.deliver_email(email.pk) == "uncertain"
        OutboxEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now() - timedelta(hours=1))
        assert delivery.send_due_emails() == 0
        assert len(server.received) == 1  # the server did get it: a retry would have been a second copy

        # Staff decide to send it again; it goes out with the same Message-ID.
        server.behaviour = "accept"
        services.resend_email(email, actor="yonetici@portal.test")
        assert delivery.send_due_emails() == 1

    email.refresh_from_db()
    assert (email.state, email.attempts) == ("sent", 1)  # a resend starts a fresh series of attempts
    assert server.received[0]["Message-ID"] == server.received[1]["Message-ID"]


def test_only_failed_or_uncertain_messages_can_be_sent_again():
    email = pending(state="sent")
    with pytest.raises(services.OutboxError):
        services.resend_email(email, actor="yonetici@portal.test")


def test_a_message_that_keeps_failing_stops_after_the_maximum_number_of_attempts(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    email = pending()
    unreachable = {"default": {"OPTIONS": {"host": "127.0.0.1", "port": closed_port(), "use_tls": False}}}
    with override_settings(MAILERS=unreachable):
        for expected in ["pending", "pending", "failed"]:
            OutboxEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
            assert delivery.deliver_email(email.pk, due_only=True) == expected

    email.refresh_from_db()
    assert (email.state, email.attempts) == ("failed", 3)


def test_a_template_that_cannot_render_fails_at_once():
    email = pending(template="no_such_template")

    assert delivery.deliver_email(email.pk) == "failed"
    assert "no_such_template" in OutboxEmail.objects.get(pk=email.pk).last_error
    assert mail.outbox == []


def test_a_worker_that_died_mid_send_leaves_a_message_the_sweep_resolves_by_whether_it_was_handed_over():
    long_ago = timezone.now() - timedelta(hours=1)
    never_handed = pending(state="sending", attempts=1, claimed_at=long_ago)
    handed = pending(state="sending", attempts=1, claimed_at=long_ago, handed_over_at=long_ago)
    recent = pending(state="sending", attempts=1, claimed_at=timezone.now())

    assert delivery.send_due_emails() == 1

    states = dict(OutboxEmail.objects.values_list("pk", "state"))
    assert states == {never_handed.pk: "sent", handed.pk: "uncertain", recent.pk: "sending"}
    assert [message.to for message in mail.outbox] == [["ayse@ornek-belediye.test"]]


def test_the_sweep_sends_in_chunks_with_a_constant_number_of_queries_per_message(django_assert_max_num_queries):
    for _ in range(12):
        pending()

    # 3 to release abandoned rows, a select per chunk (3 and an empty one), per message claim (in a transaction of
    # its own: here a savepoint, 2 more), read, hand-over and finish: the same for any number of messages per chunk.
    with django_assert_max_num_queries(3 + 4 + 12 * 6):
        assert delivery.send_due_emails(chunk=5) == 12
    assert len(mail.outbox) == 12


def test_send_outbox_sends_what_is_due_and_says_what_is_left(capsys):
    pending()
    pending(state="uncertain")

    call_command("send_outbox")

    assert capsys.readouterr().out.strip() == "sent 1; still pending 0; failed or uncertain 1"
    assert len(mail.outbox) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_and_sweeps_racing_for_one_message_send_it_exactly_once():
    for email in [pending() for _ in range(5)]:
        results = run_at_once(*[partial(delivery.deliver_email, email.pk)] * 4)
        assert sorted(results, key=str) == [None, None, None, "sent"]

    assert len(mail.outbox) == 5
    assert set(OutboxEmail.objects.values_list("attempts", flat=True)) == {1}


def test_a_greylisting_server_4xx_at_rcpt_did_not_take_the_message_so_it_is_retried():
    email = pending()
    with SmtpServer("greylist") as server, override_settings(MAILERS=server.mailers()):
        assert delivery.deliver_email(email.pk) == "pending"

    assert "451" in OutboxEmail.objects.get(pk=email.pk).last_error


def test_a_message_with_no_recipients_fails_instead_of_counting_as_sent():
    email = pending(to=[])

    with SmtpServer("accept") as server, override_settings(MAILERS=server.mailers()):
        assert delivery.deliver_email(email.pk) == "failed"

    assert server.received == []


def test_sending_again_starts_a_fresh_series_of_attempts(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    email = pending(state="failed", attempts=2)
    services.resend_email(email, actor="yonetici@portal.test")
    unreachable = {"default": {"OPTIONS": {"host": "127.0.0.1", "port": closed_port(), "use_tls": False}}}

    with override_settings(MAILERS=unreachable):
        assert delivery.deliver_email(email.pk) == "pending"  # attempt 1 of a new series, not the 3rd of 2


def test_the_sweep_stops_after_three_messages_in_a_row_the_server_did_not_take():
    emails = [pending() for _ in range(5)]
    unreachable = {"default": {"OPTIONS": {"host": "127.0.0.1", "port": closed_port(), "use_tls": False}}}

    with override_settings(MAILERS=unreachable):
        assert delivery.send_due_emails() == 0

    attempts = sorted(OutboxEmail.objects.filter(pk__in=[e.pk for e in emails]).values_list("attempts", flat=True))
    assert attempts == [0, 0, 1, 1, 1]


def test_delivery_refuses_to_run_inside_a_transaction_whose_rollback_would_undo_the_claim():
    from django.db import transaction

    email = pending()
    with pytest.raises(RuntimeError), transaction.atomic():
        delivery.deliver_email(email.pk)

    assert OutboxEmail.objects.get(pk=email.pk).state == "pending"


class StallingBackend(BaseEmailBackend):
    """A mail server reached slowly: while the connection opens, `during_open` runs (a sweep retakes the message)."""

    during_open = None
    sent: list = []

    def open(self):
        type(self).during_open()
        return True

    def send_messages(self, messages):
        type(self).sent.extend(messages)
        return len(messages)


def test_an_attempt_that_outlived_its_lease_sends_nothing_once_a_sweep_has_taken_the_message_back():
    email = pending()

    def a_sweep_retakes_it():
        OutboxEmail.objects.filter(pk=email.pk).update(claimed_at=timezone.now() - timedelta(hours=1))
        delivery.release_abandoned()
        OutboxEmail.objects.filter(pk=email.pk).update(state="sending", attempts=2)  # the sweep's own claim

    StallingBackend.during_open = staticmethod(a_sweep_retakes_it)
    StallingBackend.sent = []
    with override_settings(MAILERS={"default": {"BACKEND": f"{__name__}.StallingBackend"}}):
        assert delivery.deliver_email(email.pk) is None

    assert StallingBackend.sent == []
    email.refresh_from_db()
    assert (email.state, email.attempts, email.handed_over_at) == ("sending", 2, None)


class DyingBackend(BaseEmailBackend):
    """The worker is killed while the server has the message (SystemExit stands in for SIGKILL)."""

    def send_messages(self, messages):
        raise SystemExit("killed")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_after_hand_over_leaves_an_uncertain_message_that_is_never_sent_twice(settings):
    email = pending()
    with (
        override_settings(MAILERS={"default": {"BACKEND": f"{__name__}.DyingBackend"}}),
        pytest.raises(SystemExit),
    ):
        delivery.deliver_email(email.pk)

    # The claim and the hand-over were committed before the message left: the record survives the dead worker.
    email.refresh_from_db()
    assert email.state == "sending" and email.handed_over_at is not None
    delivery.release_abandoned(now=timezone.now() + timedelta(hours=1))
    assert OutboxEmail.objects.get(pk=email.pk).state == "uncertain"
    assert delivery.send_due_emails() == 0
    assert mail.outbox == []
