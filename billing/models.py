"""Billing: the catalogue (billing types, packages, tariffs, taxes, each price effective from a date), the billing
accounts opened at activation, the prepaid credit ledger, package orders, delivery records and monthly statements.

Money is Decimal in TRY, never float; prices are net (KDV hariç). What has been bought or billed keeps the prices,
taxes and parties of its day as a copy: a later price, rate or address never rewrites it.

Insert-only records (ledger entries and their allocations, issued statements and their lines) refuse `save()` of an
existing row and `delete()` in the model and the queryset; on PostgreSQL a trigger refuses UPDATE and DELETE too.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Round
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onboarding.models import Bilingual


class Plan(models.TextChoices):
    """A billing account's plan: the billing types' codes (BillingType.Code is this)."""

    INVOICED = "invoiced", _("Faturalı")
    PREPAID = "prepaid", _("Ön Ödemeli")


class BillingType(Bilingual):
    """Faturalı (invoiced) or Ön Ödemeli (prepaid); the codes are fixed, the texts are staff's."""

    Code = Plan

    code = models.CharField(_("kod"), max_length=10, choices=Code.choices, unique=True)
    name = models.CharField(_("ad"), max_length=60)
    name_en = models.CharField(_("ad (İngilizce)"), max_length=60, blank=True)
    description = models.TextField(_("açıklama"))
    description_en = models.TextField(_("açıklama (İngilizce)"), blank=True)
    position = models.PositiveSmallIntegerField(_("sıra"), default=0)

    class Meta:
        verbose_name = _("ödeme tipi")
        verbose_name_plural = _("ödeme tipleri")
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(condition=models.Q(code__in=Plan.values), name="billingtype_code_valid")
        ]

    def __str__(self) -> str:
        return self.name


class ImmutableError(Exception):
    """An insert-only record was asked to change or go away."""


class InsertOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableError(f"{self.model.__name__} rows are never changed; record a correction instead.")

    def delete(self):
        raise ImmutableError(f"{self.model.__name__} rows are never deleted; record a correction instead.")

    # bulk_update goes through update(); bulk_create (inserts) is allowed.


class InsertOnly(models.Model):
    """A row written once: saving it again or deleting it raises ImmutableError."""

    objects = InsertOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError(f"{type(self).__name__} #{self.pk} is never changed; record a correction instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError(f"{type(self).__name__} #{self.pk} is never deleted; record a correction instead.")


# --- The catalogue: packages, tariffs and taxes, each price effective from a date -----------------------------------


class PackageQuerySet(models.QuerySet):
    def priced(self, on=None):
        """Each package with `price`, the net price in force on `on` (today by default); None before any price."""
        on = on or timezone.localdate()
        current = PackagePrice.objects.filter(package=OuterRef("pk"), valid_from__lte=on).order_by("-valid_from")
        return self.annotate(price=Subquery(current.values("price")[:1]))


class CreditPackage(models.Model):
    """A prepaid package of credits (kontör); its price lives in PackagePrice, effective from a date."""

    credits = models.PositiveIntegerField(_("kontör"), unique=True, validators=[MinValueValidator(1)])
    validity_months = models.PositiveSmallIntegerField(
        _("geçerlilik (ay)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Boş bırakılırsa kontörlerin süresi dolmaz (Turkcell'in kendi paketleri 12 ayda dolar)."),
    )
    is_active = models.BooleanField(_("satışta"), default=True)
    position = models.PositiveSmallIntegerField(_("sıra"), default=0)

    objects = PackageQuerySet.as_manager()

    class Meta:
        verbose_name = _("kontör paketi")
        verbose_name_plural = _("kontör paketleri")
        ordering = ["position", "credits"]
        constraints = [
            models.CheckConstraint(condition=models.Q(credits__gt=0), name="creditpackage_credits_positive"),
        ]

    def __str__(self) -> str:
        return _("%(credits)s kontör") % {"credits": f"{self.credits:,}".replace(",", ".")}

    @property
    def unit_price(self) -> Decimal | None:
        price = getattr(self, "price", None)
        if price is None:
            return None
        return (price / self.credits).quantize(Decimal("0.0001"))


class PackagePrice(models.Model):
    """A package's net price from a date on. A price in force is never edited: a new row takes over from its date."""

    package = models.ForeignKey(
        CreditPackage, verbose_name=_("paket"), on_delete=models.CASCADE, related_name="prices"
    )
    price = models.DecimalField(
        _("net fiyat (TL, KDV hariç)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    valid_from = models.DateField(_("geçerlilik başlangıcı"))
    created_at = models.DateTimeField(_("oluşturuldu"), auto_now_add=True)

    class Meta:
        verbose_name = _("paket fiyatı")
        verbose_name_plural = _("paket fiyatları")
        ordering = ["package", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["package", "valid_from"], name="packageprice_one_per_day"),
            models.CheckConstraint(condition=models.Q(price__gte=0), name="packageprice_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.package}: {self.price} TL ({self.valid_from:%d.%m.%Y})"


class Tariff(models.Model):
    """The invoiced price list from a date on: price per delivered message part by monthly volume (TariffTier)."""

    valid_from = models.DateField(_("geçerlilik başlangıcı"), unique=True)
    note = models.CharField(_("not"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("oluşturuldu"), auto_now_add=True)

    class Meta:
        verbose_name = _("faturalı tarife")
        verbose_name_plural = _("faturalı tarifeler")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return _("%(date)s tarihinden itibaren geçerli tarife") % {"date": self.valid_from.strftime("%d.%m.%Y")}

    @classmethod
    def in_force(cls, on=None) -> "Tariff | None":
        on = on or timezone.localdate()
        return cls.objects.filter(valid_from__lte=on).order_by("-valid_from").prefetch_related("tiers").first()


class TariffTier(models.Model):
    """The net price per delivered message part for a month's volume from `min_messages` up (all-units tiers)."""

    tariff = models.ForeignKey(Tariff, verbose_name=_("tarife"), on_delete=models.CASCADE, related_name="tiers")
    min_messages = models.PositiveIntegerField(_("aylık en az mesaj"), default=0)
    price_per_message = models.DecimalField(
        _("mesaj başı net fiyat (TL)"),
        max_digits=10,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("faturalı tarife basamağı")
        verbose_name_plural = _("faturalı tarife basamakları")
        ordering = ["tariff", "min_messages"]
        constraints = [
            models.UniqueConstraint(fields=["tariff", "min_messages"], name="tarifftier_one_per_volume"),
            models.CheckConstraint(
                condition=models.Q(price_per_message__gte=0), name="tarifftier_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return _("%(min)s mesajdan itibaren %(price)s TL") % {
            "min": self.min_messages,
            "price": self.price_per_message,
        }


# Outside the model so that its constraint is built from it; the model names it TaxRate.Code.
class TaxCode(models.TextChoices):
    KDV = "kdv", _("KDV")
    OIV = "oiv", _("ÖİV")


class TaxRate(models.Model):
    """KDV or ÖİV from a date on; both are computed on the same net amount."""

    Code = TaxCode

    code = models.CharField(_("vergi"), max_length=3, choices=Code.choices)
    rate = models.DecimalField(
        _("oran"), max_digits=5, decimal_places=4, help_text=_("Ondalık olarak: %20 için 0,2000.")
    )
    valid_from = models.DateField(_("geçerlilik başlangıcı"))
    legal_basis = models.CharField(_("dayanak"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("vergi oranı")
        verbose_name_plural = _("vergi oranları")
        ordering = ["code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="taxrate_one_per_day"),
            models.CheckConstraint(condition=models.Q(rate__gte=0, rate__lt=1), name="taxrate_between_0_and_1"),
            models.CheckConstraint(condition=models.Q(code__in=TaxCode.values), name="taxrate_code_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()} %{(self.rate * 100).normalize()} ({self.valid_from:%d.%m.%Y})"


# --- Billing accounts -----------------------------------------------------------------------------------------------


class BillingAccount(models.Model):
    """The customer's account, opened when its application is activated; the billing profile is copied from it.

    `plan` is the plan in force today (PlanChange keeps every change and its effective date); `balance` is the sum
    of the account's ledger entries, kept here in the same transaction as each entry and never below zero.
    """

    code = models.CharField(_("hesap kodu"), max_length=20, unique=True)
    application = models.OneToOneField(
        "onboarding.Application",
        verbose_name=_("başvuru"),
        on_delete=models.PROTECT,
        related_name="billing_account",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("müşteri kullanıcısı"),
        on_delete=models.PROTECT,
        related_name="billing_accounts",
    )
    plan = models.CharField(_("ödeme planı"), max_length=10, choices=Plan.choices)
    legal_name = models.CharField(_("unvan"), max_length=250)
    tax_number = models.CharField(_("VKN / TCKN"), max_length=11)
    tax_office = models.CharField(_("vergi dairesi"), max_length=100, blank=True)
    address = models.TextField(_("fatura adresi"), max_length=700)
    invoice_email = models.EmailField(_("fatura e-postası"))
    e_invoice_user = models.BooleanField(
        _("e-Fatura mükellefi"),
        default=False,
        help_text=_("İşaretliyse e-Fatura, değilse e-Arşiv fatura düzenlenir."),
    )
    balance = models.IntegerField(_("kontör bakiyesi"), default=0, editable=False)
    low_balance_threshold = models.PositiveIntegerField(_("düşük bakiye uyarı eşiği"), null=True, blank=True)
    # True from the moment the balance falls below the threshold (one alert sent) until it rises to it again.
    low_balance_alerted = models.BooleanField(_("düşük bakiye uyarısı gönderildi"), default=False, editable=False)
    low_balance_crossings = models.PositiveIntegerField(_("düşük bakiyeye inme sayısı"), default=0, editable=False)
    opened_at = models.DateTimeField(_("açıldı"), default=timezone.now)

    class Meta:
        verbose_name = _("müşteri hesabı")
        verbose_name_plural = _("müşteri hesapları")
        ordering = ["legal_name", "id"]
        permissions = [
            ("replan_billingaccount", _("Ödeme planını değiştirebilir")),
            ("correct_billingaccount", _("Kontör düzeltme kaydı girebilir")),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(balance__gte=0), name="billingaccount_balance_not_negative"),
            models.CheckConstraint(condition=models.Q(plan__in=Plan.values), name="billingaccount_plan_valid"),
        ]
        indexes = [
            models.Index(fields=["plan", "legal_name"], name="billingaccount_plan_idx"),
            models.Index(fields=["balance"], name="billingaccount_balance_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.legal_name}"

    @property
    def document_profile(self) -> str:
        return "e_fatura" if self.e_invoice_user else "e_arsiv"


class PlanChange(models.Model):
    """Every plan an account has had: who changed it, when, from what, to what, why, and from which date."""

    account = models.ForeignKey(
        BillingAccount, verbose_name=_("hesap"), on_delete=models.PROTECT, related_name="plan_changes"
    )
    from_plan = models.CharField(_("önceki plan"), max_length=10, choices=Plan.choices, blank=True)
    to_plan = models.CharField(_("yeni plan"), max_length=10, choices=Plan.choices)
    effective_from = models.DateField(_("geçerlilik başlangıcı"))
    reason = models.TextField(_("gerekçe"), max_length=1000)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("değiştiren"), on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(_("kaydedildi"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan değişikliği")
        verbose_name_plural = _("plan değişiklikleri")
        ordering = ["account", "effective_from", "id"]
        indexes = [
            models.Index(fields=["account", "effective_from"], name="planchange_account_idx"),
            # The finance area's plan history, newest first (finance/reports.py).
            models.Index(fields=["-effective_from", "-id"], name="planchange_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.account.code}: {self.from_plan or '—'} → {self.to_plan} ({self.effective_from:%d.%m.%Y})"


# --- The prepaid credit ledger --------------------------------------------------------------------------------------


class CreditSource(models.TextChoices):
    PAID = "paid", _("Satın alınan")
    GRANTED = "granted", _("Hediye")


# Outside the model so that its constraints are built from it; the model names it LedgerEntry.Kind.
class LedgerKind(models.TextChoices):
    PURCHASE = "purchase", _("Satın alma")
    GRANT = "grant", _("Hediye kontör")
    USAGE = "usage", _("Kullanım")
    REFUND = "refund", _("İade (teslim edilemeyen)")
    EXPIRY = "expiry", _("Süre dolumu")
    CORRECTION = "correction", _("Düzeltme")


class LedgerEntry(InsertOnly):
    """One movement of credits: positive adds, negative takes. The account's balance is the sum of its entries."""

    Kind = LedgerKind

    account = models.ForeignKey(
        BillingAccount, verbose_name=_("hesap"), on_delete=models.PROTECT, related_name="ledger_entries"
    )
    kind = models.CharField(_("tür"), max_length=10, choices=Kind.choices)
    credits = models.IntegerField(_("kontör"))
    balance_after = models.IntegerField(_("sonraki bakiye"))
    # Every entry names its cause; the same key again records nothing and returns the first entry.
    idempotency_key = models.CharField(_("tekillik anahtarı"), max_length=120, unique=True)
    order = models.ForeignKey(
        "PackageOrder", verbose_name=_("sipariş"), on_delete=models.PROTECT, null=True, blank=True
    )
    description = models.CharField(_("açıklama"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("kaydeden"), on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(_("zaman"), default=timezone.now)

    class Meta:
        verbose_name = _("kontör hareketi")
        verbose_name_plural = _("kontör hareketleri")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(balance_after__gte=0), name="ledgerentry_never_below_zero"),
            models.CheckConstraint(condition=~models.Q(credits=0), name="ledgerentry_not_zero"),
            models.CheckConstraint(
                condition=models.Q(kind__in=LedgerKind.values),
                name="ledgerentry_kind_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=LedgerKind.CORRECTION) | ~models.Q(description=""),
                name="ledgerentry_correction_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "-created_at", "-id"], name="ledgerentry_account_idx"),
            models.Index(fields=["kind", "created_at"], name="ledgerentry_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.account.code} {self.get_kind_display()} {self.credits:+d}"


class CreditLot(models.Model):
    """Credits added by one entry (purchase, grant, refund, positive correction), drawn down soonest-expiring first.

    `remaining` is derived from the lot's allocations and kept beside them in the same transaction (see
    billing.ledger.verify); it is the one field that changes, and only there.
    """

    account = models.ForeignKey(
        BillingAccount, verbose_name=_("hesap"), on_delete=models.PROTECT, related_name="credit_lots"
    )
    entry = models.OneToOneField(
        LedgerEntry, verbose_name=_("kontör hareketi"), on_delete=models.PROTECT, related_name="lot"
    )
    source = models.CharField(_("kaynak"), max_length=7, choices=CreditSource.choices)
    credits = models.PositiveIntegerField(_("kontör"))
    remaining = models.PositiveIntegerField(_("kalan"))
    expires_at = models.DateTimeField(_("son kullanma"), null=True, blank=True)
    created_at = models.DateTimeField(_("zaman"), default=timezone.now)

    class Meta:
        verbose_name = _("kontör dilimi")
        verbose_name_plural = _("kontör dilimleri")
        ordering = ["account", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(remaining__gte=0, remaining__lte=models.F("credits")),
                name="creditlot_remaining_in_range",
            ),
            models.CheckConstraint(condition=models.Q(source__in=CreditSource.values), name="creditlot_source_valid"),
        ]
        indexes = [
            models.Index(
                fields=["account", "expires_at"], condition=models.Q(remaining__gt=0), name="creditlot_open_idx"
            ),
            models.Index(fields=["expires_at"], condition=models.Q(remaining__gt=0), name="creditlot_expiring_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.account.code} {self.remaining}/{self.credits}"


class LedgerAllocation(InsertOnly):
    """How many credits one entry took from (negative) or put back into (positive) one lot."""

    entry = models.ForeignKey(
        LedgerEntry, verbose_name=_("kontör hareketi"), on_delete=models.PROTECT, related_name="allocations"
    )
    lot = models.ForeignKey(
        CreditLot, verbose_name=_("kontör partisi"), on_delete=models.PROTECT, related_name="allocations"
    )
    credits = models.IntegerField(_("kontör"))

    class Meta:
        verbose_name = _("kontör dağılımı")
        verbose_name_plural = _("kontör dağılımları")
        constraints = [models.CheckConstraint(condition=~models.Q(credits=0), name="ledgerallocation_not_zero")]

    def __str__(self) -> str:
        return f"{self.entry_id} → {self.lot_id}: {self.credits:+d}"


# --- Package orders -------------------------------------------------------------------------------------------------


# Outside the model so that its constraint is built from it; the model names it PackageOrder.Status.
class PackageOrderStatus(models.TextChoices):
    PENDING = "pending", _("Ödeme bekleniyor")
    PAID = "paid", _("Ödendi")
    CANCELLED = "cancelled", _("İptal edildi")


class PackageOrder(models.Model):
    """A prepaid customer's order of a package: the amounts of the day, paid by bank transfer (the payment seam),
    confirmed by finance; the credits arrive once, with the order as their reference."""

    Status = PackageOrderStatus

    code = models.CharField(_("sipariş kodu"), max_length=20, unique=True)
    account = models.ForeignKey(
        BillingAccount, verbose_name=_("hesap"), on_delete=models.PROTECT, related_name="orders"
    )
    package = models.ForeignKey(CreditPackage, verbose_name=_("paket"), on_delete=models.PROTECT)
    credits = models.PositiveIntegerField(_("kontör"))
    validity_months = models.PositiveSmallIntegerField(_("geçerlilik (ay)"), null=True, blank=True)
    net = models.DecimalField(_("net tutar"), max_digits=12, decimal_places=2)
    kdv_rate = models.DecimalField(_("KDV oranı"), max_digits=5, decimal_places=4)
    kdv = models.DecimalField(_("KDV"), max_digits=12, decimal_places=2)
    oiv_rate = models.DecimalField(_("ÖİV oranı"), max_digits=5, decimal_places=4)
    oiv = models.DecimalField(_("ÖİV"), max_digits=12, decimal_places=2)
    total = models.DecimalField(_("toplam"), max_digits=12, decimal_places=2)
    status = models.CharField(_("durum"), max_length=10, choices=Status.choices, default=Status.PENDING)
    payment_method = models.CharField(_("ödeme yöntemi"), max_length=20, default="bank_transfer")
    payment_reference = models.CharField(_("ödeme referansı"), max_length=100, blank=True)
    idempotency_key = models.CharField(_("tekillik anahtarı"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("oluşturuldu"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sipariş veren"), on_delete=models.PROTECT, related_name="+"
    )
    paid_at = models.DateTimeField(_("ödeme onayı"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("onaylayan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("İptal zamanı"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("İptal eden"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("paket siparişi")
        verbose_name_plural = _("paket siparişleri")
        ordering = ["-created_at", "-id"]
        permissions = [("confirm_packageorder", _("Sipariş ödemesini onaylayabilir"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=PackageOrderStatus.values), name="packageorder_status_valid"
            ),
            # Rounded as statement_total_adds_up is: SQLite adds decimals as binary floats.
            models.CheckConstraint(
                condition=models.Q(total=Round(models.F("net") + models.F("kdv") + models.F("oiv"), 2)),
                name="packageorder_total_adds_up",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="packageorder_status_idx"),
            models.Index(fields=["paid_at"], name="packageorder_paid_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.credits} kontör"


# --- Delivery reports and usage -------------------------------------------------------------------------------------


class DeliveryStatus(models.TextChoices):
    DELIVERED = "delivered", _("Teslim edildi")
    UNDELIVERED = "undelivered", _("Teslim edilemedi")
    PENDING = "pending", _("Beklemede")
    EXPIRED = "expired", _("Zaman aşımı")


class DeliveryReport(models.Model):
    """One imported operator report (CSV): who imported it, when, and what it changed."""

    file_name = models.CharField(_("dosya"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("satır"), default=0)
    created = models.PositiveIntegerField(_("yeni kayıt"), default=0)
    updated = models.PositiveIntegerField(_("durumu değişen"), default=0)
    unchanged = models.PositiveIntegerField(_("değişmeyen"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("yükleyen"), on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(_("yüklendi"), default=timezone.now)
    seconds = models.FloatField(_("süre (sn)"), default=0)

    class Meta:
        verbose_name = _("teslim raporu")
        verbose_name_plural = _("teslim raporları")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%d.%m.%Y %H:%M})"


class DeliveryRecord(models.Model):
    """One row of the operator's reports, unique by (message_id, part); its latest status wins.

    `charged` is how many credits this row holds debited on a prepaid account (its parts while pending or delivered,
    zero once undelivered or expired): the importer debits or refunds only the difference.
    """

    message_id = models.CharField(_("mesaj no"), max_length=64)
    part = models.PositiveSmallIntegerField(_("parça"))
    account = models.ForeignKey(
        BillingAccount, verbose_name=_("hesap"), on_delete=models.PROTECT, related_name="deliveries"
    )
    recipient = models.CharField(_("alıcı"), max_length=20)
    sent_at = models.DateTimeField(_("gönderim"))
    status = models.CharField(_("durum"), max_length=11, choices=DeliveryStatus.choices)
    parts = models.PositiveSmallIntegerField(_("SMS parçası"))
    plan = models.CharField(_("plan"), max_length=10, choices=Plan.choices)
    charged = models.PositiveIntegerField(_("düşülen kontör"), default=0)
    report = models.ForeignKey(
        DeliveryReport, verbose_name=_("teslim raporu"), on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField(_("güncellendi"), default=timezone.now)

    class Meta:
        verbose_name = _("teslim kaydı")
        verbose_name_plural = _("teslim kayıtları")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["message_id", "part"], name="deliveryrecord_unique_part"),
            models.CheckConstraint(
                condition=models.Q(status__in=DeliveryStatus.values), name="deliveryrecord_status_valid"
            ),
            models.CheckConstraint(condition=models.Q(parts__gte=1), name="deliveryrecord_parts_positive"),
        ]
        indexes = [models.Index(fields=["account", "sent_at"], name="deliveryrecord_account_idx")]

    def __str__(self) -> str:
        return f"{self.message_id}/{self.part}: {self.status}"


class UsageMonth(models.Model):
    """Parts per account, calendar month (Europe/Istanbul) and plan, by status: kept by the importer in the same
    transaction as the records, so that finance pages and statements never scan the records."""

    account = models.ForeignKey(
        BillingAccount, verbose_name=_("hesap"), on_delete=models.PROTECT, related_name="usage_months"
    )
    month = models.DateField(_("ay"))
    plan = models.CharField(_("plan"), max_length=10, choices=Plan.choices)
    delivered = models.BigIntegerField(_("teslim edilen"), default=0)
    undelivered = models.BigIntegerField(_("teslim edilemeyen"), default=0)
    pending = models.BigIntegerField(_("beklemede"), default=0)
    expired = models.BigIntegerField(_("zaman aşımı"), default=0)

    class Meta:
        verbose_name = _("aylık kullanım")
        verbose_name_plural = _("aylık kullanımlar")
        constraints = [
            models.UniqueConstraint(fields=["account", "month", "plan"], name="usagemonth_unique"),
        ]
        indexes = [
            models.Index(fields=["month", "plan"], name="usagemonth_month_idx"),
            # The finance area's month ranges and per-account sums read this index alone, never the table.
            # (Every column a key rather than INCLUDE: SQLite has no INCLUDE and Django warns of it.)
            models.Index(
                fields=["month", "account", "plan", "delivered", "undelivered", "pending", "expired"],
                name="usagemonth_finance_idx",
            ),
            # Invoiced months with delivered parts, in the order of statement_one_per_month: "which have no
            # statement yet" is then a merge of two indexes (finance/reports.py, OutstandingReport).
            models.Index(
                fields=["account", "month", "delivered"],
                condition=models.Q(plan=Plan.INVOICED, delivered__gt=0),
                name="usagemonth_unbilled_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.month:%Y-%m} {self.plan}: {self.delivered}"


# --- Statements -----------------------------------------------------------------------------------------------------


class StatementSequence(models.Model):
    """The last number used per prefix and year; locked to take the next, so numbers are gap-free and never reused."""

    prefix = models.CharField(_("önek"), max_length=3)
    year = models.PositiveSmallIntegerField(_("yıl"))
    last_number = models.PositiveIntegerField(_("son numara"), default=0)

    class Meta:
        verbose_name = _("fatura numarası serisi")
        verbose_name_plural = _("fatura numarası serileri")
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="statementsequence_unique")]

    def __str__(self) -> str:
        return f"{self.prefix}{self.year}: {self.last_number}"


statement_number_validator = RegexValidator(r"^[A-Z0-9]{3}20[0-9]{2}[0-9]{9}$")


# Outside the model so that its constraints are built from it; the model names it Statement.Kind.
class StatementKind(models.TextChoices):
    INVOICE = "invoice", _("Fatura")
    CREDIT_NOTE = "credit_note", _("İade faturası")


class Statement(InsertOnly):
    """An issued monthly statement (or a credit note correcting one) with the parties and amounts of its day."""

    Kind = StatementKind

    class Profile(models.TextChoices):
        E_FATURA = "e_fatura", _("e-Fatura")
        E_ARSIV = "e_arsiv", _("e-Arşiv")

    kind = models.CharField(_("tür"), max_length=11, choices=Kind.choices, default=Kind.INVOICE)
    number = models.CharField(_("fatura no"), max_length=16, unique=True, validators=[statement_number_validator])
    uuid = models.UUIDField(_("ETTN"), default=uuid.uuid4, unique=True, editable=False)
    profile = models.CharField(_("belge tipi"), max_length=8, choices=Profile.choices)
    account = models.ForeignKey(
        BillingAccount, verbose_name=_("hesap"), on_delete=models.PROTECT, related_name="statements"
    )
    period = models.DateField(_("dönem (ayın ilk günü)"))
    issue_date = models.DateField(_("düzenleme tarihi"))
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("düzelttiği fatura"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_notes",
    )
    reason = models.TextField(_("gerekçe"), blank=True)
    seller = models.JSONField(_("satıcı"))
    buyer_name = models.CharField(_("alıcı unvanı"), max_length=250)
    buyer_tax_number = models.CharField(_("alıcı VKN / TCKN"), max_length=11)
    buyer_tax_office = models.CharField(_("alıcı vergi dairesi"), max_length=100, blank=True)
    buyer_address = models.TextField(_("alıcı adresi"))
    buyer_email = models.EmailField(_("alıcı e-postası"), blank=True)
    net = models.DecimalField(_("net tutar"), max_digits=14, decimal_places=2)
    kdv_rate = models.DecimalField(_("KDV oranı"), max_digits=5, decimal_places=4)
    kdv = models.DecimalField(_("KDV"), max_digits=14, decimal_places=2)
    oiv_rate = models.DecimalField(_("ÖİV oranı"), max_digits=5, decimal_places=4)
    oiv = models.DecimalField(_("ÖİV"), max_digits=14, decimal_places=2)
    total = models.DecimalField(_("toplam"), max_digits=14, decimal_places=2)
    created_at = models.DateTimeField(_("kaydedildi"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("düzenleyen"), on_delete=models.PROTECT, null=True, blank=True
    )

    class Meta:
        verbose_name = _("fatura")
        verbose_name_plural = _("faturalar")
        ordering = ["-issue_date", "-number"]
        permissions = [("creditnote_statement", _("İade faturası düzenleyebilir"))]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "period"],
                condition=models.Q(kind=StatementKind.INVOICE),
                name="statement_one_per_month",
            ),
            models.CheckConstraint(condition=models.Q(kind__in=StatementKind.values), name="statement_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(kind=StatementKind.INVOICE, corrects__isnull=True)
                | models.Q(kind=StatementKind.CREDIT_NOTE, corrects__isnull=False),
                name="statement_credit_note_refers",
            ),
            models.CheckConstraint(
                condition=models.Q(number__regex=r"^[A-Z0-9]{3}20[0-9]{2}[0-9]{9}$"), name="statement_number_format"
            ),
            # Rounded to the kuruş: SQLite keeps decimals as binary floats, where 555.30 + 111.06 + 55.53 is not
            # 721.89; on PostgreSQL (numeric) the rounding changes nothing.
            models.CheckConstraint(
                condition=models.Q(total=Round(models.F("net") + models.F("kdv") + models.F("oiv"), 2)),
                name="statement_total_adds_up",
            ),
        ]
        indexes = [
            models.Index(fields=["period", "kind"], name="statement_period_idx"),
            models.Index(fields=["account", "-issue_date"], name="statement_account_idx"),
            # The finance area: sums by period without the table, and the newest statements first.
            models.Index(fields=["period", "kind", "net", "kdv", "oiv", "total"], name="statement_finance_idx"),
            models.Index(fields=["-issue_date", "-number"], name="statement_issued_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class StatementLine(InsertOnly):
    statement = models.ForeignKey(Statement, verbose_name=_("fatura"), on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveSmallIntegerField(_("sıra"))
    description = models.CharField(_("açıklama"), max_length=300)
    quantity = models.DecimalField(_("miktar"), max_digits=14, decimal_places=0)
    unit = models.CharField(_("birim"), max_length=20, default="Adet")
    unit_price = models.DecimalField(_("birim fiyat"), max_digits=12, decimal_places=4)
    amount = models.DecimalField(_("tutar"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("fatura satırı")
        verbose_name_plural = _("fatura satırları")
        ordering = ["statement", "position"]
        constraints = [models.UniqueConstraint(fields=["statement", "position"], name="statementline_unique")]

    def __str__(self) -> str:
        return f"{self.statement_id} #{self.position}: {self.description}"
