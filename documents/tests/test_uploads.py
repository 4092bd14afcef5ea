"""Uploading, serving and removing documents through the views, with real good and bad files."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from conftest import PASSWORD
from documents.models import Document, DocumentFile
from documents.services import add_document_file
from onboarding.models import Requirement
from onboarding.services import checklist, submit_application
from onboarding.tests.helpers import draft_with_answers, pdf_upload, submitted, upload_required


def png_bytes(size=(40, 30), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(out, "JPEG", quality=90)
    return out.getvalue()


def pixel_bomb() -> bytes:
    """A 20000×20000 1-bit PNG: tiny on disk, 400 million pixels once decoded."""
    width = height = 20_000
    raw = (b"\x00" + b"\x00" * (width // 8)) * height

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("gizli")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def stored_files() -> set[Path]:
    return set(Path(settings.MEDIA_ROOT).rglob("*.*"))


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def url(draft, requirement) -> str:
    return f"/belgeler/{draft.reference}/{requirement.pk}/yukle/"


def test_a_pdf_upload_is_stored_privately_with_its_facts(client, applicant, draft, requirement):
    client.force_login(applicant)

    response = client.post(url(draft, requirement), {"files": [pdf_upload("Encümen Kararı.pdf", pages=3)]})

    assert response.status_code == 302
    stored = DocumentFile.objects.get()
    assert stored.original_name == "Encümen Kararı.pdf"
    assert stored.pages == 3
    assert stored.content_type == "application/pdf"
    assert len(stored.sha256) == 64
    assert stored.file.name.startswith(f"documents/{draft.pk}/") and "Encümen" not in stored.file.name
    assert stored.document.version == 1 and stored.document.is_live


def test_several_files_go_to_one_document(client, applicant, draft, requirement):
    client.force_login(applicant)

    client.post(url(draft, requirement), {"files": [pdf_upload("1.pdf"), upload("2.png", png_bytes(), "image/png")]})
    client.post(url(draft, requirement), {"files": [upload("3.jpg", jpeg_bytes(), "image/jpeg")]})

    assert Document.objects.count() == 1
    assert DocumentFile.objects.count() == 3


def test_the_upload_answers_json_to_the_page_script(client, applicant, draft, requirement):
    client.force_login(applicant)

    response = client.post(
        url(draft, requirement), {"files": [pdf_upload()]}, headers={"X-Requested-With": "XMLHttpRequest"}
    )

    data = response.json()
    assert data["added"] == 1 and data["errors"] == []
    assert "belge.pdf" in data["html"]


BAD_FILES = {
    "polyglot png+html is cleaned, not refused": None,
    "truncated jpeg": ("eksik.jpg", jpeg_bytes()[:200], "image/jpeg", "Görüntü dosyası bozuk"),
    "truncated pdf": ("eksik.pdf", pdf_upload().read()[:300], "application/pdf", "PDF dosyası bozuk"),
    "encrypted pdf": ("sifreli.pdf", encrypted_pdf(), "application/pdf", "Şifreli PDF"),
    "pixel bomb": ("bomba.png", pixel_bomb(), "image/png", "en fazla 120 megapiksel"),
    "svg": (
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "image/svg+xml",
        "Yalnızca PDF",
    ),
    "exe named pdf": ("fatura.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf", "Yalnızca PDF"),
    "empty": ("bos.pdf", b"", "application/pdf", "boş"),
}


@pytest.mark.parametrize("case", [k for k, v in BAD_FILES.items() if v])
def test_bad_files_are_refused_with_a_specific_message_and_nothing_is_written(
    client, applicant, draft, requirement, case
):
    name, content, content_type, message = BAD_FILES[case]
    client.force_login(applicant)
    files_before = stored_files()

    response = client.post(
        url(draft, requirement),
        {"files": [upload(name, content, content_type)]},
        headers={"X-Requested-With": "XMLHttpRequest"},
    )

    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"])
    assert not Document.objects.exists()
    assert not DocumentFile.objects.exists()
    assert stored_files() == files_before


def test_an_oversize_file_is_refused(client, applicant, draft, requirement, settings):
    settings.PORTAL_UPLOAD_MAX_BYTES = 1024
    client.force_login(applicant)

    response = client.post(
        url(draft, requirement),
        {"files": [pdf_upload(pages=40)]},
        headers={"X-Requested-With": "XMLHttpRequest"},
    )

    assert response.status_code == 400
    assert "çok büyük" in response.json()["errors"][0]
    assert not DocumentFile.objects.exists()


def test_a_png_with_html_appended_is_stored_without_the_payload(client, applicant, draft, requirement):
    client.force_login(applicant)

    client.post(
        url(draft, requirement), {"files": [upload("x.png", png_bytes() + b"<html><script>alert(1)</script>")]}
    )

    stored = DocumentFile.objects.get()
    with stored.file.open("rb") as handle:
        assert b"<script>" not in handle.read()


def test_a_hostile_filename_is_kept_only_as_safe_display_text(client, applicant, draft, requirement):
    client.force_login(applicant)

    client.post(url(draft, requirement), {"files": [pdf_upload('../../<script>alert(1)</script>"\x00.pdf')]})

    stored = DocumentFile.objects.get()
    assert "/" not in stored.original_name and "<" not in stored.original_name and "\x00" not in stored.original_name
    assert ".." not in stored.file.name


def test_the_owner_downloads_a_file_with_safe_headers(client, applicant, draft, requirement):
    client.force_login(applicant)
    client.post(url(draft, requirement), {"files": [pdf_upload("karar.pdf")]})
    stored = DocumentFile.objects.get()

    response = client.get(f"/belgeler/dosya/{stored.pk}/?indir=1")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "karar.pdf" in response.headers["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    response.close()


SANDBOX = "sandbox; default-src 'none'; style-src 'unsafe-inline'"


def fetch(client, user, stored, query: str = ""):
    client.force_login(user)
    response = client.get(f"/belgeler/dosya/{stored.pk}/{query}")
    response.close()
    assert response.status_code == 200
    return response.headers


@pytest.mark.parametrize("query", ["", "?indir=1", "?indir=0"])
def test_an_applicant_always_gets_a_sandboxed_attachment_never_an_inline_page(
    client, applicant, draft, requirement, query
):
    client.force_login(applicant)
    client.post(url(draft, requirement), {"files": [upload("tabela.png", png_bytes())]})
    stored = DocumentFile.objects.get()

    headers = fetch(client, applicant, stored, query)

    assert headers["Content-Disposition"].startswith("attachment;")
    assert headers["Content-Security-Policy"] == f"{SANDBOX}; frame-ancestors 'none'"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"] == "private, no-store"


def test_a_reviewer_previews_inline_in_a_sandbox_framed_only_by_our_pages(client, applicant, reviewer):
    application = submitted(applicant)
    stored = DocumentFile.objects.filter(document__application=application).first()

    headers = fetch(client, reviewer, stored)

    assert headers["Content-Disposition"].startswith("inline;")
    assert headers["Content-Security-Policy"] == f"{SANDBOX}; frame-ancestors 'self'"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"] == "private, no-store"


def test_a_reviewer_who_asks_to_download_gets_a_sandboxed_attachment(client, applicant, reviewer):
    application = submitted(applicant)
    stored = DocumentFile.objects.filter(document__application=application).first()

    headers = fetch(client, reviewer, stored, "?indir=1")

    assert headers["Content-Disposition"].startswith("attachment;")
    assert headers["Content-Security-Policy"] == f"{SANDBOX}; frame-ancestors 'none'"
    assert headers["Cache-Control"] == "private, no-store"


def script_pdf() -> bytes:
    """What the attack used: a PDF that runs JavaScript when it is opened."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def word_pdf() -> bytes:
    """What Word writes: an /OpenAction that only opens the first page fitted to the window."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    writer.root_object[NameObject("/OpenAction")] = ArrayObject([page.indirect_reference, NameObject("/Fit")])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_that_runs_javascript_is_refused_with_advice_and_nothing_is_stored(
    client, applicant, draft, requirement
):
    client.force_login(applicant)
    files_before = stored_files()

    response = client.post(
        url(draft, requirement),
        {"files": [upload("karar.pdf", script_pdf(), "application/pdf")]},
        headers={"X-Requested-With": "XMLHttpRequest"},
    )

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error.startswith("karar.pdf: Bu PDF çalıştırılabilir içerik")
    assert "“PDF olarak yazdır”" in error and "yeniden tarayıp yükleyin" in error
    assert not DocumentFile.objects.exists()
    assert stored_files() == files_before


def test_a_pdf_whose_open_action_only_shows_the_first_page_is_accepted(client, applicant, draft, requirement):
    client.force_login(applicant)

    response = client.post(
        url(draft, requirement),
        {"files": [upload("word.pdf", word_pdf(), "application/pdf")]},
        headers={"X-Requested-With": "XMLHttpRequest"},
    )

    assert response.json()["added"] == 1
    assert DocumentFile.objects.get().original_name == "word.pdf"


def test_a_50_megapixel_phone_photo_is_stored_at_archival_size(client, applicant, draft, requirement):
    photo = io.BytesIO()
    Image.new("RGB", (8160, 6120), (230, 225, 215)).save(photo, "JPEG", quality=90)
    client.force_login(applicant)

    response = client.post(
        url(draft, requirement),
        {"files": [upload("IMG_20261203.jpg", photo.getvalue(), "image/jpeg")]},
        headers={"X-Requested-With": "XMLHttpRequest"},
    )

    assert response.json()["added"] == 1
    stored = DocumentFile.objects.get()
    assert (stored.content_type, stored.pages) == ("image/jpeg", 1)
    with stored.file.open("rb") as handle, Image.open(handle) as img:
        assert img.size == (4000, 3000)


def test_removing_a_file_deletes_the_row_and_the_stored_bytes(
    client, applicant, draft, requirement, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    client.post(url(draft, requirement), {"files": [pdf_upload()]})
    stored = DocumentFile.objects.get()
    path = Path(stored.file.path)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/belgeler/dosya/{stored.pk}/sil/")

    assert response.status_code == 302
    assert not DocumentFile.objects.exists() and not Document.objects.exists()
    assert not path.exists()


def test_no_upload_or_removal_after_submission(client, applicant):
    application = submitted(applicant)
    requirement = Requirement.objects.filter(institution_type=application.institution_type).first()
    stored = DocumentFile.objects.filter(document__application=application).first()
    client.force_login(applicant)

    client.post(url(application, requirement), {"files": [pdf_upload()]})
    client.post(f"/belgeler/dosya/{stored.pk}/sil/")

    assert DocumentFile.objects.filter(pk=stored.pk).exists()
    assert (
        DocumentFile.objects.filter(document__application=application).count()
        == Document.objects.filter(application=application).count()
    )


def test_a_second_applicant_gets_404_on_every_url_with_an_object(
    client, applicant, other_applicant, draft, requirement
):
    client.force_login(applicant)
    client.post(url(draft, requirement), {"files": [pdf_upload()]})
    stored = DocumentFile.objects.get()
    client.force_login(other_applicant)

    for method, path in [
        ("get", f"/basvuru/{draft.reference}/"),
        ("get", f"/basvuru/{draft.reference}/kurum-turu/"),
        ("get", f"/basvuru/{draft.reference}/kurum-bilgileri/"),
        ("post", f"/basvuru/{draft.reference}/kurum-bilgileri/"),
        ("get", f"/basvuru/{draft.reference}/belgeler/"),
        ("post", f"/basvuru/{draft.reference}/onay/"),
        ("get", f"/basvuru/{draft.reference}/yetki-yazisi.pdf"),
        ("post", url(draft, requirement)),
        ("get", f"/belgeler/dosya/{stored.pk}/"),
        ("post", f"/belgeler/dosya/{stored.pk}/sil/"),
    ]:
        response = getattr(client, method)(path)
        assert response.status_code == 404, path
    assert DocumentFile.objects.filter(pk=stored.pk).exists()


def test_a_requirement_of_another_type_is_404(client, applicant, draft):
    other_type_requirement = Requirement.objects.exclude(institution_type=draft.institution_type).first()
    client.force_login(applicant)

    response = client.post(url(draft, other_type_requirement), {"files": [pdf_upload()]})

    assert response.status_code == 404


def share_of(png: bytes, colour: tuple[int, int, int]) -> float:
    """How much of a screenshot is (nearly) the given colour."""
    img = Image.open(io.BytesIO(png)).convert("RGB").resize((100, 100))
    close = [all(abs(a - b) < 40 for a, b in zip(pixel, colour, strict=True)) for pixel in img.get_flattened_data()]
    return sum(close) / len(close)


@pytest.mark.browser
@pytest.mark.postgres  # parallel preview requests: see test_browser_review.py
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_reviewer_sees_a_sandboxed_pdf_and_image_rendered_in_the_review_page(
    live_server, browser, applicant, reviewer, settings
):
    """The sandbox must not cost the reviewer the preview: Chromium's PDF viewer renders the framed PDF under it."""
    settings.SITE_URL = live_server.url
    red_pdf, blue_png = io.BytesIO(), io.BytesIO()
    Image.new("RGB", (595, 842), (220, 0, 0)).save(red_pdf, "PDF")
    Image.new("RGB", (400, 300), (0, 0, 220)).save(blue_png, "PNG")
    application = draft_with_answers(applicant)
    first, second = [item.requirement for item in checklist(application) if item.is_required][:2]
    add_document_file(application, first, uploaded=upload("kirmizi.pdf", red_pdf.getvalue()), actor=applicant)
    add_document_file(application, second, uploaded=upload("mavi.png", blue_png.getvalue()), actor=applicant)
    application = upload_required(application, applicant)
    submit_application(application, actor=applicant)

    page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", reviewer.email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("input[type=submit]").press("Enter")
    page.goto(live_server.url + f"/admin/onboarding/application/{application.pk}/change/")

    frame = page.locator("iframe[title$='kirmizi.pdf']")
    frame.scroll_into_view_if_needed()
    image = page.locator("img[alt$='mavi.png']")
    image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth === 400", arg=image.element_handle())
    assert share_of(image.screenshot(), (0, 0, 220)) > 0.9
    frame.scroll_into_view_if_needed()
    for _ in range(20):  # the PDF viewer draws the page a moment after the frame loads
        if share_of(frame.screenshot(), (220, 0, 0)) > 0.2:
            break
        page.wait_for_timeout(250)
    assert share_of(frame.screenshot(), (220, 0, 0)) > 0.2
    assert errors == []
