"""The review services: document decisions by their table, the application moves they lead to, originals, and the
applicant's second round after a change request. State is built through the same services production uses."""

import itertools

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from documents import services as document_services
from documents.models import DOCUMENT_TRANSITIONS, Document, DocumentEvent, RejectionReason
from onboarding import services, workflow
from onboarding.models import REVIEWABLE_STATUSES, Application, ApplicationEvent
from onboarding.tests.helpers import pdf_upload, submitted

DOCUMENT_STATUSES = Document.Status.values


def live_documents(application: Application) -> list[Document]:
    return list(
        Document.objects.filter(application=application, is_live=True).select_related("requirement").order_by("pk")
    )


def decide_all(application: Application, reviewer, *, reject: int = 0) -> list[Document]:
    """Reject the first `reject` undecided live documents and approve the rest."""
    reason = RejectionReason.objects.get(text="Mühür / kaşe eksik")
    documents = [document for document in live_documents(application) if document.status == "uploaded"]
    for index, document in enumerate(documents):
        if index < reject:
            workflow.reject_document(document, actor=reviewer, reason=reason, note=f"Sayfa {index + 1}")
        else:
            workflow.approve_document(document, actor=reviewer)
    return documents


def status_of(application: Application) -> str:
    return Application.objects.values_list("status", flat=True).get(pk=application.pk)


# --- Decisions by the table -----------------------------------------------------------------------------------------


def test_the_document_table_has_a_row_for_every_status():
    assert set(DOCUMENT_TRANSITIONS) == set(DOCUMENT_STATUSES)
    assert set().union(*DOCUMENT_TRANSITIONS.values()) <= set(DOCUMENT_STATUSES)


@pytest.mark.parametrize(
    ("from_status", "to_status"), list(itertools.product(DOCUMENT_STATUSES, DOCUMENT_STATUSES)), ids=str
)
def test_a_decision_follows_the_document_table(applicant, reviewer, from_status, to_status):
    application = submitted(applicant)
    document = live_documents(application)[0]
    Document.objects.filter(pk=document.pk).update(status=from_status)

    if to_status in DOCUMENT_TRANSITIONS[from_status]:
        decided = workflow.decide_document(document, to=to_status, actor=reviewer, note="Gerekçe")
        assert decided.status == to_status
        assert list(DocumentEvent.objects.filter(document=document).values_list("from_status", "to_status")) == [
            (from_status, to_status)
        ]
    else:
        with pytest.raises(document_services.DocumentError):
            workflow.decide_document(document, to=to_status, actor=reviewer, note="Gerekçe")
        assert Document.objects.get(pk=document.pk).status == from_status
        assert not DocumentEvent.objects.filter(document=document).exists()
        assert status_of(application) == "submitted"


def test_a_rejection_needs_a_reason_or_a_note(applicant, reviewer):
    first, second, third = live_documents(submitted(applicant))[:3]
    reason = RejectionReason.objects.get(text="İmza eksik")

    with pytest.raises(document_services.DocumentError, match="gerekçe seçin veya açıklama yazın"):
        workflow.reject_document(first, actor=reviewer, note="   ")
    assert Document.objects.get(pk=first.pk).status == "uploaded"
    assert not DocumentEvent.objects.filter(document=first).exists()

    workflow.reject_document(second, actor=reviewer, reason=reason)
    workflow.reject_document(third, actor=reviewer, note="Sayfa 2 eksik.")
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, second.rejection_text) == ("rejected", "İmza eksik")
    assert (third.status, third.rejection_text) == ("rejected", "Sayfa 2 eksik.")


@pytest.mark.parametrize("status", [s for s in Application.Status.values if s not in REVIEWABLE_STATUSES], ids=str)
def test_decisions_are_refused_unless_the_application_is_submitted_or_in_review(applicant, reviewer, status):
    application = submitted(applicant)
    document = live_documents(application)[0]
    Application.objects.filter(pk=application.pk).update(status=status)

    with pytest.raises(document_services.DocumentError, match="durumunda; belgeler şimdi karara bağlanamaz"):
        workflow.approve_document(document, actor=reviewer)

    assert Document.objects.get(pk=document.pk).status == "uploaded"
    assert not DocumentEvent.objects.filter(document=document).exists()
    assert ApplicationEvent.objects.filter(application=application).count() == 1  # its submission only


def test_the_first_decision_moves_the_application_into_review_once(applicant, reviewer):
    application = submitted(applicant)
    first, second = live_documents(application)[:2]

    workflow.approve_document(first, actor=reviewer)
    workflow.reject_document(second, actor=reviewer, note="Okunmuyor.")

    assert status_of(application) == "in_review"
    assert list(
        ApplicationEvent.objects.filter(application=application).values_list("from_status", "to_status", "actor")
    ) == [("draft", "submitted", applicant.pk), ("submitted", "in_review", reviewer.pk)]


def test_a_superseded_version_cannot_be_decided(applicant, reviewer):
    application = submitted(applicant)
    old = decide_all(application, reviewer, reject=1)[0]
    services.request_changes(application, actor=reviewer)
    document_services.add_document_file(application, old.requirement, uploaded=pdf_upload(), actor=applicant)
    services.resubmit_application(application, actor=applicant)

    with pytest.raises(document_services.DocumentError, match="yeni bir sürüm yüklendi"):
        workflow.approve_document(old, actor=reviewer)


# --- Request changes, approve documents -----------------------------------------------------------------------------


def test_request_changes_needs_every_document_decided(applicant, reviewer):
    application = submitted(applicant)
    workflow.reject_document(live_documents(application)[0], actor=reviewer, note="Eksik.")

    with pytest.raises(services.ApplicationError, match="Önce her belgeye karar verin"):
        services.request_changes(application, actor=reviewer)
    assert status_of(application) == "in_review"


def test_request_changes_needs_at_least_one_rejection(applicant, reviewer):
    application = submitted(applicant)
    decide_all(application, reviewer)

    with pytest.raises(services.ApplicationError, match="en az bir belgeyi gerekçesiyle reddedin"):
        services.request_changes(application, actor=reviewer)
    assert not ApplicationEvent.objects.filter(application=application, to_status="changes_requested").exists()


def test_request_changes_mails_one_message_listing_every_rejected_item_and_reason(
    applicant, reviewer, django_capture_on_commit_callbacks
):
    application = submitted(applicant)
    documents = decide_all(application, reviewer, reject=2)

    with django_capture_on_commit_callbacks(execute=True):
        services.request_changes(application, actor=reviewer, note="İki belge eksik.")

    assert status_of(application) == "changes_requested"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [applicant.email]
    for index, document in enumerate(documents[:2]):
        assert document.requirement.label in message.body
        assert f"Mühür / kaşe eksik — Sayfa {index + 1}" in message.body
    for document in documents[2:]:
        assert document.requirement.label not in message.body
    assert "İki belge eksik." in message.body


def test_approve_documents_moves_to_awaiting_originals_and_mails(
    applicant, reviewer, django_capture_on_commit_callbacks
):
    application = submitted(applicant)
    decide_all(application, reviewer)

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_documents(application, actor=reviewer)

    assert status_of(application) == "awaiting_originals"
    assert len(mail.outbox) == 1
    assert ApplicationEvent.objects.filter(
        application=application, from_status="in_review", to_status="awaiting_originals", actor=reviewer
    ).exists()


def test_approve_documents_is_refused_while_one_is_rejected_or_undecided(applicant, reviewer):
    application = submitted(applicant)
    documents = live_documents(application)
    workflow.reject_document(documents[0], actor=reviewer, note="Eksik.")

    with pytest.raises(services.ApplicationError, match=documents[0].requirement.label):
        services.approve_documents(application, actor=reviewer)
    assert status_of(application) == "in_review"


def test_what_review_options_hold_back_is_what_the_services_refuse_with(applicant, reviewer):
    # The review page offers its buttons from workflow.review_options; a refused POST must say the same thing.
    application = submitted(applicant)
    first, *others = live_documents(application)
    workflow.reject_document(first, actor=reviewer, note="Eksik.")
    application.refresh_from_db()

    options = workflow.review_options(application, services.checklist(application))
    S = Application.Status
    assert options.allows(S.CHANGES_REQUESTED) and options.allows(S.AWAITING_ORIGINALS)
    # The rejected document is decided and its original moot; the others wait for both.
    assert options.decidable == options.originals_awaited == {document.requirement_id for document in others}
    for to, service in [
        (S.CHANGES_REQUESTED, services.request_changes),
        (S.AWAITING_ORIGINALS, services.approve_documents),
    ]:
        with pytest.raises(services.ApplicationError) as refused:
            service(application, actor=reviewer)
        assert str(refused.value.message) == options.held_back[to]

    for document in others:
        workflow.approve_document(document, actor=reviewer)
    options = workflow.review_options(application, services.checklist(application))
    assert options.ready_for(S.CHANGES_REQUESTED) and not options.decidable
    services.request_changes(application, actor=reviewer)
    assert status_of(application) == "changes_requested"


# --- Originals ------------------------------------------------------------------------------------------------------


def test_the_last_required_original_approves_the_application(applicant, reviewer, django_capture_on_commit_callbacks):
    application = submitted(applicant)
    decide_all(application, reviewer)
    services.approve_documents(application, actor=reviewer)
    documents = live_documents(application)

    for document in documents[:-1]:
        workflow.mark_original_received(document, actor=reviewer)
    assert status_of(application) == "awaiting_originals"
    with django_capture_on_commit_callbacks(execute=True):
        workflow.mark_original_received(documents[-1], actor=reviewer)

    assert status_of(application) == "approved"
    event = ApplicationEvent.objects.get(application=application, to_status="approved")
    assert (event.actor, event.reason) == (reviewer, "Tüm asıl evrak ulaştı.")
    assert len(mail.outbox) == 1


def test_marking_an_original_twice_changes_nothing_the_second_time(applicant, reviewer):
    document = live_documents(submitted(applicant))[0]

    workflow.mark_original_received(document, actor=reviewer)
    first = Document.objects.get(pk=document.pk).original_received_at
    workflow.mark_original_received(document, actor=reviewer)

    assert Document.objects.get(pk=document.pk).original_received_at == first
    assert DocumentEvent.objects.filter(document=document, reason="Aslı kargoyla ulaştı.").count() == 1


def test_originals_that_arrived_early_approve_as_soon_as_the_documents_are(applicant, reviewer):
    application = submitted(applicant)
    for document in live_documents(application):
        workflow.mark_original_received(document, actor=reviewer)
    decide_all(application, reviewer)

    services.approve_documents(application, actor=reviewer)

    assert status_of(application) == "approved"
    assert list(ApplicationEvent.objects.filter(application=application).values_list("to_status", flat=True)) == [
        "submitted",
        "in_review",
        "awaiting_originals",
        "approved",
    ]


def test_originals_cannot_be_marked_once_the_application_is_closed(applicant, reviewer):
    application = submitted(applicant)
    decide_all(application, reviewer, reject=1)
    services.reject_application(application, actor=reviewer, reason="Yetkisiz kurum.")

    with pytest.raises(document_services.DocumentError, match="asıl evrak artık işaretlenemez"):
        workflow.mark_original_received(live_documents(application)[1], actor=reviewer)


# --- One live document per requirement; the second round -----------------------------------------------------------


def test_the_database_refuses_two_live_documents_for_one_requirement(applicant):
    document = live_documents(submitted(applicant))[0]

    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(application=document.application, requirement=document.requirement, version=2)

    assert Document.objects.filter(application=document.application, requirement=document.requirement).count() == 1


def test_reuploading_a_rejected_item_makes_version_2_and_keeps_version_1_with_its_decision(
    applicant, reviewer, django_capture_on_commit_callbacks
):
    application = submitted(applicant)
    documents = decide_all(application, reviewer, reject=1)
    rejected, approved = documents[0], documents[1:]
    services.request_changes(application, actor=reviewer)

    document_services.add_document_file(
        application, rejected.requirement, uploaded=pdf_upload("duzeltilmis.pdf"), actor=applicant
    )

    versions = list(
        Document.objects.filter(application=application, requirement=rejected.requirement).order_by("version")
    )
    assert [(d.version, d.is_live, d.status) for d in versions] == [(1, False, "rejected"), (2, True, "uploaded")]
    assert versions[0].pk == rejected.pk
    assert versions[0].rejection_text == "Mühür / kaşe eksik — Sayfa 1"
    assert versions[0].files.count() == 1 and versions[1].files.get().original_name == "duzeltilmis.pdf"
    for document in approved:
        kept = Document.objects.get(pk=document.pk)
        assert (kept.version, kept.is_live, kept.status) == (1, True, "approved")

    with django_capture_on_commit_callbacks(execute=True):
        services.resubmit_application(application, actor=applicant)

    assert status_of(application) == "submitted"
    assert ApplicationEvent.objects.filter(
        application=application, from_status="changes_requested", to_status="submitted", actor=applicant
    ).exists()
    assert len(mail.outbox) == 1

    # The second round: only the new version waits, and deciding it starts the review again.
    workflow.approve_document(versions[1], actor=reviewer)
    assert status_of(application) == "in_review"
    services.approve_documents(application, actor=reviewer)
    assert status_of(application) == "awaiting_originals"


def test_resubmission_is_refused_while_a_rejected_item_has_no_new_version(applicant, reviewer):
    application = submitted(applicant)
    decide_all(application, reviewer, reject=1)
    services.request_changes(application, actor=reviewer)

    with pytest.raises(services.ApplicationError) as refused:
        services.resubmit_application(application, actor=applicant)

    assert refused.value.missing
    assert status_of(application) == "changes_requested"
