"""Billing accounts, plan changes, the ledger and package orders in the admin (finance).

The ledger is read-only for everyone, superusers included: entries are written by the services (billing.ledger) and
corrected by a correcting entry with a reason, never edited or deleted. Accounts open at activation (no "add"); the
plan changes through its own form, which records who, when, from, to, why and from which date.
"""

import uuid

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from billing import accounts, ledger, orders
from billing.models import (
    BillingAccount,
    CreditLot,
    CreditSource,
    LedgerEntry,
    PackageOrder,
    Plan,
    PlanChange,
)
from config.admin_toolkit import object_or_404


class ReadOnlyAdmin(admin.ModelAdmin):
    """Listed and shown, never added, changed or deleted through the admin."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class PlanChangeForm(forms.Form):
    to_plan = forms.ChoiceField(label=_("Yeni plan"), choices=Plan.choices)
    effective_from = forms.DateField(
        label=_("Geçerlilik başlangıcı"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("En erken bugün; geçmiş aylar faturalandığı gibi kalır."),
    )
    reason = forms.CharField(label=_("Gerekçe"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class CorrectionForm(forms.Form):
    credits = forms.IntegerField(
        label=_("Kontör"),
        help_text=_("Eklemek için pozitif, düşmek için negatif bir sayı yazın."),
        min_value=-10_000_000,
        max_value=10_000_000,
    )
    source = forms.ChoiceField(
        label=_("Eklenen kontörün kaynağı"), choices=CreditSource.choices, initial=CreditSource.PAID
    )
    reason = forms.CharField(label=_("Gerekçe"), widget=forms.Textarea(attrs={"rows": 3}), max_length=300)
    # A double submit records one correction.
    key = forms.CharField(widget=forms.HiddenInput)

    def clean_credits(self):
        credits = self.cleaned_data["credits"]
        if credits == 0:
            raise forms.ValidationError(_("Düzeltme sıfır kontör olamaz."))
        return credits


class PlanChangeInline(admin.TabularInline):
    model = PlanChange
    fields = ["effective_from", "from_plan", "to_plan", "reason", "actor", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-effective_from", "-id"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(BillingAccount)
class BillingAccountAdmin(admin.ModelAdmin):
    list_display = ["code", "legal_name", "plan", "balance", "low_balance_threshold", "document_type", "opened_at"]
    list_filter = ["plan", "e_invoice_user"]
    search_fields = ["code", "legal_name", "tax_number"]
    ordering = ["legal_name", "id"]
    show_full_result_count = False
    readonly_fields = ["code", "application_link", "owner", "plan", "balance", "opened_at", "ledger_link"]
    fields = [
        "code",
        "application_link",
        "owner",
        "plan",
        "balance",
        "ledger_link",
        "low_balance_threshold",
        "legal_name",
        "tax_number",
        "tax_office",
        "address",
        "invoice_email",
        "e_invoice_user",
        "opened_at",
    ]
    inlines = [PlanChangeInline]
    change_form_template = "admin/billing/billingaccount/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("owner", "application")

    def has_add_permission(self, request) -> bool:
        return False  # accounts open when their application is activated

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("belge tipi"))
    def document_type(self, obj: BillingAccount) -> str:
        return _("e-Fatura") if obj.e_invoice_user else _("e-Arşiv")

    @admin.display(description=_("başvuru"))
    def application_link(self, obj: BillingAccount) -> str:
        if not self.admin_site._registry.get(type(obj.application)):
            return obj.application.reference
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:onboarding_application_change", args=[obj.application_id]),
            obj.application.reference,
        )

    @admin.display(description=_("kontör hareketleri"))
    def ledger_link(self, obj: BillingAccount) -> str:
        url = reverse("admin:billing_ledgerentry_changelist") + f"?account__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Hesabın tüm hareketleri"))

    def get_urls(self):
        own = [
            path(
                "<path:object_id>/plan/",
                self.admin_site.admin_view(self.change_plan_view),
                name="billing_billingaccount_plan",
            ),
            path(
                "<path:object_id>/duzeltme/",
                self.admin_site.admin_view(self.correction_view),
                name="billing_billingaccount_correction",
            ),
        ]
        return own + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        extra_context["can_change_plan"] = request.user.has_perm("billing.replan_billingaccount")
        extra_context["can_correct"] = request.user.has_perm("billing.correct_billingaccount")
        return super().change_view(request, object_id, form_url, extra_context)

    def _page(self, request, account, form, title: str, template: str):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": account,
            "title": title,
            "form": form,
            "account": account,
        }
        return TemplateResponse(request, template, context)

    def change_plan_view(self, request, object_id):
        if not request.user.has_perm("billing.replan_billingaccount"):
            raise PermissionDenied
        account = object_or_404(BillingAccount.objects.all(), object_id)
        form = PlanChangeForm(request.POST or None, initial={"effective_from": timezone.localdate()})
        if request.method == "POST" and form.is_valid():
            try:
                accounts.change_plan(account, actor=request.user, **form.cleaned_data)
            except accounts.AccountError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Plan değişikliği kaydedildi."))
                return HttpResponseRedirect(reverse("admin:billing_billingaccount_change", args=[account.pk]))
        return self._page(
            request,
            account,
            form,
            _("Ödeme planını değiştir: %(code)s") % {"code": account.code},
            "admin/billing/billingaccount/form_page.html",
        )

    def correction_view(self, request, object_id):
        if not request.user.has_perm("billing.correct_billingaccount"):
            raise PermissionDenied
        account = object_or_404(BillingAccount.objects.all(), object_id)
        form = CorrectionForm(request.POST or None, initial={"key": uuid.uuid4().hex})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                posted = ledger.correct(
                    account,
                    credits=data["credits"],
                    reason=data["reason"],
                    actor=request.user,
                    key=f"correction:{account.pk}:{data['key']}",
                    source=data["source"],
                )
            except ledger.LedgerError as error:
                form.add_error(None, error.message)
            else:
                if posted.created:
                    messages.success(request, _("Düzeltme kaydı eklendi."))
                return HttpResponseRedirect(reverse("admin:billing_billingaccount_change", args=[account.pk]))
        return self._page(
            request,
            account,
            form,
            _("Kontör düzeltmesi: %(code)s") % {"code": account.code},
            "admin/billing/billingaccount/form_page.html",
        )


@admin.register(PlanChange)
class PlanChangeAdmin(ReadOnlyAdmin):
    list_display = ["account", "effective_from", "from_plan", "to_plan", "actor", "created_at"]
    list_filter = ["to_plan"]
    search_fields = ["account__code", "account__legal_name", "reason"]
    list_select_related = ["account", "actor"]
    show_full_result_count = False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "account", "kind", "credits", "balance_after", "description", "order", "actor"]
    list_filter = ["kind"]
    search_fields = ["account__code", "account__legal_name", "idempotency_key", "description"]
    list_select_related = ["account", "order", "actor"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    actions = None  # not even "delete selected"


@admin.register(CreditLot)
class CreditLotAdmin(ReadOnlyAdmin):
    list_display = ["account", "source", "credits", "remaining", "expires_at", "created_at"]
    list_filter = ["source"]
    search_fields = ["account__code", "account__legal_name"]
    list_select_related = ["account"]
    show_full_result_count = False


@admin.register(PackageOrder)
class PackageOrderAdmin(ReadOnlyAdmin):
    list_display = ["code", "account", "credits", "net", "kdv", "oiv", "total", "status", "created_at", "paid_at"]
    list_filter = ["status"]
    search_fields = ["code", "account__code", "account__legal_name", "payment_reference"]
    list_select_related = ["account"]
    actions = ["confirm_payments", "cancel_orders"]
    show_full_result_count = False

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)
        if not request.user.has_perm("billing.confirm_packageorder"):
            actions.pop("confirm_payments", None)
            actions.pop("cancel_orders", None)
        return actions

    @admin.action(description=_("Seçili siparişlerin ödemesini onayla (kontörleri yükle)"))
    def confirm_payments(self, request, queryset):
        done = 0
        for order in queryset.filter(status=PackageOrder.Status.PENDING):
            try:
                orders.confirm_payment(order, actor=request.user)
            except (orders.OrderError, ledger.LedgerError) as error:
                messages.error(request, f"{order.code}: {error.message}")
            else:
                done += 1
        skipped = queryset.exclude(status=PackageOrder.Status.PENDING).count()
        if done:
            messages.success(
                request, _("%(count)s siparişin ödemesi onaylandı, kontörleri yüklendi.") % {"count": done}
            )
        if skipped:
            messages.warning(request, _("%(count)s sipariş beklemede olmadığı için atlandı.") % {"count": skipped})

    @admin.action(description=_("Seçili ödenmemiş siparişleri iptal et"))
    def cancel_orders(self, request, queryset):
        done = 0
        for order in queryset:
            try:
                orders.cancel_order(order, actor=request.user)
            except orders.OrderError as error:
                messages.error(request, f"{order.code}: {error.message}")
            else:
                done += 1
        if done:
            messages.success(request, _("%(count)s sipariş iptal edildi.") % {"count": done})
