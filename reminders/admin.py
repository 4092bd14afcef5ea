from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from config.admin_toolkit import EstimatedCountPaginator, WrittenElsewhere
from reminders.models import Reminder


@admin.register(Reminder)
class ReminderAdmin(WrittenElsewhere, admin.ModelAdmin):
    """Every reminder sent, read-only: to whom, about what, which step of the cadence, when, and its e-mail."""

    list_display = ["created_at", "recipient", "kind_label", "application_link", "step", "email_link"]
    list_filter = ["kind", "step"]
    # Exact matches only: an index lookup each, even over millions of rows.
    search_fields = ["=recipient__email", "=application__reference", "=item_key"]
    search_help_text = _("Alıcının e-posta adresi, başvuru numarası veya konu anahtarı (tam olarak)")
    list_select_related = ["recipient", "application"]
    ordering = ["-created_at", "-id"]
    date_hierarchy = "created_at"
    list_per_page = 100
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    actions = None
    fields = ["created_at", "recipient", "kind", "item_key", "step", "application", "email"]
    readonly_fields = fields

    @admin.display(description=_("tür"), ordering="kind")
    def kind_label(self, reminder: Reminder) -> str:
        return reminder.kind_label

    @admin.display(description=_("başvuru"), ordering="application__reference")
    def application_link(self, reminder: Reminder) -> str:
        if reminder.application is None:
            return "—"
        url = reverse("admin:onboarding_application_change", args=[reminder.application_id])
        return format_html('<a href="{}">{}</a>', url, reminder.application.reference)

    @admin.display(description=_("e-posta"))
    def email_link(self, reminder: Reminder) -> str:
        if reminder.email_id is None:
            return "—"
        url = reverse("admin:outbox_outboxemail_change", args=[reminder.email_id])
        return format_html('<a href="{}">{}</a>', url, _("e-postayı göster"))
