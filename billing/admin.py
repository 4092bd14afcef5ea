from django.contrib import admin

from billing.models import BillingType, CreditPackage, TariffTier


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


@admin.register(CreditPackage)
class CreditPackageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "credits", "price", "unit_price", "is_active", "position"]
    list_editable = ["price", "is_active", "position"]
    list_filter = ["is_active"]
    search_fields = ["credits"]
    ordering = ["position", "credits"]


@admin.register(TariffTier)
class TariffTierAdmin(admin.ModelAdmin):
    list_display = ["min_messages", "price_per_message"]
    list_editable = ["price_per_message"]
    ordering = ["min_messages"]
