"""The applicant's side after submitting: cover sheet, cargo, changes requested, re-upload, resubmit, digest."""

import io
import shutil
import subprocess

import pytest
from django.core import mail
from pypdf import PdfReader

from documents.models import Document, DocumentFile, RejectionReason
from onboarding import services
from onboarding.models import Application, ApplicationEvent
from onboarding.tests.helpers import pdf_upload, submitted
from onboarding.workflow import approve_document, reject_document


@pytest.fixture
def logged_in(client, applicant):
    client.force_login(applicant)
    return client


def status_url(application: Application) -> str:
    return f"/basvuru/{application.reference}/"


def changes_requested(application: Application, reviewer, *, reject_label: str) -> Application:
    """Reject one document with a catalogue reason, approve the rest, and request changes."""
    reason = RejectionReason.objects.get(text="Mühür / kaşe eksik")
    for document in Document.objects.filter(application=application, is_live=True).select_related("requirement"):
        if document.requirement.label == reject_label:
            reject_document(document, actor=reviewer, reason=reason, note="Başkanın kaşesi görünmüyor.")
        else:
            approve_document(document, actor=reviewer)
    return services.request_changes(application, actor=reviewer)


def test_the_cover_sheet_names_the_reference_the_address_and_the_originals(logged_in, applicant):
    application = submitted(applicant)

    response = logged_in.get(f"/basvuru/{application.reference}/kapak-sayfasi.pdf")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert application.reference in text
    assert "Teknopark İstanbul Teknoloji Geliştirme Bölgesi" in text
    assert "Şişli Belediyesi İmar ve Şehircilik Müdürlüğü" in text
    assert "Encümen Kararı" in text and "Başkan olduğuna dair yetki belgesi" in text


@pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("zbarimg")), reason="needs poppler-utils and zbar-tools"
)
def test_the_cover_sheet_code_decodes_to_the_reference(logged_in, applicant, tmp_path):
    application = submitted(applicant)
    pdf = tmp_path / "kapak.pdf"
    pdf.write_bytes(logged_in.get(f"/basvuru/{application.reference}/kapak-sayfasi.pdf").content)

    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True
    )
    page = next(tmp_path.glob("page*.png"))
    decoded = subprocess.run(["zbarimg", "-q", "--raw", str(page)], capture_output=True, text=True, check=True)

    assert decoded.stdout.strip() == application.reference


def test_there_is_no_cover_sheet_before_submission(logged_in, applicant):
    application = services.start_application(applicant)

    assert logged_in.get(f"/basvuru/{application.reference}/kapak-sayfasi.pdf").status_code == 404


def test_the_applicant_records_the_cargo_tracking_number(logged_in, applicant):
    application = submitted(applicant)

    response = logged_in.post(
        f"/basvuru/{application.reference}/kargo/", {"company": "Yurtiçi Kargo", "tracking_number": " 1234 5678 90 "}
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.cargo_company, application.cargo_tracking_number) == ("Yurtiçi Kargo", "1234567890")
    assert application.cargo_recorded_at is not None


@pytest.mark.parametrize("tracking", ["12", "<script>", "٤٥٦٧٨٩٠١"])
def test_a_bad_tracking_number_is_refused_next_to_the_field(logged_in, applicant, tracking):
    application = submitted(applicant)

    response = logged_in.post(
        f"/basvuru/{application.reference}/kargo/", {"company": "Aras Kargo", "tracking_number": tracking}
    )

    assert response.status_code == 400
    assert "tracking-error" in response.content.decode()
    application.refresh_from_db()
    assert application.cargo_tracking_number == ""


def test_the_status_page_lists_each_rejection_with_its_reason_and_an_upload_for_that_item_only(
    logged_in, applicant, reviewer
):
    application = changes_requested(submitted(applicant), reviewer, reject_label="SMS yazı örneği")

    page = logged_in.get(status_url(application)).content.decode()

    assert "Mühür / kaşe eksik — Başkanın kaşesi görünmüyor." in page
    rejected = Document.objects.get(application=application, status="rejected")
    assert f"/belgeler/{application.reference}/{rejected.requirement_id}/yukle/" in page
    approved = Document.objects.filter(application=application, status="approved").first()
    assert f"/belgeler/{application.reference}/{approved.requirement_id}/yukle/" not in page


def test_request_changes_sends_one_e_mail_listing_every_rejected_item(
    applicant, reviewer, django_capture_on_commit_callbacks
):
    application = submitted(applicant)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        changes_requested(application, reviewer, reject_label="SMS yazı örneği")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "SMS yazı örneği: Mühür / kaşe eksik — Başkanın kaşesi görünmüyor." in message.body
    assert f"/basvuru/{application.reference}/" in message.body
    assert message.alternatives and "Mühür / kaşe eksik" in message.alternatives[0][0]


def test_re_uploading_a_rejected_item_creates_a_new_version_and_keeps_the_old(logged_in, applicant, reviewer):
    application = changes_requested(submitted(applicant), reviewer, reject_label="SMS yazı örneği")
    rejected = Document.objects.get(application=application, status="rejected")
    approved_before = list(
        Document.objects.filter(application=application, status="approved").values_list("pk", "status", "is_live")
    )

    response = logged_in.post(
        f"/belgeler/{application.reference}/{rejected.requirement_id}/yukle/",
        {"files": [pdf_upload("duzeltilmis.pdf")]},
    )

    assert response.status_code == 302
    versions = Document.objects.filter(application=application, requirement=rejected.requirement).order_by("version")
    assert [(d.version, d.status, d.is_live) for d in versions] == [(1, "rejected", False), (2, "uploaded", True)]
    assert versions[0].files.exists() and versions[0].rejection_reason is not None
    assert (
        list(
            Document.objects.filter(application=application, status="approved").values_list("pk", "status", "is_live")
        )
        == approved_before
    )


def test_an_approved_item_cannot_be_re_uploaded(logged_in, applicant, reviewer):
    application = changes_requested(submitted(applicant), reviewer, reject_label="SMS yazı örneği")
    approved = Document.objects.filter(application=application, status="approved").first()
    files_before = DocumentFile.objects.count()

    logged_in.post(f"/belgeler/{application.reference}/{approved.requirement_id}/yukle/", {"files": [pdf_upload()]})

    assert DocumentFile.objects.count() == files_before


def test_resubmit_is_refused_until_the_rejected_item_has_a_new_version(logged_in, applicant, reviewer):
    application = changes_requested(submitted(applicant), reviewer, reject_label="SMS yazı örneği")

    response = logged_in.post(f"/basvuru/{application.reference}/yeniden-gonder/")

    assert response.status_code == 400
    assert "Yeniden yüklenmeli: SMS yazı örneği" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "changes_requested"


def test_the_applicant_re_uploads_and_resubmits(logged_in, applicant, reviewer, django_capture_on_commit_callbacks):
    application = changes_requested(submitted(applicant), reviewer, reject_label="SMS yazı örneği")
    rejected = Document.objects.get(application=application, status="rejected")
    logged_in.post(f"/belgeler/{application.reference}/{rejected.requirement_id}/yukle/", {"files": [pdf_upload()]})

    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in.post(f"/basvuru/{application.reference}/yeniden-gonder/")

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted"
    assert list(ApplicationEvent.objects.filter(application=application).values_list("from_status", "to_status")) == [
        ("draft", "submitted"),
        ("submitted", "in_review"),
        ("in_review", "changes_requested"),
        ("changes_requested", "submitted"),
    ]


def test_another_applicant_gets_404_on_the_after_submission_urls(client, applicant, other_applicant):
    application = submitted(applicant)
    client.force_login(other_applicant)

    assert client.get(f"/basvuru/{application.reference}/kapak-sayfasi.pdf").status_code == 404
    assert (
        client.post(
            f"/basvuru/{application.reference}/kargo/", {"company": "x", "tracking_number": "1234567"}
        ).status_code
        == 404
    )
    assert client.post(f"/basvuru/{application.reference}/yeniden-gonder/").status_code == 404
