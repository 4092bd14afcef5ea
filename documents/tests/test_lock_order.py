"""Uploads, removals and review decisions racing on one application: one lock order, so never a deadlock.

Every step that locks both an application and its documents takes the application first, then the documents in
primary-key order. Two steps that took them in opposite orders would, interleaved, each wait for the other until
PostgreSQL aborts one with "deadlock detected" (a 500 for whoever was unlucky). Each race below runs many rounds,
the two steps released together by a barrier, and checks that each step either did its work or was refused by a
business rule, and that the records agree with each other afterwards.
"""

from functools import partial

import pytest

from conftest import run_at_once
from documents import services as document_services
from documents.models import Document, DocumentEvent, DocumentFile
from onboarding import services, workflow
from onboarding.models import Application, ApplicationEvent, Requirement
from onboarding.services import ApplicationError
from onboarding.tests.helpers import complete_draft, pdf_upload, submitted

ROUNDS = 20


def _upload(application: Application, requirement: Requirement, actor) -> None:
    document_services.add_document_file(
        Application.objects.get(pk=application.pk), requirement, uploaded=pdf_upload(), actor=actor
    )


def _race(*steps) -> list[str]:
    """Run the steps in threads released together; each answers "done", "refused: …" or "error: …"."""
    outcomes = []
    for result in run_at_once(*steps):
        if isinstance(result, (ApplicationError, document_services.DocumentError)):
            outcomes.append(f"refused: {result.message}")
        elif isinstance(result, Exception):  # "deadlock detected": what the applicant or reviewer saw as a 500
            outcomes.append(f"error: {result!r}")
        else:
            outcomes.append("done")
    return outcomes


def _errors(rounds: list[list[str]]) -> list[str]:
    return [outcome for outcomes in rounds for outcome in outcomes if not outcome.startswith(("done", "refused"))]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_uploading_and_removing_files_of_one_item_at_once_never_deadlocks(applicant):
    application = complete_draft(applicant)
    requirement = Document.objects.filter(application=application, is_live=True).order_by("pk").first().requirement
    rounds = []
    for _ in range(ROUNDS):
        live = Document.objects.get(application=application, requirement=requirement, is_live=True)
        if live.files.count() < 2:
            _upload(application, requirement, applicant)
        removed = DocumentFile.objects.filter(document=live).order_by("pk").first()
        files_before = DocumentFile.objects.filter(document__application=application).count()

        outcomes = _race(
            partial(_upload, application, requirement, applicant),
            partial(document_services.remove_document_file, removed, actor=applicant),
        )

        rounds.append(outcomes)
        if outcomes == ["done", "done"]:
            # One file in, one out, and one live document holding what is left.
            assert DocumentFile.objects.filter(document__application=application).count() == files_before
            assert not DocumentFile.objects.filter(pk=removed.pk).exists()
        live_documents = Document.objects.filter(application=application, requirement=requirement, is_live=True)
        assert live_documents.count() == 1
    assert _errors(rounds) == []
    assert all(outcomes == ["done", "done"] for outcomes in rounds)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_uploading_while_a_reviewer_decides_the_same_item_never_deadlocks(applicant, reviewer):
    rounds = []
    while len(rounds) < ROUNDS:
        application = submitted(applicant)
        for document in Document.objects.filter(application=application, is_live=True).order_by("pk"):
            outcomes = _race(
                partial(_upload, application, document.requirement, applicant),
                partial(workflow.approve_document, document, actor=reviewer),
            )
            rounds.append(outcomes)
            if not _errors([outcomes]):
                # The application is under review: the upload is refused by the rules, the decision goes through.
                assert outcomes[0].startswith("refused: Başvuru gönderildi")
                assert outcomes[1] == "done"
        assert ApplicationEvent.objects.filter(application=application, to_status="in_review").count() == 1

    assert _errors(rounds) == []
    decided = Document.objects.filter(application__applicant=applicant)
    assert {document.status for document in decided} == {"approved"}
    assert DocumentEvent.objects.filter(document__in=decided).count() == decided.count()
    assert all(document.files.count() == 1 for document in decided)


def _approve_together(documents: list[Document], actor, failures: list) -> None:
    failures.extend(workflow.approve_documents_together([document.pk for document in documents], actor=actor))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_approving_together_while_another_reviewer_rejects_one_makes_one_consistent_decision(
    applicant, reviewer, superuser
):
    rounds = []
    while len(rounds) < ROUNDS:
        application = submitted(applicant)
        first, second = Document.objects.filter(application=application, is_live=True).order_by("pk")[:2]
        failures: list = []
        outcomes = _race(
            partial(_approve_together, [first, second], reviewer, failures),
            partial(workflow.reject_document, second, actor=superuser, note="Mühür yok."),
        )
        rounds.append(outcomes)
        first.refresh_from_db()
        second.refresh_from_db()
        if outcomes[1] == "done":
            # The rejection came first: approving both together is refused as a whole, nothing half-approved.
            assert failures
            assert (first.status, second.status) == ("uploaded", "rejected")
        elif outcomes[1].startswith("refused"):
            assert not failures
            assert (first.status, second.status) == ("approved", "approved")
        for document in (first, second):
            assert DocumentEvent.objects.filter(document=document).count() == (document.status != "uploaded")
        assert ApplicationEvent.objects.filter(application=application, to_status="in_review").count() == 1

    assert _errors(rounds) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_approving_together_while_the_applicant_uploads_never_deadlocks(applicant, reviewer):
    rounds = []
    while len(rounds) < ROUNDS:
        application = submitted(applicant)
        documents = list(Document.objects.filter(application=application, is_live=True).order_by("pk"))
        failures: list = []
        outcomes = _race(
            partial(_approve_together, documents, reviewer, failures),
            partial(_upload, application, documents[0].requirement, applicant),
        )
        rounds.append(outcomes)
        if outcomes[0] == "done":
            assert not failures
            assert {d.status for d in Document.objects.filter(application=application, is_live=True)} == {"approved"}

    assert _errors(rounds) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_marking_an_original_while_the_applicant_uploads_its_new_version_never_deadlocks(applicant, reviewer):
    rounds = []
    while len(rounds) < ROUNDS:
        application = submitted(applicant)
        rejected, *others = Document.objects.filter(application=application, is_live=True).order_by("pk")
        workflow.reject_document(rejected, actor=reviewer, note="Kaşe okunmuyor.")
        for document in others:
            workflow.approve_document(document, actor=reviewer)
        services.request_changes(application, actor=reviewer)

        outcomes = _race(
            partial(_upload, application, rejected.requirement, applicant),
            partial(workflow.mark_original_received, rejected, actor=reviewer),
        )
        rounds.append(outcomes)
        if not _errors([outcomes]):
            # The new version always goes in; the original is marked on the old one only if that came first.
            assert outcomes[0] == "done"
            live = Document.objects.get(application=application, requirement=rejected.requirement, is_live=True)
            assert live.version == 2
            rejected.refresh_from_db()
            assert (rejected.original_received_at is not None) == (outcomes[1] == "done")

    assert _errors(rounds) == []


@pytest.mark.django_db
def test_removing_a_file_a_second_tab_already_removed_changes_nothing(applicant):
    application = complete_draft(applicant)
    document = Document.objects.filter(application=application, is_live=True).order_by("pk").first()
    [only_file] = document.files.all()
    documents_before = Document.objects.filter(application=application).count()
    document_services.remove_document_file(only_file, actor=applicant)

    document_services.remove_document_file(only_file, actor=applicant)

    assert not Document.objects.filter(pk=document.pk).exists()
    assert Document.objects.filter(application=application).count() == documents_before - 1
