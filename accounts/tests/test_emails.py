"""The e-mail machinery other apps use: templated rendering, Celery after commit, nothing on rollback."""

import logging

import pytest
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy

from accounts import tasks
from accounts.emails import queue_email, send_templated_email
from accounts.models import User
from accounts.services import register_applicant

pytestmark = pytest.mark.django_db

CONTEXT = {"full_name": "Ayşe & Ortakları <Ltd>", "confirm_url": "https://portal.example/x/", "max_age_days": 3}


def test_a_templated_email_has_a_one_line_subject_a_text_body_and_an_html_alternative(mailoutbox):
    send_templated_email(to=["ayse@ornek-belediye.test"], template="confirm_email", context=CONTEXT)

    [message] = mailoutbox
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


def test_a_templated_email_is_rendered_in_the_language_asked_for_and_leaves_the_active_one_alone(mailoutbox):
    with translation.override("tr"):
        send_templated_email(to=["a@ornek.test"], template="confirm_email", context=CONTEXT, language="en")
        assert translation.get_language() == "tr"

    [(html, _mimetype)] = mailoutbox[0].alternatives
    assert '<html lang="en">' in html


def test_queue_email_sends_through_the_task_only_when_the_transaction_commits(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_email(to=["a@ornek.test"], template="confirm_email", context=CONTEXT)
    assert mailoutbox == []

    callbacks[0]()

    assert [message.to for message in mailoutbox] == [["a@ornek.test"]]


def test_queue_email_uses_the_active_language_when_none_is_given(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), translation.override("en-us"):
        queue_email(to=["a@ornek.test"], template="confirm_email", context=CONTEXT)

    [(html, _mimetype)] = mailoutbox[0].alternatives
    assert '<html lang="en">' in html


def test_nothing_is_emailed_when_the_registration_rolls_back(mailoutbox, django_capture_on_commit_callbacks):
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


def test_the_queued_context_is_a_copy_so_later_changes_do_not_alter_the_message(
    mailoutbox, django_capture_on_commit_callbacks
):
    context = dict(CONTEXT)
    with django_capture_on_commit_callbacks(execute=True):
        queue_email(to=["a@ornek.test"], template="confirm_email", context=context)
        context["full_name"] = "Değiştirilmiş"

    assert "Merhaba Ayşe & Ortakları <Ltd>," in mailoutbox[0].body


@pytest.mark.parametrize(
    "bad_context",
    [{"user": object()}, {"title": gettext_lazy("Başlık")}, {"when": __import__("datetime").date(2026, 1, 1)}],
)
def test_queue_email_refuses_in_the_caller_a_context_the_broker_cannot_carry(
    bad_context, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(TypeError):
        queue_email(to=["a@ornek.test"], template="confirm_email", context=bad_context)

    assert callbacks == []


def test_queue_email_refuses_a_single_address_given_as_a_string(django_capture_on_commit_callbacks):
    with pytest.raises(TypeError):
        queue_email(to="a@ornek.test", template="confirm_email", context=CONTEXT)


def test_a_broker_that_cannot_be_reached_is_logged_and_does_not_undo_the_callers_work(
    monkeypatch, caplog, mailoutbox, django_capture_on_commit_callbacks
):
    def broker_down(**kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.send_email_task, "delay", broker_down)

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        queue_email(to=["a@ornek.test"], template="confirm_email", context=CONTEXT)

    assert mailoutbox == []
    assert "broker unreachable" in caplog.text


def test_the_task_takes_only_json_and_sends_the_email(mailoutbox):
    result = tasks.send_email_task.delay(
        to=["a@ornek.test"], template="password_reset", context={"full_name": "A", "reset_url": "u", "email": "e"}
    )

    assert result.successful()
    assert mailoutbox[0].subject == "Parola sıfırlama isteğiniz"
