"""The documents the portal produces (issue 10): each letter for every institution type that uses it, read back from
the PDF and the .docx; the end-user SMS contract and its version; the help text under every checklist item; the
admin's previews; the data migration that corrected the stored letters."""

import datetime
import importlib
import io
import logging
import re
import shutil
import subprocess

import pytest
from django.apps import apps
from django.conf import settings
from docx import Document as WordDocument
from pypdf import PdfReader

from onboarding import services
from onboarding.models import (
    Application,
    ContractTemplate,
    DocumentKind,
    InstitutionType,
    IssuedContract,
    LetterTemplate,
)
from onboarding.tests.helpers import draft_with_answers, submitted

PDFTOTEXT = shutil.which("pdftotext")
pytestmark = pytest.mark.skipif(
    PDFTOTEXT is None, reason="pdftotext is not installed (apt-get install poppler-utils)"
)

CHECKLIST_WORDS = ["kurumun mührü", "yetkilinin ıslak imzası"]

# institution type -> (legal name, signatory, the title the applicant types, answers); every type with a letter.
LETTER_CASES = {
    "municipality": ("Kartepe Belediyesi", "Mustafa Kocaman", "Belediye Başkanı"),
    "association": ("Çamlık Sitesi Yönetimi", "Ayşe Kaya", "Yönetim Kurulu Başkanı"),
    "hospital": ("Özel Şifa Hastanesi", "İsmail Güneş", "Yönetim Kurulu Başkanı"),
    "headman_office": ("Çağlayan Mahallesi Muhtarlığı", "Hüseyin Çelik", "Muhtar"),
    "chamber": ("Kocaeli Sanayi Odası", "Ayhan Zeytinoğlu", "Yönetim Kurulu Başkanı"),
    "political_party": ("Örnek Partisi Kocaeli İl Başkanlığı", "Gülşen Aydın", "İl Başkanı"),
    "school": ("Atatürk İlkokulu", "Zeynep Öztürk", "Okul Müdürü"),
}


def pdf_text(document: bytes, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    result = subprocess.run(
        [PDFTOTEXT, "-layout", "-enc", "UTF-8", *pages, "-", "-"], input=document, capture_output=True, check=True
    )
    return re.sub(r"\s+", " ", result.stdout.decode("utf-8")).strip()


def docx_text(content: bytes) -> str:
    document = WordDocument(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return re.sub(r"\s+", " ", " ".join(parts))


@pytest.fixture
def logged_in(client, applicant):
    client.force_login(applicant)
    return client


def application_of(applicant, type_code: str, *, legal_name: str, name: str, title: str) -> Application:
    application = draft_with_answers(applicant, type_code=type_code)
    Application.objects.filter(pk=application.pk).update(
        legal_name=legal_name, signatory_name=name, signatory_title=title, decision_date=datetime.date(2026, 3, 14)
    )
    return Application.objects.get(pk=application.pk)


def test_the_cases_cover_every_institution_type_that_has_a_letter(db):
    assert set(InstitutionType.objects.filter(letter_template__isnull=False).values_list("code", flat=True)) == set(
        LETTER_CASES
    )


@pytest.mark.parametrize("type_code", sorted(LETTER_CASES))
def test_each_letter_reads_correctly_for_each_institution_type_that_uses_it(logged_in, applicant, type_code):
    legal_name, name, title = LETTER_CASES[type_code]
    application = application_of(applicant, type_code, legal_name=legal_name, name=name, title=title)
    template = application.institution_type.letter_template

    response = logged_in.get(f"/basvuru/{application.reference}/yetki-yazisi.pdf")

    assert response.status_code == 200
    official, notes = pdf_text(response.content, page=1), pdf_text(response.content, page=2)
    assert official.startswith(legal_name)  # the institution's own heading
    assert f"{title} {name} yetkili kılınmıştır." in official  # the signatory the applicant named, by title
    signature = official.rsplit("Mühür / Kaşe", 1)[1]  # under the signature: the name and title, filled
    assert name in signature
    assert all(word in signature for word in title.split())
    assert "Konu : Toplu SMS" in official
    if template.kind == "decision":
        assert template.code in ("B", "C")
        assert " KARAR " in official
        assert "YETKİ YAZISI" not in official
        assert "Karar No : " in official
        assert "Karar Tarihi: 14.03.2026" in official
    else:
        assert " YETKİ YAZISI " in official
        assert "Sayı : " in official
        assert "Tarih: " in official
        assert "Asist Bilgi Teknolojileri ve Elektronik Haberleşme Ltd. Şti. Yetkililerine" in official
    for word in CHECKLIST_WORDS:  # the applicant's checklist is on the second page only
        assert word not in official
        assert word in notes
    assert "muhtarlığını" not in official.casefold()
    assert "Dekanımız" not in official
    assert "Bölüm başkanımız" not in official
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 2


def test_the_headman_decision_names_the_office_once(logged_in, applicant):
    application = application_of(
        applicant, "headman_office", legal_name="Çağlayan Mahallesi Muhtarlığı", name="Hüseyin Çelik", title="Muhtar"
    )

    official = pdf_text(logged_in.get(f"/basvuru/{application.reference}/yetki-yazisi.pdf").content, page=1)

    assert len(re.findall(r"Muhtarlığı(?!\w)", official)) == 1  # the heading; the body says "Muhtarlığımızca"
    assert "Muhtarlığımızca 14.03.2026 tarihinde imzalanan SMS sözleşmesi uyarınca" in official


def test_a_university_letter_names_its_dean(logged_in, applicant):
    application = application_of(
        applicant, "school", legal_name="Kocaeli Üniversitesi Mühendislik Fakültesi", name="Ali Veli", title="Dekan"
    )

    official = pdf_text(logged_in.get(f"/basvuru/{application.reference}/yetki-yazisi.pdf").content, page=1)

    assert "Kocaeli Üniversitesi Mühendislik Fakültesi olarak;" in official
    assert "yapılmasına Dekan Ali Veli yetkili kılınmıştır." in official


def test_a_board_decision_leaves_lines_for_the_members(logged_in, applicant):
    legal_name, name, title = LETTER_CASES["association"]
    application = application_of(applicant, "association", legal_name=legal_name, name=name, title=title)

    official = pdf_text(logged_in.get(f"/basvuru/{application.reference}/yetki-yazisi.pdf").content, page=1)

    assert official.count("Üye") == 2
    assert "14.03.2026 tarihinde, Cumartesi günü toplanarak" in official


@pytest.mark.parametrize("type_code", sorted(LETTER_CASES))
def test_the_letter_as_docx_holds_the_same_filled_text(logged_in, applicant, type_code):
    legal_name, name, title = LETTER_CASES[type_code]
    application = application_of(applicant, type_code, legal_name=legal_name, name=name, title=title)
    template = application.institution_type.letter_template

    response = logged_in.get(f"/basvuru/{application.reference}/yetki-yazisi.docx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    assert response["Content-Disposition"] == f'attachment; filename="yetki-yazisi-{application.reference}.docx"'
    text = docx_text(response.content)
    pdf_official = pdf_text(logged_in.get(f"/basvuru/{application.reference}/yetki-yazisi.pdf").content, page=1)
    body = re.sub(r"\s+", " ", template.render(application.letter_values))
    assert body in text
    assert body in pdf_official
    assert f"{title} {name} yetkili kılınmıştır." in text
    assert template.title in text
    assert name in text and title in text  # under the signature
    assert legal_name in text
    for word in CHECKLIST_WORDS:
        assert word not in text


def test_the_letters_are_only_the_applicants_own(client, applicant, other_applicant):
    application = draft_with_answers(applicant, type_code="school")
    client.force_login(other_applicant)

    assert client.get(f"/basvuru/{application.reference}/yetki-yazisi.docx").status_code == 404
    assert client.get(f"/basvuru/{application.reference}/sms-sozlesmesi.pdf").status_code == 404


def test_a_type_without_a_letter_has_no_docx(logged_in, applicant):
    application = draft_with_answers(applicant, type_code="company")

    assert logged_in.get(f"/basvuru/{application.reference}/yetki-yazisi.docx").status_code == 404


# --- The end-user SMS contract --------------------------------------------------------------------------------------


@pytest.mark.parametrize("type_code", ["sole_proprietorship", "company"])
def test_the_contract_is_offered_filled_and_its_version_recorded(logged_in, applicant, type_code):
    application = draft_with_answers(applicant, type_code=type_code)
    page = logged_in.get(f"/basvuru/{application.reference}/belgeler/").content.decode()
    assert f"/basvuru/{application.reference}/sms-sozlesmesi.pdf" in page

    response = logged_in.get(f"/basvuru/{application.reference}/sms-sozlesmesi.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert text.startswith("SON KULLANICI SMS SÖZLEŞMESİ Sözleşme sürümü 2026-1 (01.01.2026)")
    assert application.reference in text
    for value in [application.legal_name, "4540536920", "Şişli", "0212 234 56 78", "bilgi@sisli.test"]:
        assert value in text, value
    assert "Son Kullanıcıyı Belediye Başkanı Ömer Çağrı Işık temsil eder." in text
    assert "Asist Bilgi Teknolojileri ve Elektronik Haberleşme Ltd. Şti." in text
    assert "Şişli / İstanbul" in text  # the province by name, not its plate code
    pages = len(PdfReader(io.BytesIO(response.content)).pages)
    for number in range(1, pages + 1):  # the version on every page, since every page is signed
        assert "Sürüm 2026-1" in pdf_text(response.content, page=number)
    assert list(
        IssuedContract.objects.filter(application=application).values_list("contract__version", flat=True)
    ) == ["2026-1"]


def test_an_application_keeps_the_version_it_was_given(logged_in, applicant):
    application = draft_with_answers(applicant, type_code="company")
    logged_in.get(f"/basvuru/{application.reference}/sms-sozlesmesi.pdf")
    first = ContractTemplate.objects.get(version="2026-1")
    ContractTemplate.objects.create(
        version="2026-2",
        effective_from=first.effective_from + datetime.timedelta(days=1),
        body="MADDE 1\n\nYeni {institution}",
    )
    newcomer = draft_with_answers(applicant, type_code="company")

    again = pdf_text(logged_in.get(f"/basvuru/{application.reference}/sms-sozlesmesi.pdf").content)
    fresh = pdf_text(logged_in.get(f"/basvuru/{newcomer.reference}/sms-sozlesmesi.pdf").content)

    assert "Sözleşme sürümü 2026-1" in again
    assert "Sözleşme sürümü 2026-2" in fresh
    assert f"Yeni {newcomer.legal_name}" in fresh
    assert IssuedContract.objects.filter(application=application).count() == 1


def test_the_cover_sheet_lists_the_signed_contract_with_its_version(logged_in, applicant):
    application = submitted(applicant, type_code="company")
    logged_in.get(f"/basvuru/{application.reference}/sms-sozlesmesi.pdf")

    text = pdf_text(logged_in.get(f"/basvuru/{application.reference}/kapak-sayfasi.pdf").content)
    status = logged_in.get(f"/basvuru/{application.reference}/").content.decode()

    assert "Son Kullanıcı SMS sözleşmesi — imzalı, her sayfası kaşeli (sürüm 2026-1)" in text
    assert f"/basvuru/{application.reference}/sms-sozlesmesi.pdf" in status


def test_a_contract_text_with_an_unknown_blank_is_refused(db):
    from django.core.exceptions import ValidationError

    contract = ContractTemplate(version="x", effective_from=datetime.date(2026, 1, 1), body="MADDE 1 {iban}")

    with pytest.raises(ValidationError):
        contract.full_clean()


# --- Help text under every checklist item ---------------------------------------------------------------------------


def test_every_document_kind_says_what_it_is_in_both_languages(db):
    kinds = list(DocumentKind.objects.all())
    assert len(kinds) == 14  # the ten of the catalogue and the four sender-ID proofs
    for kind in kinds:
        assert len(kind.help_text) > 60, kind.code
        assert len(kind.help_text_en) > 60, kind.code
    assert "ivd.gib.gov.tr" in DocumentKind.objects.get(code="tax_plate").help_text
    assert "sirküleri" in DocumentKind.objects.get(code="signature_declaration").help_text
    assert "mazbata" in DocumentKind.objects.get(code="authority_certificate").help_text


@pytest.mark.parametrize("type_code", ["municipality", "company", "headman_office"])
def test_the_documents_step_and_the_status_page_show_each_kinds_help(logged_in, applicant, type_code):
    application = draft_with_answers(applicant, type_code=type_code)
    kinds = [item.requirement.document_kind for item in services.checklist(application)]

    step = logged_in.get(f"/basvuru/{application.reference}/belgeler/").content.decode()
    logged_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = logged_in.get(f"/basvuru/{application.reference}/belgeler/").content.decode()
    logged_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "tr"
    application = submitted(applicant, type_code=type_code)
    status = logged_in.get(f"/basvuru/{application.reference}/").content.decode()

    from django.utils.html import escape

    for kind in kinds:
        assert escape(kind.help_text) in step, kind.code
        assert escape(kind.help_text) in status, kind.code
    assert step.count("document-help") == len(kinds)
    assert escape(kinds[0].help_text_en) in english


# --- The admin: previews of the letters and the contract -----------------------------------------------------------


@pytest.mark.parametrize("code", ["A", "B", "C", "D"])
def test_the_admin_previews_each_letter_with_sample_values(client, superuser, code):
    client.force_login(superuser)
    letter = LetterTemplate.objects.get(code=code)

    listing = client.get("/admin/onboarding/lettertemplate/").content.decode()
    change = client.get(f"/admin/onboarding/lettertemplate/{letter.pk}/change/").content.decode()
    response = client.get(f"/admin/onboarding/lettertemplate/{letter.pk}/onizle/")

    preview_url = f"/admin/onboarding/lettertemplate/{letter.pk}/onizle/"
    assert preview_url in listing and preview_url in change
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    official = pdf_text(response.content, page=1)
    assert letter.title in official
    assert "yetkili kılınmıştır." in official
    assert "…………………" not in official.split(letter.title, 1)[1].split("yetkili")[0]  # the sample fills the blanks


def test_the_admin_previews_the_contract_and_freezes_a_version_once_handed_out(client, superuser, applicant):
    client.force_login(superuser)
    contract = ContractTemplate.objects.get(version="2026-1")

    response = client.get(f"/admin/onboarding/contracttemplate/{contract.pk}/onizle/")
    assert "Yıldız Gıda" in pdf_text(response.content)
    assert 'name="body"' in client.get(f"/admin/onboarding/contracttemplate/{contract.pk}/change/").content.decode()

    IssuedContract.objects.create(application=draft_with_answers(applicant, type_code="company"), contract=contract)

    assert (
        'name="body"' not in client.get(f"/admin/onboarding/contracttemplate/{contract.pk}/change/").content.decode()
    )


def test_the_preview_needs_the_admin(client, applicant):
    client.force_login(applicant)
    letter = LetterTemplate.objects.get(code="A")

    response = client.get(f"/admin/onboarding/lettertemplate/{letter.pk}/onizle/")

    assert response.status_code == 302
    assert "/login/" in response["Location"]


# --- The data migration ---------------------------------------------------------------------------------------------


def test_the_migration_corrects_the_guides_wording_and_keeps_staff_edits(db):
    migration = importlib.import_module("onboarding.migrations.0009_docs10_letters_contract_help")
    LetterTemplate.objects.filter(code="C").update(body=migration.GUIDE_BODIES["C"], title="YETKİ YAZISI")
    LetterTemplate.objects.filter(code="D").update(body="{institution} personelin kendi yazısı.")

    migration.update_documents(apps, None)

    c, d = LetterTemplate.objects.get(code="C"), LetterTemplate.objects.get(code="D")
    assert "muhtarlığını" not in c.body
    assert c.title == "KARAR"
    assert d.body == "{institution} personelin kendi yazısı."
    assert d.title == "YETKİ YAZISI"


def test_the_contract_and_every_letter_render_without_a_weasyprint_warning(db, caplog):
    from onboarding import contracts, pdf

    caplog.set_level(logging.WARNING, logger="weasyprint")
    sample = Application(legal_name="Yıldız Gıda Ltd. Şti.", province="34", district="Kadıköy", phone="+902163731000")

    pdf.contract_pdf(ContractTemplate.current(), values=contracts.contract_values(sample), reference="TS-AAAA-BBBB")
    for letter in LetterTemplate.objects.all():
        pdf.letter_pdf(letter, values={}, institution_name="", language="en")

    assert [record.getMessage() for record in caplog.records if record.name.startswith("weasyprint")] == []


@pytest.mark.parametrize(
    ("raw", "shown"),
    [("+902623731000", "0262 373 10 00"), ("+905321234567", "0532 123 45 67"), ("", ""), ("12", "12")],
)
def test_phone_numbers_on_the_contract_are_written_as_turks_write_them(raw, shown):
    from onboarding.turkish import format_phone

    assert format_phone(raw) == shown
