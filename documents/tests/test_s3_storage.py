"""Applicants' files in an S3-compatible bucket, the production shape, against the server CI starts (moto).

Each test stores through the portal's own upload view and services into a bucket of its own, using the very storage
options production uses (config.settings.s3_private_storage). The bucket is the outside world here: nothing of ours
is mocked. Files reach the browser only through the portal's views; no URL of the bucket, signed or not, ever does.
"""

import hashlib
import os
import urllib.error
import urllib.request
import uuid

import pytest
from botocore.exceptions import ClientError
from django.core.files.storage import storages

from config.settings import s3_private_storage
from documents.models import Document, DocumentFile
from onboarding import services, workflow
from onboarding.tests.helpers import pdf_upload, submitted

pytestmark = pytest.mark.s3


@pytest.fixture
def bucket(settings, monkeypatch):
    """A fresh private bucket behind the "private" storage and the DocumentFile field; emptied and removed after."""
    name = f"portal-test-{uuid.uuid4().hex[:16]}"
    config = s3_private_storage(name)
    settings.STORAGES = {**settings.STORAGES, "default": config, "private": config}
    storage = storages["private"]
    # The field took its storage when the model was defined; point it at the bucket too.
    monkeypatch.setattr(DocumentFile._meta.get_field("file"), "storage", storage)
    client = storage.connection.meta.client
    region = storage.region_name
    if region and region != "us-east-1":
        client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
    else:
        client.create_bucket(Bucket=name)
    yield storage
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=name):
        for obj in page.get("Contents", []):
            client.delete_object(Bucket=name, Key=obj["Key"])
    client.delete_bucket(Bucket=name)


def object_key(storage, document_file: DocumentFile) -> str:
    return f"{storage.location}/{document_file.file.name}"


def object_exists(storage, key: str) -> bool:
    try:
        storage.connection.meta.client.head_object(Bucket=storage.bucket_name, Key=key)
    except ClientError as error:
        if error.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
            return False
        raise
    return True


def object_bytes(storage, key: str) -> bytes:
    return storage.connection.meta.client.get_object(Bucket=storage.bucket_name, Key=key)["Body"].read()


def anonymous_get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (the test's own local server)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def assert_no_bucket_address(storage, response, body: bytes) -> None:
    """Neither the headers nor the body name the bucket, its server or a signed URL."""
    endpoint = os.environ["AWS_S3_ENDPOINT_URL"].split("://", 1)[1].rstrip("/")
    leaks = ("X-Amz-", "x-amz-", "AWSAccessKeyId", "Signature=", storage.bucket_name, endpoint)
    assert "Location" not in response.headers
    for header, value in response.headers.items():
        for leak in leaks:
            assert leak not in header and leak not in value, (header, value)
    for leak in leaks:
        assert leak.encode() not in body, leak


def upload_url(application, requirement) -> str:
    return f"/belgeler/{application.reference}/{requirement.pk}/yukle/"


def test_an_upload_lands_in_the_bucket_and_only_its_owner_reads_it_back_through_the_portal(
    client, applicant, other_applicant, draft, requirement, bucket
):
    client.force_login(applicant)
    response = client.post(upload_url(draft, requirement), {"files": [pdf_upload("karar.pdf", pages=2)]})
    assert response.status_code == 302
    stored = DocumentFile.objects.get()
    key = object_key(bucket, stored)
    in_bucket = object_bytes(bucket, key)
    assert hashlib.sha256(in_bucket).hexdigest() == stored.sha256 and len(in_bucket) == stored.size

    download = client.get(f"/belgeler/dosya/{stored.pk}/")
    served = b"".join(download.streaming_content)
    page = client.get(f"/basvuru/{draft.reference}/belgeler/")
    client.force_login(other_applicant)
    refused = client.get(f"/belgeler/dosya/{stored.pk}/")

    assert download.status_code == 200
    assert download.headers["Content-Type"] == "application/pdf"
    assert served == in_bucket
    assert_no_bucket_address(bucket, download, b"")
    assert page.status_code == 200
    assert f"/belgeler/dosya/{stored.pk}/".encode() in page.content
    assert_no_bucket_address(bucket, page, page.content)
    assert refused.status_code == 404


def test_stored_objects_are_private_and_the_server_refuses_them_to_anonymous_requests(
    client, applicant, draft, requirement, bucket
):
    sent = []
    events = bucket.connection.meta.client.meta.events
    record_put = lambda params, **kwargs: sent.append(dict(params))  # noqa: E731
    events.register("provide-client-params.s3.PutObject", record_put)
    client.force_login(applicant)
    client.post(upload_url(draft, requirement), {"files": [pdf_upload()]})
    events.unregister("provide-client-params.s3.PutObject", record_put)
    key = object_key(bucket, DocumentFile.objects.get())
    s3 = bucket.connection.meta.client
    endpoint = os.environ["AWS_S3_ENDPOINT_URL"].rstrip("/")
    # A control object made public on purpose: the 403 below is the server enforcing the ACL, not a wrong address.
    s3.put_object(Bucket=bucket.bucket_name, Key="control/public.txt", Body=b"public", ACL="public-read")

    grants = s3.get_object_acl(Bucket=bucket.bucket_name, Key=key)["Grants"]

    # No ACL is named on upload (a bucket with ACLs disabled, AWS's default, refuses any), so the object is private.
    assert [params["Key"] for params in sent] == [key]
    assert "ACL" not in sent[0]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all(grant["Grantee"]["Type"] == "CanonicalUser" for grant in grants)
    assert anonymous_get(f"{endpoint}/{bucket.bucket_name}/{key}") == 403
    assert anonymous_get(f"{endpoint}/{bucket.bucket_name}/control/public.txt") == 200


def test_a_re_upload_after_changes_requested_keeps_the_rejected_versions_object(client, applicant, reviewer, bucket):
    application = submitted(applicant)
    live = list(Document.objects.filter(application=application, is_live=True).select_related("requirement"))
    rejected, approved = live[0], live[1:]
    workflow.reject_document(rejected, actor=reviewer, note="Mühür eksik.")
    for document in approved:
        workflow.approve_document(document, actor=reviewer)
    services.request_changes(application, actor=reviewer)
    old_file = rejected.files.get()
    old_key = object_key(bucket, old_file)

    client.force_login(applicant)
    response = client.post(
        upload_url(application, rejected.requirement), {"files": [pdf_upload("yeni.pdf", pages=3)]}
    )

    assert response.status_code == 302
    new_file = DocumentFile.objects.get(document__requirement=rejected.requirement, document__version=2)
    new_key = object_key(bucket, new_file)
    assert new_key != old_key
    assert hashlib.sha256(object_bytes(bucket, old_key)).hexdigest() == old_file.sha256
    assert hashlib.sha256(object_bytes(bucket, new_key)).hexdigest() == new_file.sha256
    client.force_login(reviewer)
    for document_file in (old_file, new_file):
        download = client.get(f"/belgeler/dosya/{document_file.pk}/")
        served = b"".join(download.streaming_content)
        assert download.status_code == 200
        assert hashlib.sha256(served).hexdigest() == document_file.sha256
        assert_no_bucket_address(bucket, download, b"")
    admin_page = client.get(f"/admin/onboarding/application/{application.pk}/change/")
    assert admin_page.status_code == 200
    assert f"/belgeler/dosya/{new_file.pk}/".encode() in admin_page.content
    assert_no_bucket_address(bucket, admin_page, admin_page.content)


def test_removing_a_file_deletes_its_object_only_after_the_commit(
    client, applicant, draft, requirement, bucket, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    client.post(upload_url(draft, requirement), {"files": [pdf_upload()]})
    stored = DocumentFile.objects.get()
    key = object_key(bucket, stored)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(f"/belgeler/dosya/{stored.pk}/sil/")
    still_there_before_commit = object_exists(bucket, key)
    for callback in callbacks:
        callback()

    assert response.status_code == 302
    assert not DocumentFile.objects.exists() and not Document.objects.exists()
    assert still_there_before_commit
    assert not object_exists(bucket, key)
