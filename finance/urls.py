"""The finance area under /finans/: the dashboard, one page per list and its CSV/XLSX export."""

from django.urls import path

from finance import views
from finance.reports import REPORTS

app_name = "finance"

urlpatterns = [path("", views.dashboard, name="dashboard")]
for _report in REPORTS:
    urlpatterns += [
        path(f"{_report.slug}/", views.report_page, {"name": _report.name}, name=_report.name),
        path(
            f"{_report.slug}/disa-aktar.<str:fmt>",
            views.report_export,
            {"name": _report.name},
            name=f"{_report.name}-export",
        ),
    ]
