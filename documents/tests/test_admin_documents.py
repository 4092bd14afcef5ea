"""The reviewers' document list in the admin: pending documents, filters, search, the all-or-nothing bulk approval,
and the catalogue of rejection reasons."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents.models import Document, DocumentEvent, RejectionReason
from onboarding import services, workflow
from onboarding.models import Application, ApplicationEvent, DocumentKind
from onboarding.tests.helpers import DETAILS, complete_draft, submitted

DOCUMENTS = reverse("admin:documents_document_changelist")
REASONS = reverse("admin:documents_rejectionreason_changelist")


def live_documents(application: Application) -> list[Document]:
    return list(Document.objects.filter(application=application, is_live=True).select_related("requirement"))


def listed(response) -> list[int]:
    return [document.pk for document in response.context["cl"].result_list]


def bulk_approve(client, documents: list[Document]):
    return client.post(
        DOCUMENTS,
        {"action": "approve_selected", "_selected_action": [document.pk for document in documents]},
        follow=True,
    )


@pytest.fixture
def as_reviewer(client, reviewer):
    client.force_login(reviewer)
    return client


def test_the_list_shows_pending_documents_of_applications_under_review_by_default(as_reviewer, applicant, reviewer):
    application = submitted(applicant)
    documents = live_documents(application)
    workflow.approve_document(documents[0], actor=reviewer)
    complete_draft(applicant)  # a draft's documents are nobody's work yet

    response = as_reviewer.get(DOCUMENTS)

    assert response.status_code == 200
    assert sorted(listed(response)) == sorted(document.pk for document in documents[1:])
    assert application.reference in response.text
    assert f"#belge-{documents[1].requirement_id}" in response.text  # links to the item on the application page


def test_the_status_and_document_kind_filters(as_reviewer, applicant, reviewer):
    documents = live_documents(submitted(applicant))
    workflow.approve_document(documents[0], actor=reviewer)
    workflow.reject_document(documents[1], actor=reviewer, note="Okunmuyor.")
    kind = documents[2].requirement.document_kind

    assert listed(as_reviewer.get(DOCUMENTS, {"status__exact": "approved"})) == [documents[0].pk]
    assert listed(as_reviewer.get(DOCUMENTS, {"status__exact": "rejected"})) == [documents[1].pk]
    by_kind = listed(as_reviewer.get(DOCUMENTS, {"requirement__document_kind__id__exact": kind.pk}))
    assert documents[2].pk in by_kind
    assert all(Document.objects.get(pk=pk).requirement.document_kind_id == kind.pk for pk in by_kind)
    assert DocumentKind.objects.exclude(pk=kind.pk).exists()


def test_search_by_reference_or_legal_name(as_reviewer, applicant, other_applicant):
    sisli = submitted(applicant)
    draft = complete_draft(other_applicant)
    services.save_institution_details(draft, details={**DETAILS, "legal_name": "Ödemiş Ticaret Odası"})
    odemis = services.submit_application(draft, actor=other_applicant)

    by_reference = listed(as_reviewer.get(DOCUMENTS, {"q": sisli.reference.lower()}))
    assert sorted(by_reference) == sorted(d.pk for d in live_documents(sisli))
    by_name = listed(as_reviewer.get(DOCUMENTS, {"q": "Ödemiş"}))
    assert sorted(by_name) == sorted(d.pk for d in live_documents(odemis))


def test_bulk_approval_approves_every_selected_document_when_all_are_valid(as_reviewer, applicant, reviewer):
    first = submitted(applicant)
    second = submitted(applicant)
    selected = live_documents(first) + live_documents(second)

    response = bulk_approve(as_reviewer, selected)

    assert f"{len(selected)} belge onaylandı." in response.text
    assert set(Document.objects.filter(pk__in=[d.pk for d in selected]).values_list("status", flat=True)) == {
        "approved"
    }
    assert DocumentEvent.objects.filter(document__in=selected, to_status="approved", actor=reviewer).count() == len(
        selected
    )
    for application in (first, second):
        application.refresh_from_db()
        assert application.status == "in_review"
        assert ApplicationEvent.objects.filter(application=application, to_status="in_review").count() == 1


def test_bulk_approval_approves_none_when_one_selected_document_is_not_approvable(as_reviewer, applicant, reviewer):
    application = submitted(applicant)
    documents = live_documents(application)
    workflow.reject_document(documents[0], actor=reviewer, note="Mühür yok.")
    other = submitted(applicant)
    events_before = DocumentEvent.objects.count()

    response = bulk_approve(as_reviewer, documents + live_documents(other))

    assert "Hiçbir belge onaylanmadı" in response.text
    assert f"{application.reference} · {documents[0].requirement.label} (v1): zaten karara bağlandı" in response.text
    assert DocumentEvent.objects.count() == events_before
    assert set(Document.objects.filter(pk__in=[d.pk for d in documents[1:]]).values_list("status", flat=True)) == {
        "uploaded"
    }
    other.refresh_from_db()
    assert other.status == "submitted"  # its documents were not approved, so its review did not start either
    assert not ApplicationEvent.objects.filter(application=other, to_status="in_review").exists()


def test_bulk_approval_names_documents_of_applications_no_longer_under_review(as_reviewer, applicant, reviewer):
    application = submitted(applicant)
    documents = live_documents(application)
    workflow.reject_document(documents[0], actor=reviewer, note="Eksik.")
    for document in documents[1:]:
        workflow.approve_document(document, actor=reviewer)
    services.request_changes(application, actor=reviewer)
    draft_document = live_documents(complete_draft(applicant))[0]

    response = bulk_approve(as_reviewer, [draft_document])

    assert "Hiçbir belge onaylanmadı" in response.text
    assert "başvuru “Taslak” durumunda" in response.text
    assert Document.objects.get(pk=draft_document.pk).status == "uploaded"


def test_the_bulk_action_is_offered_only_to_those_who_may_review(client, applicant, reviewer, superuser):
    submitted(applicant)
    client.force_login(reviewer)
    assert "approve_selected" in client.get(DOCUMENTS).text

    from django.contrib.auth.models import Permission

    from accounts.models import User

    viewer = User.objects.create_user(email="salt-okur@portal.test", password="x" * 12, is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_document"))
    client.force_login(viewer)
    response = client.get(DOCUMENTS)
    assert response.status_code == 200
    assert "approve_selected" not in response.text


def test_finance_has_no_document_list(client, finance):
    client.force_login(finance)

    assert client.get(DOCUMENTS).status_code == 403


def test_the_document_list_takes_the_same_number_of_queries_for_few_and_many(as_reviewer, applicant):
    submitted(applicant)
    as_reviewer.get(DOCUMENTS)
    with CaptureQueriesContext(connection) as few:
        as_reviewer.get(DOCUMENTS)
    for _ in range(5):
        submitted(applicant)
    with CaptureQueriesContext(connection) as many:
        response = as_reviewer.get(DOCUMENTS)

    assert len(response.context["cl"].result_list) > 10
    assert len(many.captured_queries) == len(few.captured_queries)


# --- Rejection reasons ----------------------------------------------------------------------------------------------


def test_reviewers_search_the_reasons_and_reorder_or_retire_them_in_the_list(as_reviewer):
    response = as_reviewer.get(REASONS, {"q": "imza eksik"})
    assert [reason.text for reason in response.context["cl"].result_list] == ["İmza eksik"]

    response = as_reviewer.get(REASONS)
    formset = response.context["cl"].formset
    data = {
        "form-TOTAL_FORMS": formset.total_form_count(),
        "form-INITIAL_FORMS": formset.initial_form_count(),
        "_save": "Kaydet",
    }
    target = RejectionReason.objects.get(text="İmza eksik")
    for index, form in enumerate(formset.forms):
        reason = form.instance
        data[f"form-{index}-id"] = reason.pk
        data[f"form-{index}-position"] = 99 if reason == target else reason.position
        if reason.is_active and reason != target:
            data[f"form-{index}-is_active"] = "on"

    response = as_reviewer.post(REASONS, data)

    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.position, target.is_active) == (99, False)
    assert RejectionReason.objects.filter(is_active=True).count() == len(formset.forms) - 1


def test_a_retired_reason_is_no_longer_offered_on_the_application_page(as_reviewer, applicant):
    application = submitted(applicant)
    RejectionReason.objects.filter(text="İmza eksik").update(is_active=False)

    response = as_reviewer.get(reverse("admin:onboarding_application_change", args=[application.pk]))

    assert ">İmza eksik<" not in response.text
    assert ">Mühür / kaşe eksik<" in response.text
