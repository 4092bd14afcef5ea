"""The authorisation letter PDF: Turkish text survives the round trip, one official A4 page (and one page of notes for
the applicant), vendored fonts, nothing else read.

The text is read back with poppler's `pdftotext`, as an operator's system would; tests that need it skip without it
(CI installs poppler-utils).
"""

import io
import logging
import os
import re
import shutil
import subprocess
import sys
import unicodedata

import pytest
from django.conf import settings
from django.test import override_settings
from pypdf import PdfReader

from onboarding import pdf
from onboarding.models import LetterTemplate

INSTITUTION = "Iğdır İl Özel İdaresi Şişli Çağrı Üğür"
PERSON = "Şükrü Işıkoğlu"
RESELLER = "Asist Bilgi Teknolojileri ve Elektronik Haberleşme Ltd. Şti."
OPERATOR = "Turkcell"
VALUES = {
    "institution": INSTITUTION,
    "reseller": RESELLER,
    "operator": OPERATOR,
    "authorised_person": PERSON,
    "signatory_title": "Genel Sekreter",
    "date": "14.03.2026",
    "day": "Cumartesi",
}
CODES = ["A", "B", "C", "D"]

PDFTOTEXT = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(
    PDFTOTEXT is None, reason="pdftotext is not installed: apt-get install poppler-utils (CI does)"
)


def pdf_text(document: bytes, page: int | None = None) -> str:
    """The PDF's text (or one page's) as `pdftotext -layout` reads it, every run of whitespace squashed to a space."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    result = subprocess.run(
        [PDFTOTEXT, "-layout", "-enc", "UTF-8", *pages, "-", "-"], input=document, capture_output=True, check=True
    )
    return re.sub(r"\s+", " ", result.stdout.decode("utf-8")).strip()


def font_names(document: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(document)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def letter(code: str, *, values: dict[str, str] = VALUES, language: str = "tr", institution: str = INSTITUTION):
    template = LetterTemplate.objects.get(code=code)
    return pdf.letter_pdf(template, values=values, institution_name=institution, language=language)


@needs_pdftotext
@pytest.mark.parametrize("code", CODES)
def test_each_letter_keeps_the_turkish_letters_of_every_value(db, code):
    template = LetterTemplate.objects.get(code=code)
    text = pdf_text(letter(code), page=1)

    assert unicodedata.is_normalized("NFC", text)
    assert "\u0307" not in text  # no "i" + combining dot standing in for "İ"
    if "{institution}" in template.body:
        assert f"{INSTITUTION} " in text.split(template.title, 1)[1]
    assert INSTITUTION in text  # the letterhead, for every template
    assert f"Genel Sekreter {PERSON} yetkili kılınmıştır." in text
    assert RESELLER in text
    assert f"{OPERATOR} hat" in text
    assert re.search(r"Tarihi?: 14\.03\.2026", text)


@needs_pdftotext
def test_the_letter_has_its_title_signature_block_and_the_checklist_on_a_page_of_its_own(db):
    document = letter("A")
    official, notes = pdf_text(document, page=1), pdf_text(document, page=2)

    assert "YETKİ YAZISI" in official
    assert official.endswith(f"Mühür / Kaşe {PERSON} Genel Sekreter")
    for line in ["kurumun mührü", "yetkilinin kaşesi", "yetkilinin ıslak imzası", "Sayfa 1"]:
        assert line not in official
    assert "kurumun mührü" in notes
    assert "yetkilinin kaşesi" in notes
    assert "yetkilinin ıslak imzası" in notes


@pytest.mark.parametrize("code", CODES)
def test_each_letter_is_one_official_a4_page_and_a_page_of_notes_set_in_the_vendored_dejavu_fonts(db, code):
    document = letter(code)

    reader = PdfReader(io.BytesIO(document))
    assert len(reader.pages) == 2
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width) * 25.4 / 72), round(float(height) * 25.4 / 72)) == (210, 297)
    names = font_names(document)
    assert names
    # "Portal DejaVu Sans" is the @font-face family: no system font carries that name, so a fallback would show.
    assert all("DejaVu" in name and "+Portal-DejaVu-Sans" in name for name in names), names


def test_the_pdf_says_what_it_is_and_that_it_is_turkish(db):
    template = LetterTemplate.objects.get(code="A")

    reader = PdfReader(io.BytesIO(letter("A")))

    assert reader.metadata.title == f"{template.name} — {INSTITUTION}"
    assert reader.trailer["/Root"]["/Lang"] == "tr"


@needs_pdftotext
@pytest.mark.parametrize("code", CODES)
def test_an_unfilled_blank_prints_as_a_dotted_line(db, code):
    values = {name: value for name, value in VALUES.items() if name not in ("authorised_person", "date")}

    text = pdf_text(letter(code, values=values))

    assert f"{pdf.DOTS} yetkili kılınmıştır." in text
    assert f"Tarih: {pdf.DATE_DOTS}" in text or f"Tarihi: {pdf.DATE_DOTS}" in text
    assert PERSON not in text


@needs_pdftotext
def test_a_long_institution_name_still_fits_on_the_official_page(db):
    long_name = f"{INSTITUTION} Kültür, Sanat, Eğitim, Gençlik ve Spor Hizmetleri Müdürlüğü Yardımlaşma Derneği" * 2

    document = letter("A", institution=long_name, values={**VALUES, "institution": long_name})

    assert len(PdfReader(io.BytesIO(document)).pages) == 2
    assert long_name in pdf_text(document, page=1)


@needs_pdftotext
def test_in_english_the_gloss_is_added_and_the_turkish_body_stays(db):
    template = LetterTemplate.objects.get(code="A")
    turkish_body = re.sub(r"\s+", " ", template.render(VALUES))
    gloss = template.body_en.format_map(VALUES)

    english = letter("A", language="en")
    turkish = letter("A", language="tr")

    assert turkish_body in pdf_text(english, page=1)
    assert "YETKİ YAZISI" in pdf_text(english, page=1)
    assert gloss not in pdf_text(english, page=1)  # the signed page stays Turkish
    assert gloss in pdf_text(english, page=2)
    assert turkish_body in pdf_text(turkish)
    assert "On behalf of" not in pdf_text(turkish)


@needs_pdftotext
def test_a_hostile_value_is_printed_as_text_and_nothing_is_fetched(db):
    hostile = '<img src="file:///etc/passwd"><link rel="stylesheet" href="http://example.invalid/x.css">'

    text = pdf_text(letter("A", values={**VALUES, "institution": hostile}, institution=hostile))

    assert '<img src="file:///etc/passwd">' in text
    assert "root:" not in text


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///etc/fonts/../passwd",
        f"{(pdf.font_dir() / '..' / '..' / '..' / '..' / 'config' / 'settings.py').as_uri()}",
        f"{pdf.font_dir().as_uri()}/%2e%2e/%2e%2e/%2e%2e/%2e%2e/config/settings.py",
        f"{pdf.font_dir().as_uri()}/LICENSE",  # inside the folder, but not a font
        f"file://fileserver{pdf.font_dir() / 'DejaVuSans.ttf'}",
        "http://example.invalid/font.ttf",
        "https://example.invalid/font.ttf",
        "ftp://example.invalid/font.ttf",
    ],
)
def test_the_fetcher_refuses_everything_but_the_vendored_fonts(url):
    with pytest.raises(pdf.RefusedURL):
        pdf.resource_fetcher().fetch(url)


def test_the_fetcher_serves_the_vendored_fonts_and_data_uris():
    fetcher = pdf.resource_fetcher()

    font = fetcher.fetch((pdf.font_dir() / "DejaVuSans.ttf").as_uri())
    data = fetcher.fetch("data:image/svg+xml;base64,PHN2Zy8+")

    assert font.read(4) == b"\x00\x01\x00\x00"  # a TrueType file
    assert data.read() == b"<svg/>"


def _templates_with(extra: dict[str, str]):
    """The project's template settings with a few in-memory templates in front (they may extend pdf/base.html)."""
    return override_settings(
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "DIRS": [settings.BASE_DIR / "templates"],
                "OPTIONS": {
                    "loaders": [
                        ("django.template.loaders.locmem.Loader", extra),
                        "django.template.loaders.filesystem.Loader",
                    ]
                },
            }
        ]
    )


@pytest.mark.parametrize(
    "html",
    [
        '<img src="file:///etc/passwd">',
        '<img src="http://example.invalid/logo.png">',
        '<link rel="stylesheet" href="https://example.invalid/x.css">',
    ],
)
def test_a_template_that_reaches_outside_fails_instead_of_fetching(html):
    page = '{% extends "pdf/base.html" %}{% block content %}' + html + "{% endblock %}"

    with _templates_with({"pdf/outside.html": page}), pytest.raises(pdf.PdfError):
        pdf.render_pdf("pdf/outside.html", {})


@needs_pdftotext
def test_a_data_uri_image_renders_for_the_cover_sheet_to_come():
    svg = "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSIxMCIgaGVpZ2h0PSIxMCIvPg=="
    page = (
        '{% extends "pdf/base.html" %}{% block content %}'
        f'<p>Kargo ön yüzü</p><img src="data:image/svg+xml;base64,{svg}" alt="">'
        "{% endblock %}"
    )

    with _templates_with({"pdf/cover.html": page}):
        document = pdf.render_pdf("pdf/cover.html", {})

    assert "Kargo ön yüzü" in pdf_text(document)


def test_the_templates_render_without_a_weasyprint_warning(db, caplog):
    # Settings quiet the weasyprint logger to ERROR in production; here its warnings (bad CSS, unusable fonts) count.
    caplog.set_level(logging.WARNING, logger="weasyprint")

    letter("B", language="en")

    assert [record.getMessage() for record in caplog.records if record.name.startswith("weasyprint")] == []


def test_importing_the_module_does_not_import_weasyprint():
    # Importing WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process; a fresh interpreter shows
    # whether merely importing onboarding.pdf (as URL confs and views will) does that.
    code = (
        "import sys, django; django.setup(); import onboarding.pdf; from PIL import ImageFile; "
        "assert 'weasyprint' not in sys.modules, 'weasyprint imported'; "
        "assert not ImageFile.LOAD_TRUNCATED_IMAGES, 'LOAD_TRUNCATED_IMAGES set'"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"}

    result = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr


def test_the_page_footer_cannot_be_broken_out_of_by_a_translation():
    assert pdf._css_string('Sayfa "</style>\\ ş') == '"Sayfa \\000022 \\00003c /style\\00003e \\00005c  \\00015f "'
