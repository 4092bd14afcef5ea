"""Queueing e-mail: a row in the caller's transaction, the task after commit, nothing on rollback."""

import logging
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.services import register_applicant
from outbox import delivery, services, tasks
from outbox.models import OutboxEmail
from outbox.rendering import render_email

pytestmark = pytest.mark.django_db

CONTEXT = {"full_name": "Ayşe & Ortakları <Ltd>", "confirm_url": "https://portal.example/x/", "max_age_days": 3}


@pytest.fixture(autouse=True)
def _broker_reachable():
    services.reset_broker_pause()
    yield
    services.reset_broker_pause()


def test_a_templated_email_has_a_one_line_subject_a_text_body_and_an_html_alternative():
    message = render_email(to=["ayse@ornek-belediye.test"], template="confirm_email", context=CONTEXT)

    assert message.subject == "E-posta adresinizi doğrulayın"
    assert "\n" not in message.subject
    assert message.from_email == "Toplu SMS Başvuru <basvuru@localhost>"
    # The text body is plain text: nothing HTML-escaped; the HTML alternative escapes what the user typed.
    assert "Merhaba Ayşe & Ortakları <Ltd>," in message.body
    assert "<p" not in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "Ayşe &amp; Ortakları &lt;Ltd&gt;" in html
    assert '<html lang="tr">' in html
    assert "Bağlantı 3 gün geçerlidir." in message.body


def test_a_templated_email_is_rendered_in_the_language_asked_for_and_leaves_the_active_one_alone():
    with translation.override("tr"):
        message = render_email(to=["a@ornek.test"], template="confirm_email", context=CONTEXT, language="en")
        assert translation.get_language() == "tr"

    [(html, _mimetype)] = message.alternatives
    assert '<html lang="en">' in html


def test_queue_email_records_the_message_at_once_and_sends_it_only_when_the_transaction_commits(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = queue_email_now()
    assert mailoutbox == []
    email.refresh_from_db()
    assert (email.state, email.to, email.template) == ("pending", ["a@ornek.test"], "confirm_email")
    assert email.language == "tr"
    assert email.context == CONTEXT

    callbacks[0]()

    email.refresh_from_db()
    assert [message.to for message in mailoutbox] == [["a@ornek.test"]]
    assert (email.state, email.attempts, email.subject) == ("sent", 1, "E-posta adresinizi doğrulayın")
    assert email.sent_at is not None
    # A sent message keeps no links or tokens.
    assert email.context == {}
    assert mailoutbox[0].extra_headers["Message-ID"] == delivery.message_id(email)


def queue_email_now(**overrides) -> OutboxEmail:
    return services.queue_email(
        **{"to": ["a@ornek.test"], "template": "confirm_email", "context": CONTEXT, "language": "tr", **overrides}
    )


def test_queue_email_uses_the_active_language_when_none_is_given(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), translation.override("en-us"):
        email = queue_email_now(language=None)

    assert OutboxEmail.objects.get(pk=email.pk).language == "en"
    [(html, _mimetype)] = mailoutbox[0].alternatives
    assert '<html lang="en">' in html


def test_the_message_names_the_record_it_is_about(applicant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        email = queue_email_now(about=applicant)

    assert (email.about_type, email.about_id) == ("accounts.user", applicant.pk)


def test_nothing_is_recorded_or_emailed_when_the_registration_rolls_back(
    mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        register_applicant(
            email="geri@alinan.test",
            password="Guclu-Parola-2026",
            full_name="Geri Alınan",
            mobile="+905321234567",
            language="tr",
        )
        raise RuntimeError("the caller's later step failed")

    assert callbacks == []
    assert mailoutbox == []
    assert not User.objects.filter(email="geri@alinan.test").exists()
    assert not OutboxEmail.objects.exists()


def test_the_queued_context_is_a_copy_so_later_changes_do_not_alter_the_message(
    mailoutbox, django_capture_on_commit_callbacks
):
    context = dict(CONTEXT)
    with django_capture_on_commit_callbacks(execute=True):
        queue_email_now(context=context)
        context["full_name"] = "Değiştirilmiş"

    assert "Merhaba Ayşe & Ortakları <Ltd>," in mailoutbox[0].body


@pytest.mark.parametrize(
    "bad_context",
    [{"user": object()}, {"title": gettext_lazy("Başlık")}, {"when": __import__("datetime").date(2026, 1, 1)}],
)
def test_queue_email_refuses_in_the_caller_a_context_it_cannot_store(bad_context, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(TypeError):
        queue_email_now(context=bad_context)

    assert callbacks == []
    assert not OutboxEmail.objects.exists()


def test_queue_email_refuses_a_single_address_given_as_a_string():
    with pytest.raises(TypeError):
        queue_email_now(to="a@ornek.test")


def test_the_task_carries_only_the_rows_id(django_capture_on_commit_callbacks, monkeypatch):
    published = []
    monkeypatch.setattr(tasks.send_email, "delay", lambda *args, **kwargs: published.append((args, kwargs)))

    with django_capture_on_commit_callbacks(execute=True):
        email = queue_email_now()

    assert published == [((email.pk,), {})]


def test_a_broker_that_cannot_be_reached_delays_the_message_until_the_sweep_and_loses_nothing(
    monkeypatch, caplog, mailoutbox, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    calls = []

    def broker_down(*args, **kwargs):
        calls.append(args)
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.send_email, "delay", broker_down)
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        first = queue_email_now()
        second = queue_email_now(to=["b@ornek.test"])

    assert mailoutbox == []
    assert "broker unreachable" in caplog.text
    # After one refusal the publisher stops trying for a while: one request pays the timeout, not every one.
    assert len(calls) == 1
    assert set(OutboxEmail.objects.values_list("state", flat=True)) == {"pending"}

    # The sweep leaves a fresh message to its task for a minute, then sends it itself.
    assert delivery.send_due_emails() == 0
    OutboxEmail.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert delivery.send_due_emails() == 2

    assert sorted(message.to[0] for message in mailoutbox) == ["a@ornek.test", "b@ornek.test"]
    assert set(OutboxEmail.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True)) == {"sent"}
