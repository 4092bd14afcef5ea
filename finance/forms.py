"""The filters of the finance lists, read from the query string (GET), so that a filtered list can be bookmarked and
exported as it is shown."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from billing.models import CreditPackage, Plan, Statement
from finance.reports import Filters, Report

MONTH_FORMAT = "%Y-%m"


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=MONTH_FORMAT)


class MonthField(forms.DateField):
    """A calendar month typed as YYYY-MM (the browser's month picker): its first day."""

    widget = MonthInput
    input_formats = [MONTH_FORMAT]

    def __init__(self, **kwargs):
        super().__init__(input_formats=[MONTH_FORMAT], required=False, **kwargs)

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else None


class PackageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class FilterForm(forms.Form):
    start = MonthField(label=_("İlk ay"))
    end = MonthField(label=_("Son ay"))
    plan = forms.ChoiceField(label=_("Plan"), choices=[("", _("Tümü")), *Plan.choices], required=False)
    kind = forms.ChoiceField(label=_("Tür"), choices=[("", _("Tümü")), *Statement.Kind.choices], required=False)
    package = PackageChoiceField(
        label=_("Paket"), queryset=CreditPackage.objects.order_by("credits"), required=False, empty_label=_("Tümü")
    )
    days = forms.IntegerField(label=_("Gün"), min_value=1, max_value=730, required=False)
    q = forms.CharField(label=_("Ara"), max_length=100, required=False, strip=True)

    def __init__(self, data, *, report: Report, today: datetime.date):
        # A month bound absent from the query string takes the list's default; present but empty, it is open.
        data = data.copy()
        default_start, default_end = report.default_range(today)
        for name, default in (("start", default_start), ("end", default_end)):
            if name not in data:
                data[name] = default.strftime(MONTH_FORMAT) if default else ""
        if not data.get("days"):
            data["days"] = "30"
        super().__init__(data)
        self.report = report
        for name in list(self.fields):
            if name not in report.filters:
                del self.fields[name]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        if "q" in self.fields and report.search_help:
            self.fields["q"].widget.attrs["placeholder"] = report.search_help

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("Son ay ilk aydan önce olamaz."))
        return cleaned

    def filters(self, *, now: datetime.datetime) -> Filters:
        """The filters to apply: what is valid of what was asked, the list's default for the rest."""
        self.is_valid()
        values = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        if "end" in self.errors:
            values["start"] = values["end"] = None
        package = values.get("package")
        return Filters(
            start=values.get("start"),
            end=values.get("end"),
            plan=values.get("plan") or "",
            q=values.get("q") or "",
            days=values.get("days") or 30,
            package=package.pk if package else None,
            kind=values.get("kind") or "",
            now=now,
        )

    def query(self, filters: Filters) -> dict[str, str]:
        """The query string that asks for exactly `filters` (for pages and exports)."""
        query = {}
        for name in self.fields:
            value = getattr(filters, name)
            if name in ("start", "end"):
                query[name] = value.strftime(MONTH_FORMAT) if value else ""
            elif value not in (None, ""):
                query[name] = str(value)
        return query
