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
    "signatory_title": _("Yetkilinin unvanı (başvuruda yazıldığı gibi)"),
    "date": _("Karar / imza tarihi"),
    "day": _("Karar günü"),
}


class LetterTemplate(Bilingual):
    """One of the guide's authorisation letters (A–D); `{name}` marks a blank filled from the application.

    A letter (yazı) carries the institution's Sayı / Konu / addressee lines; a decision (karar) carries Karar No /
    Karar Tarihi and, when signed by a board, blank lines for the members under the chair's signature.
    """

    class Kind(models.TextChoices):
        LETTER = "letter", _("Resmî yazı")
        DECISION = "decision", _("Karar")

    code = models.CharField(_("kod"), max_length=2, unique=True)
    name = models.CharField(_("ad"), max_length=120)
    name_en = models.CharField(_("ad (İngilizce)"), max_length=120, blank=True)
    kind = models.CharField(_("belge biçimi"), max_length=10, choices=Kind.choices, default=Kind.LETTER)
    title = models.CharField(
        _("başlık"), max_length=80, default="YETKİ YAZISI", help_text=_("Sayfada büyük harflerle yazıldığı gibi.")
    )
    subject = models.CharField(_("konu"), max_length=200, blank=True, help_text=_('Yazının "Konu:" satırı.'))
    addressee = models.CharField(
        _("muhatap"),
        max_length=250,
        blank=True,
        help_text=_("Yalnızca yazılarda; boşluk kullanılabilir, ör. {reseller} Yetkililerine."),
    )
    body = models.TextField(_("metin"), help_text=_("Boşluklar süslü parantez içinde: {institution}, {reseller} …"))
    body_en = models.TextField(_("metin (İngilizce açıklama)"), blank=True)
    default_signatory_title = models.CharField(
        _("varsayılan unvan"),
        max_length=100,
        blank=True,
        help_text=_("Başvuru sahibi yetkilinin unvanını yazmadıysa {signatory_title} yerine kullanılır."),
    )
    board_members = models.PositiveSmallIntegerField(
        _("üye imza satırı"),
        default=0,
        help_text=_("Kararı başkanın yanında imzalayacak üyeler için boş satır sayısı."),
    )

    class Meta:
        verbose_name = _("yetki yazısı şablonu")
        verbose_name_plural = _("yetki yazısı şablonları")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def blanks(self) -> list[str]:
        """The named blanks of the Turkish texts (subject, addressee, body), in order of first appearance."""
        seen: list[str] = []
        for text in (self.subject, self.addressee, self.body):
            for _literal, name, _spec, _conv in string.Formatter().parse(text):
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

    def filled_values(self, values: dict[str, str]) -> dict[str, str]:
        """Every blank's value; the signatory's title falls back to the template's default, then to dots."""
        values = {**values}
        if not values.get("signatory_title"):
            values["signatory_title"] = self.default_signatory_title
        return {name: values.get(name) or "…………………" for name in LETTER_BLANKS}

    def render(self, values: dict[str, str], text: str | None = None) -> str:
        """The Turkish letter with every blank filled; a blank with no value stays a dotted line, as on paper."""
        return (self.body if text is None else text).format_map(self.filled_values(values))


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
    help_text = models.TextField(
        _("açıklama"),
        blank=True,
        help_text=_("Belgenin ne olduğu ve nereden alınacağı; kontrol listesinde gösterilir."),
    )
    help_text_en = models.TextField(_("açıklama (İngilizce)"), blank=True)

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


# The statuses are defined outside their models so that the models' constraints can be built from them (a nested
# class's names are out of reach of the Meta beside it); each model names its own as `Status`.


class RequirementStatus(models.TextChoices):
    REQUIRED = "required", _("Zorunlu")
    OPTIONAL = "optional", _("Varsa")
    CONDITIONAL = "conditional", _("Koşula bağlı")


class Requirement(Bilingual):
    """One line of an institution type's checklist: a document, whether it is needed, and what staff check on it."""

    Status = RequirementStatus

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
                condition=models.Q(status__in=RequirementStatus.values),
                name="requirement_status_valid",
            ),
            # A conditional requirement names its condition; the others have none.
            models.CheckConstraint(
                condition=(models.Q(status=RequirementStatus.CONDITIONAL) & models.Q(condition__isnull=False))
                | (~models.Q(status=RequirementStatus.CONDITIONAL) & models.Q(condition__isnull=True)),
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


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Taslak")
    SUBMITTED = "submitted", _("Gönderildi")
    IN_REVIEW = "in_review", _("İncelemede")
    CHANGES_REQUESTED = "changes_requested", _("Düzeltme istendi")
    AWAITING_ORIGINALS = "awaiting_originals", _("Asıl evrak bekleniyor")
    APPROVED = "approved", _("Onaylandı")
    ACTIVE = "active", _("Hesap açıldı")
    REJECTED = "rejected", _("Reddedildi")
    WITHDRAWN = "withdrawn", _("Geri çekildi")


# Submitted and not yet decided either way, in the lifecycle's order: the reviewers' queue (and its partial index),
# where the applicant may still record the cargo and staff mark originals received, and what reminders chase after
# submission.
OPEN_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.CHANGES_REQUESTED,
    ApplicationStatus.AWAITING_ORIGINALS,
)
# Where a reviewer decides documents (the first decision moves a submission into review).
REVIEWABLE_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW)
# After submission, the line an applicant said they would get can be given until the account is open.
LINE_OPEN = (*OPEN_STATUSES, ApplicationStatus.APPROVED)


class Application(models.Model):
    """One institution's application for a bulk-SMS account, from the first draft to the active account."""

    Status = ApplicationStatus

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
    # İYS: commercial messages need the recipients' consent recorded in the İleti Yönetim Sistemi (the sender step).
    sends_commercial = models.BooleanField(
        _("ticari ileti gönderecek"),
        null=True,
        blank=True,
        help_text=_("Evet ise kurum İYS'ye kayıtlı olmalı ve marka kodunu bildirmeli."),
    )

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

    # Counts every change to what the applicant's pages show: the application's row and its documents, files,
    # events, reminders, sender IDs, consents and contracts, whoever writes them (database triggers, migration
    # 0016), so a page rendered at one version can be served again while the version holds (onboarding.page_cache).
    page_version = models.PositiveBigIntegerField(_("sayfa sürümü"), default=0, editable=False)

    history = HistoricalRecords(
        excluded_fields=["updated_at", "completed_steps", "reminders_due_at", "reminders_seen_at", "page_version"],
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
                condition=models.Q(status__in=ApplicationStatus.values),
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
                condition=models.Q(status__in=OPEN_STATUSES),
                name="application_open_queue_idx",
            ),
            models.Index(fields=["submitted_at", "id"], name="application_submitted_idx"),
            models.Index(fields=["tax_number"], name="application_tax_number_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.legal_name or _('(unvan girilmedi)')}"

    @property
    def province_name(self) -> str:
        """The province's name ("Kocaeli"), never its plate code."""
        from onboarding.turkish import province_name

        return province_name(self.province)

    @property
    def awaits_corporate_line(self) -> bool:
        """Submitted without a corporate line, whose number the applicant can still give (until the account opens)."""
        return (
            self.status in LINE_OPEN
            and (bool(self.line_plan) or self.has_corporate_line is False)
            and not self.corporate_line_number
        )

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
            "signatory_title": self.signatory_title,
            "date": formats.date_format(self.decision_date, "d.m.Y") if self.decision_date else "",
            "day": day,
        }


# The allowed moves of an application; every status change goes through onboarding.services.move_application.
_S = ApplicationStatus
APPLICATION_TRANSITIONS: dict[str, set[str]] = {
    _S.DRAFT: {_S.SUBMITTED, _S.WITHDRAWN},
    _S.SUBMITTED: {_S.IN_REVIEW, _S.WITHDRAWN},
    _S.IN_REVIEW: {_S.CHANGES_REQUESTED, _S.AWAITING_ORIGINALS, _S.REJECTED},
    _S.CHANGES_REQUESTED: {_S.SUBMITTED, _S.WITHDRAWN},
    _S.AWAITING_ORIGINALS: {_S.APPROVED, _S.REJECTED},
    _S.APPROVED: {_S.ACTIVE},
    _S.ACTIVE: set(),
    _S.REJECTED: set(),
    _S.WITHDRAWN: set(),
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


class SenderIdBasis(Bilingual):
    """What a requested sender ID stands for (the institution's name, a registered trademark, …): the applicant
    picks one for each, and its condition, answered "yes", brings the matching proof into the checklist (the
    conditional requirements of each institution type that name this condition). Staff edit both in the admin."""

    code = models.SlugField(_("kod"), max_length=40, unique=True)
    name = models.CharField(_("ad"), max_length=150)
    name_en = models.CharField(_("ad (İngilizce)"), max_length=150, blank=True)
    help_text = models.CharField(_("açıklama"), max_length=300, blank=True)
    help_text_en = models.CharField(_("açıklama (İngilizce)"), max_length=300, blank=True)
    condition = models.ForeignKey(
        Condition,
        verbose_name=_("kanıt koşulu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sender_bases",
        help_text=_(
            "Bu dayanak seçildiğinde 'evet' sayılan koşul: bu koşula bağlı belgeler kontrol listesine eklenir. "
            "Boşsa ek belge istenmez."
        ),
    )
    position = models.PositiveSmallIntegerField(_("sıra"), default=0)
    is_active = models.BooleanField(_("seçilebilir"), default=True)

    class Meta:
        verbose_name = _("SMS başlığı dayanağı")
        verbose_name_plural = _("SMS başlığı dayanakları")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class SenderId(models.Model):
    """A requested alphanumeric sender ID (SMS başlığı), checked as typed."""

    application = models.ForeignKey(
        Application, verbose_name=_("başvuru"), on_delete=models.CASCADE, related_name="sender_ids"
    )
    value = models.CharField(_("SMS başlığı"), max_length=11)
    basis = models.ForeignKey(
        SenderIdBasis,
        verbose_name=_("neyi temsil ediyor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sender_ids",
    )
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
    """A KVKK record with its text's version and time: a notice shown (at registration or submission) or an optional
    explicit consent given.

    Showing the notice is informing, not asking: nothing depends on it being "accepted". Each consent is a separate,
    optional choice that the application does not depend on; only the ones given are recorded.
    """

    class Kind(models.TextChoices):
        KVKK_NOTICE = "kvkk_notice", _("KVKK aydınlatma metni gösterildi")
        MARKETING_EMAIL = "marketing_email", _("Açık rıza: duyuru ve kampanya e-postaları")
        # Until December 2026 submission asked for a consent to the processing itself, which the law does not need
        # (and a consent made a condition of the service is invalid); its records stay as they were given.
        EXPLICIT_CONSENT = "explicit_consent", _("Açık rıza (eski metin, artık istenmiyor)")

    # Empty for the notice shown at registration, before any application exists.
    application = models.ForeignKey(
        Application,
        verbose_name=_("başvuru"),
        on_delete=models.CASCADE,
        related_name="consents",
        null=True,
        blank=True,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("kullanıcı"), on_delete=models.PROTECT, related_name="consents"
    )
    kind = models.CharField(_("tür"), max_length=20, choices=Kind.choices)
    text_version = models.CharField(_("metin sürümü"), max_length=20)
    accepted_at = models.DateTimeField(_("zaman"), auto_now_add=True)

    class Meta:
        verbose_name = _("KVKK kaydı")
        verbose_name_plural = _("KVKK kayıtları")
        ordering = ["accepted_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind", "text_version"], name="consent_once_per_version"),
            models.UniqueConstraint(
                fields=["user", "kind", "text_version"],
                condition=models.Q(application__isnull=True),
                name="consent_once_per_version_at_registration",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.text_version})"


# --- The end-user SMS contract --------------------------------------------------------------------------------------

# The named blanks the contract text may use; the values come from the application and the settings.
CONTRACT_BLANKS: dict[str, str] = {
    "institution": _("Kurumun unvanı"),
    "tax_office": _("Vergi dairesi"),
    "tax_number": _("Vergi / T.C. kimlik numarası"),
    "address": _("Adres"),
    "phone": _("Telefon"),
    "email": _("Kurum e-postası"),
    "signatory_name": _("Yetkilinin adı soyadı"),
    "signatory_title": _("Yetkilinin unvanı"),
    "reseller": _("Hizmet sağlayıcı firma (ayar)"),
    "reseller_address": _("Hizmet sağlayıcının adresi (ayar)"),
    "operator": _("Operatör (ayar)"),
}


class ContractTemplate(models.Model):
    """One version of the end-user SMS contract (Son Kullanıcı SMS sözleşmesi), edited by staff.

    The version in force is the one with the latest `effective_from` not in the future. A version that has been
    handed to an applicant (`IssuedContract`) is what that applicant signed: staff write a new version instead of
    rewriting it.
    """

    version = models.CharField(_("sürüm"), max_length=20, unique=True)
    effective_from = models.DateField(_("yürürlük tarihi"))
    title = models.CharField(_("başlık"), max_length=120, default="SON KULLANICI SMS SÖZLEŞMESİ")
    body = models.TextField(
        _("metin"),
        help_text=_(
            'Paragraflar boş satırla ayrılır; "MADDE" ile başlayan satır başlık olur. Boşluklar: {institution}, '
            "{tax_number}, {address}, {signatory_name}, {reseller} …"
        ),
    )

    class Meta:
        verbose_name = _("SMS sözleşmesi sürümü")
        verbose_name_plural = _("SMS sözleşmesi sürümleri")
        ordering = ["-effective_from", "-id"]

    def __str__(self) -> str:
        return f"{self.title} — {self.version}"

    @classmethod
    def current(cls, today=None) -> "ContractTemplate | None":
        from django.utils import timezone

        today = today or timezone.localdate()
        return cls.objects.filter(effective_from__lte=today).order_by("-effective_from", "-id").first()

    @property
    def blanks(self) -> list[str]:
        return [name for _l, name, _s, _c in string.Formatter().parse(self.body) if name is not None]

    def clean(self) -> None:
        try:
            unknown = sorted({name for name in self.blanks if name not in CONTRACT_BLANKS})
        except ValueError:
            raise ValidationError({"body": _("Süslü parantezler eşleşmiyor.")}) from None
        if unknown:
            raise ValidationError(
                {
                    "body": _("Bilinmeyen boşluk: %(names)s. Kullanılabilenler: %(known)s.")
                    % {"names": ", ".join(unknown), "known": ", ".join(CONTRACT_BLANKS)}
                }
            )

    def paragraphs(self, values: dict[str, str]) -> list[tuple[bool, str]]:
        """(is_heading, text) for each paragraph of the filled text; an empty blank stays a dotted line."""
        filled = self.body.format_map({name: values.get(name) or "…………………" for name in CONTRACT_BLANKS})
        result = []
        for block in filled.replace("\r\n", "\n").split("\n\n"):
            text = " ".join(line.strip() for line in block.strip().splitlines())
            if text:
                result.append((text.startswith("MADDE"), text))
        return result


class IssuedContract(models.Model):
    """Which contract version an application's applicant was given to sign (recorded when the PDF is produced)."""

    application = models.ForeignKey(
        Application, verbose_name=_("başvuru"), on_delete=models.CASCADE, related_name="issued_contracts"
    )
    contract = models.ForeignKey(
        ContractTemplate, verbose_name=_("sözleşme sürümü"), on_delete=models.PROTECT, related_name="issues"
    )
    first_issued_at = models.DateTimeField(_("İlk verildiği zaman"), auto_now_add=True)

    class Meta:
        verbose_name = _("verilen sözleşme")
        verbose_name_plural = _("verilen sözleşmeler")
        ordering = ["-first_issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "contract"], name="issued_contract_once_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.contract.version}"


def _private_storage():
    from django.core.files.storage import storages

    return storages["private"]


class RenderedPdf(models.Model):
    """A generated PDF kept in private storage under the digest of what determines its bytes (onboarding.pdf_store).

    A content version is rendered once and its file never changes: new content is a new digest, a new row. Rows
    nobody downloaded for a while are forgotten, files and all (`pdf_store.forget_unused_pdfs`); asked for again,
    the PDF is rendered again.
    """

    digest = models.CharField(_("İçerik özeti"), max_length=64, unique=True)
    template = models.CharField(_("şablon"), max_length=100)
    file = models.FileField(_("dosya"), storage=_private_storage, max_length=200)
    size = models.PositiveIntegerField(_("boyut (bayt)"))
    created_at = models.DateTimeField(_("oluşturulma"), auto_now_add=True)
    # Moved forward at most once a day (pdf_store.TOUCH_AFTER), so a download is not a write.
    last_served_at = models.DateTimeField(_("son verilme zamanı"))

    class Meta:
        verbose_name = _("üretilmiş PDF")
        verbose_name_plural = _("üretilmiş PDF'ler")
        indexes = [models.Index(fields=["last_served_at"], name="rendered_pdf_last_served")]

    def __str__(self) -> str:
        return f"{self.template} {self.digest[:12]}"
