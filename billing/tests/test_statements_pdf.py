"""The statement PDF: everything a Turkish invoice shows (VUK 230, TTK 39/2), in Turkish whatever the reader's
language, with its glyphs intact when read back by poppler's pdftotext, set in the vendored DejaVu fonts."""

import io
import re
import subprocess
import unicodedata
from decimal import Decimal

import pytest
from django.utils import translation
from pypdf import PdfReader

from billing.statements import issue_credit_note, issue_statements, statement_pdf
from billing.tests.test_statements import NOVEMBER_MORNING, invoiced_account, usage
from onboarding.tests.test_pdf import PDFTOTEXT, font_names, needs_pdftotext, pdf_text

BUYER = "Şişli Belediyesi İmar ve Şehircilik Müdürlüğü"


def flow_text(document: bytes) -> str:
    """The text in reading order (a block at a time, not side by side as `pdf_text` lays it out), spaces squashed."""
    result = subprocess.run([PDFTOTEXT, "-enc", "UTF-8", "-", "-"], input=document, capture_output=True, check=True)
    return re.sub(r"\s+", " ", result.stdout.decode("utf-8")).strip()


@pytest.fixture
def statement(db):
    account = invoiced_account(
        legal_name=BUYER, address="Halaskargazi Cad. No: 1 Kat 3", tax_office="Şişli", e_invoice_user=True
    )
    usage(account, delivered=61_234, undelivered=12)
    return issue_statements(now=NOVEMBER_MORNING).issued[0]


@needs_pdftotext
def test_the_statement_shows_what_a_turkish_invoice_must(statement, settings):
    document = statement_pdf(statement)
    text, flow = pdf_text(document), flow_text(document)
    seller = settings.PORTAL_SELLER

    assert unicodedata.is_normalized("NFC", text)
    assert "\u0307" not in text  # no "i" + combining dot standing in for "İ"
    # The document, its number, date, ETTN, profile and period.
    assert "FATURA" in text and "e-Fatura" in text
    assert f"Fatura No {statement.number}" in text
    assert "Fatura Tarihi 02.11.2026" in text
    assert "Dönem Ekim 2026" in text
    assert f"ETTN {statement.uuid}" in flow
    assert statement.account.code in text
    # The seller: name, address, tax office and number (VUK 230), MERSIS and website (TTK 39/2).
    assert f"{seller['name']} {seller['address']}" in flow
    assert f"Vergi Dairesi: {seller['tax_office']} · VKN: {seller['tax_number']}" in flow
    assert f"MERSIS No: {seller['mersis']}" in flow
    assert f"Web: {seller['website']}" in flow
    # The buyer: name, address, tax office and number.
    assert BUYER in text
    assert "Halaskargazi Cad. No: 1 Kat 3" in text
    assert "Vergi Dairesi: Şişli · VKN: 4540536920" in text
    # The line: quantity, unit price and amount; then each tax with its rate, and the total.
    assert "Toplu SMS – teslim edilen mesaj parçaları" in text
    assert "61.234 Adet 0,3800 TL 23.268,92 TL" in text
    assert "Mal / Hizmet Toplam Tutarı 23.268,92 TL" in text
    assert "Hesaplanan KDV (%20) 4.653,78 TL" in text
    assert "Hesaplanan ÖİV (%10) 2.326,89 TL" in text
    assert "Ödenecek Tutar 30.249,59 TL" in text
    assert text.endswith("Sayfa 1 / 1")


@needs_pdftotext
def test_the_turkish_letters_come_back_exactly(statement):
    text = pdf_text(statement_pdf(statement))

    for word in ["ÖİV", "Şişli", "İmar", "Müdürlüğü", "Ödenecek", "İstanbul", "Şti."]:
        assert word in text, word
    assert "OIV" not in text and "Sisli" not in text


@needs_pdftotext
def test_the_statement_is_turkish_even_for_a_reader_in_english(statement):
    with translation.override("en"):
        text = pdf_text(statement_pdf(statement))

    assert "Ödenecek Tutar 30.249,59 TL" in text
    assert "Sayfa 1 / 1" in text
    assert "Page" not in text and "Total" not in text


@needs_pdftotext
def test_a_credit_note_names_the_invoice_it_corrects_and_why(statement, finance):
    note = issue_credit_note(
        statement, amount_net=Decimal("100.00"), reason="Operatör arızası: İzmir hattı", actor=finance
    )

    text = pdf_text(statement_pdf(note))

    assert "İADE FATURASI" in text
    assert f"Fatura No {note.number}" in text
    assert f"02.11.2026 tarihli {statement.number} numaralı faturayı" in text
    assert "Gerekçe: Operatör arızası: İzmir hattı" in text
    assert "Hesaplanan ÖİV (%10) 10,00 TL" in text
    assert "İade Edilecek Tutar 130,00 TL" in text


@needs_pdftotext
def test_an_e_arsiv_statement_says_so_and_a_tckn_is_labelled_as_one(db):
    account = invoiced_account(tax_number="10000000146", e_invoice_user=False)
    usage(account, delivered=10)

    text = pdf_text(statement_pdf(issue_statements(now=NOVEMBER_MORNING).issued[0]))

    assert "e-Arşiv Fatura" in text
    assert "TCKN: 10000000146" in text


@needs_pdftotext
def test_without_oiv_the_pdf_shows_no_oiv_line(db, settings):
    settings.PORTAL_CHARGE_OIV = False
    usage(invoiced_account(), delivered=1_000)

    text = pdf_text(statement_pdf(issue_statements(now=NOVEMBER_MORNING).issued[0]))

    assert "Hesaplanan ÖİV" not in text
    assert "Ödenecek Tutar 540,00 TL" in text


def test_the_pdf_is_one_a4_page_in_the_vendored_fonts_and_says_what_it_is(statement):
    document = statement_pdf(statement)

    reader = PdfReader(io.BytesIO(document))
    assert len(reader.pages) == 1
    assert reader.metadata.title == f"Fatura {statement.number} — {BUYER}"
    assert reader.trailer["/Root"]["/Lang"] == "tr"
    names = font_names(document)
    assert names and all("+Portal-DejaVu-Sans" in name for name in names), names


@needs_pdftotext
def test_markup_in_the_buyers_name_is_printed_as_text_and_fetches_nothing(db):
    # A legal name that looks like HTML stays text (autoescaped); the fetcher would refuse the URL anyway.
    name = 'Kurum <img src="http://example.com/x.png"> A.Ş.'
    usage(invoiced_account(legal_name=name), delivered=10)

    text = pdf_text(statement_pdf(issue_statements(now=NOVEMBER_MORNING).issued[0]))

    assert name in text
