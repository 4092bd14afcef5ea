"""The English interface: every page rendered in English carries no Turkish interface text and no internal jargon,
dates are in one (day-first) order, and the cover sheet says which names stay Turkish and why."""

import datetime
import re
import subprocess
from html import unescape

import pytest
from django.conf import settings
from django.utils import formats, translation
from localflavor.tr.tr_provinces import PROVINCE_CHOICES

from config.tests.pages import PUBLIC, build_world
from onboarding.pdf import cover_sheet_pdf
from onboarding.services import checklist

TURKISH_LETTERS = re.compile(r"[çğıöşüÇĞİÖŞÜ]")
# Names that stay Turkish in English, as on every Turkish document: a tax (ÖİV, beside KDV) and company forms.
# Official names kept in Turkish inside English text: taxes, company forms, the law's article letters, agencies and
# systems, and the names of documents and menus a reader must find as written.
OFFICIAL_TERMS = [
    "ÖİV",
    "Ltd. Şti.",
    "A.Ş.",
    "5/2-ç",
    "İYS",
    "TÜRKPATENT",
    "Vergi Levhası Sorgulama / Yazdırma",
    "Vergi Levhası",
    "imza sirküleri",
]


def visible_text(html: str) -> str:
    """The page's text as a reader sees it, without what is marked Turkish on purpose (lang="tr")."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    html = re.sub(r'(?s)<(\w+)[^>]*\blang="tr"[^>]*>.*?</\1>', " ", html)
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", unescape(html))


def data_values(world, *people) -> list[str]:
    """What the institutions, people and settings wrote: names and addresses stay as they are in every language."""
    values = [
        settings.PORTAL_RESELLER_NAME,
        settings.PORTAL_CARGO_ADDRESS,
        *settings.PORTAL_DATA_CONTROLLER.values(),
        *settings.PORTAL_SELLER.values(),
        *(name for _code, name in PROVINCE_CHOICES),
    ]
    for application in (world.draft, world.under_review, world.account.application):
        values += [
            application.legal_name,
            application.address,
            application.district,
            application.tax_office,
            application.signatory_name,
            application.signatory_title,
        ]
    values += [person.get_full_name() for person in people]
    return sorted({value for value in values if value}, key=len, reverse=True)


def untranslated(text: str, values: list[str]) -> list[str]:
    for value in values:
        text = text.replace(value, " ")
    return sorted({word for word in re.findall(r"[\w.]+", text) if TURKISH_LETTERS.search(word)})


def test_english_dates_are_day_first_in_every_format():
    moment = datetime.datetime(2026, 12, 3, 19, 39)
    with translation.override("en"):
        shown = [formats.date_format(moment, name) for name in ("DATE_FORMAT", "SHORT_DATE_FORMAT")]
        shown += [formats.date_format(moment, name) for name in ("DATETIME_FORMAT", "SHORT_DATETIME_FORMAT")]
    assert shown == ["3 December 2026", "3 Dec 2026", "3 December 2026, 19:39", "3 Dec 2026, 19:39"]
    with translation.override("tr"):
        assert formats.date_format(moment, "DATE_FORMAT") == "03 Aralık 2026"


@pytest.mark.django_db
def test_every_english_page_is_in_english_with_one_date_order_and_no_jargon(
    client, applicant, reviewer, finance, superuser
):
    world = build_world(applicant, reviewer)
    values = [
        *data_values(world, applicant, reviewer, finance, superuser),
        "Türkçe",
        *OFFICIAL_TERMS,
    ]  # and the switcher's own name
    client.cookies["django_language"] = "en"
    problems = []
    for person, urls in [(None, PUBLIC), (applicant, world.applicant_pages()), (finance, world.finance_pages())]:
        if person:
            client.force_login(person)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            text = visible_text(response.content.decode())
            if words := untranslated(text, values):
                problems.append(f"{url}: Turkish {words}")
            if re.search(r"\btemplate [A-D]\b", text, re.IGNORECASE):
                problems.append(f"{url}: internal letter code")
            if re.search(r"\b\d{1,2}/\d{1,2}/\d{4}\b|\b[ap]\.m\.", text):
                problems.append(f"{url}: US date or time")
    assert problems == [], "\n".join(problems)


def _pdf_text(pdf: bytes) -> str:
    return " ".join(
        subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode().split()
    )


@pytest.mark.django_db
def test_the_english_cover_sheet_names_each_document_in_english_beside_its_turkish_official_name(applicant, reviewer):
    from onboarding.tests.helpers import submitted

    application = submitted(applicant)
    with translation.override("en"):
        english = _pdf_text(cover_sheet_pdf(application, items=checklist(application), language="en"))
    turkish = _pdf_text(cover_sheet_pdf(application, items=checklist(application), language="tr"))

    assert "These are Turkish official documents and are checked under their Turkish names" in english
    for item in checklist(application):
        if item.is_required:
            assert item.requirement.label_en in english
            assert item.requirement.label in english
    assert "Turkish official documents" not in turkish
    assert "template" not in english.lower()
