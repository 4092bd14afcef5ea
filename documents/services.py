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
from django.utils.translation import gettext_lazy as _

from documents.filecheck import check_upload, safe_display_name
from documents.models import Document, DocumentFile
from onboarding.models import Application, Requirement
from onboarding.services import ApplicationError

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User

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


def _can_upload(application: Application, requirement: Requirement) -> Document | None:
    """The live document files may be added to, creating none; raises when uploads are closed for this item."""
    if requirement.institution_type_id != application.institution_type_id:
        raise ApplicationError(_("Bu belge, seçtiğiniz kurum türünün listesinde yok."))
    if application.status != Application.Status.DRAFT:
        raise ApplicationError(_("Başvuru gönderildi; belgeler artık değiştirilemez."))
    return (
        Document.objects.select_for_update().filter(application=application, requirement=requirement, is_live=True)
    ).first()


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
            if document is None:
                document = Document.objects.create(application=locked, requirement=requirement)
            elif document.files.count() >= MAX_FILES_PER_DOCUMENT:
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
    if application.status != Application.Status.DRAFT:
        raise ApplicationError(_("Başvuru gönderildi; belgeler artık değiştirilemez."))
    name = document_file.file.name
    document_file.delete()
    if not document.files.exists():
        document.delete()
    _delete_stored_later([name])


def discard_documents(documents: QuerySet[Document]) -> int:
    """Delete draft documents and, after commit, their stored files (used when the institution type changes)."""
    names = list(DocumentFile.objects.filter(document__in=documents).values_list("file", flat=True))
    count, _deleted = documents.delete()
    _delete_stored_later(names)
    return count
