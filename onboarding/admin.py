from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from onboarding.models import Condition, DocumentKind, InstitutionType, LetterTemplate, Requirement, ReviewerRule


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
        from django.db.models import Count

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
    search_fields = ["name", "name_en", "code"]
    ordering = ["name"]


@admin.register(Condition)
class ConditionAdmin(admin.ModelAdmin):
    list_display = ["question", "question_en", "code"]
    search_fields = ["question", "question_en", "code"]
    ordering = ["code"]


@admin.register(ReviewerRule)
class ReviewerRuleAdmin(admin.ModelAdmin):
    list_display = ["text", "institution_type", "position"]
    list_filter = ["institution_type"]
    search_fields = ["text", "text_en", "institution_type__name"]
    list_select_related = ["institution_type"]
    ordering = ["institution_type__position", "position"]


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "blank_names"]
    search_fields = ["code", "name", "body"]
    ordering = ["code"]

    @admin.display(description=_("boşluklar"))
    def blank_names(self, obj: LetterTemplate) -> str:
        return ", ".join(obj.blanks)
