"""The KVKK texts (the notice and the optional consents' texts, versioned) and the data subjects' requests."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# KVKK art. 13/2: the controller answers a data subject's request within thirty days.
REQUEST_ANSWER_DAYS = 30


class PrivacyTextQuerySet(models.QuerySet):
    def in_force(self, kind: str) -> "PrivacyText | None":
        """The version of `kind` in force today: the latest whose effective date has come."""
        return (
            self.filter(kind=kind, effective_from__lte=timezone.localdate())
            .order_by("-effective_from", "-id")
            .first()
        )


class PrivacyText(models.Model):
    """One version of a KVKK text, edited by staff: a change is a new version from a date, never an edit in force.

    The notice (aydınlatma metni) informs: the data needed to open an account is processed for the contract and legal
    obligations (KVKK art. 5/2-c, ç) and needs no consent. Only what truly needs consent has a consent text, and each
    such choice is optional and unticked.
    """

    class Kind(models.TextChoices):
        NOTICE = "notice", _("Aydınlatma metni")
        MARKETING_EMAIL = "marketing_email", _("Açık rıza: duyuru ve kampanya e-postaları")

    kind = models.CharField(_("tür"), max_length=20, choices=Kind.choices)
    version = models.CharField(
        _("sürüm"), max_length=20, help_text=_("Örneğin 2026-12-v1. Kayıtlarda bu sürüm tutulur.")
    )
    effective_from = models.DateField(_("yürürlük tarihi"))
    title = models.CharField(_("başlık"), max_length=200)
    title_en = models.CharField(_("başlık (İngilizce)"), max_length=200, blank=True)
    body = models.TextField(
        _("metin"),
        help_text=_(
            "Paragraflar boş satırla ayrılır. {veri_sorumlusu} ve {operator} yerine ayarlardaki adlar yazılır."
        ),
    )
    body_en = models.TextField(_("metin (İngilizce)"), blank=True)
    created_at = models.DateTimeField(_("oluşturulma"), auto_now_add=True)

    objects = PrivacyTextQuerySet.as_manager()

    class Meta:
        verbose_name = _("KVKK metni")
        verbose_name_plural = _("KVKK metinleri")
        ordering = ["kind", "-effective_from", "-id"]
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="privacytext_version_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.version}"

    def _english(self) -> bool:
        return (get_language() or "tr").startswith("en")

    @property
    def localized_title(self) -> str:
        return self.title_en if self._english() and self.title_en else self.title

    @property
    def localized_body(self) -> str:
        """The text in the reader's language, with the controller's and operator's names from the settings."""
        body = self.body_en if self._english() and self.body_en else self.body
        return body.replace("{veri_sorumlusu}", settings.PORTAL_DATA_CONTROLLER["name"]).replace(
            "{operator}", settings.PORTAL_OPERATOR_NAME
        )

    @property
    def is_in_force(self) -> bool:
        return self.pk is not None and self.effective_from <= timezone.localdate()


class DataSubjectRequest(models.Model):
    """A request under KVKK art. 11, as the data subject sent it through the portal's form."""

    class Type(models.TextChoices):
        INFORMATION = "information", _("Verilerimin işlenip işlenmediğini ve nasıl işlendiğini öğrenmek")
        ACCESS = "access", _("Verilerimin bir kopyasını almak")
        CORRECTION = "correction", _("Eksik veya yanlış verilerimin düzeltilmesi")
        ERASURE = "erasure", _("Verilerimin silinmesi veya yok edilmesi")
        OBJECTION = "objection", _("İşlemeye veya aktarıma itiraz")
        WITHDRAW_CONSENT = "withdraw_consent", _("Verdiğim açık rızayı geri almak")
        OTHER = "other", _("Diğer")

    full_name = models.CharField(_("ad soyad"), max_length=150)
    email = models.EmailField(_("e-posta"))
    request_type = models.CharField(_("talep türü"), max_length=20, choices=Type.choices)
    text = models.TextField(_("talep"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("kullanıcı"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="data_subject_requests",
    )
    # Only for the abuse limit (requests per address per day).
    ip_address = models.GenericIPAddressField(_("IP adresi"), null=True, blank=True)
    created_at = models.DateTimeField(_("alınma"), auto_now_add=True, db_index=True)
    answered_at = models.DateTimeField(_("yanıtlanma"), null=True, blank=True)
    staff_note = models.TextField(_("personel notu"), blank=True)

    class Meta:
        verbose_name = _("İlgili kişi başvurusu")
        verbose_name_plural = _("İlgili kişi başvuruları")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.full_name} · {self.get_request_type_display()}"

    @property
    def answer_due_at(self):
        return self.created_at + timedelta(days=REQUEST_ANSWER_DAYS)
