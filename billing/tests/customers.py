"""Building active customers for the customer-page tests, through the services production uses."""

from billing.models import BillingAccount, BillingType
from documents.models import Document
from onboarding import services, workflow
from onboarding.models import Application
from onboarding.tests.helpers import draft_with_answers, upload_required


def active_account(
    applicant, reviewer, *, plan: str = "prepaid", e_invoice_user: bool | None = None
) -> BillingAccount:
    """An application taken from draft to active (documents approved, originals received), and its billing account."""
    application = draft_with_answers(applicant)
    if plan == "invoiced" or e_invoice_user is not None:
        application = services.choose_billing(
            application,
            billing_type=BillingType.objects.get(code=plan),
            credit_package=application.credit_package if plan == "prepaid" else None,
            expected_monthly_messages=2_000,
            e_invoice_user=e_invoice_user,
        )
    application = upload_required(application, applicant)
    application = services.submit_application(application, actor=applicant)
    documents = list(Document.objects.filter(application=application, is_live=True))
    for document in documents:
        workflow.approve_document(document, actor=reviewer)
    application = services.approve_documents(application, actor=reviewer)
    for document in documents:
        workflow.mark_original_received(document, actor=reviewer)
    application = Application.objects.get(pk=application.pk)
    assert application.status == Application.Status.APPROVED, application.status
    services.activate_application(application, actor=reviewer)
    return BillingAccount.objects.get(application=application)
