"""CSV and XLSX exports of the finance lists, under the filters the page shows.

CSV streams row by row (UTF-8 with a byte-order mark so that Excel reads Turkish letters; comma-separated, decimal
point). XLSX is written by XlsxWriter in constant-memory mode to a temporary file, so a 100,000-row list holds one
row in memory at a time; money, counts and dates are typed cells with Turkish-looking formats.

Text that a spreadsheet would take for a formula (it starts with = + - @, a tab or a carriage return) is written
with a leading apostrophe: a legal name such as "=HYPERLINK(…)" stays text (CSV injection).
"""

import csv
import datetime
import os
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal

import xlsxwriter
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from finance.periods import ISTANBUL
from finance.reports import Filters, Report
from finance.tables import BOOL, CHOICE, DATE, DATETIME, MONEY, MONTH, NUMBER, Column, as_date, as_local_datetime

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# XLSX is written whole before it is sent (12 columns × 200,000 rows take about 30 s here); longer lists go to CSV.
XLSX_MAX_ROWS = 200_000


def escape_formula(text: str) -> str:
    """Text a spreadsheet would evaluate, made plain text with a leading apostrophe."""
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def plain_value(column: Column, value):
    """The cell's value for a file: numbers as numbers, dates as dates, everything else as escaped text."""
    if value is None:
        return None
    if column.kind == MONEY:
        return Decimal(value).quantize(Decimal("0.01"))
    if column.kind == NUMBER:
        return int(value)
    if column.kind in (DATE, MONTH):
        return as_date(value)
    if column.kind == DATETIME:
        return as_local_datetime(value)
    if column.kind in (CHOICE, BOOL):
        return escape_formula(column.text(value))
    return escape_formula(str(value))


def file_name(report: Report, filters: Filters, extension: str) -> str:
    today = timezone.localdate(filters.moment, timezone=ISTANBUL)
    return f"finans-{report.slug}-{today:%Y-%m-%d}.{extension}"


class _Echo:
    """A file-like object whose write() returns what it was given, for csv.writer in a streaming response."""

    def write(self, value: str) -> str:
        return value


def csv_lines(report: Report, rows: Iterable[dict]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([escape_formula(str(column.label)) for column in report.columns])
    for row in rows:
        cells = []
        for column in report.columns:
            value = plain_value(column, row.get(column.key))
            if value is None:
                cells.append("")
            elif column.kind == MONTH:
                cells.append(value.strftime("%Y-%m"))
            elif column.kind == DATETIME:
                cells.append(value.strftime("%Y-%m-%d %H:%M"))
            else:
                cells.append(value)
        yield writer.writerow(cells)


def csv_response(report: Report, filters: Filters) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(report, report.export_rows(filters)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{file_name(report, filters, "csv")}"'
    return response


XLSX_FORMATS = {
    MONEY: {"num_format": "#,##0.00"},
    NUMBER: {"num_format": "#,##0"},
    DATE: {"num_format": "dd.mm.yyyy"},
    MONTH: {"num_format": "mm.yyyy"},
    DATETIME: {"num_format": "dd.mm.yyyy hh:mm"},
}


def write_xlsx(report: Report, rows: Iterable[dict], path: str) -> None:
    workbook = xlsxwriter.Workbook(
        path,
        {
            "constant_memory": True,
            "tmpdir": tempfile.gettempdir(),
            # Text stays text: never a formula, a number or a link, whatever it looks like.
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    sheet = workbook.add_worksheet(str(report.title)[:31])
    header = workbook.add_format({"bold": True, "bottom": 1})
    formats = {kind: workbook.add_format(spec) for kind, spec in XLSX_FORMATS.items()}
    for index, column in enumerate(report.columns):
        width = 14 if column.kind in XLSX_FORMATS else max(16, min(40, len(str(column.label)) + 4))
        sheet.set_column(index, index, width)
    sheet.freeze_panes(1, 0)
    for index, column in enumerate(report.columns):
        sheet.write_string(0, index, escape_formula(str(column.label)), header)
    for line, row in enumerate(rows, start=1):
        for index, column in enumerate(report.columns):
            value = plain_value(column, row.get(column.key))
            if value is None:
                sheet.write_blank(line, index, None)
            elif column.kind in (MONEY, NUMBER):
                sheet.write_number(line, index, float(value), formats[column.kind])
            elif column.kind in (DATE, MONTH, DATETIME):
                if not isinstance(value, datetime.datetime):
                    value = datetime.datetime.combine(value, datetime.time())
                sheet.write_datetime(line, index, value, formats[column.kind])
            else:
                sheet.write_string(line, index, value)
    workbook.close()


def xlsx_response(report: Report, filters: Filters) -> FileResponse:
    handle, path = tempfile.mkstemp(suffix=".xlsx", prefix="finans-")
    os.close(handle)
    try:
        write_xlsx(report, report.export_rows(filters), path)
        stream = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
    finally:
        # The open handle keeps the data readable; the name goes now, so nothing is left behind on any path.
        os.unlink(path)
    return FileResponse(
        stream,
        as_attachment=True,
        filename=file_name(report, filters, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
