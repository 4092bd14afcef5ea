"""Admin pieces that know no model of ours: search in Turkish, a cheap paginator, a filter with a working default,
ids from URLs, POST-only action URLs, read-only and history admins, and service calls turned into messages.

Every app's admin imports them from here by their public names. Nothing here imports an app of the project, so any
admin may use them without an import running back into another app's admin.
"""

import datetime
from collections.abc import Callable, Iterable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, re_path
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import smart_split, unescape_string_literal
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

# --- Search --------------------------------------------------------------------------------------------------------


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


# --- Lists ---------------------------------------------------------------------------------------------------------


class EstimatedCountPaginator(Paginator):
    """Counts an unfiltered list on PostgreSQL from the planner's statistics instead of a COUNT(*) of every row.

    At 100,000 rows the exact count is the slowest query of a changelist page, and nobody needs the last digit of an
    unfiltered total. A filtered or searched list, a list on SQLite and a table never analysed are counted exactly.
    The estimate is as fresh as autovacuum's last ANALYZE.
    """

    is_estimate = False
    # A total the caller already knows exactly (see the applications' queue); it is then not counted again.
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


class WrittenElsewhere:
    """For a model admin whose rows are written by services (or by the data's own flow) only: nobody adds, changes
    or deletes one here, superusers included."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(WrittenElsewhere, admin.ModelAdmin):
    """An audit trail: listed and searched, never added, changed or deleted here."""

    show_full_result_count = False
    paginator = EstimatedCountPaginator
    show_facets = admin.ShowFacets.NEVER


# --- Objects named by URLs -----------------------------------------------------------------------------------------


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


# --- Actions posted from a change page -----------------------------------------------------------------------------


def post_action_urls(model_admin: admin.ModelAdmin, actions: Iterable[tuple[str, Callable, str]]) -> list:
    """Admin URLs `<object_id>/<route>/` for POST-only actions, named `<app>_<model>_<name>`.

    admin_view checks the login, staff status and CSRF; each view checks its own permission.
    """
    opts = model_admin.model._meta
    return [
        path(
            f"<path:object_id>/{route}/",
            model_admin.admin_site.admin_view(require_POST(view)),
            name=f"{opts.app_label}_{opts.model_name}_{name}",
        )
        for route, view, name in actions
    ]


def form_errors(form: forms.Form) -> str:
    """A form's errors as one line, for a message on the page the form was posted from."""
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def refuse(request, message: str, redirect_to: str) -> HttpResponseRedirect:
    """Back to `redirect_to` with `message` shown as an error."""
    messages.error(request, message)
    return HttpResponseRedirect(redirect_to)


def perform(
    request,
    operation: Callable[[], object],
    *,
    success: str,
    redirect_to: str,
    refusals: tuple[type[Exception], ...],
) -> HttpResponseRedirect:
    """Run one service call and go back to `redirect_to`: its success message, or the refusal's as an error.

    `refusals` are the domain errors the service raises when a rule says no; each carries a `message` for staff.
    Anything else is a bug and is not caught.
    """
    try:
        operation()
    except refusals as error:
        return refuse(request, str(error.message), redirect_to)
    messages.success(request, success)
    return HttpResponseRedirect(redirect_to)


# --- History -------------------------------------------------------------------------------------------------------


class FieldChangeDisplay(HistoricalRecordContextHelper):
    """A field change as staff read it: choice labels, local times, "—" for nothing, yes/no."""

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
