"""The finance area: a dashboard and one page per list, each with its filters, charts and CSV/XLSX exports.

Only finance staff (group Finance) and superusers come in: the permission to view billing accounts decides; reviewers
and applicants get 403, anonymous visitors the login page. The pages show money and usage, never documents.
"""

import functools
from contextlib import contextmanager
from dataclasses import replace
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from finance import dashboard as dashboard_data
from finance import exports
from finance.forms import FilterForm
from finance.periods import ISTANBUL
from finance.reports import BY_NAME, REPORTS

PERMISSION = "billing.view_billingaccount"


def finance_required(view):
    @functools.wraps(view)
    @require_GET
    @login_required
    @permission_required(PERMISSION, raise_exception=True)
    def wrapped(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    return wrapped


def number_format(value: int) -> str:
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def _nav(current: str) -> list[dict]:
    items = [{"name": "dashboard", "title": _("Özet"), "url": reverse("finance:dashboard")}]
    items += [{"name": r.name, "title": r.title, "url": reverse(f"finance:{r.name}")} for r in REPORTS]
    for item in items:
        item["current"] = item["name"] == current
    return items


def _account_url_template() -> str | None:
    """The admin's account page with a placeholder id, or None while the admin has no such page."""
    try:
        return reverse("admin:billing_billingaccount_change", args=[0]).replace("/0/", "/{}/")
    except NoReverseMatch:
        return None


@contextmanager
def reporting():
    """On PostgreSQL, a transaction whose aggregates may hash in memory: the default work_mem (4 MB) spills a
    100,000-group aggregate to disk. The setting ends with the transaction. (SQLite needs none, and its
    transactions here take the write lock: none is opened there.)"""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '64MB'")
        yield


@finance_required
def dashboard(request):
    with reporting():
        tiles, charts = dashboard_data.build(timezone.now())
    for tile in tiles:
        tile.url = reverse(f"finance:{tile.report}") + (f"?{tile.query}" if tile.query else "")
    return render(
        request,
        "finance/dashboard.html",
        {"nav": _nav("dashboard"), "tiles": tiles, "charts": charts, "charts_config": [c.config() for c in charts]},
    )


def _form(request, report):
    now = timezone.now()
    form = FilterForm(request.GET, report=report, today=timezone.localdate(now, timezone=ISTANBUL))
    return form, form.filters(now=now)


class CountedPaginator(Paginator):
    """A paginator told the number of rows by an aggregate the page ran anyway: no second COUNT(*)."""

    def __init__(self, object_list, per_page, *, count: int | None = None):
        super().__init__(object_list, per_page)
        if count is not None:
            self.__dict__["count"] = count  # Paginator.count is a cached_property


@finance_required
def report_page(request, name: str):
    report = BY_NAME[name]
    form, filters = _form(request, report)
    query = form.query(filters)
    with reporting():
        overview = report.overview(filters)
        paginator = CountedPaginator(
            report.rows(replace(filters, **overview.narrow)), report.per_page, count=overview.count
        )
        page = paginator.get_page(request.GET.get("page"))
        rows = report.present(list(page.object_list), filters)
        charts = overview.charts + report.page_charts(filters, rows, page.number)
    account_url = _account_url_template()
    table = [
        [
            {
                "text": column.text(row.get(column.key)),
                "numeric": column.is_numeric,
                "url": account_url.format(row["account_id"]) if column.link == "account" and account_url else "",
            }
            for column in report.columns
        ]
        for row in rows
    ]
    return render(
        request,
        "finance/report.html",
        {
            "nav": _nav(name),
            "report": report,
            "form": form,
            "filters": filters,
            "figures": overview.figures,
            "charts": charts,
            "charts_config": [c.config() for c in charts],
            "columns": report.columns,
            "table": table,
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "query": urlencode(query),
            "csv_url": reverse(f"finance:{name}-export", kwargs={"fmt": "csv"}) + "?" + urlencode(query),
            "xlsx_url": reverse(f"finance:{name}-export", kwargs={"fmt": "xlsx"}) + "?" + urlencode(query),
            "xlsx_too_long": paginator.count > exports.XLSX_MAX_ROWS,
            "xlsx_max_rows": exports.XLSX_MAX_ROWS,
        },
    )


@finance_required
def report_export(request, name: str, fmt: str):
    report = BY_NAME[name]
    form, filters = _form(request, report)
    if fmt == "csv":
        return exports.csv_response(report, filters)
    if fmt != "xlsx":
        raise Http404
    rows = report.rows(filters).count()
    if rows > exports.XLSX_MAX_ROWS:
        # A workbook is built whole before its first byte leaves: past this size it outlasts the proxy's patience.
        messages.error(
            request,
            _(
                "Excel dosyası en çok %(max)s satır alır; bu liste %(rows)s satır. Ay aralığını daraltın ya da CSV "
                "indirin (CSV'nin sınırı yok)."
            )
            % {"max": number_format(exports.XLSX_MAX_ROWS), "rows": number_format(rows)},
        )
        return redirect(reverse(f"finance:{name}") + "?" + urlencode(form.query(filters)))
    return exports.xlsx_response(report, filters)
