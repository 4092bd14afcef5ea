"""The reviewers' document screens: pending documents, decisions posted from the application page, the catalogue of
rejection reasons and the read-only event trails.

Decisions go through onboarding.workflow; nothing here sets a status. A document is decided on its application's
page (onboarding.admin_review), whose buttons post to the views below.
"""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from config.admin_toolkit import (
    DefaultChoiceFilter,
    EstimatedCountPaginator,
    ReadOnlyAdmin,
    WrittenElsewhere,
    form_errors,
    object_or_404,
    post_action_urls,
    turkish_search,
)
from documents import services
from documents.forms import RejectDocumentForm
from documents.models import Document, DocumentEvent, RejectionReason
from onboarding import workflow
from onboarding.admin_review import (
    application_url,
    perform_on_application,
    reference_in,
    refuse_on_application,
)
from onboarding.models import REVIEWABLE_STATUSES, Application
from onboarding.services import ApplicationError


class DocumentStatusFilter(DefaultChoiceFilter):
    """By default the documents waiting for a decision: live, uploaded, on an application under review."""

    title = _("durum")
    parameter_name = "status__exact"
    default_label = _("Karar bekleyen")

    def lookups(self, request, model_admin):
        return [*Document.Status.choices, (self.ALL, _("Tümü (eski sürümler dahil)"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.ALL:
            return queryset
        if value:
            return queryset.filter(status=value, is_live=True)
        return queryset.filter(
            status=Document.Status.UPLOADED, is_live=True, application__status__in=REVIEWABLE_STATUSES
        )


@admin.register(Document)
class DocumentAdmin(WrittenElsewhere, admin.ModelAdmin):
    # Documents are written by the applicant's uploads and the review services only.

    list_display = [
        "application_link",
        "legal_name",
        "requirement",
        "version",
        "status_badge",
        "is_live",
        "uploaded",
        "decided",
    ]
    list_display_links = None
    list_filter = [DocumentStatusFilter, "requirement__document_kind", "requirement__institution_type"]
    search_fields = ["=application__reference", "application__legal_name"]
    search_help_text = _("Başvuru numarası veya unvan")
    list_select_related = ["application", "requirement"]
    ordering = ["application__submitted_at", "application_id", "requirement__position", "-version"]
    list_per_page = 100
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    actions = ["approve_selected"]
    fields = [
        "application",
        "requirement",
        "version",
        "is_live",
        "status",
        "created_at",
        "decided_at",
        "decided_by",
        "rejection_reason",
        "rejection_note",
        "original_received_at",
        "original_received_by",
    ]
    readonly_fields = fields

    class Media:
        css = {"all": ["admin-review/review.css"]}

    def has_review_permission(self, request) -> bool:
        return request.user.has_perm("documents.review_document")

    def get_ordering(self, request):
        # The pending queue (the default) goes by submission, oldest first; any wider list follows the
        # (application, requirement, version) unique index instead of sorting a joined table.
        if DocumentStatusFilter.parameter_name in request.GET:
            return ["application_id", "requirement_id", "version"]
        return super().get_ordering(request)

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": _("Belgeler"), **(extra_context or {})})

    def get_search_results(self, request, queryset, search_term):
        reference = reference_in(search_term)
        if reference:
            return queryset.filter(application__reference=reference), False
        return turkish_search(queryset, search_term, self.get_search_fields(request)), False

    @admin.display(description=_("başvuru"), ordering="application__reference")
    def application_link(self, obj: Document) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            application_url(obj.application_id, f"belge-{obj.requirement_id}"),
            obj.application.reference,
        )

    @admin.display(description=_("yüklendi"), ordering="created_at")
    def uploaded(self, obj: Document) -> str:
        return date_format(localtime(obj.created_at), "d.m.Y H:i")

    @admin.display(description=_("karar zamanı"), ordering="decided_at")
    def decided(self, obj: Document) -> str:
        return date_format(localtime(obj.decided_at), "d.m.Y H:i") if obj.decided_at else "—"

    @admin.display(description=_("unvan"), ordering="application__legal_name")
    def legal_name(self, obj: Document) -> str:
        return obj.application.legal_name

    @admin.display(description=_("durum"), ordering="status")
    def status_badge(self, obj: Document) -> str:
        return format_html(
            '<span class="review-badge review-badge--{}">{}</span>', obj.status, obj.get_status_display()
        )

    @admin.action(description=_("Seçili belgeleri onayla"), permissions=["review"])
    def approve_selected(self, request, queryset):
        """All or nothing: if any selected document cannot be approved, none is, and the message says which."""
        if request.POST.get("select_across") != "1":
            # The ticked rows, even one the list's filter would now hide (decided meanwhile): it must fail the
            # batch, not silently drop out of it.
            queryset = Document.objects.filter(pk__in=request.POST.getlist(ACTION_CHECKBOX_NAME))
        pks = list(queryset.values_list("pk", flat=True))
        failures = workflow.approve_documents_together(pks, actor=request.user)
        if failures:
            messages.error(
                request,
                format_html(
                    "{}<ul>{}</ul>",
                    _("Hiçbir belge onaylanmadı; şunlar onaylanamıyor:"),
                    format_html_join("", "<li>{}: {}</li>", failures),
                ),
            )
        else:
            messages.success(request, _("%(count)s belge onaylandı.") % {"count": len(pks)})

    # --- The decisions posted from the application page ---

    def get_urls(self):
        return [
            *post_action_urls(
                self,
                [
                    ("onayla", self.approve_view, "approve"),
                    ("reddet", self.reject_view, "reject"),
                    ("asli-ulasti", self.original_received_view, "original_received"),
                ],
            ),
            *super().get_urls(),
        ]

    def _document(self, request, object_id, permission: str) -> Document:
        if not request.user.has_perm(permission):
            raise PermissionDenied
        return object_or_404(Document.objects.select_related("application", "requirement"), object_id)

    def approve_view(self, request, object_id):
        document = self._document(request, object_id, "documents.review_document")
        return perform_on_application(
            request,
            document.application,
            lambda: workflow.approve_document(document, actor=request.user),
            _("“%(label)s” onaylandı.") % {"label": document.requirement.label},
            anchor=f"belge-{document.requirement_id}",
        )

    def reject_view(self, request, object_id):
        document = self._document(request, object_id, "documents.review_document")
        anchor = f"belge-{document.requirement_id}"
        form = RejectDocumentForm(request.POST)
        if not form.is_valid():
            return refuse_on_application(request, document.application, form_errors(form), anchor)
        return perform_on_application(
            request,
            document.application,
            lambda: workflow.reject_document(
                document, actor=request.user, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"]
            ),
            _("“%(label)s” reddedildi.") % {"label": document.requirement.label},
            anchor=anchor,
        )

    def original_received_view(self, request, object_id):
        document = self._document(request, object_id, "onboarding.review_application")
        anchor = f"belge-{document.requirement_id}"
        try:
            workflow.mark_original_received(document, actor=request.user)
        except (services.DocumentError, ApplicationError) as error:
            return refuse_on_application(request, document.application, str(error.message), anchor)
        messages.success(
            request, _("“%(label)s” belgesinin aslı teslim alındı.") % {"label": document.requirement.label}
        )
        if Application.objects.filter(pk=document.application_id, status=Application.Status.APPROVED).exists():
            messages.success(request, _("Tüm asıl evrak ulaştı; başvuru onaylandı."))
        return HttpResponseRedirect(application_url(document.application_id, anchor))


@admin.register(RejectionReason)
class RejectionReasonAdmin(admin.ModelAdmin):
    list_display = ["text", "text_en", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["text", "text_en"]
    ordering = ["position", "text"]

    def get_search_results(self, request, queryset, search_term):
        return turkish_search(queryset, search_term, self.get_search_fields(request)), False


@admin.register(DocumentEvent)
class DocumentEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "document", "application_reference", "from_status", "to_status", "actor", "reason"]
    list_filter = ["to_status"]
    search_fields = ["=document__application__reference"]
    list_select_related = ["document__requirement", "document__application", "actor"]
    ordering = ["-created_at", "-id"]

    @admin.display(description=_("başvuru"), ordering="document__application__reference")
    def application_reference(self, obj: DocumentEvent) -> str:
        return obj.document.application.reference
