from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from outbox import services
from outbox.models import OutboxEmail


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    """What the portal sent, is sending and could not send. Read-only; the one action sends a message again."""

    list_display = ["created_at", "template", "recipients", "language", "state", "attempts", "sent_at", "about"]
    list_filter = ["state", "template", "language"]
    search_fields = ["to", "subject", "template"]
    date_hierarchy = "created_at"
    list_per_page = 100
    show_full_result_count = False
    # The context may hold links with tokens (password reset) until the message is sent: staff never see it.
    fields = [
        "to",
        "template",
        "language",
        "subject",
        "about_type",
        "about_id",
        "state",
        "attempts",
        "created_at",
        "next_attempt_at",
        "claimed_at",
        "handed_over_at",
        "sent_at",
        "last_error",
    ]
    readonly_fields = fields
    actions = ["send_again"]

    @admin.display(description=_("alıcılar"))
    def recipients(self, email: OutboxEmail) -> str:
        return ", ".join(email.to[:3]) + (f" (+{len(email.to) - 3})" if len(email.to) > 3 else "")

    @admin.display(description=_("İlgili kayıt"))
    def about(self, email: OutboxEmail) -> str:
        return f"{email.about_type} #{email.about_id}" if email.about_type else "—"

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # A message is never edited; the change permission only allows the action on the list.
        return obj is None and super().has_change_permission(request)

    @admin.action(description=_("Seçilen gönderilemeyen/belirsiz e-postaları yeniden gönder"), permissions=["change"])
    def send_again(self, request, queryset):
        done = 0
        for email in queryset:
            try:
                services.resend_email(email, actor=request.user)
                done += 1
            except services.OutboxError as error:
                self.message_user(
                    request,
                    _("Yeniden gönderilemez (yalnızca gönderilemeyen veya belirsiz olanlar): %(m)s")
                    % {"m": error.message},
                    messages.WARNING,
                )
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d e-posta yeniden kuyruğa alındı.", "%(count)d e-posta yeniden kuyruğa alındı.", done
                )
                % {"count": done},
                messages.SUCCESS,
            )
