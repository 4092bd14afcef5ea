"""Building applications for tests through the same services production uses."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from billing.models import BillingType, CreditPackage
from documents.services import add_document_file
from onboarding import demo, services, workflow
from onboarding.models import Application, InstitutionType

# The demo data's institution (the same valid VKN, TCKN and numbers), under a name of the tests' own.
DETAILS = {**demo.DETAILS, "legal_name": "Şişli Belediyesi İmar ve Şehircilik Müdürlüğü"}


def pdf_upload(name: str = "belge.pdf", pages: int = 1) -> SimpleUploadedFile:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")


def draft_with_answers(applicant, *, type_code: str = "municipality", answers: dict | None = None) -> Application:
    """A draft with every step before the documents done."""
    application = services.start_application(applicant)
    application = workflow.choose_institution_type(
        application, institution_type=InstitutionType.objects.get(code=type_code)
    )
    application = services.save_institution_details(
        application, details={**DETAILS, "condition_answers": answers or {}}
    )
    application = services.choose_billing(
        application,
        billing_type=BillingType.objects.get(code="prepaid"),
        credit_package=CreditPackage.objects.get(credits=5_000),
        expected_monthly_messages=2_000,
    )
    application = services.save_corporate_line(application, has_corporate_line=True, number="+905321234567")
    return services.save_sender_ids(application, values=["SISLIBLD"])


def upload_required(application: Application, applicant) -> Application:
    for item in services.checklist(application):
        if item.is_required and not item.has_files:
            add_document_file(application, item.requirement, uploaded=pdf_upload(), actor=applicant)
    return Application.objects.get(pk=application.pk)


def complete_draft(applicant, **kwargs) -> Application:
    return upload_required(draft_with_answers(applicant, **kwargs), applicant)


def submitted(applicant, **kwargs) -> Application:
    application = complete_draft(applicant, **kwargs)
    return services.submit_application(application, actor=applicant)
