"""The reviewers' applications: the queue, the application page and the actions posted from it, and the lifecycle
trail.

Reviewers hold view + `onboarding.review_application`, never `change_application`: the page is read-only and every
write is a POST to one of the small views below, each calling one service and turning its refusal into a message.
Registered by onboarding.admin (which Django autodiscovers).
"""

import re
from dataclasses import dataclass

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.views.main import ORDER_VAR, PAGE_VAR, SEARCH_VAR
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Count, ExpressionWrapper, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from config.admin_toolkit import (
    DefaultChoiceFilter,
    EstimatedCountPaginator,
    FieldChangeDisplay,
    HistoryWithoutRevertAdmin,
    ReadOnlyAdmin,
    WrittenElsewhere,
    form_errors,
    object_or_404,
    perform,
    post_action_urls,
    refuse,
    turkish_search,
)
from documents.models import Document, DocumentEvent, DocumentFile
from documents.services import DocumentError
from onboarding import catalogue, due, page_cache, services, turkish, workflow
from onboarding.models import (
    OPEN_STATUSES,
    Application,
    ApplicationEvent,
    Condition,
    Requirement,
)

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


class CatalogueFilter(admin.RelatedFieldListFilter):
    """Django's filter by a related row, its choices from the catalogue kept in memory (onboarding.catalogue)."""

    rows_by_id = None  # a function of onboarding.catalogue

    def field_choices(self, field, request, model_admin):
        return [(pk, str(row)) for pk, row in type(self).rows_by_id().items()]


class InstitutionTypeFilter(CatalogueFilter):
    rows_by_id = staticmethod(catalogue.institution_types_by_id)


class BillingTypeFilter(CatalogueFilter):
    rows_by_id = staticmethod(catalogue.billing_types_by_id)


class ProvinceFilter(admin.SimpleListFilter):
    title = _("il")
    parameter_name = "il"
    template = "admin/review_collapsed_filter.html"  # 81 provinces: closed until needed

    def lookups(self, request, model_admin):
        return turkish.PROVINCES

    def queryset(self, request, queryset):
        return queryset.filter(province=self.value()) if self.value() else queryset

    def choices(self, changelist):
        # Django builds each of the 81 links from the whole query anew; they differ in the province only.
        base = changelist.get_query_string(remove=[self.parameter_name])
        joiner = "&" if len(base) > 1 else ""
        yield {"selected": self.value() is None, "query_string": base, "display": _("All")}  # Django's own words
        for code, name in self.lookup_choices:
            yield {
                "selected": self.value() == code,
                "query_string": f"{base}{joiner}{self.parameter_name}={code}",
                "display": name,
            }


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


class NoteForm(forms.Form):
    """The reviewer's words with a request for changes, a rejection or a withdrawal (the services check them)."""

    note = forms.CharField(max_length=2000, required=False)


@admin.register(Application)
class ApplicationAdmin(WrittenElsewhere, HistoryWithoutRevertAdmin):
    # Applications are written by services only.

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
        ("institution_type", InstitutionTypeFilter),
        ("billing_type", BillingTypeFilter),
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

    def get_readonly_fields(self, request, obj=None):
        return flatten_fieldsets(self.fieldsets)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        match = request.resolver_match
        if match is None or match.url_name != "onboarding_application_changelist":
            # The application page and the actions read one row: the list's columns are not computed for it.
            return queryset.select_related("institution_type", "applicant", "billing_type", "credit_package")
        if self._sorted_by_past_due(request):
            # "Past due first" sorts on the condition itself (every open application is looked at: ~2 s at 100k).
            queryset = queryset.annotate(
                _past_due=ExpressionWrapper(due.past_due_q(timezone.now()), output_field=BooleanField())
            )
        # The list shows the institution type only; it comes from the catalogue in memory when that is at hand.
        if not catalogue.at_hand():
            queryset = queryset.select_related("institution_type")
        return queryset.annotate(
            _pending=_live_document_count(status=Document.Status.UPLOADED),
            _originals_required=_live_document_count(**ORIGINAL_NEEDED),
            _originals_received=_live_document_count(**ORIGINAL_NEEDED, original_received_at__isnull=False),
        )

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if catalogue.at_hand():
            types = catalogue.institution_types_by_id()
            for application in changelist.result_list:
                if application.institution_type_id in types:
                    application.institution_type = types[application.institution_type_id]
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
        # The same digits in every language ("d.m.Y H:i"), without parsing a format for each row.
        return f"{localtime(obj.submitted_at):%d.%m.%Y %H:%M}" if obj.submitted_at else "—"

    @admin.display(description=_("durum"), ordering="status")
    def status_badge(self, obj: Application) -> str:
        # The enum's label (get_status_display() rebuilds a dict of every choice for each row).
        return format_html(
            '<span class="review-badge review-badge--{}">{}</span>', obj.status, Application.Status(obj.status).label
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

        def render():
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
            return super(ApplicationAdmin, self).changelist_view(
                request, {"title": _("Başvurular"), **(extra_context or {}), "queue_counts": counts}
            )

        # Reviewers come back to the queue after every decision: the same page is served again while no application
        # has changed (for a minute at most: the past-due column moves with the clock).
        return page_cache.staff_page(request, "review-queue", page_cache.applications_version(), render)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        version = (
            Application.objects.filter(pk=object_id).values_list("page_version", flat=True).first()
            if object_id.isascii() and object_id.isdigit()
            else None
        )
        return page_cache.staff_page(
            request,
            f"review-page:{object_id}",
            version,
            lambda: super(ApplicationAdmin, self).change_view(request, object_id, form_url, extra_context),
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
            # The application's fields, read-only: the same until the application changes (onboarding.page_cache).
            context["review_field_sets"] = page_cache.fragment(
                "admin-field-sets",
                obj,
                lambda: render_to_string(
                    "admin/onboarding/application/_field_sets.html", {"adminform": context["adminform"]}, request
                ),
                variant=page_cache.permissions_key(request.user),
            )
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
            return refuse_on_application(request, application, form_errors(form))
        return perform_on_application(
            request, application, lambda: operation(application, form.cleaned_data["note"]), success
        )

    def request_changes_view(self, request, object_id):
        return self._with_note(
            request,
            object_id,
            lambda application, note: services.request_changes(application, actor=request.user, note=note),
            _("Düzeltme istendi; başvuru sahibine reddedilen belgelerin listesi e-postayla gönderiliyor."),
        )

    def approve_documents_view(self, request, object_id):
        application = self._reviewable(request, object_id)
        return perform_on_application(
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
        return perform_on_application(
            request,
            application,
            lambda: services.activate_application(application, actor=request.user),
            _("Hesap açıldı olarak işaretlendi; başvuru sahibine bildiriliyor."),
        )


def application_url(application_id: int, anchor: str = "") -> str:
    """The application's review page, at `anchor` (a checklist line's "belge-<requirement id>") if given."""
    url = reverse("admin:onboarding_application_change", args=[application_id])
    return f"{url}#{anchor}" if anchor else url


# What the application and document services raise when a rule says no: a message for the reviewer, not a bug.
REVIEW_REFUSALS = (services.ApplicationError, DocumentError)


def refuse_on_application(request, application: Application, message: str, anchor: str = "") -> HttpResponseRedirect:
    """Back to the application page with `message` as an error."""
    return refuse(request, message, application_url(application.pk, anchor))


def perform_on_application(
    request, application: Application, operation, success: str, anchor: str = ""
) -> HttpResponseRedirect:
    """Run one service call; its refusal becomes an error message. Back to the application page either way."""
    return perform(
        request,
        operation,
        success=success,
        redirect_to=application_url(application.pk, anchor),
        refusals=REVIEW_REFUSALS,
    )


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

    Finance (no document permissions) gets no documents, previews or buttons. What may be done now is the workflow's
    answer (onboarding.workflow.review_options, the rules the services check again on POST); this adds the user's
    permissions.
    """
    user = request.user
    can_view_documents = user.has_perm("documents.view_document")
    can_review_documents = user.has_perm("documents.review_document")
    can_review = user.has_perm("onboarding.review_application")

    items: list[ReviewItem] = []
    counts = {"undecided": 0, "rejected": 0, "approved": 0, "originals_required": 0, "originals_received": 0}
    counted_as = {
        Document.Status.UPLOADED: "undecided",
        Document.Status.REJECTED: "rejected",
        Document.Status.APPROVED: "approved",
    }
    # Without the documents to look at, no checklist: the services alone decide on POST.
    checklist: list[services.ChecklistItem] = []
    by_requirement: dict[int, list[Document]] = {}
    if can_view_documents:
        documents = (
            Document.objects.filter(application=application)
            .select_related("decided_by", "rejection_reason", "original_received_by")
            .prefetch_related(
                Prefetch(
                    "files",
                    queryset=DocumentFile.objects.select_related("uploaded_by").order_by("uploaded_at", "id"),
                ),
                Prefetch(
                    "events", queryset=DocumentEvent.objects.select_related("actor").order_by("created_at", "id")
                ),
            )
            .order_by("requirement_id", "-version")
        )
        for document in documents:
            by_requirement.setdefault(document.requirement_id, []).append(document)
        checklist = services.checklist(application, documents=[d for ds in by_requirement.values() for d in ds])
    options = workflow.review_options(application, checklist)
    for item in checklist:
        versions = by_requirement.get(item.requirement.pk, [])
        live = next((document for document in versions if document.is_live), None)
        if live is not None:
            counts[counted_as[live.status]] += 1
            if item.is_required:
                counts["originals_required"] += 1
                counts["originals_received"] += live.original_received_at is not None
        items.append(
            ReviewItem(
                requirement=item.requirement,
                is_required=item.is_required,
                document=live,
                previous=[document for document in versions if not document.is_live],
                can_decide=can_review_documents and item.requirement.pk in options.decidable,
                can_mark_original=can_review and item.requirement.pk in options.originals_awaited,
            )
        )

    S = Application.Status
    events = list(application.events.select_related("actor"))
    return {
        "review_items": items,
        "review_counts": counts,
        "can_view_documents": can_view_documents,
        "can_review_documents": can_review_documents,
        "can_review": can_review,
        "rejection_reasons": catalogue.rejection_reasons() if can_review_documents else [],
        "reviewer_rules": catalogue.reviewer_rules_of(application.institution_type_id) if can_view_documents else [],
        "application_events": events if user.has_perm("onboarding.view_applicationevent") else None,
        "can_view_document_events": user.has_perm("documents.view_documentevent"),
        # What the services would refuse anyway, said before the click (they check again on POST).
        "ready_to_approve": not can_view_documents or options.ready_for(S.AWAITING_ORIGINALS),
        "ready_to_request_changes": not can_view_documents or options.ready_for(S.CHANGES_REQUESTED),
        "may_request_changes": can_review and options.allows(S.CHANGES_REQUESTED),
        "may_approve_documents": can_review and options.allows(S.AWAITING_ORIGINALS),
        "may_reject": can_review and options.allows(S.REJECTED),
        "may_withdraw": can_review and options.allows(S.WITHDRAWN),
        "may_activate": can_review and options.allows(S.ACTIVE),
        "province_label": application.province_name,
        **due_context(request, application, checklist=checklist if can_view_documents else None, events=events),
    }


def due_context(request, application: Application, *, checklist=None, events=None) -> dict:
    """What the application waits for from its applicant, with deadlines, and the reminders sent about it (from the
    checklist and events the page read already, when it has them)."""
    from reminders.models import Reminder

    now = timezone.now()
    items = [
        due.presented(item, now)
        for item in due.items_for_application(application, now=now, checklist=checklist, events=events)
    ]
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


@admin.register(ApplicationEvent)
class ApplicationEventAdmin(ReadOnlyAdmin):
    """The applications' lifecycle trail, read-only: who moved which application from what to what, and why."""

    list_display = ["created_at", "application", "from_status", "to_status", "actor", "reason"]
    list_filter = ["to_status"]
    search_fields = ["=application__reference"]
    list_select_related = ["application", "actor"]
    ordering = ["-created_at", "-id"]
