"""The requirement catalogue: which institution types exist, what each must send, what reviewers check.

All of it is data that staff edit in the admin without a deploy. Turkish is the source text; each text field has an
`_en` twin used when the interface speaks English (empty means "show the Turkish").
"""

import secrets
import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Bilingual(models.Model):
    """Picks the English twin of a text field when the active language is English and the twin is filled."""

    class Meta:
        abstract = True

    def __getattr__(self, name: str):
        # Templates say `obj.localized_name`; only that prefix is handled, everything else stays an AttributeError.
        if name.startswith("localized_"):
            return self.localized(name.removeprefix("localized_"))
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def localized(self, field: str) -> str:
        if (get_language() or "tr").startswith("en"):
            english = getattr(self, f"{field}_en", "")
            if english:
                return english
        return getattr(self, field)


# The named blanks a letter template may use, and where the letter's value comes from.
LETTER_BLANKS: dict[str, str] = {
    "institution": _("Kurumun adı (unvan)"),
    "reseller": _("Hizmet sağlayıcı firma (ayar)"),
    "operator": _("Operatör (ayar)"),
    "authorised_person": _("Yetkili kişinin adı soyadı"),
    "date": _("Karar / imza tarihi"),
    "day": _("Karar günü"),
}


class LetterTemplate(Bilingual):
    """One of the guide's authorisation letters (A–D); `{name}` marks a blank filled from the application."""

    code = models.CharField(_("kod"), max_length=2, unique=True)
    name = models.CharField(_("ad"), max_length=120)
    name_en = models.CharField(_("ad (İngilizce)"), max_length=120, blank=True)
    body = models.TextField(_("metin"), help_text=_("Boşluklar süslü parantez içinde: {institution}, {reseller} …"))
    body_en = models.TextField(_("metin (İngilizce açıklama)"), blank=True)

    class Meta:
        verbose_name = _("yetki yazısı şablonu")
        verbose_name_plural = _("yetki yazısı şablonları")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def blanks(self) -> list[str]:
        """The named blanks of the Turkish body, in order of first appearance."""
        seen: list[str] = []
        for _literal, name, _spec, _conv in string.Formatter().parse(self.body):
            if name is not None and name not in seen:
                seen.append(name)
        return seen

    def clean(self) -> None:
        try:
            unknown = [name for name in self.blanks if name not in LETTER_BLANKS]
        except ValueError:
            raise ValidationError({"body": _("Süslü parantezler eşleşmiyor.")}) from None
        if unknown:
            raise ValidationError(
                {
                    "body": _("Bilinmeyen boşluk: %(names)s. Kullanılabilenler: %(known)s.")
                    % {"names": ", ".join(unknown), "known": ", ".join(LETTER_BLANKS)}
                }
            )

    def render(self, values: dict[str, str]) -> str:
        """The Turkish letter with every blank filled; a blank with no value stays a dotted line, as on paper."""
        filled = {name: values.get(name) or "…………………" for name in self.blanks}
        return self.body.format_map(filled)


class InstitutionType(Bilingual):
    """A kind of institution (municipality, hospital, …); the choice drives the document checklist."""

    code = models.SlugField(_("kod"), max_length=40, unique=True)
    name = models.CharField(_("ad"), max_length=120)
    name_en = models.CharField(_("ad (İngilizce)"), max_length=120, blank=True)
    description = models.CharField(_("kısa açıklama"), max_length=300, blank=True)
    description_en = models.CharField(_("kısa açıklama (İngilizce)"), max_length=300, blank=True)
    letter_template = models.ForeignKey(
        LetterTemplate,
        verbose_name=_("yetki yazısı şablonu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="institution_types",
    )
    position = models.PositiveSmallIntegerField(_("sıra"), default=0)
    is_active = models.BooleanField(_("başvuruya açık"), default=True)

    class Meta:
        verbose_name = _("kurum türü")
        verbose_name_plural = _("kurum türleri")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class DocumentKind(Bilingual):
    """A kind of document shared across institution types (an ID copy, a tax plate, a council decision …)."""

    code = models.SlugField(_("kod"), max_length=60, unique=True)
    name = models.CharField(_("ad"), max_length=160)
    name_en = models.CharField(_("ad (İngilizce)"), max_length=160, blank=True)

    class Meta:
        verbose_name = _("belge türü")
        verbose_name_plural = _("belge türleri")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Condition(Bilingual):
    """A yes/no question the wizard asks when a requirement depends on it ("Özel hastane misiniz?")."""

    code = models.SlugField(_("kod"), max_length=60, unique=True)
    question = models.CharField(_("soru"), max_length=200)
    question_en = models.CharField(_("soru (İngilizce)"), max_length=200, blank=True)
    help_text = models.CharField(_("açıklama"), max_length=300, blank=True)
    help_text_en = models.CharField(_("açıklama (İngilizce)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("koşul")
        verbose_name_plural = _("koşullar")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.question


class Requirement(Bilingual):
    """One line of an institution type's checklist: a document, whether it is needed, and what staff check on it."""

    class Status(models.TextChoices):
        REQUIRED = "required", _("Zorunlu")
        OPTIONAL = "optional", _("Varsa")
        CONDITIONAL = "conditional", _("Koşula bağlı")

    institution_type = models.ForeignKey(
        InstitutionType, verbose_name=_("kurum türü"), on_delete=models.CASCADE, related_name="requirements"
    )
    document_kind = models.ForeignKey(
        DocumentKind, verbose_name=_("belge türü"), on_delete=models.PROTECT, related_name="requirements"
    )
    label = models.CharField(_("belgenin adı"), max_length=200, help_text=_("Rehberde bu tür için yazıldığı gibi."))
    label_en = models.CharField(_("belgenin adı (İngilizce)"), max_length=200, blank=True)
    note = models.CharField(_("not"), max_length=400, blank=True)
    note_en = models.CharField(_("not (İngilizce)"), max_length=400, blank=True)
    status = models.CharField(_("durum"), max_length=12, choices=Status.choices, default=Status.REQUIRED)
    condition = models.ForeignKey(
        Condition,
        verbose_name=_("koşul"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requirements",
        help_text=_("Yalnızca koşula bağlı belgeler için: bu soruya 'evet' denirse zorunludur."),
    )
    uses_letter_template = models.BooleanField(
        _("yetki yazısı şablonundan"),
        default=False,
        help_text=_("Başvuru sahibi bu belge için doldurulmuş yazıyı indirebilir."),
    )
    position = models.PositiveSmallIntegerField(_("sıra"), default=0)

    class Meta:
        verbose_name = _("gerekli belge")
        verbose_name_plural = _("gerekli belgeler")
        ordering = ["institution_type__position", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["required", "optional", "conditional"]),
                name="requirement_status_valid",
            ),
            # A conditional requirement names its condition; the others have none.
            models.CheckConstraint(
                condition=(models.Q(status="conditional") & models.Q(condition__isnull=False))
                | (~models.Q(status="conditional") & models.Q(condition__isnull=True)),
                name="requirement_condition_iff_conditional",
            ),
            models.UniqueConstraint(fields=["institution_type", "label"], name="requirement_label_unique_per_type"),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if self.status == self.Status.CONDITIONAL and not self.condition_id:
            raise ValidationError({"condition": _("Koşula bağlı bir belge için koşulu seçin.")})
        if self.status != self.Status.CONDITIONAL and self.condition_id:
            raise ValidationError({"condition": _("Yalnızca koşula bağlı belgelerin koşulu olur.")})

    def applies(self, answers: dict[str, bool]) -> bool:
        """Whether this line is needed at all, given the applicant's answers to the condition questions."""
        if self.status != self.Status.CONDITIONAL:
            return True
        return bool(answers.get(self.condition.code))

    def is_required(self, answers: dict[str, bool]) -> bool:
        if self.status == self.Status.REQUIRED:
            return True
        return self.status == self.Status.CONDITIONAL and self.applies(answers)


class ReviewerRule(Bilingual):
    """Something reviewers check on an institution type's documents that is not itself a document."""

    institution_type = models.ForeignKey(
        InstitutionType, verbose_name=_("kurum türü"), on_delete=models.CASCADE, related_name="reviewer_rules"
    )
    text = models.CharField(_("kural"), max_length=300)
    text_en = models.CharField(_("kural (İngilizce)"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("sıra"), default=0)

    class Meta:
        verbose_name = _("İnceleme kuralı")
        verbose_name_plural = _("İnceleme kuralları")
        ordering = ["institution_type__position", "position", "id"]

    def __str__(self) -> str:
        return self.text


# --- Applications ---------------------------------------------------------------------------------------------------

# Letters that cannot be confused when read aloud or typed from a printed cover sheet (no 0/O, 1/I/L).
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_reference() -> str:
    """A short, unguessable reference such as "TS-7K3M-9QXA", printed on the cover sheet."""
    alphabet_size = len(REFERENCE_ALPHABET)
    digits = "".join(REFERENCE_ALPHABET[secrets.randbelow(alphabet_size)] for _ in range(8))
    return f"TS-{digits[:4]}-{digits[4:]}"


class Application(models.Model):
    """One institution's application for a bulk-SMS account, from the first draft to the active account."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Taslak")
        SUBMITTED = "submitted", _("Gönderildi")
        IN_REVIEW = "in_review", _("İncelemede")
        CHANGES_REQUESTED = "changes_requested", _("Düzeltme istendi")
        AWAITING_ORIGINALS = "awaiting_originals", _("Asıl evrak bekleniyor")
        APPROVED = "approved", _("Onaylandı")
        ACTIVE = "active", _("Hesap açıldı")
        REJECTED = "rejected", _("Reddedildi")
        WITHDRAWN = "withdrawn", _("Geri çekildi")

    class TaxNumberKind(models.TextChoices):
        VKN = "vkn", _("Vergi kimlik numarası")
        TCKN = "tckn", _("T.C. kimlik numarası")

    class LinePlan(models.TextChoices):
        NEW_LINE = "new_line", _("Kurumum adına yeni bir kurumsal hat alacağım")
        CONVERT_PERSONAL = "convert_personal", _("Bireysel hattımı kurumsal hatta çevireceğim")

    reference = models.CharField(_("başvuru numarası"), max_length=12, unique=True, default=new_reference)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("başvuru sahibi"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    status = models.CharField(_("durum"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    completed_steps = models.JSONField(_("tamamlanan adımlar"), default=list, blank=True)

    institution_type = models.ForeignKey(
        InstitutionType, verbose_name=_("kurum türü"), on_delete=models.PROTECT, null=True, blank=True
    )
    legal_name = models.CharField(_("unvan"), max_length=250, blank=True)
    tax_number = models.CharField(_("vergi numarası"), max_length=11, blank=True)
    tax_number_kind = models.CharField(
        _("vergi numarası türü"), max_length=4, choices=TaxNumberKind.choices, blank=True
    )
    tax_office = models.CharField(_("vergi dairesi"), max_length=100, blank=True)
    address = models.TextField(_("adres"), max_length=500, blank=True)
    province = models.CharField(_("İl"), max_length=2, blank=True)
    district = models.CharField(_("İlçe"), max_length=100, blank=True)
    phone = models.CharField(_("telefon"), max_length=16, blank=True)
    email = models.EmailField(_("kurum e-postası"), blank=True)
    signatory_name = models.CharField(_("yetkili adı soyadı"), max_length=150, blank=True)
    signatory_title = models.CharField(_("yetkilinin unvanı / görevi"), max_length=100, blank=True)
    signatory_tckn = models.CharField(_("yetkilinin T.C. kimlik numarası"), max_length=11, blank=True)
    signatory_mobile = models.CharField(_("yetkilinin cep telefonu"), max_length=16, blank=True)
    decision_date = models.DateField(_("karar tarihi"), null=True, blank=True)
    condition_answers = models.JSONField(_("koşul yanıtları"), default=dict, blank=True)

    billing_type = models.ForeignKey(
        "billing.BillingType", verbose_name=_("ödeme tipi"), on_delete=models.PROTECT, null=True, blank=True
    )
    credit_package = models.ForeignKey(
        "billing.CreditPackage", verbose_name=_("kontör paketi"), on_delete=models.PROTECT, null=True, blank=True
    )
    expected_monthly_messages = models.PositiveIntegerField(_("aylık tahmini mesaj"), null=True, blank=True)
    # Decides e-Fatura (registered users) or e-Arşiv for the statements of an invoiced account.
    e_invoice_user = models.BooleanField(_("e-Fatura mükellefi"), null=True, blank=True)

    has_corporate_line = models.BooleanField(_("kurumsal hattı var"), null=True, blank=True)
    corporate_line_number = models.CharField(_("kurumsal hat numarası"), max_length=16, blank=True)
    line_plan = models.CharField(_("hat planı"), max_length=20, choices=LinePlan.choices, blank=True)

    cargo_company = models.CharField(_("kargo firması"), max_length=60, blank=True)
    cargo_tracking_number = models.CharField(_("kargo takip numarası"), max_length=40, blank=True)
    cargo_recorded_at = models.DateTimeField(_("kargo bilgisi girildi"), null=True, blank=True)

    created_at = models.DateTimeField(_("oluşturuldu"), auto_now_add=True)
    updated_at = models.DateTimeField(_("güncellendi"), auto_now=True)
    submitted_at = models.DateTimeField(_("gönderildi"), null=True, blank=True)
    # Written by the reminder sweep only (reminders.services): nothing about the application can become newly due
    # for a reminder before `reminders_due_at`, as long as `updated_at` is still `reminders_seen_at` (the value the
    # sweep read). Empty: look at it on the next sweep.
    reminders_due_at = models.DateTimeField(
        _("hatırlatma zamanı"), null=True, blank=True, editable=False, db_index=True
    )
    reminders_seen_at = models.DateTimeField(
        _("hatırlatmada görülen değişiklik"), null=True, blank=True, editable=False
    )

    history = HistoricalRecords(
        excluded_fields=["updated_at", "completed_steps", "reminders_due_at", "reminders_seen_at"],
        verbose_name=_("başvuru geçmişi"),
    )

    class Meta:
        verbose_name = _("başvuru")
        verbose_name_plural = _("başvurular")
        ordering = ["-created_at"]
        permissions = [
            ("review_application", _("Başvuruları inceleyebilir (düzeltme isteme, onay, ret, asıl evrak, açılış)")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    status__in=[
                        "draft",
                        "submitted",
                        "in_review",
                        "changes_requested",
                        "awaiting_originals",
                        "approved",
                        "active",
                        "rejected",
                        "withdrawn",
                    ]
                ),
                name="application_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(tax_number="") | models.Q(tax_number__regex=r"^[0-9]{10,11}$"),
                name="application_tax_number_digits",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="application_queue_idx"),
            models.Index(fields=["applicant", "-created_at"], name="application_owner_idx"),
            # The reviewers' default queue: open applications, oldest first (152 ms → 7 ms at 100k rows).
            models.Index(
                fields=["submitted_at", "id"],
                condition=models.Q(status__in=["submitted", "in_review", "changes_requested", "awaiting_originals"]),
                name="application_open_queue_idx",
            ),
            models.Index(fields=["submitted_at", "id"], name="application_submitted_idx"),
            models.Index(fields=["tax_number"], name="application_tax_number_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.legal_name or _('(unvan girilmedi)')}"

    @property
    def is_editable(self) -> bool:
        """The wizard may change it: only before submission."""
        return self.status == self.Status.DRAFT

    @property
    def letter_values(self) -> dict[str, str]:
        """The values of the authorisation letter's blanks, from the application and the settings."""
        from django.utils import formats

        day = formats.date_format(self.decision_date, "l") if self.decision_date else ""
        return {
            "institution": self.legal_name,
            "reseller": settings.PORTAL_RESELLER_NAME,
            "operator": settings.PORTAL_OPERATOR_NAME,
            "authorised_person": self.signatory_name,
            "date": formats.date_format(self.decision_date, "d.m.Y") if self.decision_date else "",
            "day": day,
        }


# The allowed moves of an application; every status change goes through onboarding.services.move_application.
APPLICATION_TRANSITIONS: dict[str, set[str]] = {
    "draft": {"submitted", "withdrawn"},
    "submitted": {"in_review", "withdrawn"},
    "in_review": {"changes_requested", "awaiting_originals", "rejected"},
    "changes_requested": {"submitted", "withdrawn"},
    "awaiting_originals": {"approved", "rejected"},
    "approved": {"active"},
    "active": set(),
    "rejected": set(),
    "withdrawn": set(),
}


class ApplicationEvent(models.Model):
    """One move of an application's lifecycle: who, when, from which state to which, why."""

    application = models.ForeignKey(
        Application, verbose_name=_("başvuru"), on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("yapan"), on_delete=models.PROTECT, null=True, blank=True
    )
    from_status = models.CharField(_("önceki durum"), max_length=20, choices=Application.Status.choices)
    to_status = models.CharField(_("yeni durum"), max_length=20, choices=Application.Status.choices)
    reason = models.TextField(_("gerekçe"), blank=True)
    created_at = models.DateTimeField(_("zaman"), auto_now_add=True)

    class Meta:
        verbose_name = _("başvuru olayı")
        verbose_name_plural = _("başvuru olayları")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status} → {self.to_status}"


class SenderId(models.Model):
    """A requested alphanumeric sender ID (SMS başlığı), checked as typed."""

    application = models.ForeignKey(
        Application, verbose_name=_("başvuru"), on_delete=models.CASCADE, related_name="sender_ids"
    )
    value = models.CharField(_("SMS başlığı"), max_length=11)
    position = models.PositiveSmallIntegerField(_("sıra"), default=0)

    class Meta:
        verbose_name = _("SMS başlığı")
        verbose_name_plural = _("SMS başlıkları")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "value"], name="senderid_unique_per_application")
        ]

    def __str__(self) -> str:
        return self.value


class Consent(models.Model):
    """An applicant's acknowledgement of the KVKK notice or explicit consent, with the text's version and time."""

    class Kind(models.TextChoices):
        KVKK_NOTICE = "kvkk_notice", _("KVKK aydınlatma metni okundu")
        EXPLICIT_CONSENT = "explicit_consent", _("Açık rıza verildi")

    application = models.ForeignKey(
        Application, verbose_name=_("başvuru"), on_delete=models.CASCADE, related_name="consents"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("kullanıcı"), on_delete=models.PROTECT)
    kind = models.CharField(_("tür"), max_length=20, choices=Kind.choices)
    text_version = models.CharField(_("metin sürümü"), max_length=20)
    accepted_at = models.DateTimeField(_("zaman"), auto_now_add=True)

    class Meta:
        verbose_name = _("onay kaydı")
        verbose_name_plural = _("onay kayıtları")
        ordering = ["accepted_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind", "text_version"], name="consent_once_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.text_version})"
