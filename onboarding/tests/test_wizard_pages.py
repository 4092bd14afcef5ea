"""The wizard and the application pages as issue 10 left them: chosen files never dropped, the corporate line later,
provinces by name in Turkish order, phone numbers as Turks write them, withdraw and delete, the sender-ID proof and
the İYS question."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import DocumentFile
from onboarding import services
from onboarding.tests.helpers import draft_with_answers, pdf_upload


@pytest.fixture
def logged_in(client, applicant):
    client.force_login(applicant)
    return client


def documents_url(application) -> str:
    return f"/basvuru/{application.reference}/belgeler/"


def first_required(application):
    return next(item for item in services.checklist(application) if item.is_required)


# --- 1. A chosen file is never silently dropped ---------------------------------------------------------------


def test_continue_uploads_a_file_chosen_but_never_uploaded(logged_in, applicant):
    application = draft_with_answers(applicant)
    item = first_required(application)

    response = logged_in.post(documents_url(application), {f"files-{item.requirement.pk}": pdf_upload("karar.pdf")})

    assert response.status_code == 302
    assert response.headers["Location"] == f"/basvuru/{application.reference}/onay/"
    stored = DocumentFile.objects.get(document__application=application)
    assert stored.original_name == "karar.pdf"
    assert stored.document.requirement_id == item.requirement.pk


def test_continue_with_a_bad_file_stays_on_the_step_with_the_reason_under_the_field(logged_in, applicant):
    application = draft_with_answers(applicant)
    item = first_required(application)
    fake = SimpleUploadedFile("karar.pdf", b"this is not a pdf at all", content_type="application/pdf")

    response = logged_in.post(documents_url(application), {f"files-{item.requirement.pk}": fake})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Seçtiğiniz dosyalardan bazıları yüklenemedi" in html
    block = html[html.index(f'id="belge-{item.requirement.pk}"') :]
    status = block[block.index(f'id="upload-status-{item.requirement.pk}"') :][:600]
    assert "karar.pdf:" in status
    assert 'aria-invalid="true"' in block[:4000]
    assert not DocumentFile.objects.filter(document__application=application).exists()


def test_the_upload_button_posts_the_steps_form_and_comes_back_to_the_item(logged_in, applicant):
    application = draft_with_answers(applicant)
    item = first_required(application)
    pk = item.requirement.pk

    response = logged_in.post(documents_url(application), {f"files-{pk}": pdf_upload(), "upload": str(pk)})

    assert response.status_code == 302
    assert response.headers["Location"] == f"{documents_url(application)}#belge-{pk}"
    assert DocumentFile.objects.filter(document__application=application).count() == 1


def test_the_upload_button_without_a_file_says_so(logged_in, applicant):
    application = draft_with_answers(applicant)
    pk = first_required(application).requirement.pk

    response = logged_in.post(documents_url(application), {"upload": str(pk)})

    assert response.status_code == 400
    assert "Lütfen yüklenecek bir dosya seçin." in response.content.decode()


def test_the_file_fields_belong_to_the_steps_multipart_form(logged_in, applicant):
    application = draft_with_answers(applicant)
    pk = first_required(application).requirement.pk

    html = logged_in.get(documents_url(application)).content.decode()

    assert '<form method="post" enctype="multipart/form-data" id="documents-step"' in html
    assert f'name="files-{pk}" id="files-{pk}" multiple form="documents-step"' in html
