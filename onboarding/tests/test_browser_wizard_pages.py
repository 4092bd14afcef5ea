"""The wizard's pages in Chromium: a file chosen and not uploaded is not lost on "Kaydet ve devam et"."""

import re

import pytest
from django.test import Client
from pypdf import PdfWriter

from documents.models import DocumentFile
from onboarding import services
from onboarding.tests.helpers import draft_with_answers

pytestmark = [pytest.mark.browser]


def _session_for(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.fixture
def page_as_applicant(browser, live_server, applicant):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": _session_for(applicant), "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def scanned_pdf(path) -> str:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with open(path, "wb") as handle:
        writer.write(handle)
    return str(path)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_file_chosen_and_not_uploaded_goes_with_continue(live_server, page_as_applicant, applicant, tmp_path):
    page = page_as_applicant
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    application = draft_with_answers(applicant)
    item = next(item for item in services.checklist(application) if item.is_required)

    page.goto(f"{live_server.url}/basvuru/{application.reference}/belgeler/")
    page.locator(f"#files-{item.requirement.pk}").set_input_files(scanned_pdf(tmp_path / "karar.pdf"))
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Kaydet ve devam et")).click()

    assert page.url.endswith(f"/basvuru/{application.reference}/onay/")
    stored = DocumentFile.objects.get(document__application=application)
    assert (stored.original_name, stored.document.requirement_id) == ("karar.pdf", item.requirement.pk)
    assert errors == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_bad_file_chosen_stops_the_step_with_its_reason(live_server, page_as_applicant, applicant, tmp_path):
    page = page_as_applicant
    application = draft_with_answers(applicant)
    item = next(item for item in services.checklist(application) if item.is_required)
    bad = tmp_path / "tarama.pdf"
    bad.write_bytes(b"not a pdf, only text")

    page.goto(f"{live_server.url}/basvuru/{application.reference}/belgeler/")
    page.locator(f"#files-{item.requirement.pk}").set_input_files(str(bad))
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Kaydet ve devam et")).click()

    assert page.url.endswith("/belgeler/")
    assert "bazıları yüklenemedi" in page.locator("#form-errors").inner_text()
    assert "tarama.pdf" in page.locator(f"#upload-status-{item.requirement.pk}").inner_text()
    assert not DocumentFile.objects.filter(document__application=application).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_upload_button_still_uploads_in_place(live_server, page_as_applicant, applicant, tmp_path):
    page = page_as_applicant
    application = draft_with_answers(applicant)
    item = next(item for item in services.checklist(application) if item.is_required)

    page.goto(f"{live_server.url}/basvuru/{application.reference}/belgeler/")
    box = page.locator(f"#belge-{item.requirement.pk}")
    box.locator("input[type=file]").set_input_files(scanned_pdf(tmp_path / "karar.pdf"))
    box.get_by_role("button", name="Yükle").click()
    page.locator(f"#belge-{item.requirement.pk} .file-row").first.wait_for()

    assert page.url.endswith("/belgeler/")  # in place, by the script
    assert DocumentFile.objects.filter(document__application=application).count() == 1
