"""The whole applicant journey in a real browser: Debian's Chromium driven by Playwright against a live server.

Registers, confirms the e-mail from the sent message, walks every step, uploads real files with the page's script,
downloads the pre-filled letter, submits and reads the status page.
"""

import io
import re

import pytest
from django.core import mail
from PIL import Image
from pypdf import PdfReader, PdfWriter

from onboarding.models import Application
from onboarding.services import missing_for_submission

pytestmark = [pytest.mark.browser]


@pytest.fixture
def browser_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def scanned_pdf(path, pages: int = 2) -> str:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    with open(path, "wb") as handle:
        writer.write(handle)
    return str(path)


def photo_jpeg(path) -> str:
    Image.new("RGB", (800, 600), (230, 230, 220)).save(path, "JPEG", quality=85)
    return str(path)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_applicant_goes_from_registration_to_a_submitted_application(
    live_server, browser_page, settings, tmp_path
):
    settings.SITE_URL = live_server.url
    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # 1. Register from the home page.
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Başvuruya başla").click()
    page.get_by_label("E-posta adresi").fill("muhtar@ornekkoy.test")
    page.get_by_label("Ad soyad").fill("Şükrü Işıkoğlu")
    page.get_by_label("Cep telefonu").fill("0532 123 45 67")
    page.locator("#id_password1").fill("Guvenli-Parola-2026")
    page.locator("#id_password2").fill("Guvenli-Parola-2026")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Kayıt")).click()

    # 2. Confirm the e-mail address with the link from the message.
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/dogrulama/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    if "/giris/" in page.url:  # a visitor whose session ended logs in first
        page.get_by_label("E-posta adresi").fill("muhtar@ornekkoy.test")
        page.get_by_label("Parola").fill("Guvenli-Parola-2026")
        with page.expect_navigation():
            page.get_by_role("button", name="Giriş yap").click()
        page.goto(live_server.url + "/basvuru/")

    # 3. The confirmation leads straight into the wizard: type, details, billing, corporate line, sender ID.
    page.get_by_text("E-posta adresiniz doğrulandı").wait_for()
    page.locator("label[for=type-headman_office]").click()
    page.get_by_role("button", name=re.compile("Kaydet ve devam et")).click()

    page.get_by_label("Unvan (tam ticari / resmi ad)").fill("Örnekköy Muhtarlığı")
    page.get_by_label("Vergi kimlik numarası").fill("4540536920")
    page.get_by_label("Vergi dairesi").fill("Iğdır")
    page.locator("#id_address").fill("Çarşı Mah. Şehit Cad. No: 5")
    page.locator("#id_province").select_option("76")
    page.locator("#id_district").fill("Merkez")
    page.get_by_label("Kurum telefonu").fill("0476 227 10 10")
    page.get_by_label("Kurum e-posta adresi").fill("muhtarlik@ornekkoy.test")
    page.get_by_label("Yetkilinin adı soyadı").fill("Şükrü Işıkoğlu")
    page.get_by_label("Yetkilinin unvanı / görevi").fill("Muhtar")
    page.get_by_label("Yetkilinin T.C. kimlik numarası").fill("10000000146")
    page.get_by_label("Yetkilinin cep telefonu").fill("0532 123 45 67")
    page.get_by_label("Karar tarihi").fill("2026-11-20")
    page.locator("input[name=condition_keeps_decision_book][value=yes]").check()
    page.get_by_role("button", name=re.compile("Kaydet ve devam et")).click()

    page.locator("label[for=billing-prepaid]").click()
    page.locator("#packages label").filter(has_text="10.000").click()
    page.get_by_role("button", name=re.compile("Kaydet ve devam et")).click()

    page.locator("input[name=has_corporate_line][value=no]").check()
    page.locator("input[name=plan][value=convert_personal]").check()
    page.get_by_role("button", name=re.compile("Kaydet ve devam et")).click()

    sender = page.get_by_label("SMS başlığı 1")
    sender.fill("ÖRNEKKÖY")
    page.locator("#id_sender_0-lint").filter(has_text="ORNEKKOY").wait_for()
    sender.fill("ORNEKKOY")
    page.get_by_label("1. başlık neyi temsil ediyor?").select_option(label="Kurumumuzun adı veya kısaltması")
    page.locator("input[name=sends_commercial][value=no]").check()
    page.get_by_role("button", name=re.compile("Kaydet ve devam et")).click()

    # 4. Documents: the letter PDF, then a real file for every required item, uploaded by the page's script.
    assert "/belgeler/" in page.url
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("yetki yazısını indirin")).first.click()
    letter_path = download_info.value.path()
    with open(letter_path, "rb") as handle:
        letter_bytes = handle.read()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(letter_bytes)).pages)
    assert "Örnekköy Muhtarlığı" in text
    assert "Şükrü Işıkoğlu" in text

    items = page.locator("[data-checklist-item]")
    for index in range(items.count()):
        item = items.nth(index)
        if "Zorunlu" not in item.locator(".badge").inner_text():
            continue
        upload = (
            scanned_pdf(tmp_path / f"belge-{index}.pdf")
            if index % 2 == 0
            else photo_jpeg(tmp_path / f"foto-{index}.jpg")
        )
        item.locator("input[type=file]").set_input_files(upload)
        item.get_by_role("button", name="Yükle").click()
        page.locator("[data-checklist-item]").nth(index).locator(".file-row").first.wait_for()
    page.get_by_role("button", name=re.compile("Kaydet ve devam et")).click()

    # 5. Review and submit: the KVKK notice is shown, the optional consent left unticked.
    assert not page.get_by_label(re.compile("Duyuru ve kampanya e-postaları")).is_checked()
    page.get_by_role("button", name="Başvuruyu gönder").click()

    application = Application.objects.get(applicant__email="muhtar@ornekkoy.test")
    page.get_by_text(application.reference).first.wait_for()
    assert application.status == "submitted"
    assert missing_for_submission(application) == []
    assert application.documents.filter(files__content_type="image/jpeg").exists()
    assert "Teknopark İstanbul" in page.content()
    assert application.condition_answers == {"keeps_decision_book": True, "sender_id_is_name": True}
    assert errors == []
