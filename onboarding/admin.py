"""The onboarding admin: the catalogue staff keep (institution types, requirements, document kinds, conditions, the
letter and contract templates) here, and the reviewers' applications in onboarding.admin_review.

Django looks for `<app>/admin.py` only, so this module imports the review page's to register it. The model-agnostic
pieces every admin uses are in config.admin_toolkit.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from config.admin_toolkit import pk_or_404
from onboarding import admin_review  # noqa: F401  (registers the applications' admin)
from onboarding.models import (
    Application,
    Condition,
    ContractTemplate,
    DocumentKind,
    InstitutionType,
    IssuedContract,
    LetterTemplate,
    Requirement,
    ReviewerRule,
    SenderIdBasis,
)


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 0
    fields = ["position", "label", "label_en", "document_kind", "status", "condition", "uses_letter_template", "note"]
    autocomplete_fields = ["document_kind"]
    ordering = ["position", "id"]


class ReviewerRuleInline(admin.TabularInline):
    model = ReviewerRule
    extra = 0
    fields = ["position", "text", "text_en"]
    ordering = ["position", "id"]


@admin.register(InstitutionType)
class InstitutionTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "code", "letter_template", "requirement_count", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active", "letter_template"]
    search_fields = ["name", "name_en", "code", "description"]
    ordering = ["position", "name"]
    inlines = [RequirementInline, ReviewerRuleInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("letter_template")
            .annotate(_requirements=Count("requirements"))
        )

    @admin.display(description=_("belge sayısı"), ordering="_requirements")
    def requirement_count(self, obj: InstitutionType) -> int:
        return obj._requirements


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    list_display = ["label", "institution_type", "status", "condition", "document_kind", "position"]
    list_filter = ["institution_type", "status", "document_kind"]
    search_fields = ["label", "label_en", "note", "institution_type__name", "document_kind__name"]
    list_select_related = ["institution_type", "condition", "document_kind"]
    autocomplete_fields = ["document_kind"]
    ordering = ["institution_type__position", "position"]


@admin.register(DocumentKind)
class DocumentKindAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "code"]
    fields = ["code", "name", "name_en", "help_text", "help_text_en"]
    search_fields = ["name", "name_en", "code"]
    ordering = ["name"]


@admin.register(Condition)
class ConditionAdmin(admin.ModelAdmin):
    list_display = ["question", "question_en", "code"]
    search_fields = ["question", "question_en", "code"]
    ordering = ["code"]


@admin.register(SenderIdBasis)
class SenderIdBasisAdmin(admin.ModelAdmin):
    """What a sender ID may stand for; its condition's requirements are the proof the checklist adds."""

    list_display = ["name", "name_en", "code", "condition", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_select_related = ["condition"]
    search_fields = ["name", "name_en", "code"]
    ordering = ["position", "id"]


@admin.register(ReviewerRule)
class ReviewerRuleAdmin(admin.ModelAdmin):
    list_display = ["text", "institution_type", "position"]
    list_filter = ["institution_type"]
    search_fields = ["text", "text_en", "institution_type__name"]
    list_select_related = ["institution_type"]
    ordering = ["institution_type__position", "position"]


# Sample values for the previews of the letters and the contract: staff see a filled page, not a page of dots.
LETTER_PREVIEW_SAMPLES = {
    "A": ("Kartepe Belediyesi", "Mustafa Kocaman", "Belediye Başkanı"),
    "B": ("Çamlık Sitesi Yönetimi", "Ayşe Kaya", "Yönetim Kurulu Başkanı"),
    "C": ("Çağlayan Mahallesi Muhtarlığı", "Hüseyin Çelik", "Muhtar"),
    "D": ("Atatürk İlkokulu", "Zeynep Öztürk", "Okul Müdürü"),
}


def _preview_values(letter: LetterTemplate) -> tuple[str, dict[str, str]]:
    from django.conf import settings

    institution, person, title = LETTER_PREVIEW_SAMPLES.get(letter.code, ("Örnek Kurum", "Ad Soyad", ""))
    day = timezone.localdate()
    return institution, {
        "institution": institution,
        "reseller": settings.PORTAL_RESELLER_NAME,
        "operator": settings.PORTAL_OPERATOR_NAME,
        "authorised_person": person,
        "signatory_title": title,
        "date": date_format(day, "d.m.Y"),
        "day": date_format(day, "l"),
    }


def _preview_link(obj, url_name: str) -> str:
    if obj is None or obj.pk is None:
        return "—"
    return format_html(
        '<a href="{}" target="_blank" rel="noopener">{}</a>',
        reverse(f"admin:{url_name}", args=[obj.pk]),
        _("Önizle"),
    )


class PreviewAdminMixin:
    """A read-only "Önizle" link (list and change page) that renders the document as a PDF with sample values.

    Rendered every time, not stored (`store=False`): a preview is staff checking a template they are editing, rare
    and wanted fresh, and storing one would leave a file behind with every edit.
    """

    preview_slug = "onizle"

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                f"<path:object_id>/{self.preview_slug}/",
                self.admin_site.admin_view(require_safe(self.preview_view)),
                name=f"{opts.app_label}_{opts.model_name}_preview",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("önizleme"))
    def preview(self, obj) -> str:
        opts = self.model._meta
        return _preview_link(obj, f"{opts.app_label}_{opts.model_name}_preview")

    def preview_view(self, request, object_id):
        from onboarding.pdf import pdf_response

        if not self.has_view_permission(request):
            raise PermissionDenied
        obj = get_object_or_404(self.model, pk=pk_or_404(self.model, object_id))
        response = pdf_response(self.render_preview(obj), f"onizleme-{obj.pk}.pdf")
        response["Content-Disposition"] = f'inline; filename="onizleme-{obj.pk}.pdf"'
        return response


@admin.register(LetterTemplate)
class LetterTemplateAdmin(PreviewAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "title", "blank_names", "preview"]
    search_fields = ["code", "name", "body"]
    ordering = ["code"]
    readonly_fields = ["preview"]
    fields = [
        "code",
        "name",
        "name_en",
        "kind",
        "title",
        "subject",
        "addressee",
        "body",
        "body_en",
        "default_signatory_title",
        "board_members",
        "preview",
    ]

    @admin.display(description=_("boşluklar"))
    def blank_names(self, obj: LetterTemplate) -> str:
        return ", ".join(obj.blanks)

    def render_preview(self, obj: LetterTemplate) -> bytes:
        from onboarding.pdf import letter_pdf

        institution, values = _preview_values(obj)
        return letter_pdf(obj, values=values, institution_name=institution, store=False)


@admin.register(ContractTemplate)
class ContractTemplateAdmin(PreviewAdminMixin, admin.ModelAdmin):
    list_display = ["version", "effective_from", "title", "issue_count", "preview"]
    ordering = ["-effective_from"]
    readonly_fields = ["preview"]
    fields = ["version", "effective_from", "title", "body", "preview"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_issue_count=Count("issues"))

    @admin.display(description=_("verilen başvuru"), ordering="_issue_count")
    def issue_count(self, obj) -> int:
        return obj._issue_count

    def get_readonly_fields(self, request, obj=None):
        # A version already handed to applicants is what they signed: write a new version instead.
        if obj is not None and obj.issues.exists():
            return ["version", "effective_from", "title", "body", "preview"]
        return self.readonly_fields

    def render_preview(self, obj: ContractTemplate) -> bytes:
        from onboarding.contracts import contract_values
        from onboarding.pdf import contract_pdf

        sample = Application(
            legal_name="Yıldız Gıda Sanayi ve Ticaret Ltd. Şti.",
            tax_office="Kozyatağı",
            tax_number="4540536920",
            address="Atatürk Cad. No: 12/3",
            district="Kadıköy",
            province="34",
            phone="+902163731000",
            email="bilgi@yildizgida.test",
            signatory_name="Şükrü Işıkoğlu",
            signatory_title="Şirket Müdürü",
        )
        return contract_pdf(obj, values=contract_values(sample), reference="TS-ORNK-0000", store=False)


@admin.register(IssuedContract)
class IssuedContractAdmin(admin.ModelAdmin):
    list_display = ["application", "contract", "first_issued_at"]
    list_select_related = ["application", "contract"]
    search_fields = ["application__reference", "application__legal_name"]
    ordering = ["-first_issued_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
