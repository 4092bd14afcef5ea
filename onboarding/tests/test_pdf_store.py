"""Generated PDFs are rendered once per content version, kept in private storage and served from there.

WeasyPrint's `HTML.write_pdf` is the one costly step; the tests count its calls (the real one runs every time it is
called) and read the served PDFs back with pdftotext. The race runs on PostgreSQL with real threads.
"""

import datetime
import uuid

import pytest
from django.core.files.storage import FileSystemStorage, storages
from django.utils import timezone

from conftest import run_at_once
from onboarding import pdf, pdf_store, services
from onboarding.models import LetterTemplate, RenderedPdf
from onboarding.tests.helpers import DETAILS, draft_with_answers, submitted
from onboarding.tests.test_pdf import needs_pdftotext, pdf_text

CONCURRENT_REQUESTS = 16


@pytest.fixture
def logged_in(client, applicant):
    client.force_login(applicant)
    return client


def letter_url(application) -> str:
    return f"/basvuru/{application.reference}/yetki-yazisi.pdf"


def rename(application, legal_name: str):
    return services.save_institution_details(
        application, details={**DETAILS, "legal_name": legal_name, "condition_answers": {}}
    )


def stored_files() -> list[str]:
    storage = RenderedPdf._meta.get_field("file").storage
    return [name for name in RenderedPdf.objects.values_list("file", flat=True) if storage.exists(name)]


# --- Once per content version -----------------------------------------------------------------------------------


def test_the_second_request_for_the_same_letter_is_served_from_storage_without_rendering(
    logged_in, applicant, pdf_renders
):
    application = draft_with_answers(applicant)

    first = logged_in.get(letter_url(application))
    second = logged_in.get(letter_url(application))

    assert len(pdf_renders) == 1
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert second.content.startswith(b"%PDF")
    for response in (first, second):  # what the view said before the PDFs were stored, said the same
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'attachment; filename="yetki-yazisi-{application.reference}.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
    [stored] = RenderedPdf.objects.all()
    assert stored.template == "pdf/letter.html"
    assert stored.size == len(first.content)
    assert stored.file.name == pdf_store.stored_name(stored.digest)
    with stored.file.open("rb") as file:
        assert file.read() == first.content


@needs_pdftotext
def test_a_new_legal_name_gives_a_new_letter_that_says_it(logged_in, applicant, pdf_renders):
    application = rename(draft_with_answers(applicant), "Kartepe Belediyesi")
    before = pdf_text(logged_in.get(letter_url(application)).content, page=1)

    rename(application, "Başiskele Belediyesi")
    after = logged_in.get(letter_url(application))
    again = logged_in.get(letter_url(application))

    assert len(pdf_renders) == 2
    assert before.startswith("Kartepe Belediyesi")
    assert pdf_text(after.content, page=1).startswith("Başiskele Belediyesi")
    assert "Kartepe" not in pdf_text(after.content)
    assert again.content == after.content
    assert RenderedPdf.objects.count() == 2  # the old version stays until the sweep: its file never changes
    assert len(stored_files()) == 2


@needs_pdftotext
def test_a_changed_letter_template_gives_a_new_letter_with_the_new_words(logged_in, applicant, pdf_renders):
    application = draft_with_answers(applicant)
    template = application.institution_type.letter_template
    logged_in.get(letter_url(application))

    body = template.body + "\n\nBu cümle şablona sonradan eklendi."
    LetterTemplate.objects.filter(pk=template.pk).update(body=body)
    official = pdf_text(logged_in.get(letter_url(application)).content, page=1)

    assert len(pdf_renders) == 2
    assert "Bu cümle şablona sonradan eklendi." in official


@needs_pdftotext
def test_the_english_letter_is_a_content_version_of_its_own(logged_in, applicant, pdf_renders):
    application = draft_with_answers(applicant)
    turkish = logged_in.get(letter_url(application)).content
    logged_in.cookies["django_language"] = "en"

    english = logged_in.get(letter_url(application), HTTP_ACCEPT_LANGUAGE="en").content
    english_again = logged_in.get(letter_url(application), HTTP_ACCEPT_LANGUAGE="en").content

    assert len(pdf_renders) == 2
    assert english == english_again != turkish
    assert "This page is for you" in pdf_text(english, page=2)
    assert "This page is for you" not in pdf_text(turkish, page=2)


def test_another_applicants_letter_is_still_a_404_once_stored(client, applicant, other_applicant, pdf_renders):
    application = draft_with_answers(applicant)
    client.force_login(applicant)
    assert client.get(letter_url(application)).status_code == 200

    client.force_login(other_applicant)
    response = client.get(letter_url(application))

    assert response.status_code == 404
    assert b"%PDF" not in response.content
    assert len(pdf_renders) == 1


def test_the_cover_sheet_and_the_contract_are_stored_too(logged_in, applicant, pdf_renders):
    application = submitted(applicant, type_code="company")
    urls = [f"/basvuru/{application.reference}/{name}.pdf" for name in ("sms-sozlesmesi", "kapak-sayfasi")]

    first, second = [[logged_in.get(url) for url in urls] for _ in range(2)]

    assert [response.status_code for response in first + second] == [200] * 4
    assert [response.content for response in first] == [response.content for response in second]
    assert len(pdf_renders) == 2
    templates = RenderedPdf.objects.order_by("template").values_list("template", flat=True)
    assert list(templates) == ["pdf/contract.html", "pdf/cover_sheet.html"]


def test_the_html_whose_digest_is_the_version_names_no_folder_of_this_machine(db):
    letter = LetterTemplate.objects.get(code="A")
    context = pdf.letter_context(letter, values={"institution": "Kartepe Belediyesi"}, institution_name="Kartepe")

    html = pdf.render_html("pdf/letter.html", context)

    # The fonts are named by placeholder until WeasyPrint gets the HTML: the same content has the same version
    # wherever the portal is installed (a release in a new folder does not render everything again).
    assert str(pdf.font_dir()) not in html
    assert all(placeholder in html for placeholder in pdf.FONT_PLACEHOLDERS.values())
    assert pdf.render_html("pdf/letter.html", context) == html


def test_the_admin_preview_renders_every_time_and_stores_nothing(client, superuser, pdf_renders):
    client.force_login(superuser)
    letter = LetterTemplate.objects.get(code="A")

    for _ in range(2):
        assert client.get(f"/admin/onboarding/lettertemplate/{letter.pk}/onizle/").status_code == 200

    assert len(pdf_renders) == 2
    assert not RenderedPdf.objects.exists()


# --- When the store fails ---------------------------------------------------------------------------------------


def test_a_store_that_cannot_save_still_gives_the_letter_and_a_later_request_stores_it(
    logged_in, applicant, pdf_renders, monkeypatch
):
    application = draft_with_answers(applicant)

    def refuse(self, name, content):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as store_down:
        store_down.setattr(FileSystemStorage, "_save", refuse)
        unstored = logged_in.get(letter_url(application))
    stored = logged_in.get(letter_url(application))
    warm = logged_in.get(letter_url(application))

    assert unstored.status_code == 200
    assert unstored.content.startswith(b"%PDF")
    assert stored.content == warm.content == unstored.content
    assert len(pdf_renders) == 2  # the one served unstored, the one stored
    assert RenderedPdf.objects.count() == 1


def test_a_stored_file_gone_missing_is_rendered_and_stored_again(logged_in, applicant, pdf_renders):
    application = draft_with_answers(applicant)
    first = logged_in.get(letter_url(application)).content
    row = RenderedPdf.objects.get()
    row.file.storage.delete(row.file.name)

    again = logged_in.get(letter_url(application))
    warm = logged_in.get(letter_url(application))

    assert again.status_code == 200
    assert again.content == warm.content == first
    assert len(pdf_renders) == 2
    [row] = RenderedPdf.objects.all()
    assert row.file.storage.exists(row.file.name)


@pytest.fixture
def bucket(settings, monkeypatch):
    """A fresh private bucket with production's options behind RenderedPdf's file field; emptied and removed after."""
    from config.settings import s3_private_storage

    name = f"portal-test-{uuid.uuid4().hex[:16]}"
    config = s3_private_storage(name)
    settings.STORAGES = {**settings.STORAGES, "default": config, "private": config}
    storage = storages["private"]
    monkeypatch.setattr(RenderedPdf._meta.get_field("file"), "storage", storage)
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


@pytest.mark.s3
def test_in_an_s3_bucket_the_letter_is_stored_privately_and_served_through_the_view(
    logged_in, applicant, pdf_renders, bucket
):
    application = draft_with_answers(applicant)

    first = logged_in.get(letter_url(application))
    second = logged_in.get(letter_url(application))

    assert len(pdf_renders) == 1
    assert second.content == first.content
    row = RenderedPdf.objects.get()
    key = f"{bucket.location}/{pdf_store.stored_name(row.digest)}"
    stored = bucket.connection.meta.client.get_object(Bucket=bucket.bucket_name, Key=key)
    assert stored["Body"].read() == first.content
    acl = bucket.connection.meta.client.get_object_acl(Bucket=bucket.bucket_name, Key=key)
    assert not [grant for grant in acl["Grants"] if "URI" in grant["Grantee"]]  # no AllUsers, no AuthenticatedUsers
    assert bucket.bucket_name not in str(second.headers)


# --- Forgetting what nobody downloads ---------------------------------------------------------------------------


def test_a_download_moves_the_last_served_time_forward_at_most_once_a_day(logged_in, applicant):
    application = draft_with_answers(applicant)
    logged_in.get(letter_url(application))
    now = timezone.now()

    RenderedPdf.objects.update(last_served_at=now - datetime.timedelta(hours=3))
    logged_in.get(letter_url(application))
    assert RenderedPdf.objects.get().last_served_at == now - datetime.timedelta(hours=3)

    RenderedPdf.objects.update(last_served_at=now - datetime.timedelta(days=2))
    logged_in.get(letter_url(application))
    assert RenderedPdf.objects.get().last_served_at >= now


def test_the_sweep_forgets_pdfs_unused_for_a_month_and_a_later_download_renders_again(
    logged_in, applicant, pdf_renders, django_capture_on_commit_callbacks
):
    old = draft_with_answers(applicant)
    recent = draft_with_answers(applicant, type_code="association")
    old_pdf = logged_in.get(letter_url(old)).content
    logged_in.get(letter_url(recent))
    now = timezone.now()
    RenderedPdf.objects.filter(pk=RenderedPdf.objects.order_by("pk").first().pk).update(
        last_served_at=now - pdf_store.UNUSED_FOR - datetime.timedelta(minutes=1)
    )
    [(forgotten_name, forgotten_digest)] = RenderedPdf.objects.order_by("pk").values_list("file", "digest")[:1]
    storage = RenderedPdf._meta.get_field("file").storage

    with django_capture_on_commit_callbacks(execute=True):
        assert pdf_store.forget_unused_pdfs(now=now) == 1
    assert pdf_store.forget_unused_pdfs(now=now) == 0

    assert not storage.exists(forgotten_name)
    assert not RenderedPdf.objects.filter(digest=forgotten_digest).exists()
    assert RenderedPdf.objects.count() == 1
    assert len(stored_files()) == 1
    again = logged_in.get(letter_url(old))
    assert again.content == old_pdf
    assert len(pdf_renders) == 3


# --- Many at once -----------------------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sixteen_requests_for_the_same_letter_at_once_render_it_once(applicant, pdf_renders):
    from django.test import Client

    application = draft_with_answers(applicant)
    tabs = []
    for _ in range(CONCURRENT_REQUESTS):
        tab = Client()
        tab.force_login(applicant)
        tabs.append(tab)

    def download(tab):
        return lambda: tab.get(letter_url(application))

    responses = run_at_once(*(download(tab) for tab in tabs))

    assert [getattr(response, "status_code", response) for response in responses] == [200] * CONCURRENT_REQUESTS
    assert len({response.content for response in responses}) == 1
    assert responses[0].content.startswith(b"%PDF")
    assert len(pdf_renders) == 1
    [row] = RenderedPdf.objects.all()
    assert row.size == len(responses[0].content)
