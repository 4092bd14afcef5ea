"""Two reviewers deciding the same document at the same moment: one decision, one event, one clear refusal."""

import pytest

from conftest import run_at_once
from documents import services as document_services
from documents.models import Document, DocumentEvent
from onboarding import workflow
from onboarding.models import Application, ApplicationEvent
from onboarding.tests.helpers import submitted


def _race(decisions) -> list[str]:
    """Run the decisions in threads released together; each answers "won" or the refusal's message."""
    outcomes = []
    for result in run_at_once(*decisions):
        if isinstance(result, document_services.DocumentError):
            outcomes.append(str(result.message))
        else:
            outcomes.append(f"error: {result!r}" if isinstance(result, Exception) else "won")
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_reviewers_deciding_one_document_at_once_make_one_decision(applicant, reviewer, superuser):
    application = submitted(applicant)
    document = Document.objects.filter(application=application, is_live=True).order_by("pk").first()

    outcomes = _race(
        [
            lambda: workflow.approve_document(Document.objects.get(pk=document.pk), actor=reviewer),
            lambda: workflow.reject_document(
                Document.objects.get(pk=document.pk), actor=superuser, note="Mühür yok."
            ),
        ]
    )

    assert outcomes.count("won") == 1
    [refusal] = [outcome for outcome in outcomes if outcome != "won"]
    assert "az önce başka bir karar verildi" in refusal
    events = list(DocumentEvent.objects.filter(document=document))
    assert len(events) == 1
    document.refresh_from_db()
    assert document.status == events[0].to_status
    assert document.decided_by_id == events[0].actor_id
    # The application entered review once, whoever won.
    assert ApplicationEvent.objects.filter(application=application, to_status="in_review").count() == 1
    assert Application.objects.get(pk=application.pk).status == "in_review"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_reviewers_deciding_two_documents_at_once_both_succeed(applicant, reviewer, superuser):
    application = submitted(applicant)
    first, second = Document.objects.filter(application=application, is_live=True).order_by("pk")[:2]

    outcomes = _race(
        [
            lambda: workflow.approve_document(first, actor=reviewer),
            lambda: workflow.approve_document(second, actor=superuser),
        ]
    )

    assert outcomes == ["won", "won"]
    assert DocumentEvent.objects.filter(document__in=[first, second]).count() == 2
    assert ApplicationEvent.objects.filter(application=application, to_status="in_review").count() == 1
