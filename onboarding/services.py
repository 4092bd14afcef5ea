"""Every write with business meaning on applications: the wizard's steps, submission, and lifecycle moves.

Views, the admin and tasks call these; none of them sets `status` or saves an application's answers directly.
This module writes applications only and reads documents through their models; it never imports
documents.services (nor that this). Steps that write both are in onboarding.workflow. Locks: the application first,
then its documents by primary key.
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

from onboarding import wizard
from onboarding.errors import ApplicationError
from onboarding.models import (
    APPLICATION_TRANSITIONS,
    LINE_OPEN,
    OPEN_STATUSES,
    Application,
    ApplicationEvent,
    InstitutionType,
    Requirement,
    SenderId,
    SenderIdBasis,
)
from outbox.services import queue_email
from privacy import services as privacy_services
from privacy.models import PrivacyText

if TYPE_CHECKING:
    from accounts.models import User
    from billing.models import BillingType, CreditPackage
    from documents.models import Document

# The wizard's steps by name, in order (onboarding.wizard defines them).
STEPS = wizard.NAMES


# --- Reading ----------------------------------------------------------------------------------------------------


def get_application_for_user(user: "User", reference: str) -> Application:
    """The user's own application by reference, with its catalogue rows; anyone else's (or none) is a 404.

    The catalogue rows come from memory (onboarding.catalogue) where it is at hand, joined into the query otherwise.
    """
    from onboarding import catalogue

    applications = Application.objects.filter(reference=reference, applicant=user)
    try:
        if catalogue.at_hand():
            application = applications.get()
            if catalogue.attach(application):
                return application
        return applications.select_related(
            "institution_type__letter_template", "billing_type", "credit_package"
        ).get()
    except Application.DoesNotExist:
        raise Http404 from None


@dataclass
class ChecklistItem:
    requirement: Requirement
    is_required: bool
    document: "Document | None"
    files: list = field(default_factory=list)
    can_upload: bool = False
    can_remove: bool = False
    # Why a file chosen for this item was not taken (the documents step's own post), shown under its field.
    upload_errors: list = field(default_factory=list)

    @property
    def has_files(self) -> bool:
        return bool(self.files)


def checklist(application: Application, *, documents: list | None = None) -> list[ChecklistItem]:
    """The institution type's requirements that apply to this application, each with its live document and files.

    Two queries whatever the number of requirements or files; none when the caller has read the application's
    documents already (`documents`: every version, their files prefetched in upload order, the review page).
    """
    from documents.models import Document, DocumentFile, files_removable, upload_mode

    if application.institution_type_id is None:
        return []
    from onboarding import catalogue

    requirements = catalogue.requirements_of(application.institution_type_id)
    if documents is None:
        documents = (
            Document.objects.filter(application=application, is_live=True)
            .select_related("rejection_reason")
            .prefetch_related(Prefetch("files", queryset=DocumentFile.objects.order_by("uploaded_at", "id")))
        )
    documents = {document.requirement_id: document for document in documents if document.is_live}
    answers = application.condition_answers or {}
    items = []
    for requirement in requirements:
        if not requirement.applies(answers):
            continue
        document = documents.get(requirement.id)
        if document is not None:
            document.requirement = requirement  # the catalogue's row: no query when a page names it
        items.append(
            ChecklistItem(
                requirement=requirement,
                is_required=requirement.is_required(answers),
                document=document,
                files=list(document.files.all()) if document else [],
                can_upload=upload_mode(application, document) is not None,
                can_remove=document is not None and files_removable(application, document),
            )
        )
    return items


def missing_for_submission(application: Application, items: list[ChecklistItem] | None = None) -> list[str]:
    """What still stands between this application and submission, in the applicant's words."""
    missing = [
        str(step.missing)
        for step in wizard.STEPS
        if step.missing is not None and step.name not in application.completed_steps
    ]
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
def set_institution_type(application: Application, *, institution_type: InstitutionType) -> Application:
    """The application's half of step 1: changing the type drops the answers that belonged to the old type.

    Called by onboarding.workflow.choose_institution_type, which also drops the old type's draft documents.
    """
    locked = _lock_editable(application)
    if locked.institution_type_id != institution_type.id:
        if locked.institution_type_id is not None:
            locked.condition_answers = _sender_answers(locked.condition_answers)
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
    kept = _sender_answers(locked.condition_answers)
    for name in DETAIL_FIELDS:
        setattr(locked, name, details.get(name, getattr(locked, name)))
    # The details step answers its own questions; what the sender IDs stand for is the sender step's to say.
    locked.condition_answers = {**(locked.condition_answers or {}), **kept}
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
    e_invoice_user: bool | None = None,
) -> Application:
    """Step 3: invoiced, or prepaid with one package; and whether the institution is a registered e-Fatura user,
    which decides e-Fatura or e-Arşiv for its invoices (None: not answered; the wizard's form asks it of invoiced)."""
    from billing.models import Plan

    locked = _lock_editable(application)
    prepaid = billing_type.code == Plan.PREPAID
    if prepaid and credit_package is None:
        raise ApplicationError(_("Ön ödemeli için bir kontör paketi seçin."))
    locked.billing_type = billing_type
    locked.credit_package = credit_package if prepaid else None
    locked.expected_monthly_messages = expected_monthly_messages
    locked.e_invoice_user = e_invoice_user
    _complete(locked, "billing")
    locked.save(
        update_fields=[
            "billing_type",
            "credit_package",
            "expected_monthly_messages",
            "e_invoice_user",
            "completed_steps",
            "updated_at",
        ]
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


def _sender_condition_codes() -> set[str]:
    """The conditions answered by what the sender IDs stand for (SenderIdBasis), not by a question."""
    return set(SenderIdBasis.objects.exclude(condition=None).values_list("condition__code", flat=True))


def _sender_answers(answers: dict | None) -> dict:
    """The part of condition_answers that the sender step wrote."""
    codes = _sender_condition_codes()
    return {code: value for code, value in (answers or {}).items() if code in codes}


@transaction.atomic
def save_sender_ids(
    application: Application,
    *,
    values: Iterable[str],
    bases: dict[str, SenderIdBasis | None] | None = None,
    sends_commercial: bool | None = None,
) -> Application:
    """Step 5: the requested sender IDs (optional), replacing the previous list, each with what it stands for; and
    whether the institution will send commercial messages (İYS).

    What each sender ID stands for answers its basis's condition "yes", which brings the matching proof (the
    type's requirements on that condition) into the checklist; a basis no longer used takes its proof out again.
    """
    locked = _lock_editable(application)
    bases = bases or {}
    locked.sender_ids.all().delete()
    unique: list[str] = []
    for value in values:
        if value and value not in unique:
            unique.append(value)
    SenderId.objects.bulk_create(
        SenderId(application=locked, value=value, position=index, basis=bases.get(value))
        for index, value in enumerate(unique)
    )
    used = {basis.condition.code for value, basis in bases.items() if basis and basis.condition and value in unique}
    codes = _sender_condition_codes()
    answers = {code: value for code, value in (locked.condition_answers or {}).items() if code not in codes}
    locked.condition_answers = answers | dict.fromkeys(sorted(used), True)
    locked.sends_commercial = sends_commercial
    _complete(locked, "sender")
    locked.save(update_fields=["condition_answers", "sends_commercial", "completed_steps", "updated_at"])
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
    application: Application,
    *,
    actor: "User",
    notice_version: str | None = None,
    marketing_email_consent: bool = False,
) -> Application:
    """Submit a complete draft: record the KVKK notice shown (and the optional consent given), then draft →
    submitted, then the e-mail after commit.

    Nothing here waits for a consent: the data needed to open the account is processed for the contract and legal
    obligations (KVKK art. 5/2-c, ç), so the applicant is informed, not asked. `notice_version` is the version the
    page showed (the one in force if unknown); the optional marketing consent is recorded with its text's version
    only when given.

    Idempotent under double clicks and two tabs: the row lock serialises them, and the second finds the
    application already submitted and gets an ApplicationError saying so.
    """
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != Application.Status.DRAFT:
        raise ApplicationError(_("Bu başvuru zaten gönderildi."))
    missing = missing_for_submission(locked)
    if locked.applicant.email_confirmed_at is None:
        missing.append(str(_("E-posta adresinizi doğrulayın (size gönderdiğimiz bağlantıya tıklayın).")))
    notice = privacy_services.text_shown(PrivacyText.Kind.NOTICE, notice_version)
    if notice is None:
        # Staff removed every notice: the applicant cannot be informed, so nothing is sent until one is back.
        missing.append(str(_("KVKK aydınlatma metni şu anda gösterilemiyor; lütfen bizimle iletişime geçin.")))
    if missing:
        raise ApplicationError(_("Başvuru henüz gönderilemez; eksikler aşağıda."), missing=missing)

    privacy_services.record_privacy_text(notice, user=actor, application=locked)
    if marketing_email_consent:
        consent_text = PrivacyText.objects.in_force(PrivacyText.Kind.MARKETING_EMAIL)
        if consent_text is not None:
            privacy_services.record_privacy_text(consent_text, user=actor, application=locked)
    locked = move_application(locked, to=Application.Status.SUBMITTED, actor=actor)
    _complete(locked, "review")
    locked.save(update_fields=["completed_steps"])
    _notify_applicant(locked, "application_submitted")
    return locked


# --- Review (the back office) -----------------------------------------------------------------------------------


def _status_url(application: Application) -> str:
    return settings.SITE_URL + reverse("onboarding:application-status", args=[application.reference])


def _notify_applicant(application: Application, template: str, **context) -> None:
    """Queue one of the lifecycle's e-mails to the applicant, in their language, in the current transaction's outbox.

    Their language, not the one of whoever caused it: a reviewer working in English must not write to a Turkish
    applicant in English.
    """
    queue_email(
        to=[application.applicant.email],
        template=template,
        context={
            "full_name": application.applicant.full_name,
            "reference": application.reference,
            "legal_name": application.legal_name,
            "status_url": _status_url(application),
            "cargo_address": settings.PORTAL_CARGO_ADDRESS,
            **context,
        },
        about=application,
        language=application.applicant.language,
    )


def documents_refusal(to: str, items: list[ChecklistItem]) -> str | None:
    """Why the checklist's documents hold back a review move to `to` now, in the reviewer's words, or None.

    The rule of request_changes (every document decided, one at least rejected) and of approve_documents (every
    document approved, every required one there). Those services refuse with this message; the review page, which
    has the checklist already, asks the same through onboarding.workflow.review_options before offering the button.
    Whether the lifecycle allows the move at all is APPLICATION_TRANSITIONS' answer (move_application checks it).
    """
    from documents.models import Document

    if to == Application.Status.CHANGES_REQUESTED:
        undecided = [
            item.requirement.label
            for item in items
            if item.document is not None and item.document.status == Document.Status.UPLOADED
        ]
        if undecided:
            return _("Önce her belgeye karar verin. Kararsız: %(labels)s") % {"labels": ", ".join(undecided)}
        if not any(item.document is not None and item.document.status == Document.Status.REJECTED for item in items):
            return _("Düzeltme istemek için en az bir belgeyi gerekçesiyle reddedin.")
    elif to == Application.Status.AWAITING_ORIGINALS:
        unapproved = [
            item.requirement.label
            for item in items
            if (item.document.status != Document.Status.APPROVED if item.document is not None else item.is_required)
        ]
        if unapproved:
            return _("Onaylanmamış belgeler var: %(labels)s") % {"labels": ", ".join(unapproved)}
    return None


@transaction.atomic
def request_changes(application: Application, *, actor: "User", note: str = "") -> Application:
    """in review → changes requested, once every document is decided and at least one is rejected.

    The applicant gets one e-mail listing every rejected item with its reason and a link back.
    """
    from documents.models import Document

    locked = Application.objects.select_for_update().get(pk=application.pk)
    items = checklist(locked)
    refusal = documents_refusal(Application.Status.CHANGES_REQUESTED, items)
    if refusal is not None:
        raise ApplicationError(refusal)
    rejected = [item for item in items if item.document and item.document.status == Document.Status.REJECTED]
    locked = move_application(locked, to=Application.Status.CHANGES_REQUESTED, actor=actor, reason=note)
    _notify_applicant(
        locked,
        "application_changes_requested",
        note=note,
        items=[{"label": item.requirement.label, "reason": item.document.rejection_text} for item in rejected],
    )
    return locked


def approve_if_originals_complete(application: Application, *, actor: "User") -> Application:
    """awaiting originals → approved when every required live document's original has arrived (in a transaction)."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != Application.Status.AWAITING_ORIGINALS:
        return locked
    items = checklist(locked)
    if all(item.document and item.document.original_received_at for item in items if item.is_required):
        locked = move_application(
            locked, to=Application.Status.APPROVED, actor=actor, reason=str(_("Tüm asıl evrak ulaştı."))
        )
        _notify_applicant(locked, "application_approved")
    return locked


@transaction.atomic
def approve_documents(application: Application, *, actor: "User") -> Application:
    """in review → awaiting originals, when every required document is approved and none is open or rejected.

    If the originals already arrived, the application goes straight on to approved.
    """
    locked = Application.objects.select_for_update().get(pk=application.pk)
    refusal = documents_refusal(Application.Status.AWAITING_ORIGINALS, checklist(locked))
    if refusal is not None:
        raise ApplicationError(refusal)
    locked = move_application(locked, to=Application.Status.AWAITING_ORIGINALS, actor=actor)
    _notify_applicant(locked, "application_documents_approved")
    return approve_if_originals_complete(locked, actor=actor)


@transaction.atomic
def reject_application(application: Application, *, actor: "User", reason: str) -> Application:
    """Refuse the application for good, with the reason the applicant reads."""
    reason = reason.strip()
    if not reason:
        raise ApplicationError(_("Başvuruyu reddetmek için gerekçe yazın."))
    locked = move_application(application, to=Application.Status.REJECTED, actor=actor, reason=reason)
    _notify_applicant(locked, "application_rejected", reason=reason)
    return locked


@transaction.atomic
def withdraw_application(application: Application, *, actor: "User", reason: str) -> Application:
    """Close an application that will not go on (staff decide it, typically past a deadline), telling the applicant.

    Allowed where the lifecycle allows withdrawing (a draft, a submission, changes requested); the reason is what the
    applicant reads. Reminders stop with it: a withdrawn application is due for nothing.
    """
    reason = reason.strip()
    if not reason:
        raise ApplicationError(_("Başvuruyu geri çekmek için gerekçe yazın."))
    locked = move_application(application, to=Application.Status.WITHDRAWN, actor=actor, reason=reason)
    _notify_applicant(locked, "application_withdrawn", reason=reason)
    return locked


# Where the applicant may withdraw a submitted application themselves (a draft is deleted instead).
APPLICANT_WITHDRAWABLE = {Application.Status.SUBMITTED, Application.Status.CHANGES_REQUESTED}


@transaction.atomic
def withdraw_by_applicant(application: Application, *, actor: "User", reason: str = "") -> Application:
    """The applicant withdraws their submitted application: an event staff see (actor, reason) and a confirmation
    e-mail. Only before review decides (submitted, changes requested); a draft is deleted, not withdrawn."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status not in APPLICANT_WITHDRAWABLE:
        raise ApplicationError(_("Bu başvuru bu aşamada geri çekilemez; bizimle iletişime geçin."))
    reason = reason.strip() or str(_("Başvuru sahibi geri çekti (gerekçe yazılmadı)."))
    locked = move_application(locked, to=Application.Status.WITHDRAWN, actor=actor, reason=reason)
    _notify_applicant(locked, "application_withdrawn_by_applicant", reason=reason)
    return locked


@transaction.atomic
def activate_application(application: Application, *, actor: "User") -> Application:
    """approved → active: the account is open on the operator's side, and its billing account opens here."""
    from billing.accounts import open_account

    locked = move_application(application, to=Application.Status.ACTIVE, actor=actor)
    open_account(locked, actor=actor)
    _notify_applicant(locked, "application_activated")
    return locked


@transaction.atomic
def resubmit_application(application: Application, *, actor: "User") -> Application:
    """changes requested → submitted, once every rejected item has a new version with files."""
    from documents.models import Document

    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != Application.Status.CHANGES_REQUESTED:
        raise ApplicationError(_("Bu başvuru şu anda yeniden gönderilemez."))
    items = checklist(locked)
    missing = [
        str(_("Yeniden yüklenmeli: %(label)s") % {"label": item.requirement.localized("label")})
        for item in items
        if (item.document is not None and item.document.status == Document.Status.REJECTED)
        or (item.is_required and not item.has_files)
    ]
    if missing:
        raise ApplicationError(_("Yeniden gönderebilmeniz için eksikler var."), missing=missing)
    locked = move_application(locked, to=Application.Status.SUBMITTED, actor=actor)
    # An e-mail of its own: what happened (the corrected documents went back to review), not the first submission's.
    # The labels in the applicant's language (the e-mail's), from both columns.
    corrected = [
        {"tr": item.requirement.label, "en": item.requirement.label_en or item.requirement.label}
        for item in items
        if item.document is not None
        and item.document.version > 1
        and item.document.status == Document.Status.UPLOADED
    ]
    _notify_applicant(locked, "application_resubmitted", corrected=corrected)
    return locked


# The cargo of originals is recorded while the application is open (submitted, not yet decided either way).
CARGO_OPEN = OPEN_STATUSES


@transaction.atomic
def record_cargo(application: Application, *, company: str, tracking_number: str) -> Application:
    """The applicant's cargo company and tracking number for the envelope of originals."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status not in CARGO_OPEN:
        raise ApplicationError(_("Kargo bilgisi bu aşamada girilemez."))
    locked.cargo_company = company
    locked.cargo_tracking_number = tracking_number
    locked.cargo_recorded_at = timezone.now()
    locked.save(update_fields=["cargo_company", "cargo_tracking_number", "cargo_recorded_at", "updated_at"])
    return locked


@transaction.atomic
def record_corporate_line(application: Application, *, number: str) -> Application:
    """The corporate line's number, given after submission by an applicant who was to get one (resolves that item).

    The number is checked as the wizard's line step checks it; giving it again corrects it. The row is locked, so
    a double click or a second tab writes once; the field history keeps the number it replaced.
    """
    from django.core.exceptions import ValidationError

    from onboarding.identifiers import normalize_mobile

    try:
        normalized = normalize_mobile(number)
    except ValidationError as error:
        raise ApplicationError(error.messages[0]) from None
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status not in LINE_OPEN:
        raise ApplicationError(_("Kurumsal hat numarası bu aşamada girilemez."))
    if not locked.line_plan and locked.has_corporate_line is not False:
        raise ApplicationError(
            _("Kurumsal hat numaranız başvuruda girildi; değiştirmek için bizimle iletişime geçin.")
        )
    locked.has_corporate_line = True
    locked.corporate_line_number = normalized
    locked.save(update_fields=["has_corporate_line", "corporate_line_number", "updated_at"])
    return locked
