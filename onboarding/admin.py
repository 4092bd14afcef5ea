import datetime
import re
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.admin.views.main import ORDER_VAR, PAGE_VAR, SEARCH_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import BooleanField, Count, ExpressionWrapper, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, re_path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.text import smart_split, unescape_string_literal
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from documents.models import Document, DocumentEvent, DocumentFile, RejectionReason
from onboarding import due, services, turkish
from onboarding.models import (
    APPLICATION_TRANSITIONS,
    Application,
    ApplicationEvent,
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
        from onboarding.views import _pdf_response

        if not self.has_view_permission(request):
            raise PermissionDenied
        obj = get_object_or_404(self.model, pk=pk_or_404(self.model, object_id))
        response = _pdf_response(self.render_preview(obj), f"onizleme-{obj.pk}.pdf")
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


# --- Applications: the reviewers' queue, page and actions -----------------------------------------------------------
#
# Reviewers hold view + `onboarding.review_application`, never `change_application`: the page is read-only and every
# write is a POST to one of the small views below, each calling one service and turning its refusal into a message.

# What a reviewer works on; the queue shows these unless another status is chosen.
OPEN_STATUSES = [
    Application.Status.SUBMITTED,
    Application.Status.IN_REVIEW,
    Application.Status.CHANGES_REQUESTED,
    Application.Status.AWAITING_ORIGINALS,
]

# A reference as printed on the cover sheet ("TS-7K3M-9QXA"), also lower-case, inside the URL a QR code holds, or
# typed by a barcode scanner through a Turkish keyboard layout (where the dash key gives "*").
REFERENCE_PATTERN = re.compile(r"\bTS[^0-9A-Z]?([2-9A-Z]{4})[^0-9A-Z]?([2-9A-Z]{4})\b", re.IGNORECASE | re.ASCII)


# Ten digits (VKN) or eleven (TCKN), ASCII only: int() and \d would take Arabic-Indic digits too.
TAX_NUMBER_PATTERN = re.compile(r"[0-9]{10,11}")


def reference_in(term: str) -> str | None:
    """The application reference a search term holds, in its printed form, or None."""
    match = REFERENCE_PATTERN.search(term or "")
    if match is None:
        return None
    # The reference alphabet is ASCII letters and digits, so upper-casing cannot meet a Turkish letter here.
    return f"TS-{match[1]}-{match[2]}".upper()


def turkish_case_variants(word: str) -> list[str]:
    """The spellings a word is likely stored in: as typed, lower, UPPER and Title case, casing i/İ and ı/I in pairs.

    The databases fold case for ASCII only (SQLite) or by the Unicode rules (PostgreSQL's UPPER makes "i" an "I"), so
    "istanbul" would never find "İSTANBUL" and "şişli" would not find "Şişli" on SQLite. Python's str.lower() and
    str.upper() are only called once the four Turkish i's are mapped by hand.
    """
    lower = word.replace("I", "ı").replace("İ", "i").lower()
    upper = word.replace("i", "İ").replace("ı", "I").upper()
    title = " ".join(part[:1].replace("i", "İ").replace("ı", "I").upper() + part[1:] for part in lower.split(" "))
    return list(dict.fromkeys([word, lower, upper, title]))


def turkish_search(queryset: QuerySet, search_term: str, search_fields) -> QuerySet:
    """Django's admin search (every word in some field; "=field" is exact), matching Turkish text in any case."""
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        if not bit:
            continue
        matches = Q()
        for field in search_fields:
            if field.startswith("="):
                matches |= Q(**{field[1:]: bit})
            else:
                for variant in turkish_case_variants(bit):
                    matches |= Q(**{f"{field}__icontains": variant})
        queryset = queryset.filter(matches)
    return queryset


class EstimatedCountPaginator(Paginator):
    """Counts an unfiltered list on PostgreSQL from the planner's statistics instead of a COUNT(*) of every row.

    At 100,000 rows the exact count is the slowest query of a changelist page, and nobody needs the last digit of an
    unfiltered total. A filtered or searched list, a list on SQLite and a table never analysed are counted exactly.
    The estimate is as fresh as autovacuum's last ANALYZE.
    """

    is_estimate = False
    # A total the caller already knows exactly (see ApplicationAdmin.get_paginator); it is then not counted again.
    known_count: int | None = None

    @cached_property
    def count(self) -> int:
        if self.known_count is not None:
            return self.known_count
        estimate = self._planner_estimate()
        if estimate is None:
            return super().count
        self.is_estimate = True
        return estimate

    def _planner_estimate(self) -> int | None:
        queryset = self.object_list
        if not isinstance(queryset, QuerySet):
            return None
        connection = connections[queryset.db]
        query = queryset.query
        if connection.vendor != "postgresql" or query.where or query.distinct or query.combinator:
            return None
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)",
                [connection.ops.quote_name(queryset.model._meta.db_table)],
            )
            row = cursor.fetchone()
        # -1 means "never analysed" (and 0 may too, before PostgreSQL 14): count those exactly, it is cheap then.
        if row is None or row[0] <= 0:
            return None
        return int(row[0])


class DefaultChoiceFilter(admin.SimpleListFilter):
    """A list filter whose choice without a parameter is a working default (`default_label`) rather than "all"."""

    ALL = "tumu"
    default_label = ""

    def default_display(self) -> str:
        return self.default_label

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": self.default_display(),
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


def _is_search(request) -> bool:
    return bool(request.GET.get(SEARCH_VAR, "").strip())


class ApplicationStatusFilter(DefaultChoiceFilter):
    """The work queue by default (drafts and closed applications hidden); a search looks at every application."""

    title = _("durum")
    parameter_name = "status__exact"
    default_label = _("İş kuyruğu")

    def default_display(self) -> str:
        return _("Tümü (arama)") if _is_search(self.request) else self.default_label

    def lookups(self, request, model_admin):
        return [*Application.Status.choices, (self.ALL, _("Tümü (taslaklar dahil)"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.ALL:
            return queryset
        if value:
            return queryset.filter(status=value)
        if _is_search(request):
            return queryset
        return queryset.filter(status__in=OPEN_STATUSES)


class ProvinceFilter(admin.SimpleListFilter):
    title = _("il")
    parameter_name = "il"
    template = "admin/review_collapsed_filter.html"  # 81 provinces: closed until needed

    def lookups(self, request, model_admin):
        return turkish.PROVINCES

    def queryset(self, request, queryset):
        return queryset.filter(province=self.value()) if self.value() else queryset


class OriginalsFilter(admin.SimpleListFilter):
    """How many of the required originals the cargo has brought (counted over live documents)."""

    title = _("asıl evrak")
    parameter_name = "asil"

    def lookups(self, request, model_admin):
        return [
            ("hepsi", _("Hepsi ulaştı")),
            ("bir-kismi", _("Bir kısmı ulaştı")),
            ("hicbiri", _("Hiçbiri ulaşmadı")),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "hepsi":
                return queryset.filter(_originals_required__gt=0, _originals_received=F("_originals_required"))
            case "bir-kismi":
                return queryset.filter(_originals_received__gt=0, _originals_received__lt=F("_originals_required"))
            case "hicbiri":
                return queryset.filter(_originals_received=0)
        return queryset


class CargoFilter(admin.SimpleListFilter):
    title = _("kargo bilgisi")
    parameter_name = "kargo"

    def lookups(self, request, model_admin):
        return [("var", _("Girildi")), ("yok", _("Girilmedi"))]

    def queryset(self, request, queryset):
        if self.value() in ("var", "yok"):
            return queryset.filter(cargo_recorded_at__isnull=self.value() == "yok")
        return queryset


class PastDueFilter(admin.SimpleListFilter):
    """Applications with an item past its deadline (onboarding.due's rules, as one database condition).

    Staff decide what follows (chase the applicant, or withdraw); nothing happens at a deadline by itself.
    """

    title = _("son tarih")
    parameter_name = "sure"

    def lookups(self, request, model_admin):
        return [("gecmis", _("Süresi geçmiş")), ("gecmemis", _("Süresi geçmemiş"))]

    def queryset(self, request, queryset):
        match self.value():
            case "gecmis":
                return queryset.filter(due.past_due_q(timezone.now()))
            case "gecmemis":
                return queryset.filter(~due.past_due_q(timezone.now()))
        return queryset


class FieldChangeDisplay(HistoricalRecordContextHelper):
    """A field change as a reviewer reads it: choice labels, local times, "—" for nothing, yes/no."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if value is None or value == "" or (isinstance(value, DeletedObject) and value.pk is None):
            return "—"
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return str(_("Evet") if value else _("Hayır"))
        if isinstance(value, datetime.datetime):
            return date_format(localtime(value), "d.m.Y H:i")
        if isinstance(value, datetime.date):
            return date_format(value, "d.m.Y")
        return super().prepare_delta_change_value(change, value)


def _live_document_count(**conditions) -> Coalesce:
    """A correlated COUNT of an application's live documents: one subquery per row, no GROUP BY over the list."""
    documents = (
        Document.objects.filter(application=OuterRef("pk"), is_live=True, **conditions)
        .order_by()
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(documents), 0)


# Conditional requirements on a submitted application have a live document only when their condition applied.
ORIGINAL_NEEDED = {"requirement__status__in": [Requirement.Status.REQUIRED, Requirement.Status.CONDITIONAL]}


class RejectDocumentForm(forms.Form):
    reason = forms.ModelChoiceField(queryset=RejectionReason.objects.filter(is_active=True), required=False)
    note = forms.CharField(max_length=1000, required=False)


class NoteForm(forms.Form):
    note = forms.CharField(max_length=2000, required=False)


def _form_errors(form: forms.Form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def pk_or_404(model, object_id: str):
    """The primary key an admin URL's `object_id` spells for `model`; one that cannot be (a word for a number) is a
    404 here instead of a ValueError, and a 500, in the query."""
    try:
        return model._meta.pk.to_python(unquote(object_id))
    except ValidationError:
        raise Http404 from None


def object_or_404(queryset: QuerySet, object_id: str):
    """The object an admin URL's `object_id` names; an id that cannot be one, or no such row, is a 404."""
    return get_object_or_404(queryset, pk=pk_or_404(queryset.model, object_id))


class HistoryWithoutRevertAdmin(SimpleHistoryAdmin):
    """django-simple-history's field history, to read only: listed and each version shown, never written back.

    simple-history 3.13 saves the chosen version over the object on any POST to the version page once the user may
    *view* the history: it checks neither change permission nor SIMPLE_HISTORY_REVERT_DISABLED (which only hides the
    button), and bypasses our services, so an application went back to a draft without an event row. Here that URL
    answers GET and HEAD only, to everyone, superusers included, before login or CSRF are looked at; the view refuses
    anything else again in case it is ever routed another way. Status changes happen in services, nowhere else.
    """

    def get_urls(self):
        opts = self.model._meta
        version_page = f"{opts.app_label}_{opts.model_name}_simple_history"
        return [
            re_path(url.pattern.regex.pattern, require_safe(url.callback), name=url.name)
            if url.name == version_page
            else url
            for url in super().get_urls()
        ]

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def has_change_history_permission(self, request, obj=None) -> bool:
        return False

    def history_view(self, request, object_id, extra_context=None):
        pk_or_404(self.model, object_id)  # the history of a deleted object stays readable: only the id is checked
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        version = object_or_404(history.all(), version_id)
        if str(getattr(version, self.model._meta.pk.attname)) != unquote(object_id):
            raise Http404
        return super().history_form_view(request, object_id, version.pk, extra_context)


@admin.register(Application)
class ApplicationAdmin(HistoryWithoutRevertAdmin):
    # Seven columns fit 1366 px beside the admin's menu and the filters: the type goes under the unvan and the cargo
    # under the originals' count.
    list_display = [
        "reference",
        "institution",
        "status_badge",
        "submitted",
        "pending_documents",
        "originals",
        "past_due",
    ]
    list_filter = [
        ApplicationStatusFilter,
        PastDueFilter,
        "institution_type",
        "billing_type",
        ProvinceFilter,
        OriginalsFilter,
        CargoFilter,
    ]
    # "=": exact (an index lookup). A term holding a reference is handled first, in get_search_results.
    search_fields = ["=reference", "legal_name", "=tax_number", "applicant__email", "email"]
    search_help_text = _(
        "Unvan, VKN/TCKN, başvuru numarası (kapak sayfasındaki kare kodu okutabilirsiniz) veya e-posta"
    )
    ordering = [F("submitted_at").asc(nulls_last=True), "pk"]
    list_per_page = 50
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    actions = None
    change_list_template = "admin/onboarding/application/change_list.html"
    change_form_template = "admin/onboarding/application/change_form.html"
    object_history_template = "admin/onboarding/application/field_history.html"
    object_history_list_template = "admin/onboarding/application/field_history_list.html"
    # Rows of two or three read-only fields keep the page short; the facts a document is checked against are also in
    # the summary at the top of the page.
    fieldsets = [
        (
            _("Başvuru"),
            {"fields": [("reference", "status"), ("applicant", "institution_type"), ("created_at", "submitted_at")]},
        ),
        (
            _("Kurum"),
            {
                "fields": [
                    "legal_name",
                    ("tax_number_kind", "tax_number", "tax_office"),
                    ("address", "province_name", "district"),
                    ("phone", "email"),
                    "condition_answer_list",
                ]
            },
        ),
        (
            _("Yetkili"),
            {
                "fields": [
                    ("signatory_name", "signatory_title"),
                    ("signatory_tckn", "signatory_mobile", "decision_date"),
                ]
            },
        ),
        (_("Ödeme"), {"fields": [("billing_type", "credit_package", "expected_monthly_messages")]}),
        (
            _("Kurumsal hat ve SMS başlıkları"),
            {
                "fields": [
                    ("has_corporate_line", "corporate_line_number", "line_plan"),
                    "sender_id_list",
                    "commercial_messages",
                ]
            },
        ),
        (_("Onaylar (KVKK)"), {"fields": ["consent_list"]}),
        (_("Kargo"), {"fields": [("cargo_company", "cargo_tracking_number", "cargo_recorded_at")]}),
    ]

    class Media:
        css = {"all": ["admin-review/review.css"]}
        js = ["admin-review/review.js"]

    # Applications are written by services only: nobody edits, adds or deletes one here, superusers included.
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        return flatten_fieldsets(self.fieldsets)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self._sorted_by_past_due(request):
            # "Past due first" sorts on the condition itself (every open application is looked at: ~2 s at 100k).
            queryset = queryset.annotate(
                _past_due=ExpressionWrapper(due.past_due_q(timezone.now()), output_field=BooleanField())
            )
        return queryset.select_related("institution_type", "applicant", "billing_type", "credit_package").annotate(
            _pending=_live_document_count(status=Document.Status.UPLOADED),
            _originals_required=_live_document_count(**ORIGINAL_NEEDED),
            _originals_received=_live_document_count(**ORIGINAL_NEEDED, original_received_at__isnull=False),
        )

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if not self._sorted_by_past_due(request):
            # The page's rows only, in one query: as a column of every row PostgreSQL would compute the condition's
            # subqueries over the whole tables (at 100k applications the queue took twice as long).
            page = [application.pk for application in changelist.result_list]
            late = set(
                Application.objects.filter(due.past_due_q(timezone.now()), pk__in=page).values_list("pk", flat=True)
            )
            for application in changelist.result_list:
                application._past_due = application.pk in late
        return changelist

    def _sorted_by_past_due(self, request) -> bool:
        column = str(self.list_display.index("past_due"))
        return column in request.GET.get(ORDER_VAR, "").replace("-", "").split(".")

    def get_search_results(self, request, queryset, search_term):
        reference = reference_in(search_term)
        if reference:
            return queryset.filter(reference=reference), False
        if TAX_NUMBER_PATTERN.fullmatch(search_term.strip()):
            # A VKN or TCKN is nothing else; an exact match skips the slow substring scans of names and e-mails.
            return queryset.filter(tax_number=search_term.strip()), False
        return turkish_search(queryset, search_term, self.get_search_fields(request)), False

    # --- The list ---

    @admin.display(description=_("gönderildi"), ordering="submitted_at")
    def submitted(self, obj: Application) -> str:
        return date_format(localtime(obj.submitted_at), "d.m.Y H:i") if obj.submitted_at else "—"

    @admin.display(description=_("durum"), ordering="status")
    def status_badge(self, obj: Application) -> str:
        return format_html(
            '<span class="review-badge review-badge--{}">{}</span>', obj.status, obj.get_status_display()
        )

    @admin.display(description=_("bekleyen belge"), ordering="_pending")
    def pending_documents(self, obj: Application) -> int:
        return obj._pending

    @admin.display(description=_("unvan"), ordering="legal_name")
    def institution(self, obj: Application) -> str:
        kind = obj.institution_type.localized_name if obj.institution_type else ""
        return format_html('{}<div class="review-muted">{}</div>', obj.legal_name or "—", kind)

    @admin.display(description=_("asıl evrak / kargo"))
    def originals(self, obj: Application) -> str:
        count = f"{obj._originals_received} / {obj._originals_required}" if obj._originals_required else "—"
        if not obj.cargo_tracking_number:
            return count
        cargo = " · ".join(part for part in (obj.cargo_company, obj.cargo_tracking_number) if part)
        return format_html('{}<div class="review-muted review-cargo">{}</div>', count, cargo)

    @admin.display(description=_("süre"), ordering=F("_past_due").desc())
    def past_due(self, obj: Application) -> str:
        # The column sorts past-due applications first.
        if getattr(obj, "_past_due", False):
            return format_html('<span class="review-badge review-badge--rejected">{}</span>', _("süresi geçti"))
        return "—"

    def changelist_view(self, request, extra_context=None):
        # A scanned cover sheet goes straight to its application.
        reference = reference_in(request.GET.get(SEARCH_VAR, ""))
        if reference:
            pk = Application.objects.filter(reference=reference).values_list("pk", flat=True).first()
            if pk is not None:
                return HttpResponseRedirect(reverse("admin:onboarding_application_change", args=[pk]))
        totals = self._queue_totals(request)
        changelist = reverse("admin:onboarding_application_changelist")
        counts = [
            {
                "status": status.value,
                "label": status.label,
                "count": totals[status.value],
                "url": f"{changelist}?{ApplicationStatusFilter.parameter_name}={status.value}",
            }
            for status in OPEN_STATUSES
        ]
        return super().changelist_view(
            request, {"title": _("Başvurular"), **(extra_context or {}), "queue_counts": counts}
        )

    def _queue_totals(self, request) -> dict[str, int]:
        """How many applications wait in each open status: one aggregate query over the status index, per request."""
        if not hasattr(request, "_review_queue_totals"):
            request._review_queue_totals = Application.objects.filter(status__in=OPEN_STATUSES).aggregate(
                **{status.value: Count("pk", filter=Q(status=status)) for status in OPEN_STATUSES}
            )
        return request._review_queue_totals

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        paginator = super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)
        # The default queue (no filter, no search) holds exactly what the counts at a glance add up to.
        if set(request.GET) <= {PAGE_VAR, ORDER_VAR}:
            paginator.known_count = sum(self._queue_totals(request).values())
        return paginator

    # --- The page ---

    @admin.display(description=_("İl"))
    def province_name(self, obj: Application) -> str:
        return obj.province_name or "—"

    @admin.display(description=_("koşul yanıtları"))
    def condition_answer_list(self, obj: Application) -> str:
        answers = obj.condition_answers or {}
        if not answers:
            return "—"
        questions = dict(Condition.objects.filter(code__in=answers).values_list("code", "question"))
        return format_html_join(
            "",
            "<div>{}: <strong>{}</strong></div>",
            ((questions.get(code, code), _("Evet") if value else _("Hayır")) for code, value in answers.items()),
        )

    @admin.display(description=_("SMS başlıkları"))
    def sender_id_list(self, obj: Application) -> str:
        """Each sender ID with what the applicant said it stands for (the proof asked for follows from it)."""
        senders = list(obj.sender_ids.select_related("basis"))
        if not senders:
            return "—"
        return format_html_join(
            "",
            "<div><code>{}</code> — {}</div>",
            (
                (sender.value, sender.basis.name if sender.basis else _("(dayanak belirtilmedi)"))
                for sender in senders
            ),
        )

    @admin.display(description=_("ticari ileti (İYS)"))
    def commercial_messages(self, obj: Application) -> str:
        if obj.sends_commercial is None:
            return "—"
        if obj.sends_commercial:
            return _("Evet — İYS kaydı ve marka kodu gerekir; ticari iletiler yalnızca İYS'de onaylı alıcılara.")
        return _("Hayır — yalnızca bilgilendirme (İYS kapsamı dışında).")

    @admin.display(description=_("onay kayıtları"))
    def consent_list(self, obj: Application) -> str:
        consents = obj.consents.select_related("user")
        if not consents:
            return "—"
        return format_html_join(
            "",
            "<div>{} — {} {} · {} · {}</div>",
            (
                (
                    consent.get_kind_display(),
                    _("metin sürümü"),
                    consent.text_version,
                    date_format(localtime(consent.accepted_at), "d.m.Y H:i"),
                    consent.user.email,
                )
                for consent in consents
            ),
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(review_context(request, obj))
            context["title"] = _("Başvuru incelemesi")
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def get_historical_record_context_helper(self, request, historical_record):
        return FieldChangeDisplay(self.model, historical_record)

    def history_view_title(self, request, obj):
        return _("Alan değişiklikleri: %(application)s") % {"application": obj}

    # --- The actions: POST only, CSRF-checked by admin_view, permission checked here ---

    def get_urls(self):
        return [
            *post_action_urls(
                self,
                [
                    ("duzeltme-iste", self.request_changes_view, "request_changes"),
                    ("belgeleri-onayla", self.approve_documents_view, "approve_documents"),
                    ("reddet", self.reject_view, "reject"),
                    ("geri-cek", self.withdraw_view, "withdraw"),
                    ("hesabi-ac", self.activate_view, "activate"),
                ],
            ),
            *super().get_urls(),
        ]

    def _reviewable(self, request, object_id) -> Application:
        if not request.user.has_perm("onboarding.review_application"):
            raise PermissionDenied
        return object_or_404(Application.objects.all(), object_id)

    def _with_note(self, request, object_id, operation, success: str):
        """An action that takes the reviewer's note: `operation(application, note)` runs once the form is valid."""
        application = self._reviewable(request, object_id)
        form = NoteForm(request.POST)
        if not form.is_valid():
            return _refused(request, application, _form_errors(form))
        return _perform(request, application, lambda: operation(application, form.cleaned_data["note"]), success)

    def request_changes_view(self, request, object_id):
        return self._with_note(
            request,
            object_id,
            lambda application, note: services.request_changes(application, actor=request.user, note=note),
            _("Düzeltme istendi; başvuru sahibine reddedilen belgelerin listesi e-postayla gönderiliyor."),
        )

    def approve_documents_view(self, request, object_id):
        application = self._reviewable(request, object_id)
        return _perform(
            request,
            application,
            lambda: services.approve_documents(application, actor=request.user),
            _("Belgeler onaylandı; başvuru asıl evrakı bekliyor."),
        )

    def reject_view(self, request, object_id):
        return self._with_note(
            request,
            object_id,
            lambda application, note: services.reject_application(application, actor=request.user, reason=note),
            _("Başvuru reddedildi; başvuru sahibine gerekçesiyle bildiriliyor."),
        )

    def withdraw_view(self, request, object_id):
        return self._with_note(
            request,
            object_id,
            lambda application, note: services.withdraw_application(application, actor=request.user, reason=note),
            _("Başvuru geri çekildi; başvuru sahibine gerekçesiyle bildiriliyor."),
        )

    def activate_view(self, request, object_id):
        application = self._reviewable(request, object_id)
        return _perform(
            request,
            application,
            lambda: services.activate_application(application, actor=request.user),
            _("Hesap açıldı olarak işaretlendi; başvuru sahibine bildiriliyor."),
        )


def post_action_urls(model_admin: admin.ModelAdmin, actions: list[tuple[str, object, str]]) -> list:
    """Admin URLs `<object_id>/<route>/` for POST-only review actions, named `<app>_<model>_<name>`."""
    opts = model_admin.model._meta
    return [
        path(
            f"<path:object_id>/{route}/",
            model_admin.admin_site.admin_view(require_POST(view)),
            name=f"{opts.app_label}_{opts.model_name}_{name}",
        )
        for route, view, name in actions
    ]


def application_url(application_id: int, anchor: str = "") -> str:
    url = reverse("admin:onboarding_application_change", args=[application_id])
    return f"{url}#{anchor}" if anchor else url


def _refused(request, application: Application, message: str, anchor: str = "") -> HttpResponseRedirect:
    messages.error(request, message)
    return HttpResponseRedirect(application_url(application.pk, anchor))


def _perform(request, application: Application, operation, success: str, anchor: str = "") -> HttpResponseRedirect:
    """Run one service call; its refusal becomes an error message. Back to the application page either way."""
    from documents.services import DocumentError

    try:
        operation()
    except (services.ApplicationError, DocumentError) as error:
        return _refused(request, application, str(error.message), anchor)
    messages.success(request, success)
    return HttpResponseRedirect(application_url(application.pk, anchor))


@dataclass
class ReviewItem:
    """One checklist line as the reviewer sees it: the live document, its earlier versions and what may be done."""

    requirement: Requirement
    is_required: bool
    document: Document | None
    previous: list[Document]
    can_decide: bool
    can_mark_original: bool

    @property
    def is_new_version(self) -> bool:
        """A re-upload after a rejection that nobody has decided on yet."""
        return bool(self.document and self.document.version > 1 and self.document.status == Document.Status.UPLOADED)


def review_context(request, application: Application) -> dict:
    """Everything the application page shows beyond its fields, in a constant number of queries.

    Finance (no document permissions) gets no documents, previews or buttons; the decision buttons appear only for
    moves the lifecycle tables allow now (the services check again on POST).
    """
    from documents.services import ORIGINALS_OPEN, REVIEWABLE

    user = request.user
    can_view_documents = user.has_perm("documents.view_document")
    can_review_documents = user.has_perm("documents.review_document")
    can_review = user.has_perm("onboarding.review_application")
    allowed = APPLICATION_TRANSITIONS[application.status]

    items: list[ReviewItem] = []
    counts = {"undecided": 0, "rejected": 0, "approved": 0, "originals_required": 0, "originals_received": 0}
    ready_to_approve = True  # without the documents to look at, the service alone decides
    if can_view_documents:
        documents = (
            Document.objects.filter(application=application)
            .select_related("decided_by", "rejection_reason", "original_received_by")
            .prefetch_related(
                Prefetch(
                    "files", queryset=DocumentFile.objects.select_related("uploaded_by").order_by("uploaded_at")
                ),
                Prefetch(
                    "events", queryset=DocumentEvent.objects.select_related("actor").order_by("created_at", "id")
                ),
            )
            .order_by("requirement_id", "-version")
        )
        by_requirement: dict[int, list[Document]] = {}
        for document in documents:
            by_requirement.setdefault(document.requirement_id, []).append(document)
        for item in services.checklist(application):
            versions = by_requirement.get(item.requirement.pk, [])
            live = next((document for document in versions if document.is_live), None)
            if live is not None:
                counts[{"uploaded": "undecided", "rejected": "rejected", "approved": "approved"}[live.status]] += 1
                if item.is_required:
                    counts["originals_required"] += 1
                    counts["originals_received"] += live.original_received_at is not None
            ready_to_approve = ready_to_approve and (
                live.status == Document.Status.APPROVED if live is not None else not item.is_required
            )
            items.append(
                ReviewItem(
                    requirement=item.requirement,
                    is_required=item.is_required,
                    document=live,
                    previous=[document for document in versions if not document.is_live],
                    can_decide=can_review_documents
                    and live is not None
                    and live.status == Document.Status.UPLOADED
                    and application.status in REVIEWABLE,
                    # A rejected document's original is moot: a new version will replace it.
                    can_mark_original=can_review
                    and live is not None
                    and live.status != Document.Status.REJECTED
                    and live.original_received_at is None
                    and application.status in ORIGINALS_OPEN,
                )
            )

    return {
        "review_items": items,
        "review_counts": counts,
        "can_view_documents": can_view_documents,
        "can_review_documents": can_review_documents,
        "can_review": can_review,
        "rejection_reasons": list(RejectionReason.objects.filter(is_active=True)) if can_review_documents else [],
        "reviewer_rules": list(ReviewerRule.objects.filter(institution_type_id=application.institution_type_id))
        if can_view_documents
        else [],
        "application_events": list(application.events.select_related("actor"))
        if user.has_perm("onboarding.view_applicationevent")
        else None,
        "can_view_document_events": user.has_perm("documents.view_documentevent"),
        # What the services would refuse anyway, said before the click (they check again on POST).
        "ready_to_approve": ready_to_approve,
        "ready_to_request_changes": not can_view_documents or (counts["undecided"] == 0 and counts["rejected"] > 0),
        "may_request_changes": can_review and Application.Status.CHANGES_REQUESTED in allowed,
        "may_approve_documents": can_review and Application.Status.AWAITING_ORIGINALS in allowed,
        "may_reject": can_review and Application.Status.REJECTED in allowed,
        "may_withdraw": can_review and Application.Status.WITHDRAWN in allowed,
        "may_activate": can_review and Application.Status.ACTIVE in allowed,
        "province_label": application.province_name,
        **due_context(request, application),
    }


def due_context(request, application: Application) -> dict:
    """What the application waits for from its applicant, with deadlines, and the reminders sent about it."""
    from reminders.models import Reminder

    now = timezone.now()
    items = [due.presented(item, now) for item in due.items_for_application(application, now=now)]
    can_view_reminders = request.user.has_perm("reminders.view_reminder")
    return {
        "due_items": items,
        "due_past_count": sum(1 for item in items if item["is_past_due"]),
        "can_view_reminders": can_view_reminders,
        "can_view_outbox": request.user.has_perm("outbox.view_outboxemail"),
        "application_reminders": list(
            Reminder.objects.filter(application=application).select_related("recipient").order_by("-created_at")[:50]
        )
        if can_view_reminders
        else [],
    }


class ReadOnlyAdmin(admin.ModelAdmin):
    """An audit trail: listed and searched, never added, changed or deleted here."""

    show_full_result_count = False
    paginator = EstimatedCountPaginator
    show_facets = admin.ShowFacets.NEVER

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ApplicationEvent)
class ApplicationEventAdmin(ReadOnlyAdmin):
    """The applications' lifecycle trail, read-only: who moved which application from what to what, and why."""

    list_display = ["created_at", "application", "from_status", "to_status", "actor", "reason"]
    list_filter = ["to_status"]
    search_fields = ["=application__reference"]
    list_select_related = ["application", "actor"]
    ordering = ["-created_at", "-id"]
