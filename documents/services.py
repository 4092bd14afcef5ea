"""Every write on uploaded documents: adding and removing files, discarding a draft's documents.

Files are checked by their bytes (documents.filecheck) before anything is written; a failure at any point leaves
neither a row nor a stored file behind.
"""

import logging
import os
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.filecheck import check_upload, safe_display_name
from documents.models import DOCUMENT_TRANSITIONS, Document, DocumentEvent, DocumentFile
from onboarding.models import Application, Requirement
from onboarding.services import ApplicationError

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User
    from documents.models import RejectionReason

logger = logging.getLogger(__name__)

MAX_FILES_PER_DOCUMENT = 10


def _delete_stored_later(names: list[str]) -> None:
    """Remove stored files once the transaction that forgot them has committed (never before: it may roll back)."""
    storage = DocumentFile._meta.get_field("file").storage

    def delete() -> None:
        for name in names:
            try:
                storage.delete(name)
            except OSError:  # a leftover file is harmless; a failed request is not
                logger.warning("could not delete stored file %s", name)

    transaction.on_commit(delete)


def upload_mode(application: Application, live: Document | None) -> str | None:
    """How new files for a checklist item would be taken now: "create", "append", "supersede", or None (closed)."""
    if application.status == Application.Status.DRAFT:
        return "append" if live else "create"
    if application.status != Application.Status.CHANGES_REQUESTED:
        return None
    if live is None:
        return "create"
    if live.status == Document.Status.REJECTED:
        return "supersede"
    if live.status == Document.Status.UPLOADED and live.version > 1:
        return "append"
    return None


def _can_upload(application: Application, requirement: Requirement) -> Document:
    """The live document the files go to, creating or superseding as the application's state allows.

    - a draft: the requirement's live document, created on the first file;
    - changes requested: a rejected document is superseded by a new version (the old one, its files and its
      decision stay for the record); a new version not yet reviewed takes more files; approved items are closed.
    """
    if requirement.institution_type_id != application.institution_type_id:
        raise ApplicationError(_("Bu belge, seçtiğiniz kurum türünün listesinde yok."))
    live = (
        Document.objects.select_for_update().filter(application=application, requirement=requirement, is_live=True)
    ).first()
    mode = upload_mode(application, live)
    if mode == "append":
        return live
    if mode == "create":
        return Document.objects.create(application=application, requirement=requirement)
    if mode == "supersede":
        Document.objects.filter(pk=live.pk).update(is_live=False)
        return Document.objects.create(application=application, requirement=requirement, version=live.version + 1)
    if application.status == Application.Status.CHANGES_REQUESTED:
        raise ApplicationError(_("Bu belge onaylandı; yalnızca reddedilen belgeler yeniden yüklenebilir."))
    raise ApplicationError(_("Başvuru gönderildi; belgeler artık değiştirilemez."))


def files_removable(application: Application, document: Document) -> bool:
    """Before submission any file; after a change request only those of a new version not yet reviewed."""
    if application.status == Application.Status.DRAFT:
        return True
    return (
        application.status == Application.Status.CHANGES_REQUESTED
        and document.status == Document.Status.UPLOADED
        and document.version > 1
    )


def add_document_file(
    application: Application, requirement: Requirement, *, uploaded: "UploadedFile", actor: "User"
) -> DocumentFile:
    """Check an upload by its bytes and attach it to the requirement's live document (created on first file).

    The bytes are checked before the transaction opens, so a slow check holds no lock. Raises FileRejected for a
    bad file and ApplicationError when the application no longer takes uploads.
    """
    checked = check_upload(
        uploaded, max_bytes=settings.PORTAL_UPLOAD_MAX_BYTES, max_pixels=settings.PORTAL_UPLOAD_MAX_PIXELS
    )
    stored_name = None
    try:
        with transaction.atomic():
            locked = Application.objects.select_for_update().get(pk=application.pk)
            document = _can_upload(locked, requirement)
            if document.files.count() >= MAX_FILES_PER_DOCUMENT:
                raise ApplicationError(
                    _("Bir belge için en fazla %(count)s dosya yüklenebilir.") % {"count": MAX_FILES_PER_DOCUMENT}
                )
            record = DocumentFile(
                document=document,
                original_name=safe_display_name(uploaded.name or ""),
                content_type=checked.content_type,
                extension=checked.extension,
                size=checked.size,
                pages=checked.pages,
                width=checked.width,
                height=checked.height,
                sha256=checked.sha256,
                uploaded_by=actor,
            )
            with open(checked.path, "rb") as handle:
                record.file.save("upload", File(handle), save=False)
            stored_name = record.file.name
            record.save()
            Application.objects.filter(pk=locked.pk).update(updated_at=record.uploaded_at)
            return record
    except BaseException:
        if stored_name:
            record.file.storage.delete(stored_name)
        raise
    finally:
        os.unlink(checked.path)


@transaction.atomic
def remove_document_file(document_file: DocumentFile, *, actor: "User") -> None:
    """Remove a file before submission; a document left with no files goes too."""
    document = Document.objects.select_for_update().get(pk=document_file.document_id)
    application = Application.objects.select_for_update().get(pk=document.application_id)
    if not files_removable(application, document):
        raise ApplicationError(_("Bu dosya artık kaldırılamaz."))
    name = document_file.file.name
    document_file.delete()
    if not document.files.exists():
        previous = document.version - 1
        document.delete()
        if previous:
            # Removing the only file of a new version brings the rejected one back, with its reason.
            Document.objects.filter(
                application=application, requirement_id=document.requirement_id, version=previous
            ).update(is_live=True)
    _delete_stored_later([name])


def discard_documents(documents: QuerySet[Document]) -> int:
    """Delete draft documents and, after commit, their stored files (used when the institution type changes)."""
    names = list(DocumentFile.objects.filter(document__in=documents).values_list("file", flat=True))
    count, _deleted = documents.delete()
    _delete_stored_later(names)
    return count


# --- Review ----------------------------------------------------------------------------------------------------


class DocumentError(Exception):
    """A review rule refused the operation; the message is for the reviewer."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


REVIEWABLE = {Application.Status.SUBMITTED, Application.Status.IN_REVIEW}


@transaction.atomic
def decide_document(
    document: Document,
    *,
    to: str,
    actor: "User",
    reason: "RejectionReason | None" = None,
    note: str = "",
) -> Document:
    """Approve or reject one live document, under a row lock; the first of two simultaneous decisions wins.

    A rejection needs a reason from the catalogue or a note. The application moves from submitted to in review on
    its first decision.
    """
    from onboarding.services import move_application

    locked = (
        Document.objects.select_for_update(of=("self",))
        .select_related("application", "requirement")
        .get(pk=document.pk)
    )
    application = Application.objects.select_for_update().get(pk=locked.application_id)
    if application.status not in REVIEWABLE:
        raise DocumentError(
            _("Başvuru “%(status)s” durumunda; belgeler şimdi karara bağlanamaz.")
            % {"status": application.get_status_display()}
        )
    if not locked.is_live:
        raise DocumentError(_("Bu belgenin yerine yeni bir sürüm yüklendi; kararı yeni sürüm için verin."))
    if to not in DOCUMENT_TRANSITIONS[locked.status]:
        raise DocumentError(
            _("“%(label)s” için az önce başka bir karar verildi (%(status)s); sayfayı yenileyin.")
            % {"label": locked.requirement.label, "status": locked.get_status_display()}
        )
    note = note.strip()
    if to == Document.Status.REJECTED and reason is None and not note:
        raise DocumentError(_("Reddetmek için bir gerekçe seçin veya açıklama yazın."))
    if application.status == Application.Status.SUBMITTED:
        move_application(application, to=Application.Status.IN_REVIEW, actor=actor)

    DocumentEvent.objects.create(
        document=locked,
        actor=actor,
        from_status=locked.status,
        to_status=to,
        reason=" — ".join(part for part in [str(reason or ""), note] if part),
    )
    locked.status = to
    locked.decided_at = timezone.now()
    locked.decided_by = actor
    locked.rejection_reason = reason if to == Document.Status.REJECTED else None
    locked.rejection_note = note if to == Document.Status.REJECTED else ""
    locked.save(update_fields=["status", "decided_at", "decided_by", "rejection_reason", "rejection_note"])
    return locked


def approve_document(document: Document, *, actor: "User") -> Document:
    """Approve a live document (see decide_document)."""
    return decide_document(document, to=Document.Status.APPROVED, actor=actor)


def reject_document(
    document: Document, *, actor: "User", reason: "RejectionReason | None" = None, note: str = ""
) -> Document:
    """Reject a live document with a reason the applicant will read (see decide_document)."""
    return decide_document(document, to=Document.Status.REJECTED, actor=actor, reason=reason, note=note)


ORIGINALS_OPEN = {
    Application.Status.SUBMITTED,
    Application.Status.IN_REVIEW,
    Application.Status.CHANGES_REQUESTED,
    Application.Status.AWAITING_ORIGINALS,
}


@transaction.atomic
def mark_original_received(document: Document, *, actor: "User") -> Document:
    """Record that a document's signed original arrived by cargo; the last required one approves the application.

    Idempotent: marking an original twice changes nothing and writes no second event.
    """
    from onboarding.services import approve_if_originals_complete

    locked = (
        Document.objects.select_for_update(of=("self", "application"))
        .select_related("application")
        .get(pk=document.pk)
    )
    if locked.application.status not in ORIGINALS_OPEN:
        raise DocumentError(_("Bu başvuru için asıl evrak artık işaretlenemez."))
    if not locked.is_live:
        raise DocumentError(_("Bu belgenin yerine yeni bir sürüm var; aslını yeni sürüme işaretleyin."))
    if locked.original_received_at is None:
        locked.original_received_at = timezone.now()
        locked.original_received_by = actor
        locked.save(update_fields=["original_received_at", "original_received_by"])
        DocumentEvent.objects.create(
            document=locked,
            actor=actor,
            from_status=locked.status,
            to_status=locked.status,
            reason=str(_("Aslı kargoyla ulaştı.")),
        )
    approve_if_originals_complete(locked.application, actor=actor)
    return locked


def _describe(document: Document) -> str:
    return f"{document.application.reference} · {document.requirement.label} (v{document.version})"


def _not_approvable(document: Document) -> str | None:
    """Why a document cannot be approved now, in the reviewer's words, or None (decide_document checks again)."""
    if not document.is_live:
        return _("yerine yeni bir sürüm yüklendi")
    if document.status != Document.Status.UPLOADED:
        return _("zaten karara bağlandı (%(status)s)") % {"status": document.get_status_display()}
    if document.application.status not in REVIEWABLE:
        return _("başvuru “%(status)s” durumunda") % {"status": document.application.get_status_display()}
    return None


def approve_documents_together(pks: list[int], *, actor: "User") -> list[tuple[str, str]]:
    """Approve all these documents or none: returns (document, reason) for each that cannot be, and then rolls back.

    Every row is locked first, in one order, so a reviewer deciding one of them meanwhile waits for this (or it for
    them) instead of the two locking document-then-application into a deadlock.
    """
    failures: list[tuple[str, str]] = []
    with transaction.atomic():
        documents = list(
            Document.objects.select_for_update(of=("self",))
            .filter(pk__in=pks)
            .select_related("application", "requirement")
            .order_by("pk")
        )
        for document in documents:
            reason = _not_approvable(document)
            if reason is None:
                try:
                    approve_document(document, actor=actor)
                except (DocumentError, ApplicationError) as error:
                    reason = error.message
                document.application.refresh_from_db(fields=["status"])
            if reason is not None:
                failures.append((_describe(document), str(reason)))
        if failures:
            transaction.set_rollback(True)
    return failures
