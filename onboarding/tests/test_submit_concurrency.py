"""Two tabs or a double click submitting at the same moment: one submission, one event, one e-mail."""

import threading

import pytest
from django.core import mail
from django.db import connection

from onboarding import services
from onboarding.models import Application, ApplicationEvent
from onboarding.tests.helpers import complete_draft


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_threads_submitting_at_once_submit_once(applicant):
    application = complete_draft(applicant)
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
            outcomes.append(str(error.message))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["Bu başvuru zaten gönderildi.", "submitted"]
    assert ApplicationEvent.objects.filter(application=application, to_status="submitted").count() == 1
    assert Application.objects.get(pk=application.pk).status == "submitted"
    assert len(mail.outbox) == 1
