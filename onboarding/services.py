"""Every write with business meaning on applications: the wizard's steps, submission, and lifecycle moves.

Views, the admin and tasks call these; none of them sets `status` or saves an application's answers directly.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onboarding.models import (
    APPLICATION_TRANSITIONS,
    Application,
    ApplicationEvent,
    Consent,
    InstitutionType,
    Requirement,
    SenderId,
)

if TYPE_CHECKING:
    from accounts.models import User
    from billing.models import BillingType, CreditPackage
    from documents.models import Document

# The versions of the texts the applicant accepts on the review step; a new text gets a new version.
KVKK_NOTICE_VERSION = "2026-11-v1"
EXPLICIT_CONSENT_VERSION = "2026-11-v1"

STEPS = ["type", "details", "billing", "line", "sender", "documents", "review"]


class ApplicationError(Exception):
    """A business rule refused the operation; the message is for the user."""

    def __init__(self, message, *, missing: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.missing = missing or []


# --- Reading ----------------------------------------------------------------------------------------------------


def get_application_for_user(user: "User", reference: str) -> Application:
    """The user's own application by reference; anyone else's (or none) is a 404."""
    try:
        return Application.objects.select_related(
            "institution_type__letter_template", "billing_type", "credit_package"
        ).get(reference=reference, applicant=user)
    except Application.DoesNotExist:
        raise Http404 from None


@dataclass
class ChecklistItem:
    requirement: Requirement
    is_required: bool
    document: "Document | None"
    files: list = field(default_factory=list)

    @property
    def has_files(self) -> bool:
        return bool(self.files)


def checklist(application: Application) -> list[ChecklistItem]:
    """The institution type's requirements that apply to this application, each with its live document and files.

    Three queries whatever the number of requirements or files.
    """
    from documents.models import Document, DocumentFile

    if application.institution_type_id is None:
        return []
    requirements = Requirement.objects.filter(institution_type_id=application.institution_type_id).select_related(
        "condition", "document_kind"
    )
    documents = {
        document.requirement_id: document
        for document in Document.objects.filter(application=application, is_live=True).prefetch_related(
            Prefetch("files", queryset=DocumentFile.objects.order_by("uploaded_at", "id"))
        )
    }
    answers = application.condition_answers or {}
    items = []
    for requirement in requirements:
        if not requirement.applies(answers):
            continue
        document = documents.get(requirement.id)
        items.append(
            ChecklistItem(
                requirement=requirement,
                is_required=requirement.is_required(answers),
                document=document,
                files=list(document.files.all()) if document else [],
            )
        )
    return items


def missing_for_submission(application: Application, items: list[ChecklistItem] | None = None) -> list[str]:
    """What still stands between this application and submission, in the applicant's words."""
    missing: list[str] = []
    step_names = {
        "type": _("Kurum türü seçilmedi."),
        "details": _("Kurum bilgileri tamamlanmadı."),
        "billing": _("Ödeme tipi seçilmedi."),
        "line": _("Kurumsal hat bilgisi verilmedi."),
        "sender": _("SMS başlığı adımı tamamlanmadı."),
    }
    for step, message in step_names.items():
        if step not in application.completed_steps:
            missing.append(str(message))
    for item in checklist(application) if items is None else items:
        if item.is_required and not item.has_files:
            missing.append(str(_("Belge eksik: %(label)s") % {"label": item.requirement.localized("label")}))
    return missing


# --- The wizard -------------------------------------------------------------------------------------------------


def start_application(applicant: "User") -> Application:
    """A new draft for the applicant."""
    return Application.objects.create(applicant=applicant)


def _lock_editable(application: Application) -> Application:
    """Re-read the row under a lock and refuse unless it is still a draft (a submit may have won the race)."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if not locked.is_editable:
        raise ApplicationError(_("Bu başvuru gönderildi; artık değiştirilemez."))
    return locked


def _complete(application: Application, step: str) -> None:
    if step not in application.completed_steps:
        application.completed_steps = [s for s in STEPS if s in {*application.completed_steps, step}]


@transaction.atomic
def choose_institution_type(application: Application, *, institution_type: InstitutionType) -> Application:
    """Step 1. Changing the type drops the answers and draft files that belonged to the old type's checklist."""
    from documents.services import discard_documents

    locked = _lock_editable(application)
    if locked.institution_type_id != institution_type.id:
        if locked.institution_type_id is not None:
            discard_documents(locked.documents.exclude(requirement__institution_type=institution_type))
            locked.condition_answers = {}
            locked.completed_steps = [s for s in locked.completed_steps if s != "details"]
        locked.institution_type = institution_type
    _complete(locked, "type")
    locked.save(update_fields=["institution_type", "condition_answers", "completed_steps", "updated_at"])
    return locked


DETAIL_FIELDS = [
    "legal_name",
    "tax_number",
    "tax_number_kind",
    "tax_office",
    "address",
    "province",
    "district",
    "phone",
    "email",
    "signatory_name",
    "signatory_title",
    "signatory_tckn",
    "signatory_mobile",
    "decision_date",
    "condition_answers",
]


@transaction.atomic
def save_institution_details(application: Application, *, details: dict) -> Application:
    """Step 2: the institution, its signatory and the answers to the type's condition questions."""
    locked = _lock_editable(application)
    for name in DETAIL_FIELDS:
        setattr(locked, name, details.get(name, getattr(locked, name)))
    _complete(locked, "details")
    locked.save(update_fields=[*DETAIL_FIELDS, "completed_steps", "updated_at"])
    return locked


@transaction.atomic
def choose_billing(
    application: Application,
    *,
    billing_type: "BillingType",
    credit_package: "CreditPackage | None",
    expected_monthly_messages: int | None,
) -> Application:
    """Step 3: invoiced, or prepaid with one package."""
    locked = _lock_editable(application)
    if billing_type.code == "prepaid" and credit_package is None:
        raise ApplicationError(_("Ön ödemeli için bir kontör paketi seçin."))
    locked.billing_type = billing_type
    locked.credit_package = credit_package if billing_type.code == "prepaid" else None
    locked.expected_monthly_messages = expected_monthly_messages
    _complete(locked, "billing")
    locked.save(
        update_fields=["billing_type", "credit_package", "expected_monthly_messages", "completed_steps", "updated_at"]
    )
    return locked


@transaction.atomic
def save_corporate_line(
    application: Application, *, has_corporate_line: bool, number: str = "", plan: str = ""
) -> Application:
    """Step 4: the corporate line's number, or how the institution will get one (reminders follow up on that)."""
    locked = _lock_editable(application)
    locked.has_corporate_line = has_corporate_line
    locked.corporate_line_number = number if has_corporate_line else ""
    locked.line_plan = "" if has_corporate_line else plan
    _complete(locked, "line")
    locked.save(
        update_fields=["has_corporate_line", "corporate_line_number", "line_plan", "completed_steps", "updated_at"]
    )
    return locked


@transaction.atomic
def save_sender_ids(application: Application, *, values: Iterable[str]) -> Application:
    """Step 5: the requested sender IDs (optional), replacing the previous list."""
    locked = _lock_editable(application)
    locked.sender_ids.all().delete()
    unique: list[str] = []
    for value in values:
        if value and value not in unique:
            unique.append(value)
    SenderId.objects.bulk_create(
        SenderId(application=locked, value=value, position=index) for index, value in enumerate(unique)
    )
    _complete(locked, "sender")
    locked.save(update_fields=["completed_steps", "updated_at"])
    return locked


# --- Submission and the lifecycle -------------------------------------------------------------------------------


def move_application(application: Application, *, to: str, actor: "User | None", reason: str = "") -> Application:
    """The one place an application's status changes: lock, check the table, write the event, save.

    Must run inside a transaction (the lock lasts until it ends). Raises ApplicationError for a move the table
    does not allow.
    """
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if to not in APPLICATION_TRANSITIONS[locked.status]:
        raise ApplicationError(
            _("Başvuru “%(from)s” durumundan “%(to)s” durumuna geçemez.")
            % {"from": locked.get_status_display(), "to": Application.Status(to).label}
        )
    ApplicationEvent.objects.create(
        application=locked, actor=actor, from_status=locked.status, to_status=to, reason=reason
    )
    locked.status = to
    fields = ["status", "updated_at"]
    if to == Application.Status.SUBMITTED:
        locked.submitted_at = timezone.now()
        fields.append("submitted_at")
    locked.save(update_fields=fields)
    return locked


@transaction.atomic
def submit_application(
    application: Application, *, actor: "User", kvkk_notice_accepted: bool, explicit_consent_given: bool
) -> Application:
    """Submit a complete draft: both KVKK records, then draft → submitted, then the e-mail after commit.

    Idempotent under double clicks and two tabs: the row lock serialises them, and the second finds the
    application already submitted and gets an ApplicationError saying so.
    """
    from accounts.emails import queue_email

    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != Application.Status.DRAFT:
        raise ApplicationError(_("Bu başvuru zaten gönderildi."))
    missing = missing_for_submission(locked)
    if not kvkk_notice_accepted:
        missing.append(str(_("KVKK aydınlatma metnini okuduğunuzu onaylayın.")))
    if not explicit_consent_given:
        missing.append(str(_("Açık rıza beyanını onaylayın.")))
    if missing:
        raise ApplicationError(_("Başvuru henüz gönderilemez; eksikler aşağıda."), missing=missing)

    for kind, version in (
        (Consent.Kind.KVKK_NOTICE, KVKK_NOTICE_VERSION),
        (Consent.Kind.EXPLICIT_CONSENT, EXPLICIT_CONSENT_VERSION),
    ):
        Consent.objects.get_or_create(application=locked, kind=kind, text_version=version, defaults={"user": actor})
    locked = move_application(locked, to=Application.Status.SUBMITTED, actor=actor)
    _complete(locked, "review")
    locked.save(update_fields=["completed_steps"])
    queue_email(
        to=[locked.applicant.email],
        template="application_submitted",
        context={
            "full_name": locked.applicant.full_name,
            "reference": locked.reference,
            "legal_name": locked.legal_name,
            "status_url": settings.SITE_URL + reverse("onboarding:application-status", args=[locked.reference]),
            "cargo_address": settings.PORTAL_CARGO_ADDRESS,
        },
    )
    return locked
