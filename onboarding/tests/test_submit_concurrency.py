"""Two tabs or a double click submitting at the same moment: one submission, one event, one e-mail.

submit_application locks the application before it looks at it, so the second submit waits for the first and then
finds it submitted. (move_application's own lock and table check guard the records a second time: without the
first lock the records still hold, but the loser is told that "submitted cannot move to submitted".)
"""

import threading

import pytest
from django.core import mail
from django.db import connection

from onboarding import services
from onboarding.models import Application, ApplicationEvent, Consent
from onboarding.tests.helpers import complete_draft
from outbox.models import OutboxEmail

ROUNDS = 8


def _submit_twice_at_once(application: Application, applicant) -> list[str]:
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit() -> None:
        try:
            barrier.wait()
            services.submit_application(
                Application.objects.get(pk=application.pk),
                actor=applicant,
                kvkk_notice_accepted=True,
                explicit_consent_given=True,
            )
            outcomes.append("submitted")
        except services.ApplicationError as error:
            outcomes.append(f"refused: {error.message}{error.missing or ''}")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_threads_submitting_at_once_submit_once(applicant):
    for _ in range(ROUNDS):
        application = complete_draft(applicant)
        mail.outbox.clear()

        outcomes = _submit_twice_at_once(application, applicant)

        # The loser is told plainly that the application is already in, with nothing listed as missing.
        assert sorted(outcomes) == ["refused: Bu başvuru zaten gönderildi.", "submitted"]
        assert Application.objects.get(pk=application.pk).status == "submitted"
        events = ApplicationEvent.objects.filter(application=application)
        assert list(events.values_list("from_status", "to_status")) == [("draft", "submitted")]
        consents = Consent.objects.filter(application=application)
        assert sorted(consents.values_list("kind", "user")) == [
            ("explicit_consent", applicant.pk),
            ("kvkk_notice", applicant.pk),
        ]
        # One message recorded in the outbox, and one sent.
        [recorded] = OutboxEmail.objects.filter(about_type="onboarding.application", about_id=application.pk)
        assert (recorded.template, recorded.to, recorded.state) == (
            "application_submitted",
            [applicant.email],
            "sent",
        )
        [message] = mail.outbox
        assert message.to == [applicant.email]
        assert application.reference in message.body
