"""The portal's admin site: Django's, with the titles set once and a guard on the ids an action is given."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import BaseModelAdmin
from django.http import HttpResponseBadRequest
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _


class PortalAdminSite(admin.AdminSite):
    site_header = gettext_lazy("Toplu SMS Başvuru Yönetimi")
    site_title = gettext_lazy("Toplu SMS Başvuru Yönetimi")
    index_title = gettext_lazy("Arka ofis")

    def admin_view(self, view, cacheable=False):
        """Every admin view; an action posted with ids that are not whole numbers is answered 400.

        Django filters the selected rows with the posted ids as they are, so a word among them raised in the ORM and
        answered 500 — on our admins, Django's and third-party ones alike. Every model in this admin has an integer
        key, so one check here covers them all.
        """
        wrapped = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            if request.method == "POST" and not all(
                value.isascii() and value.isdigit() for value in request.POST.getlist(ACTION_CHECKBOX_NAME)
            ):
                return HttpResponseBadRequest(
                    _("Seçilen kayıtlar geçersiz. Listeyi yenileyip yeniden seçin."),
                    content_type="text/plain; charset=utf-8",
                )
            return wrapped(request, *args, **kwargs)

        guarded.__wrapped__ = wrapped
        return guarded

    # The menu beside every admin page (and the index) lists the models a user may see. Building it asks every
    # registered admin for its permissions and reverses their URLs: a tenth of a queue page's CPU time. It depends on
    # the user's permissions and the language only, so it is built once per process for each such pair.
    _app_lists: dict = {}
    APP_LISTS_KEPT = 256

    def get_app_list(self, request, app_label=None):
        user = request.user
        key = (
            frozenset(user.get_all_permissions()),
            user.is_superuser,
            user.is_active,
            user.is_staff,
            get_language(),
            app_label,
        )
        app_list = self._app_lists.get(key)
        if app_list is None:
            app_list = super().get_app_list(request, app_label)
            if len(self._app_lists) >= self.APP_LISTS_KEPT:
                self._app_lists.clear()
            self._app_lists[key] = app_list
        return app_list


_django_formfield_for_dbfield = BaseModelAdmin.formfield_for_dbfield


def formfield_named_by_its_label(self, db_field, request, **kwargs):
    """Django's form field for a model field, its input named by the field's label (aria-label).

    In a tabular inline (rejection reasons, requirements, prices, tariff tiers) and in a list's editable columns
    Django renders inputs with no <label>: only the column header shows the name, and a screen reader announces
    none for the control (axe: label, select-name). On a change form the name repeats the visible label.
    """
    formfield = _django_formfield_for_dbfield(self, db_field, request, **kwargs)
    if formfield is not None and not formfield.widget.is_hidden:
        # The related-object wrapper renders the widget it wraps; a fresh dict, since a widget may be shared.
        widget = getattr(formfield.widget, "widget", formfield.widget)
        widget.attrs = {"aria-label": capfirst(formfield.label or db_field.verbose_name), **widget.attrs}
    return formfield


class PortalAdminConfig(AdminConfig):
    default_site = "config.admin.PortalAdminSite"

    def ready(self):
        BaseModelAdmin.formfield_for_dbfield = formfield_named_by_its_label
        super().ready()
