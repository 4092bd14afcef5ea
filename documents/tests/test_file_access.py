"""Who may download an applicant's stored file: its owner and staff allowed to view documents, and nobody else.

Being staff is not enough: finance and a staff account without `documents.view_document` get the same 404 as another
applicant, so nobody learns that the file exists. The anonymous visitor is sent to log in. In every refusal not a
byte of the file leaves the server.
"""

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections
from django.urls import reverse

from conftest import _user
from documents.models import DocumentFile
from onboarding.tests.helpers import submitted

ALLOWED = ["applicant", "reviewer"]  # the owner, and staff who review documents
REFUSED = ["finance", "staff_without_permissions", "other_applicant"]


@pytest.fixture
def staff_without_permissions(db):
    return _user("yetkisiz@portal.test", is_staff=True, full_name="Yetkisiz Personel")


@pytest.fixture
def stored(applicant) -> tuple[DocumentFile, bytes]:
    document_file = DocumentFile.objects.filter(document__application=submitted(applicant)).first()
    with document_file.file.open("rb") as handle:
        return document_file, handle.read()


def body(response) -> bytes:
    """Everything the response would send; a streamed file is closed afterwards, the test's connection kept open."""
    if not response.streaming:
        return response.content
    content = b"".join(response.streaming_content)
    # Closing a response signals the end of the request, which would close the database connection mid-test (the
    # test client avoids it the same way).
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    return content


# Inline (the reviewer's preview) and as an attachment: the same rule for both.
QUERIES = ["", "?indir=1"]


def download(client, document_file: DocumentFile, query: str):
    return client.get(reverse("documents:file-download", args=[document_file.pk]) + query)


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("role", ALLOWED)
def test_the_owner_and_a_reviewer_get_the_stored_bytes(request, client, stored, role, query):
    document_file, content = stored
    client.force_login(request.getfixturevalue(role))

    response = download(client, document_file, query)

    assert response.status_code == 200
    assert body(response) == content


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("role", REFUSED)
def test_finance_staff_without_the_permission_and_another_applicant_get_a_404_and_no_bytes(
    request, client, stored, role, query
):
    document_file, content = stored
    client.force_login(request.getfixturevalue(role))

    response = download(client, document_file, query)
    sent = body(response)

    assert response.status_code == 404
    assert content[:64] not in sent


@pytest.mark.parametrize("query", QUERIES)
def test_an_anonymous_visitor_is_sent_to_log_in_and_gets_no_bytes(client, stored, query):
    document_file, content = stored

    response = download(client, document_file, query)
    sent = body(response)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert content[:64] not in sent


def test_the_stored_file_is_a_real_pdf_so_a_leak_would_show(stored):
    _document_file, content = stored
    assert content.startswith(b"%PDF") and len(content) > 64
