"""The billing catalogue in the admin: packages with their dated prices, tariffs with their tiers, tax rates.

A price, tariff or rate already in force is never edited (what was bought or billed keeps its price anyway, but the
record of what was in force must stay true): finance adds a new one from a date instead.
"""

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.models import BillingType, CreditPackage, PackagePrice, Tariff, TariffTier, TaxRate


class NotBeforeToday(forms.ModelForm):
    """New prices, tariffs and rates start today or later; a row already in force is shown but cannot change."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if in_force(self.instance):
            for field in self.fields.values():
                field.disabled = True

    def clean_valid_from(self):
        valid_from = self.cleaned_data["valid_from"]
        if in_force(self.instance):
            return valid_from
        if valid_from < timezone.localdate():
            raise forms.ValidationError(_("Yeni bir fiyat en erken bugünden geçerli olabilir."))
        return valid_from


def in_force(obj) -> bool:
    return obj is not None and obj.pk is not None and obj.valid_from <= timezone.localdate()


@admin.register(BillingType)
class BillingTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "code", "position"]
    search_fields = ["name", "name_en", "description"]
    ordering = ["position"]
    readonly_fields = ["code"]

    def has_add_permission(self, request) -> bool:
        # The two billing types are fixed by the operator; only their texts are editable.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class PackagePriceInline(admin.TabularInline):
    model = PackagePrice
    form = NotBeforeToday
    fields = ["valid_from", "price"]
    extra = 1
    ordering = ["-valid_from"]
    verbose_name = _("fiyat")
    verbose_name_plural = _("fiyatlar (net, KDV hariç; yürürlükteki fiyat değiştirilmez, yenisi eklenir)")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CreditPackage)
class CreditPackageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "credits", "current_price", "validity_months", "is_active", "position"]
    list_editable = ["is_active", "position"]
    list_filter = ["is_active"]
    search_fields = ["credits"]
    ordering = ["position", "credits"]
    inlines = [PackagePriceInline]

    def get_queryset(self, request):
        return super().get_queryset(request).priced()

    @admin.display(description=_("bugünkü net fiyat (TL)"))
    def current_price(self, obj: CreditPackage):
        return obj.price if obj.price is not None else "—"

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class TariffTierInline(admin.TabularInline):
    model = TariffTier
    fields = ["min_messages", "price_per_message"]
    extra = 1

    def _locked(self, obj) -> bool:
        return in_force(obj)

    def get_readonly_fields(self, request, obj=None):
        return ["min_messages", "price_per_message"] if self._locked(obj) else []

    def has_add_permission(self, request, obj=None) -> bool:
        return not self._locked(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return not self._locked(obj) and super().has_delete_permission(request, obj)


@admin.register(Tariff)
class TariffAdmin(admin.ModelAdmin):
    form = NotBeforeToday
    list_display = ["valid_from", "note", "tier_summary"]
    inlines = [TariffTierInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tiers")

    def get_readonly_fields(self, request, obj=None):
        return ["valid_from"] if in_force(obj) else []

    @admin.display(description=_("basamaklar"))
    def tier_summary(self, obj: Tariff) -> str:
        return " · ".join(f"≥{tier.min_messages}: {tier.price_per_message}" for tier in obj.tiers.all())

    def has_delete_permission(self, request, obj=None) -> bool:
        return not in_force(obj) and super().has_delete_permission(request, obj)


@admin.register(TaxRate)
class TaxRateAdmin(admin.ModelAdmin):
    form = NotBeforeToday
    list_display = ["code", "rate", "valid_from", "legal_basis"]
    list_filter = ["code"]

    def get_readonly_fields(self, request, obj=None):
        return ["code", "rate", "valid_from"] if in_force(obj) else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# The accounts, ledger and orders (billing/admin_accounts.py), delivery reports (admin_deliveries.py) and statements
# (admin_statements.py) register themselves when imported here.
from billing import admin_accounts, admin_deliveries, admin_statements  # noqa: E402, F401
