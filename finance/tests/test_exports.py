"""CSV and XLSX exports: the filters of the page, typed cells read back with openpyxl, and text that a spreadsheet
would run as a formula written as plain text."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from finance import exports, reports
from finance.exports import escape_formula
from finance.periods import add_months, this_month
from finance.tests.helpers import at, buy, make_account, usage

pytestmark = pytest.mark.django_db

LAST = add_months(this_month(), -1)
DANGEROUS = ['=HYPERLINK("http://x";"tıkla")', "+90 212", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\tsekme", "\rsatır"]


def download(client, url: str, query=None) -> bytes:
    response = client.get(url, query or {})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    return content


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_a_spreadsheet_would_evaluate_gets_a_leading_apostrophe(text):
    assert escape_formula(text) == "'" + text


@pytest.mark.parametrize("text", ["Şişli Belediyesi", "ABC=1", "1-2", "", "'zaten"])
def test_ordinary_text_is_left_alone(text):
    assert escape_formula(text) == text


@pytest.fixture
def dangerous_accounts(db):
    return [make_account(name, plan="invoiced") for name in DANGEROUS]


def test_the_csv_streams_with_a_bom_and_escapes_every_dangerous_name(client, finance, dangerous_accounts):
    client.force_login(finance)
    response = client.get(reverse("finance:accounts-export", kwargs={"fmt": "csv"}))
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="finans-hesaplar-' in response["Content-Disposition"]
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())

    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))

    names = sorted(row["Unvan"] for row in rows)
    assert names == sorted("'" + name for name in DANGEROUS)
    assert all(int(row["Kontör bakiyesi"]) == 0 for row in rows)  # numbers are numbers, never escaped


def test_the_xlsx_has_typed_cells_and_no_formula(client, finance, dangerous_accounts):
    for account in dangerous_accounts[:2]:
        usage(account, LAST, delivered=1_234_567, undelivered=3)
    client.force_login(finance)

    content = download(client, reverse("finance:top-customers-export", kwargs={"fmt": "xlsx"}))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active

    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Hesap kodu",
        "Unvan",
        "Bugünkü plan",
        "Teslim edilen",
        "Teslim edilemeyen",
        "Beklemede",
        "Zaman aşımı",
    )
    assert sorted(row[1] for row in rows[1:]) == sorted("'" + name for name in DANGEROUS[:2])
    assert [row[3] for row in rows[1:]] == [1_234_567, 1_234_567]
    assert sheet.cell(row=2, column=4).number_format == "#,##0"
    for row in sheet.iter_rows(min_row=2):
        assert all(cell.data_type != "f" for cell in row)
        assert row[1].data_type == "s"


def test_the_xlsx_types_money_and_months(client, finance):
    account = make_account("Şişli Belediyesi")
    order = buy(account, 5_000, paid_at=at(LAST.year, LAST.month, 10), actor=finance)
    client.force_login(finance)

    query = {"start": LAST.strftime("%Y-%m"), "end": LAST.strftime("%Y-%m")}
    content = download(client, reverse("finance:sales-export", kwargs={"fmt": "xlsx"}), query)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active

    header, row = list(sheet.iter_rows(values_only=True))
    assert header == ("Ay", "Sipariş sayısı", "Satılan kontör", "Net (TL)", "KDV (TL)", "ÖİV (TL)", "Toplam (TL)")
    assert row[0] == datetime.datetime(LAST.year, LAST.month, 1)
    assert sheet.cell(row=2, column=1).number_format == "mm.yyyy"
    assert row[1:3] == (1, 5_000)
    assert [Decimal(str(value)).quantize(Decimal("0.01")) for value in row[3:]] == [
        order.net,
        order.kdv,
        order.oiv,
        order.total,
    ]
    assert sheet.cell(row=2, column=4).number_format == "#,##0.00"


def test_the_export_links_carry_the_filters_of_the_page(client, finance):
    sisli = make_account("Şişli Belediyesi")
    make_account("Kadıköy Belediyesi", plan="invoiced")
    client.force_login(finance)

    response = client.get(reverse("finance:accounts"), {"q": "şişli", "plan": "prepaid"})
    csv_url, xlsx_url = response.context["csv_url"], response.context["xlsx_url"]

    assert "q=%C5%9Fi%C5%9Fli" in csv_url and "plan=prepaid" in csv_url
    text = download(client, csv_url).decode("utf-8-sig")
    assert [row["Hesap kodu"] for row in csv.DictReader(io.StringIO(text))] == [sisli.code]
    sheet = openpyxl.load_workbook(io.BytesIO(download(client, xlsx_url))).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [sisli.code]


def test_a_long_export_is_written_in_chunks_with_every_row(client, finance, monkeypatch):
    monkeypatch.setattr(reports, "EXPORT_CHUNK", 2)
    accounts = [make_account(f"Kurum {n}") for n in range(5)]
    for n, account in enumerate(accounts):
        usage(account, LAST, delivered=100 * (n + 1))
    client.force_login(finance)

    text = download(client, reverse("finance:top-customers-export", kwargs={"fmt": "csv"})).decode("utf-8-sig")

    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(row["Hesap kodu"], int(row["Teslim edilen"])) for row in rows] == [
        (account.code, 100 * (n + 1)) for n, account in reversed(list(enumerate(accounts)))
    ]


def test_a_list_longer_than_an_xlsx_takes_is_refused_with_a_way_out(client, finance, monkeypatch):
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 1)
    make_account("Şişli Belediyesi")
    make_account("Kadıköy Belediyesi")
    client.force_login(finance)

    page = client.get(reverse("finance:accounts"), {"plan": "prepaid"}).content.decode()
    response = client.get(reverse("finance:accounts-export", kwargs={"fmt": "xlsx"}), {"plan": "prepaid"})

    assert 'aria-describedby="xlsx-limit"' in page  # the button is disabled, with the reason beside it
    assert response.status_code == 302
    assert response["Location"] == reverse("finance:accounts") + "?start=&end=&plan=prepaid"
    followed = client.get(response["Location"]).content.decode()
    assert "Excel dosyası en çok 1 satır alır; bu liste 2 satır." in followed
    # The CSV has no such limit.
    text = download(client, reverse("finance:accounts-export", kwargs={"fmt": "csv"})).decode("utf-8-sig")
    assert len(list(csv.DictReader(io.StringIO(text)))) == 2
