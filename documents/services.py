"""Every write on uploaded documents: adding and removing files, discarding a draft's documents, and recording a
reviewer's decision or an original's arrival on one document.

Files are checked by their bytes (documents.filecheck) before anything is written; a failure at any point leaves
neither a row nor a stored file behind.

Lock order, as everywhere: the application first, then its documents by primary key. This module writes documents
only; a step that must also move the application (a decision, the last original) is composed in
onboarding.workflow, which takes the locks in that order. It never imports onboarding.services, nor that this.
"""

import logging
import os
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.filecheck import check_upload, safe_display_name
from documents.models import (
    DOCUMENT_TRANSITIONS,
    Document,
    DocumentEvent,
    DocumentFile,
    files_removable,
    upload_mode,
)
from onboarding.errors import ApplicationError
from onboarding.models import OPEN_STATUSES, REVIEWABLE_STATUSES, Application, Requirement

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User
    from documents.models import RejectionReason

logger = logging.getLogger(__name__)

MAX_FILES_PER_DOCUMENT = 10


# What a file store raises when it cannot be reached or refuses: the disk's OSError, S3's botocore errors.
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)
STORAGE_UNAVAILABLE_MESSAGE = _(
    "Dosyanız şu anda kaydedilemedi: belge deposuna ulaşılamıyor. Başvurunuzdaki bilgiler yerinde; lütfen birkaç "
    "dakika sonra dosyayı yeniden yükleyin."
)


def _delete_stored_later_or_now(storage, name: str) -> None:
    """Remove a file stored by a failed upload; if the store is down too, the leftover is logged, not raised."""
    try:
        storage.delete(name)
    except STORAGE_ERRORS:
        logger.warning("could not delete stored file %s of a failed upload", name, exc_info=True)


def _delete_stored_later(names: list[str]) -> None:
    """Remove stored files once the transaction that forgot them has committed (never before: it may roll back)."""
    storage = DocumentFile._meta.get_field("file").storage

    def delete() -> None:
        for name in names:
            try:
                storage.delete(name)
            except STORAGE_ERRORS:  # a leftover file is harmless; a failed request is not
                logger.warning("could not delete stored file %s", name, exc_info=True)

    transaction.on_commit(delete)


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


def add_document_file(
    application: Application, requirement: Requirement, *, uploaded: "UploadedFile", actor: "User"
) -> DocumentFile:
    """Check an upload by its bytes and attach it to the requirement's live document (created on first file).

    The bytes are checked before the transaction opens, so a slow check holds no lock; then the application is
    locked, then the document (the one order). Raises FileRejected for a bad file and ApplicationError when the
    application no longer takes uploads.
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
            try:
                with open(checked.path, "rb") as handle:
                    record.file.save("upload", File(handle), save=False)
            except STORAGE_ERRORS as error:
                logger.error("file store unavailable, upload refused: %r", error)
                raise ApplicationError(STORAGE_UNAVAILABLE_MESSAGE) from error
            stored_name = record.file.name
            record.save()
            Application.objects.filter(pk=locked.pk).update(updated_at=record.uploaded_at)
            return record
    except BaseException:
        if stored_name:
            _delete_stored_later_or_now(record.file.storage, stored_name)
        raise
    finally:
        os.unlink(checked.path)


@transaction.atomic
def remove_document_file(document_file: DocumentFile, *, actor: "User") -> None:
    """Remove a file before submission; a document left with no files goes too.

    Locks the application, then the document (the one order). A file already removed (a second tab) is left alone.
    """
    application_id = (
        Document.objects.filter(pk=document_file.document_id).values_list("application_id", flat=True).first()
    )
    if application_id is None:
        return
    application = Application.objects.select_for_update().get(pk=application_id)
    document = Document.objects.select_for_update().filter(pk=document_file.document_id).first()
    if document is None or not DocumentFile.objects.filter(pk=document_file.pk).exists():
        return
    if not files_removable(application, document):
        raise ApplicationError(_("Bu dosya artık kaldırılamaz."))
    name = document_file.file.name
    document_file.delete()
    # The application changed (a rejected version may be live again): the reminder sweep looks at it again.
    Application.objects.filter(pk=application.pk).update(updated_at=timezone.now())
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
    """Delete draft documents and, after commit, their stored files (onboarding.workflow.choose_institution_type).

    The caller holds the lock on their application.
    """
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


def decision_refusal(document: Document, *, application: Application, to: str) -> str | None:
    """Why `document` cannot be decided `to` now, in the reviewer's words, or None.

    record_decision refuses with it; the review page asks the same (onboarding.workflow.review_options) before it
    offers the buttons. A rejection's need for a reason is the form's to check, not this.
    """
    if application.status not in REVIEWABLE_STATUSES:
        return _("Başvuru “%(status)s” durumunda; belgeler şimdi karara bağlanamaz.") % {
            "status": application.get_status_display()
        }
    if not document.is_live:
        return _("Bu belgenin yerine yeni bir sürüm yüklendi; kararı yeni sürüm için verin.")
    if to not in DOCUMENT_TRANSITIONS[document.status]:
        return _("“%(label)s” için az önce başka bir karar verildi (%(status)s); sayfayı yenileyin.") % {
            "label": document.requirement.label,
            "status": document.get_status_display(),
        }
    return None


def record_decision(
    document: Document,
    *,
    application: Application,
    to: str,
    actor: "User",
    reason: "RejectionReason | None" = None,
    note: str = "",
) -> Document:
    """Approve or reject one live document: check the rules, write the event, save the decision.

    The caller holds the locks on the application and then the document, read under them (onboarding.workflow's
    decide_document, which also moves the application into review): of two simultaneous decisions the second finds
    the first's and is refused. A rejection needs a reason from the catalogue or a note.
    """
    refusal = decision_refusal(document, application=application, to=to)
    if refusal is not None:
        raise DocumentError(refusal)
    note = note.strip()
    if to == Document.Status.REJECTED and reason is None and not note:
        raise DocumentError(_("Reddetmek için bir gerekçe seçin veya açıklama yazın."))

    DocumentEvent.objects.create(
        document=document,
        actor=actor,
        from_status=document.status,
        to_status=to,
        reason=" — ".join(part for part in [str(reason or ""), note] if part),
    )
    document.status = to
    document.decided_at = timezone.now()
    document.decided_by = actor
    document.rejection_reason = reason if to == Document.Status.REJECTED else None
    document.rejection_note = note if to == Document.Status.REJECTED else ""
    document.save(update_fields=["status", "decided_at", "decided_by", "rejection_reason", "rejection_note"])
    return document


def original_refusal(document: Document, *, application: Application) -> str | None:
    """Why the arrival of `document`'s original cannot be recorded now, or None (record_original_received refuses
    with it; the review page asks the same through onboarding.workflow.review_options)."""
    # Until the application is decided either way: an original arriving after changes were requested still counts.
    if application.status not in OPEN_STATUSES:
        return _("Bu başvuru için asıl evrak artık işaretlenemez.")
    if not document.is_live:
        return _("Bu belgenin yerine yeni bir sürüm var; aslını yeni sürüme işaretleyin.")
    return None


def record_original_received(document: Document, *, application: Application, actor: "User") -> Document:
    """Record that a document's signed original arrived by cargo.

    The caller holds the locks on the application and then the document (onboarding.workflow's
    mark_original_received, which then approves the application when the last required original is in).
    Idempotent: marking an original twice changes nothing and writes no second event.
    """
    refusal = original_refusal(document, application=application)
    if refusal is not None:
        raise DocumentError(refusal)
    if document.original_received_at is None:
        document.original_received_at = timezone.now()
        document.original_received_by = actor
        document.save(update_fields=["original_received_at", "original_received_by"])
        DocumentEvent.objects.create(
            document=document,
            actor=actor,
            from_status=document.status,
            to_status=document.status,
            reason=str(_("Aslı kargoyla ulaştı.")),
        )
    return document
