"""Delivery reports in the admin: the import form (report first, all or nothing) and the records, read-only.

Reports, records and monthly usage are written only by the import (billing.deliveries): nobody adds, changes or
deletes them here. Importing needs `billing.add_deliveryreport` (finance); the upload is streamed from Django's
temporary upload file, never read whole.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from billing.deliveries import import_delivery_report
from billing.models import DeliveryRecord, DeliveryReport, UsageMonth

SHOWN_ERRORS = 200


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Teslim raporu (CSV)"),
        help_text=_(
            "Sütunlar: message_id, part, account, recipient, sent_at, status, parts (isteğe bağlı: text). "
            "UTF-8; hatalı tek bir satır varsa dosyadan hiçbir şey kaydedilmez."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    dry_run = forms.BooleanField(label=_("Yalnızca denetle, kaydetme"), required=False)


@admin.register(DeliveryReport)
class DeliveryReportAdmin(ReadOnly):
    list_display = ["created_at", "file_name", "imported_by", "rows", "created", "updated", "unchanged", "seconds"]
    list_select_related = ["imported_by"]
    search_fields = ["file_name", "sha256"]
    date_hierarchy = "created_at"
    fields = [
        "file_name",
        "sha256",
        "rows",
        "created",
        "updated",
        "unchanged",
        "imported_by",
        "created_at",
        "seconds",
    ]
    show_full_result_count = False

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "ice-aktar/",
                self.admin_site.admin_view(self.import_view),
                name=f"{opts.app_label}_{opts.model_name}_import",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.can_import(request)}
        return super().changelist_view(request, extra_context=extra_context)

    def can_import(self, request) -> bool:
        return request.user.has_perm("billing.add_deliveryreport")

    def import_view(self, request):
        if not self.can_import(request):
            raise PermissionDenied
        result = None
        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            if form.is_valid():
                uploaded = form.cleaned_data["file"]
                result = import_delivery_report(
                    uploaded, file_name=uploaded.name, user=request.user, dry_run=form.cleaned_data["dry_run"]
                )
        else:
            form = ImportForm()
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "title": _("Teslim raporu içe aktar"),
            "form": form,
            "result": result,
            "shown_errors": result.errors[:SHOWN_ERRORS] if result else [],
            "hidden_errors": max(result.error_count - SHOWN_ERRORS, 0) if result else 0,
            "report_url": (
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[result.report.pk])
                if result and result.report
                else ""
            ),
        }
        return TemplateResponse(request, "admin/billing/deliveryreport/import.html", context)


@admin.register(DeliveryRecord)
class DeliveryRecordAdmin(ReadOnly):
    list_display = ["message_id", "part", "account", "recipient", "sent_at", "status", "parts", "plan", "charged"]
    list_filter = ["status", "plan"]
    list_select_related = ["account"]
    # Exact: the (message_id, part) unique index answers it at any size.
    search_fields = ["message_id__exact"]
    search_help_text = _("Mesaj numarasının tamamını yazın.")
    # The primary key's order, not sent_at's: the newest records first without sorting millions of rows.
    ordering = ["-id"]
    show_full_result_count = False


@admin.register(UsageMonth)
class UsageMonthAdmin(ReadOnly):
    list_display = ["month", "account", "plan", "delivered", "undelivered", "pending", "expired"]
    list_filter = ["plan"]
    date_hierarchy = "month"
    list_select_related = ["account"]
    search_fields = ["account__code__exact", "account__legal_name"]
    ordering = ["-month", "account_id"]
    show_full_result_count = False
