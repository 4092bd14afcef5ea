"""Two tabs or a double click submitting at the same moment: one submission, one event, one e-mail.

submit_application locks the application before it looks at it, so the second submit waits for the first and then
finds it submitted. (move_application's own lock and table check guard the records a second time: without the
first lock the records still hold, but the loser is told that "submitted cannot move to submitted".)
"""

import pytest
from django.core import mail

from conftest import run_at_once
from onboarding import services
from onboarding.models import Application, ApplicationEvent, Consent
from onboarding.tests.helpers import complete_draft
from outbox.models import OutboxEmail

ROUNDS = 8


def _submit_twice_at_once(application: Application, applicant) -> list[str]:
    def submit() -> str:
        services.submit_application(
            Application.objects.get(pk=application.pk), actor=applicant, marketing_email_consent=True
        )
        return "submitted"

    outcomes = []
    for result in run_at_once(submit, submit):
        if isinstance(result, services.ApplicationError):
            outcomes.append(f"refused: {result.message}{result.missing or ''}")
        else:
            outcomes.append(result if isinstance(result, str) else f"error: {result!r}")
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
            ("kvkk_notice", applicant.pk),
            ("marketing_email", applicant.pk),
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
