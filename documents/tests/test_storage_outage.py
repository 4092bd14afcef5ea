"""The file store down (an S3 endpoint that refuses connections): a clear message, nothing half-written, no 500."""

import pytest
from django.core.files.storage import storages

from config.settings import s3_private_storage
from documents.models import Document, DocumentFile
from documents.services import add_document_file
from onboarding.tests.helpers import pdf_upload
from outbox.tests.smtp_server import closed_port

pytestmark = pytest.mark.django_db


def take_the_store_down(settings, monkeypatch) -> None:
    """The production S3 storage, pointed at a local port where nothing answers."""
    config = s3_private_storage("portal-unreachable")
    config["OPTIONS"] |= {
        "endpoint_url": f"http://127.0.0.1:{closed_port()}",
        "region_name": "eu-central-1",
        "access_key": "test",
        "secret_key": "test",
    }
    settings.STORAGES = {**settings.STORAGES, "default": config, "private": config}
    monkeypatch.setattr(DocumentFile._meta.get_field("file"), "storage", storages["private"])


@pytest.fixture
def store_down(settings, monkeypatch):
    take_the_store_down(settings, monkeypatch)


def test_an_upload_while_the_store_is_down_says_to_try_again_and_leaves_nothing_behind(
    client, applicant, draft, requirement, store_down
):
    client.force_login(applicant)

    response = client.post(
        f"/belgeler/{draft.reference}/{requirement.pk}/yukle/",
        {"files": [pdf_upload()]},
        headers={"x-requested-with": "XMLHttpRequest"},
    )

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert "belge deposuna ulaşılamıyor" in error and "yeniden yükleyin" in error
    assert not DocumentFile.objects.exists()
    assert not Document.objects.exists()


def test_removing_a_file_while_the_store_is_down_removes_it_and_leaves_the_stored_bytes_for_later(
    client, applicant, draft, requirement, settings, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    stored = add_document_file(draft, requirement, uploaded=pdf_upload(), actor=applicant)
    client.force_login(applicant)

    # The store goes down after the upload.
    take_the_store_down(settings, monkeypatch)
    with caplog.at_level("WARNING"), django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/belgeler/dosya/{stored.pk}/sil/")

    assert response.status_code == 302
    assert not DocumentFile.objects.filter(pk=stored.pk).exists()
    assert "could not delete stored file" in caplog.text


def test_a_download_while_the_store_is_down_answers_503_with_advice_not_500(
    client, applicant, draft, requirement, settings, monkeypatch
):
    stored = add_document_file(draft, requirement, uploaded=pdf_upload(), actor=applicant)
    client.force_login(applicant)
    take_the_store_down(settings, monkeypatch)

    response = client.get(f"/belgeler/dosya/{stored.pk}/")

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    assert "belge deposuna ulaşılamıyor" in response.content.decode()
