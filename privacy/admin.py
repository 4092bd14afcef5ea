from django.contrib import admin
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from onboarding.models import Consent
from privacy.models import DataSubjectRequest, PrivacyText


@admin.register(PrivacyText)
class PrivacyTextAdmin(admin.ModelAdmin):
    """Versions of the KVKK texts. One in force (or past) is read-only: records name its version, so a change is a
    new version with its own effective date."""

    list_display = ["kind", "version", "effective_from", "title"]
    list_filter = ["kind"]
    fields = ["kind", "version", "effective_from", "title", "title_en", "body", "body_en"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_in_force:
            return self.fields
        return []

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_in_force:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(DataSubjectRequest)
class DataSubjectRequestAdmin(admin.ModelAdmin):
    list_display = ["created_at", "full_name", "email", "request_type", "answer_due", "answered_at"]
    list_filter = ["request_type", ("answered_at", admin.EmptyFieldListFilter)]
    search_fields = ["full_name", "email", "text"]
    date_hierarchy = "created_at"
    readonly_fields = ["full_name", "email", "request_type", "text", "user", "ip_address", "created_at", "answer_due"]
    fields = [*readonly_fields, "answered_at", "staff_note"]

    @admin.display(description=_("son yanıt tarihi (30 gün)"))
    def answer_due(self, obj: DataSubjectRequest) -> str:
        return date_format(obj.answer_due_at, "d.m.Y") if obj.created_at else "–"

    def has_add_permission(self, request):
        # Requests come from the data subjects, through the portal's form.
        return False


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    """Every KVKK record, the registration's included (those have no application): read-only evidence of what each
    person was shown and agreed to, and in which version."""

    list_display = ["accepted_at", "kind", "text_version", "user", "application"]
    list_filter = ["kind", "text_version"]
    search_fields = ["user__email", "application__reference"]
    list_select_related = ["user", "application"]
    date_hierarchy = "accepted_at"
    readonly_fields = ["accepted_at", "kind", "text_version", "user", "application"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
