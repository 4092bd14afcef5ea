"""The billing catalogue: the two billing types, the prepaid credit packages and the invoiced tariff.

Prices are placeholders finance edits in the admin. Money is Decimal in TRY, never float.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from onboarding.models import Bilingual


class BillingType(Bilingual):
    """Faturalı (invoiced) or Ön Ödemeli (prepaid); the codes are fixed, the texts are staff's."""

    class Code(models.TextChoices):
        INVOICED = "invoiced", _("Faturalı")
        PREPAID = "prepaid", _("Ön Ödemeli")

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
            models.CheckConstraint(
                condition=models.Q(code__in=["invoiced", "prepaid"]), name="billingtype_code_valid"
            )
        ]

    def __str__(self) -> str:
        return self.name


class CreditPackage(models.Model):
    """A prepaid package of credits (kontör) at a price in TRY."""

    credits = models.PositiveIntegerField(_("kontör"), unique=True, validators=[MinValueValidator(1)])
    price = models.DecimalField(
        _("fiyat (TL)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.00"))]
    )
    is_active = models.BooleanField(_("satışta"), default=True)
    position = models.PositiveSmallIntegerField(_("sıra"), default=0)

    class Meta:
        verbose_name = _("kontör paketi")
        verbose_name_plural = _("kontör paketleri")
        ordering = ["position", "credits"]
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gte=0), name="creditpackage_price_not_negative"),
            models.CheckConstraint(condition=models.Q(credits__gt=0), name="creditpackage_credits_positive"),
        ]

    def __str__(self) -> str:
        return _("%(credits)s kontör") % {"credits": f"{self.credits:,}".replace(",", ".")}

    @property
    def unit_price(self) -> Decimal:
        return (self.price / self.credits).quantize(Decimal("0.0001"))


class TariffTier(models.Model):
    """The invoiced price per delivered message, from a monthly volume upwards (tiers allowed)."""

    min_messages = models.PositiveIntegerField(_("aylık en az mesaj"), unique=True, default=0)
    price_per_message = models.DecimalField(
        _("mesaj başı fiyat (TL)"), max_digits=10, decimal_places=4, validators=[MinValueValidator(Decimal("0"))]
    )

    class Meta:
        verbose_name = _("faturalı tarife basamağı")
        verbose_name_plural = _("faturalı tarife basamakları")
        ordering = ["min_messages"]
        constraints = [
            models.CheckConstraint(condition=models.Q(price_per_message__gte=0), name="tarifftier_price_not_negative")
        ]

    def __str__(self) -> str:
        return _("%(min)s mesajdan itibaren %(price)s TL") % {
            "min": self.min_messages,
            "price": self.price_per_message,
        }
