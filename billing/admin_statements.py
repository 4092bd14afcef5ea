"""Statements in the admin: read-only for everyone (superusers too), never deleted; the PDF one click away; a credit
note (İade faturası) corrects an invoice through billing.statements.issue_credit_note."""

import datetime
from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from billing import statements as service
from billing.models import Statement, StatementLine
from config.admin_toolkit import object_or_404
from onboarding.pdf import pdf_response

CREDIT_NOTE_PERMISSION = "billing.creditnote_statement"


class PeriodFilter(admin.SimpleListFilter):
    """The months statements were issued for, newest first ("Ekim 2026")."""

    title = gettext_lazy("dönem")
    parameter_name = "period"

    def lookups(self, request, model_admin):
        periods = Statement.objects.order_by("-period").values_list("period", flat=True).distinct()[:36]
        return [(period.isoformat(), service.month_name(period)) for period in periods]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        try:
            period = datetime.date.fromisoformat(value)
        except ValueError:  # a hand-typed period that is not a date lists nothing rather than answering 500
            return queryset.none()
        return queryset.filter(period=period)


class ReadOnly:
    """Nobody adds, changes or deletes here: an issued statement is corrected by a credit note, never edited."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class StatementLineInline(ReadOnly, admin.TabularInline):
    model = StatementLine
    fields = ["line_number", "description", "quantity", "unit", "unit_price", "amount"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    @admin.display(description=gettext_lazy("sıra"))
    def line_number(self, obj: StatementLine) -> int:
        return obj.position


class CreditNoteForm(forms.Form):
    amount = forms.DecimalField(
        label=gettext_lazy("İade edilecek net tutar (TL, KDV hariç)"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
    )
    reason = forms.CharField(
        label=gettext_lazy("Gerekçe"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=gettext_lazy("İade faturasında ve müşterinin gördüğü belgede yer alır."),
    )


@admin.register(Statement)
class StatementAdmin(ReadOnly, admin.ModelAdmin):
    list_display = [
        "number",
        "kind",
        "profile",
        "period_name",
        "buyer_name",
        "buyer_tax_number",
        "net",
        "kdv",
        "oiv",
        "total",
        "issue_date",
        "pdf_link",
    ]
    list_filter = [PeriodFilter, "kind", "profile"]
    search_fields = ["=number", "buyer_name", "=buyer_tax_number", "=account__code"]
    list_select_related = ["account", "corrects"]
    ordering = ["-issue_date", "-number"]
    inlines = [StatementLineInline]
    actions = ["credit_note_action"]
    fieldsets = [
        (None, {"fields": ["documents", "number", "kind", "profile", "uuid", "issue_date", "period", "account"]}),
        (gettext_lazy("Düzeltme"), {"fields": ["corrects", "reason", "credit_notes_list"]}),
        (gettext_lazy("Satıcı"), {"fields": ["seller_details"]}),
        (
            gettext_lazy("Alıcı"),
            {"fields": ["buyer_name", "buyer_tax_number", "buyer_tax_office", "buyer_address", "buyer_email"]},
        ),
        (gettext_lazy("Tutarlar"), {"fields": ["net", "kdv_rate", "kdv", "oiv_rate", "oiv", "total"]}),
        (None, {"fields": ["created_at", "created_by"]}),
    ]
    readonly_fields = ["documents", "documents_and_credit_note", "credit_notes_list", "seller_details"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("account", "corrects", "created_by")

    def has_creditnote_permission(self, request, obj=None) -> bool:
        return request.user.has_perm(CREDIT_NOTE_PERMISSION)

    # --- Columns and read-only fields ---

    @admin.display(description=gettext_lazy("dönem"), ordering="period")
    def period_name(self, obj: Statement) -> str:
        return service.month_name(obj.period)

    @admin.display(description="PDF")
    def pdf_link(self, obj: Statement) -> str:
        return format_html('<a href="{}">{}</a>', self._url("pdf", obj), _("İndir"))

    @admin.display(description=gettext_lazy("belge"))
    def documents(self, obj: Statement) -> str:
        return format_html('<a class="button" href="{}">{}</a>', self._url("pdf", obj), _("PDF indir"))

    @admin.display(description=gettext_lazy("belge"))
    def documents_and_credit_note(self, obj: Statement) -> str:
        """The PDF button and, on an invoice, "İade faturası düzenle" (shown to users who may issue one)."""
        if obj.kind != Statement.Kind.INVOICE:
            return self.documents(obj)
        return format_html(
            '{} <a class="button" href="{}">{}</a>',
            self.documents(obj),
            self._url("credit_note", obj),
            _("İade faturası düzenle"),
        )

    @admin.display(description=gettext_lazy("İade faturaları"))  # capitalised here: capfirst() would print "Iade"
    def credit_notes_list(self, obj: Statement) -> str:
        notes = list(obj.credit_notes.order_by("issue_date", "number"))
        if not notes:
            return "—"
        return format_html_join(
            ", ",
            '<a href="{}">{}</a> ({} TL)',
            ((reverse("admin:billing_statement_change", args=[note.pk]), note.number, note.net) for note in notes),
        )

    @admin.display(description=gettext_lazy("satıcı (düzenlendiği günkü bilgiler)"))
    def seller_details(self, obj: Statement) -> str:
        labels = [
            ("name", _("Unvan")),
            ("address", _("Adres")),
            ("tax_office", _("Vergi dairesi")),
            ("tax_number", _("Vergi numarası")),
            ("mersis", _("MERSIS no")),
            ("website", _("Web sitesi")),
            ("email", _("E-posta")),
        ]
        return format_html_join(
            "", "<div><strong>{}:</strong> {}</div>", ((label, obj.seller.get(key, "—")) for key, label in labels)
        )

    def get_fieldsets(self, request, obj=None):
        if not self.has_creditnote_permission(request, obj):
            return self.fieldsets
        first, *rest = self.fieldsets
        fields = ["documents_and_credit_note" if name == "documents" else name for name in first[1]["fields"]]
        return [(first[0], {"fields": fields}), *rest]

    def _url(self, name: str, obj: Statement) -> str:
        return reverse(f"admin:billing_statement_{name}", args=[obj.pk])

    # --- The PDF and the credit note ---

    def get_urls(self):
        return [
            path(
                "<path:object_id>/pdf/",
                self.admin_site.admin_view(self.pdf_view),
                name="billing_statement_pdf",
            ),
            path(
                "<path:object_id>/iade-faturasi/",
                self.admin_site.admin_view(self.credit_note_view),
                name="billing_statement_credit_note",
            ),
            *super().get_urls(),
        ]

    def pdf_view(self, request, object_id):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        statement = object_or_404(self.get_queryset(request), object_id)
        if not self.has_view_permission(request, statement):
            raise PermissionDenied
        return pdf_response(service.statement_pdf(statement), f"{statement.number}.pdf")

    def credit_note_view(self, request, object_id):
        if not (self.has_view_permission(request) and self.has_creditnote_permission(request)):
            raise PermissionDenied
        invoice = object_or_404(self.get_queryset(request), object_id)
        if invoice.kind != Statement.Kind.INVOICE:
            messages.error(request, _("İade faturası yalnızca bir faturayı düzeltebilir."))
            return redirect(self._url("change", invoice))
        left = service.remaining(invoice)
        form = CreditNoteForm(request.POST if request.method == "POST" else None, initial={"amount": left.net})
        if request.method == "POST" and form.is_valid():
            try:
                note = service.issue_credit_note(
                    invoice,
                    amount_net=form.cleaned_data["amount"],
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
            except service.StatementError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("%(note)s numaralı iade faturası, %(invoice)s numaralı faturayı düzeltmek üzere düzenlendi.")
                    % {"note": note.number, "invoice": invoice.number},
                )
                return redirect(self._url("change", note))
        context = {
            **self.admin_site.each_context(request),
            "title": _("İade faturası düzenle: %(number)s") % {"number": invoice.number},
            "opts": self.model._meta,
            "original": invoice,
            "invoice": invoice,
            "remaining": left,
            "form": form,
            "period": service.month_name(invoice.period),
        }
        return TemplateResponse(request, "billing/statements_credit_note_admin.html", context)

    @admin.action(description=gettext_lazy("İade faturası düzenle"), permissions=["creditnote"])
    def credit_note_action(self, request, queryset):
        chosen = list(queryset[:2])
        if len(chosen) != 1 or chosen[0].kind != Statement.Kind.INVOICE:
            messages.error(request, _("İade faturası için tek bir fatura seçin."))
            return None
        return redirect(self._url("credit_note", chosen[0]))
