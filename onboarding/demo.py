"""The embedded mode's demo applications: one due for each kind of reminder, so `make run` shows the digests at once.

Each is built through the services production uses (the wizard, uploads, submission, the reviewer's decisions), then
its timestamps are moved days into the past with QuerySet.update (created_at and updated_at are auto fields, which
no service sets). Idempotent: a scenario whose application (found by its legal name) or account exists is skipped,
so a second run adds nothing and moves nothing.

What each one is due for (onboarding/due.py has the rules; the first reminder goes 1 day after an item became due):
- a draft started 2 days ago with no documents: *draft* (finish and submit);
- changes requested, the rejected document decided 2 days ago: *rejected*, and *cargo*;
- submitted 3 days ago without a corporate line or cargo: *corporate line*, *cargo*; for reviewers *new submission*
  and *document waiting past the SLA*;
- documents approved 25 days ago, cargo recorded 10 days ago, originals missing: *originals*; for reviewers
  *originals overdue*;
- an account registered 2 days ago, address not confirmed: *confirm e-mail*.
"""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from pypdf import PdfWriter

from accounts import services as account_services
from accounts.models import User
from billing.models import BillingType, CreditPackage
from documents.models import Document, RejectionReason
from documents.services import add_document_file
from onboarding import services, workflow
from onboarding.models import Application, ApplicationEvent, InstitutionType

UNCONFIRMED_EMAIL = "yeni@demo.local"
UNCONFIRMED_PASSWORD = "Yeni-Demo-2026"  # noqa: S105 (a demo login, printed by load_demo_data)

DETAILS = {
    "tax_number": "4540536920",
    "tax_number_kind": "vkn",
    "tax_office": "Şişli",
    "address": "Halaskargazi Cad. No: 1\nŞişli",
    "province": "34",
    "district": "Şişli",
    "phone": "+902122345678",
    "email": "bilgi@sisli.test",
    "signatory_name": "Ömer Çağrı Işık",
    "signatory_title": "Belediye Başkanı",
    "signatory_tckn": "10000000146",
    "signatory_mobile": "+905321234567",
    "decision_date": None,
    "condition_answers": {},
}

# The legal names mark the scenarios (a second run finds them).
DRAFT_NAME = "Çankaya Belediyesi Basın Yayın Müdürlüğü"
CHANGES_NAME = "Ödemiş Belediyesi Kültür Müdürlüğü"
SUBMITTED_NAME = "Şişli Belediyesi İmar ve Şehircilik Müdürlüğü"
ORIGINALS_NAME = "Üsküdar Belediyesi Zabıta Müdürlüğü"


def _pdf(name: str) -> SimpleUploadedFile:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")


def _draft(applicant: User, legal_name: str, *, has_corporate_line: bool = True) -> Application:
    """Every wizard step before the documents, as the applicant would do them."""
    application = services.start_application(applicant)
    application = workflow.choose_institution_type(
        application, institution_type=InstitutionType.objects.get(code="municipality")
    )
    application = services.save_institution_details(application, details={**DETAILS, "legal_name": legal_name})
    application = services.choose_billing(
        application,
        billing_type=BillingType.objects.get(code="prepaid"),
        credit_package=CreditPackage.objects.get(credits=5_000),
        expected_monthly_messages=2_000,
    )
    if has_corporate_line:
        application = services.save_corporate_line(application, has_corporate_line=True, number="+905321234567")
    else:
        application = services.save_corporate_line(
            application, has_corporate_line=False, plan=Application.LinePlan.NEW_LINE
        )
    return services.save_sender_ids(application, values=["DEMOBLD"])


def _submitted(applicant: User, legal_name: str, **kwargs) -> Application:
    application = _draft(applicant, legal_name, **kwargs)
    for item in services.checklist(application):
        if item.is_required and not item.has_files:
            add_document_file(application, item.requirement, uploaded=_pdf("belge.pdf"), actor=applicant)
    return services.submit_application(application, actor=applicant)


def _live_documents(application: Application) -> list[Document]:
    return list(Document.objects.filter(application=application, is_live=True).order_by("pk"))


def _move_back(application: Application, **ago: timedelta) -> None:
    """Set the application's timestamps to these durations before now (auto fields cannot be set otherwise)."""
    now = timezone.now()
    Application.objects.filter(pk=application.pk).update(**{field: now - delta for field, delta in ago.items()})


def add_draft(applicant: User) -> Application:
    """A draft started 2 days ago and untouched since, its documents missing."""
    application = _draft(applicant, DRAFT_NAME)
    _move_back(application, created_at=timedelta(days=2), updated_at=timedelta(days=2))
    return application


def add_changes_requested(applicant: User, reviewer: User) -> Application:
    """Submitted 5 days ago; the reviewer rejected one document 2 days ago and approved the others."""
    application = _submitted(applicant, CHANGES_NAME)
    documents = _live_documents(application)
    workflow.reject_document(
        documents[0], actor=reviewer, reason=RejectionReason.objects.order_by("position").first()
    )
    for document in documents[1:]:
        workflow.approve_document(document, actor=reviewer)
    application = services.request_changes(application, actor=reviewer, note="İmza eksik.")
    days = timedelta(days=1)
    Document.objects.filter(application=application).update(created_at=timezone.now() - 5 * days)
    Document.objects.filter(pk__in=[d.pk for d in documents]).update(decided_at=timezone.now() - 2 * days)
    _move_back(application, created_at=6 * days, submitted_at=5 * days, updated_at=2 * days)
    return application


def add_submitted_without_line(applicant: User) -> Application:
    """Submitted 3 days ago with no corporate line yet, no cargo, and no document decided (past the review SLA)."""
    application = _submitted(applicant, SUBMITTED_NAME, has_corporate_line=False)
    days = timedelta(days=1)
    Document.objects.filter(application=application).update(created_at=timezone.now() - 3 * days)
    _move_back(application, created_at=4 * days, submitted_at=3 * days, updated_at=3 * days)
    return application


def add_awaiting_originals(applicant: User, reviewer: User) -> Application:
    """Scans approved 25 days ago, cargo recorded 10 days ago, no original received."""
    application = _submitted(applicant, ORIGINALS_NAME)
    for document in _live_documents(application):
        workflow.approve_document(document, actor=reviewer)
    application = services.approve_documents(application, actor=reviewer)
    application = services.record_cargo(application, company="Yurtiçi Kargo", tracking_number="123456789012")
    days = timedelta(days=1)
    now = timezone.now()
    Document.objects.filter(application=application).update(created_at=now - 28 * days, decided_at=now - 25 * days)
    ApplicationEvent.objects.filter(application=application, to_status=Application.Status.IN_REVIEW).update(
        created_at=now - 26 * days
    )
    ApplicationEvent.objects.filter(application=application, to_status=Application.Status.AWAITING_ORIGINALS).update(
        created_at=now - 25 * days
    )
    _move_back(
        application, created_at=30 * days, submitted_at=28 * days, cargo_recorded_at=10 * days, updated_at=10 * days
    )
    return application


def add_unconfirmed_account() -> User:
    """Registered 2 days ago (the confirmation e-mail was sent then), address never confirmed."""
    user = account_services.register_applicant(
        email=UNCONFIRMED_EMAIL, password=UNCONFIRMED_PASSWORD, full_name="Yeni Başvuran", mobile="", language="tr"
    )
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=2))
    return user


@transaction.atomic
def load_due_applications(applicant: User, reviewer: User) -> list[str]:
    """Add whichever scenario is missing; returns what was added (empty on a second run)."""
    added: list[str] = []
    existing = set(Application.objects.filter(applicant=applicant).values_list("legal_name", flat=True))
    if DRAFT_NAME not in existing:
        added.append(add_draft(applicant).reference)
    if CHANGES_NAME not in existing:
        added.append(add_changes_requested(applicant, reviewer).reference)
    if SUBMITTED_NAME not in existing:
        added.append(add_submitted_without_line(applicant).reference)
    if ORIGINALS_NAME not in existing:
        added.append(add_awaiting_originals(applicant, reviewer).reference)
    if not User.objects.filter(email__iexact=UNCONFIRMED_EMAIL).exists():
        added.append(add_unconfirmed_account().email)
    return added
