"""The steps that write an application and its documents together: the one place both apps' rows are locked.

A reviewer's decision on a document can move its application (submitted → in review), the last original to arrive
approves it, and choosing another institution type drops the old type's draft documents. These steps used to live
half in documents.services, which moved the application itself, and half in onboarding.services, which reached back
into documents: the two imported each other and locked in opposite orders, which deadlocked under load. Now each
services module writes its own app's rows and imports neither the other nor this module; the steps that need both
are composed here, and the views and admin of both apps call them.

The one lock order, here and in both services modules:
1. the application (several: by primary key);
2. its documents, by primary key.
Re-locking a row already held (move_application does) waits for nothing.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from documents import services as document_services
from documents.models import Document
from onboarding import services as application_services
from onboarding.errors import ApplicationError
from onboarding.models import APPLICATION_TRANSITIONS, REVIEWABLE_STATUSES, Application, InstitutionType

if TYPE_CHECKING:
    from accounts.models import User
    from documents.models import RejectionReason


def _lock(
    application_pks: Iterable[int], document_pks: Iterable[int]
) -> tuple[dict[int, Application], list[Document]]:
    """Lock the applications, then the documents, each by primary key; each document gets its locked application.

    Must run inside a transaction. PostgreSQL locks the rows of an ordered SELECT … FOR UPDATE in that order. One
    statement over both tables is no way round it: FOR UPDATE OF takes each joined row's tables in the order the OF
    list names them (checked: `of=("self", "application")` held the document while it waited for the application).
    """
    applications = {
        application.pk: application
        for application in Application.objects.select_for_update().filter(pk__in=list(application_pks)).order_by("pk")
    }
    documents = list(
        Document.objects.select_for_update(of=("self",))
        .filter(pk__in=list(document_pks), application_id__in=list(applications))
        .select_related("requirement")
        .order_by("pk")
    )
    for document in documents:
        document.application = applications[document.application_id]
    return applications, documents


def _lock_one(document: Document) -> Document:
    """Lock a document's application, then the document, and return it read afresh under the locks."""
    _applications, documents = _lock([document.application_id], [document.pk])
    if not documents:
        raise Document.DoesNotExist(f"document {document.pk} is gone")
    return documents[0]


# --- The wizard ------------------------------------------------------------------------------------------------


@transaction.atomic
def choose_institution_type(application: Application, *, institution_type: InstitutionType) -> Application:
    """Wizard step 1; changing the type drops the answers and the draft documents of the old type's checklist.

    Locks the application, then deletes its documents (their stored files go after commit).
    """
    locked = application_services.set_institution_type(application, institution_type=institution_type)
    document_services.discard_documents(locked.documents.exclude(requirement__institution_type=institution_type))
    return locked


@transaction.atomic
def delete_draft(application: Application, *, actor: "User") -> None:
    """The applicant deletes a draft they no longer want: the application, its answers and documents go, and the
    stored files after commit. Only a draft: once submitted, an application is withdrawn (a record staff keep)."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.applicant_id != actor.pk or locked.status != Application.Status.DRAFT:
        raise ApplicationError(_("Yalnızca gönderilmemiş bir taslak silinebilir."))
    document_services.discard_documents(locked.documents.all())
    locked.delete()


# --- Review ----------------------------------------------------------------------------------------------------


def _decide(
    document: Document, *, to: str, actor: "User", reason: "RejectionReason | None" = None, note: str = ""
) -> Document:
    """Decide a document locked after its application; the first decision puts the application in review."""
    application = document.application
    decided = document_services.record_decision(
        document, application=application, to=to, actor=actor, reason=reason, note=note
    )
    if application.status == Application.Status.SUBMITTED:
        moved = application_services.move_application(application, to=Application.Status.IN_REVIEW, actor=actor)
        application.status = moved.status
    return decided


@transaction.atomic
def decide_document(
    document: Document,
    *,
    to: str,
    actor: "User",
    reason: "RejectionReason | None" = None,
    note: str = "",
) -> Document:
    """Approve or reject one live document; the application moves from submitted to in review on its first decision.

    Locks the application, then the document: of two simultaneous decisions the first wins and the second is
    refused with a DocumentError. A rejection needs a reason from the catalogue or a note.
    """
    return _decide(_lock_one(document), to=to, actor=actor, reason=reason, note=note)


def approve_document(document: Document, *, actor: "User") -> Document:
    """Approve a live document (see decide_document)."""
    return decide_document(document, to=Document.Status.APPROVED, actor=actor)


def reject_document(
    document: Document, *, actor: "User", reason: "RejectionReason | None" = None, note: str = ""
) -> Document:
    """Reject a live document with a reason the applicant will read (see decide_document)."""
    return decide_document(document, to=Document.Status.REJECTED, actor=actor, reason=reason, note=note)


def _describe(document: Document) -> str:
    return f"{document.application.reference} · {document.requirement.label} (v{document.version})"


def _not_approvable(document: Document) -> str | None:
    """Why a document cannot be approved now, in the reviewer's words, or None (record_decision checks again)."""
    if not document.is_live:
        return _("yerine yeni bir sürüm yüklendi")
    if document.status != Document.Status.UPLOADED:
        return _("zaten karara bağlandı (%(status)s)") % {"status": document.get_status_display()}
    if document.application.status not in REVIEWABLE_STATUSES:
        return _("başvuru “%(status)s” durumunda") % {"status": document.application.get_status_display()}
    return None


def approve_documents_together(pks: list[int], *, actor: "User") -> list[tuple[str, str]]:
    """Approve all these documents or none: returns (document, reason) for each that cannot be, and then rolls back.

    Every application concerned is locked first, then every document, each by primary key: a reviewer deciding one
    of them meanwhile, or the applicant uploading, waits for this (or this for them), never the two for each other.
    """
    failures: list[tuple[str, str]] = []
    with transaction.atomic():
        application_pks = set(Document.objects.filter(pk__in=pks).values_list("application_id", flat=True))
        _applications, documents = _lock(application_pks, pks)
        for document in documents:
            reason = _not_approvable(document)
            if reason is None:
                try:
                    _decide(document, to=Document.Status.APPROVED, actor=actor)
                except (document_services.DocumentError, ApplicationError) as error:
                    reason = error.message
            if reason is not None:
                failures.append((_describe(document), str(reason)))
        if failures:
            transaction.set_rollback(True)
    return failures


@transaction.atomic
def mark_original_received(document: Document, *, actor: "User") -> Document:
    """Record that a document's signed original arrived by cargo; the last required one approves the application.

    Locks the application, then the document. Idempotent: marking an original twice changes nothing.
    """
    locked = _lock_one(document)
    document_services.record_original_received(locked, application=locked.application, actor=actor)
    application_services.approve_if_originals_complete(locked.application, actor=actor)
    return locked


# --- What review may do now ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewOptions:
    """What may be done with an application now, by the rules the services apply when it is done.

    The review page offers its buttons from this; the services refuse with the same rules on POST, so a page that
    went stale meanwhile still cannot do more than the rules allow.
    """

    # The statuses the lifecycle table lets the application move to from the one it is in.
    moves: frozenset[str]
    # Of the review moves, those the checklist's documents hold back now, each with the reason the service gives.
    held_back: dict[str, str]
    # Requirements whose live document a reviewer may approve or reject now.
    decidable: frozenset[int]
    # Requirements whose live document's original may be marked as arrived now.
    originals_awaited: frozenset[int]

    def allows(self, to: str) -> bool:
        return to in self.moves

    def ready_for(self, to: str) -> bool:
        return to not in self.held_back


def review_options(application: Application, items: "list[application_services.ChecklistItem]") -> ReviewOptions:
    """What review may do with `application` now, given its checklist (onboarding.services.checklist).

    Asks the services' own rules: onboarding.services.documents_refusal for requesting changes and approving the
    documents, documents.services.decision_refusal and original_refusal for each live document. No query: the
    caller reads the checklist once and passes it (an empty one when it does not look at documents).
    """
    decidable: set[int] = set()
    originals_awaited: set[int] = set()
    for item in items:
        document = item.document
        if document is None:
            continue
        # The checklist read the requirement already: a refusal naming it costs no query.
        document.requirement = item.requirement
        if any(
            document_services.decision_refusal(document, application=application, to=to) is None
            for to in (Document.Status.APPROVED, Document.Status.REJECTED)
        ):
            decidable.add(item.requirement.pk)
        # Marking twice changes nothing, and a rejected document's original is moot: a new version will replace it.
        if (
            document.original_received_at is None
            and document.status != Document.Status.REJECTED
            and document_services.original_refusal(document, application=application) is None
        ):
            originals_awaited.add(item.requirement.pk)
    held_back = {
        to: str(refusal)
        for to in (Application.Status.CHANGES_REQUESTED, Application.Status.AWAITING_ORIGINALS)
        if (refusal := application_services.documents_refusal(to, items)) is not None
    }
    return ReviewOptions(
        moves=frozenset(APPLICATION_TRANSITIONS[application.status]),
        held_back=held_back,
        decidable=frozenset(decidable),
        originals_awaited=frozenset(originals_awaited),
    )
