"""Uploaded documents: one live Document per requirement of an application, each holding one or more files.

A Document is what a reviewer decides on. A rejected Document is superseded by a new version when the applicant
uploads again; the old one, its files and its decision are kept for the record.
"""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from onboarding.models import Application, Bilingual, Requirement


def private_storage():
    return storages["private"]


def document_file_path(instance: "DocumentFile", filename: str) -> str:
    # Generated names only: the applicant's file name never reaches the file system.
    return f"documents/{instance.document.application_id}/{uuid.uuid4().hex}.{instance.extension}"


class RejectionReason(Bilingual):
    """A common reason for refusing a document, chosen by reviewers and shown to the applicant."""

    text = models.CharField(_("gerekçe"), max_length=200, unique=True)
    text_en = models.CharField(_("gerekçe (İngilizce)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("sıra"), default=0)
    is_active = models.BooleanField(_("kullanımda"), default=True)

    class Meta:
        verbose_name = _("ret gerekçesi")
        verbose_name_plural = _("ret gerekçeleri")
        ordering = ["position", "text"]

    def __str__(self) -> str:
        return self.text


# Outside the model so that its constraint can be built from it; the model names it `Document.Status`.
class DocumentStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Yüklendi")
    APPROVED = "approved", _("Onaylandı")
    REJECTED = "rejected", _("Reddedildi")


# The allowed decisions on a document; every change goes through documents.services.
DOCUMENT_TRANSITIONS: dict[str, set[str]] = {
    DocumentStatus.UPLOADED: {DocumentStatus.APPROVED, DocumentStatus.REJECTED},
    DocumentStatus.APPROVED: set(),
    DocumentStatus.REJECTED: set(),
}


class Document(models.Model):
    """The applicant's answer to one requirement: its files, its version and the reviewer's decision."""

    Status = DocumentStatus

    application = models.ForeignKey(
        Application, verbose_name=_("başvuru"), on_delete=models.CASCADE, related_name="documents"
    )
    requirement = models.ForeignKey(
        Requirement, verbose_name=_("gerekli belge"), on_delete=models.PROTECT, related_name="documents"
    )
    version = models.PositiveSmallIntegerField(_("sürüm"), default=1)
    is_live = models.BooleanField(_("güncel"), default=True)
    status = models.CharField(_("durum"), max_length=10, choices=Status.choices, default=Status.UPLOADED)
    created_at = models.DateTimeField(_("yüklendi"), auto_now_add=True)
    decided_at = models.DateTimeField(_("karar zamanı"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("karar veren"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    rejection_reason = models.ForeignKey(
        RejectionReason, verbose_name=_("ret gerekçesi"), on_delete=models.PROTECT, null=True, blank=True
    )
    rejection_note = models.TextField(_("açıklama"), max_length=1000, blank=True)
    original_received_at = models.DateTimeField(_("aslı ulaştı"), null=True, blank=True)
    original_received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aslını teslim alan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("belge")
        verbose_name_plural = _("belgeler")
        permissions = [("review_document", _("Belgeleri onaylayabilir veya reddedebilir"))]
        ordering = ["requirement__position", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=DocumentStatus.values), name="document_status_valid"
            ),
            # Exactly one live document per requirement of an application, whatever the code does.
            models.UniqueConstraint(
                fields=["application", "requirement"],
                condition=models.Q(is_live=True),
                name="document_one_live_per_requirement",
            ),
            models.UniqueConstraint(fields=["application", "requirement", "version"], name="document_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.requirement} (v{self.version})"

    @property
    def rejection_text(self) -> str:
        """The reason as the applicant reads it: the chosen reason, then the reviewer's own words."""
        parts = [self.rejection_reason.localized_text if self.rejection_reason else "", self.rejection_note]
        return " — ".join(part for part in parts if part)


# Which files an applicant may change in which state: pure rules, read by the checklist (onboarding) and enforced by
# the upload services (documents), so they live below both.


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


def files_removable(application: Application, document: Document) -> bool:
    """Before submission any file; after a change request only those of a new version not yet reviewed."""
    if application.status == Application.Status.DRAFT:
        return True
    return (
        application.status == Application.Status.CHANGES_REQUESTED
        and document.status == Document.Status.UPLOADED
        and document.version > 1
    )


class DocumentEvent(models.Model):
    """One decision on a document, or its original arriving: who, when, from which state to which, why."""

    document = models.ForeignKey(Document, verbose_name=_("belge"), on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("yapan"), on_delete=models.PROTECT, null=True, blank=True
    )
    from_status = models.CharField(_("önceki durum"), max_length=10, choices=Document.Status.choices)
    to_status = models.CharField(_("yeni durum"), max_length=10, choices=Document.Status.choices)
    reason = models.TextField(_("gerekçe / not"), blank=True)
    created_at = models.DateTimeField(_("zaman"), auto_now_add=True)

    class Meta:
        verbose_name = _("belge olayı")
        verbose_name_plural = _("belge olayları")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.from_status} → {self.to_status}"


class DocumentFile(models.Model):
    """One uploaded file, checked by its bytes, stored privately under a generated name."""

    document = models.ForeignKey(Document, verbose_name=_("belge"), on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("dosya"), upload_to=document_file_path, storage=private_storage, max_length=200)
    original_name = models.CharField(_("dosya adı"), max_length=200)
    content_type = models.CharField(_("tür"), max_length=40)
    extension = models.CharField(_("uzantı"), max_length=4)
    size = models.PositiveBigIntegerField(_("boyut (bayt)"))
    pages = models.PositiveIntegerField(_("sayfa"), default=1)
    width = models.PositiveIntegerField(_("genişlik"), null=True, blank=True)
    height = models.PositiveIntegerField(_("yükseklik"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("yükleyen"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("yüklendi"), auto_now_add=True)

    class Meta:
        verbose_name = _("dosya")
        verbose_name_plural = _("dosyalar")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(content_type__in=["application/pdf", "image/jpeg", "image/png"]),
                name="documentfile_content_type_allowed",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
