"""The wizard through the test client, as an applicant uses it: every step, resumability, validation, submit."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.models import Document
from onboarding import services
from onboarding.models import Application, ApplicationEvent, Consent, InstitutionType, Requirement, SenderIdBasis
from onboarding.tests.helpers import complete_draft, draft_with_answers, pdf_upload
from privacy.models import PrivacyText

DETAILS_POST = {
    "legal_name": "Şişli Belediyesi",
    "tax_number": "4540536920",
    "tax_office": "Şişli",
    "address": "Halaskargazi Cad. No: 1",
    "province": "34",
    "district": "Şişli",
    "phone": "0212 234 56 78",
    "email": "bilgi@sisli.test",
    "signatory_name": "Ömer Çağrı Işık",
    "signatory_title": "Belediye Başkanı",
    "signatory_tckn": "10000000146",
    "signatory_mobile": "0532 123 45 67",
}


def step(application: Application, slug: str) -> str:
    return f"/basvuru/{application.reference}/{slug}/"


@pytest.fixture
def logged_in(client, applicant):
    client.force_login(applicant)
    return client


def test_the_first_visit_creates_a_draft_and_opens_step_one(logged_in, applicant):
    response = logged_in.get("/basvuru/")

    application = Application.objects.get(applicant=applicant)
    assert application.status == "draft"
    assert response.status_code == 302
    assert response.headers["Location"] == step(application, "kurum-turu")


def test_an_anonymous_visitor_is_sent_to_log_in(client, db):
    response = client.get("/basvuru/")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/hesap/giris/")


def test_a_municipality_walks_every_step_and_submits(logged_in, applicant, django_capture_on_commit_callbacks):
    logged_in.get("/basvuru/")
    application = Application.objects.get(applicant=applicant)
    municipality = InstitutionType.objects.get(code="municipality")

    response = logged_in.post(step(application, "kurum-turu"), {"institution_type": municipality.pk})
    assert response.headers["Location"] == step(application, "kurum-bilgileri")

    response = logged_in.post(step(application, "kurum-bilgileri"), DETAILS_POST)
    assert response.headers["Location"] == step(application, "odeme")

    response = logged_in.post(
        step(application, "odeme"),
        {"billing_type": "invoiced", "expected_monthly_messages": "", "e_invoice_user": "no"},
    )
    assert response.headers["Location"] == step(application, "kurumsal-hat")

    response = logged_in.post(step(application, "kurumsal-hat"), {"has_corporate_line": "no", "plan": "new_line"})
    assert response.headers["Location"] == step(application, "sms-basligi")

    response = logged_in.post(
        step(application, "sms-basligi"),
        {
            "sender_0": "SISLI BLD",
            "basis_0": SenderIdBasis.objects.get(code="institution_name").pk,
            "sender_1": "",
            "sends_commercial": "no",
        },
    )
    assert response.headers["Location"] == step(application, "belgeler")

    page = logged_in.get(step(application, "belgeler")).content.decode()
    assert "Encümen Kararı" in page
    assert "Belediye mührü" in page  # the reviewer rule shown as a hint
    # The guide's documents, and the official letter for the sender ID that is the municipality's name.
    application.refresh_from_db()
    required = [item.requirement for item in services.checklist(application) if item.is_required]
    assert [r.document_kind.code for r in required if r.status == "conditional"] == ["sender_official_letter"]
    for requirement in required:
        response = logged_in.post(
            f"/belgeler/{application.reference}/{requirement.pk}/yukle/", {"files": [pdf_upload()]}
        )
        assert response.status_code == 302

    response = logged_in.post(step(application, "belgeler"))
    assert response.headers["Location"] == step(application, "onay")

    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in.post(step(application, "onay"), {})

    assert response.status_code == 302
    assert response.headers["Location"] == f"/basvuru/{application.reference}/"
    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.legal_name == "Şişli Belediyesi"
    assert application.phone == "+902122345678"
    assert application.signatory_mobile == "+905321234567"
    assert application.line_plan == "new_line"
    assert list(application.sender_ids.values_list("value", flat=True)) == ["SISLI BLD"]
    assert (
        ApplicationEvent.objects.filter(application=application, from_status="draft", to_status="submitted").count()
        == 1
    )
    # The notice shown is recorded; no consent was asked for, and none is recorded.
    assert list(Consent.objects.filter(application=application).values_list("kind", "text_version")) == [
        ("kvkk_notice", PrivacyText.objects.in_force("notice").version)
    ]
    assert len(mail.outbox) == 1
    assert application.reference in mail.outbox[0].body

    status_page = logged_in.get(f"/basvuru/{application.reference}/").content.decode()
    assert application.reference in status_page
    assert "Teknopark İstanbul" in status_page


def test_a_private_hospital_must_send_its_tax_plate_and_a_public_one_need_not(applicant):
    private = draft_with_answers(applicant, type_code="hospital", answers={"private_hospital": True})
    public = draft_with_answers(applicant, type_code="hospital", answers={"private_hospital": False})

    from onboarding.services import checklist

    private_labels = {item.requirement.label for item in checklist(private) if item.is_required}
    public_labels = {item.requirement.label for item in checklist(public)}
    assert "Vergi Levhası — özel hastaneler için" in private_labels
    assert "Vergi Levhası — özel hastaneler için" not in public_labels


def test_the_details_step_asks_the_condition_question_only_for_types_that_have_one(logged_in, applicant):
    hospital = draft_with_answers(applicant, type_code="hospital")
    municipality = draft_with_answers(applicant, type_code="municipality")

    assert "Kurumunuz özel hastane mi?" in logged_in.get(step(hospital, "kurum-bilgileri")).content.decode()
    assert "özel hastane" not in logged_in.get(step(municipality, "kurum-bilgileri")).content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("tax_number", "4540536921", "kontrol hane"),
        ("tax_number", "12345", "10 haneli"),
        ("tax_number", "٤٥٤٠٥٣٦٩٢٠", "Yalnızca 0-9"),
        ("tax_number", "17291716060", "yalnızca şahıs şirketleri"),
        ("signatory_tckn", "11111111110", ""),
        ("signatory_tckn", "17291716050", ""),
        ("signatory_mobile", "0212 234 56 78", "cep telefonu"),
        ("signatory_mobile", "0850 123 45 67", "cep telefonu"),
        ("legal_name", "Kötü\x00Ad", ""),
        ("legal_name", "x" * 251, ""),
        ("province", "82", ""),
        ("email", "not-an-email", ""),
    ],
)
def test_bad_details_are_refused_next_to_the_field_and_nothing_is_saved(logged_in, applicant, field, value, message):
    application = draft_with_answers(applicant)
    before = Application.objects.get(pk=application.pk)

    response = logged_in.post(step(application, "kurum-bilgileri"), {**DETAILS_POST, field: value})

    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    assert 'role="alert"' in response.content.decode()
    after = Application.objects.get(pk=application.pk)
    assert after.legal_name == before.legal_name and after.tax_number == before.tax_number


def test_full_width_digits_are_stored_as_ascii(logged_in, applicant):
    application = draft_with_answers(applicant)

    logged_in.post(step(application, "kurum-bilgileri"), {**DETAILS_POST, "tax_number": "４５４０５３６９２０"})

    application.refresh_from_db()
    assert application.tax_number == "4540536920"


def test_a_sole_proprietor_may_give_a_tckn_as_tax_number(logged_in, applicant):
    application = draft_with_answers(applicant, type_code="sole_proprietorship")

    logged_in.post(step(application, "kurum-bilgileri"), {**DETAILS_POST, "tax_number": "17291716060"})

    application.refresh_from_db()
    assert (application.tax_number, application.tax_number_kind) == ("17291716060", "tckn")


def test_turkish_letters_round_trip_exactly_and_are_escaped_when_shown(logged_in, applicant):
    application = draft_with_answers(applicant)
    decomposed = "I\u0307g\u0306dır <script>alert(1)</script> Şişli"

    logged_in.post(step(application, "kurum-bilgileri"), {**DETAILS_POST, "legal_name": decomposed})

    application.refresh_from_db()
    assert application.legal_name == "İğdır <script>alert(1)</script> Şişli"
    page = logged_in.get(step(application, "onay")).content.decode()
    assert "İğdır &lt;script&gt;alert(1)&lt;/script&gt; Şişli" in page
    assert "<script>alert(1)</script>" not in page


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("AB", "too_short"),
        ("ÇAĞRI", "turkish_characters"),
        ("12345", "no_letters"),
        ("INFO", "generic"),
        ("www.x.com", "url_or_domain"),
        ("A<B>", "invalid_characters"),
    ],
)
def test_bad_sender_ids_are_refused_with_their_rule(logged_in, applicant, value, code):
    application = draft_with_answers(applicant)

    response = logged_in.post(step(application, "sms-basligi"), {"sender_0": value})

    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["sender_0"]] == [code]
    assert list(application.sender_ids.values_list("value", flat=True)) == ["SISLIBLD"]


def test_the_sender_id_check_answers_as_typed(logged_in):
    response = logged_in.get("/basvuru/baslik-kontrol/", {"value": "ŞİŞLİ"})

    problems = response.json()["problems"]
    assert [p["code"] for p in problems] == ["turkish_characters"]
    assert "SISLI" in problems[0]["message"]


def test_prepaid_needs_a_package(logged_in, applicant):
    application = draft_with_answers(applicant)

    response = logged_in.post(step(application, "odeme"), {"billing_type": "prepaid"})

    assert "credit_package" in response.context["form"].errors


def test_the_billing_step_estimates_the_cost_of_a_monthly_volume(logged_in, applicant):
    application = draft_with_answers(applicant)

    logged_in.post(
        step(application, "odeme"),
        {"billing_type": "invoiced", "expected_monthly_messages": "10000", "e_invoice_user": "yes", "estimate": "1"},
    )
    page = logged_in.get(step(application, "odeme")).content.decode()

    # 10,000 × 0.45 TL on the placeholder tariff, and 10,000 × 2,000/5,000 TL on the 5,000 package.
    assert "4.500,00" in page
    assert "4.000,00" in page


def test_a_corporate_line_must_be_a_mobile_number(logged_in, applicant):
    application = draft_with_answers(applicant)

    response = logged_in.post(
        step(application, "kurumsal-hat"), {"has_corporate_line": "yes", "number": "02122345678"}
    )

    assert "number" in response.context["form"].errors


def test_steps_ahead_of_the_first_open_one_redirect_back(logged_in, applicant):
    logged_in.get("/basvuru/")
    application = Application.objects.get(applicant=applicant)

    response = logged_in.get(step(application, "odeme"))

    assert response.headers["Location"] == step(application, "kurum-turu")


def test_submit_is_refused_with_the_exact_list_of_what_is_missing(logged_in, applicant):
    application = draft_with_answers(applicant)

    response = logged_in.post(step(application, "onay"), {})

    assert response.status_code == 200
    missing = response.context["missing"]
    required = Requirement.objects.filter(institution_type__code="municipality", status="required")
    assert sorted(missing) == sorted(f"Belge eksik: {r.label}" for r in required)
    application.refresh_from_db()
    assert application.status == "draft"
    assert not Consent.objects.exists()
    assert not mail.outbox


def test_after_submission_the_wizard_is_read_only(logged_in, applicant):
    application = complete_draft(applicant)
    logged_in.post(step(application, "onay"), {})

    response = logged_in.post(step(application, "kurum-bilgileri"), {**DETAILS_POST, "legal_name": "Değişti"})

    assert response.headers["Location"] == f"/basvuru/{application.reference}/"
    application.refresh_from_db()
    assert application.legal_name != "Değişti"


def test_a_second_submit_does_not_submit_twice(logged_in, applicant, django_capture_on_commit_callbacks):
    application = complete_draft(applicant)
    data = {}

    with django_capture_on_commit_callbacks(execute=True):
        logged_in.post(step(application, "onay"), data)
        second = logged_in.post(step(application, "onay"), data)

    assert second.status_code == 302
    assert ApplicationEvent.objects.filter(application=application, to_status="submitted").count() == 1
    assert len(mail.outbox) == 1


def test_changing_the_type_drops_documents_of_the_old_checklist(logged_in, applicant):
    application = complete_draft(applicant, type_code="municipality")
    assert Document.objects.filter(application=application).exists()

    logged_in.post(
        step(application, "kurum-turu"), {"institution_type": InstitutionType.objects.get(code="school").pk}
    )

    assert not Document.objects.filter(application=application).exists()
    application.refresh_from_db()
    assert "details" not in application.completed_steps


@pytest.mark.parametrize(
    "slug", ["kurum-turu", "kurum-bilgileri", "odeme", "kurumsal-hat", "sms-basligi", "belgeler", "onay"]
)
def test_wizard_pages_use_a_constant_number_of_queries(logged_in, applicant, other_applicant, slug):
    application = complete_draft(applicant)
    with CaptureQueriesContext(connection) as few:
        assert logged_in.get(step(application, slug)).status_code == 200
    for _ in range(5):
        complete_draft(other_applicant)
        complete_draft(applicant)
    with CaptureQueriesContext(connection) as many:
        assert logged_in.get(step(application, slug)).status_code == 200

    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(few.captured_queries) <= 14


def test_the_letter_pdf_is_filled_from_the_details(logged_in, applicant):
    application = draft_with_answers(applicant, type_code="municipality")

    response = logged_in.get(f"/basvuru/{application.reference}/yetki-yazisi.pdf")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    import io

    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Şişli Belediyesi İmar ve Şehircilik Müdürlüğü adına" in text
    assert "Ömer Çağrı Işık" in text


def test_types_without_a_letter_have_no_letter_download(logged_in, applicant):
    application = draft_with_answers(applicant, type_code="company")

    assert logged_in.get(f"/basvuru/{application.reference}/yetki-yazisi.pdf").status_code == 404


def test_an_unconfirmed_e_mail_address_stops_submission(client, unconfirmed_applicant):
    application = complete_draft(unconfirmed_applicant)
    client.force_login(unconfirmed_applicant)

    response = client.post(step(application, "onay"), {})

    assert any("E-posta adresinizi doğrulayın" in line for line in response.context["missing"])
    application.refresh_from_db()
    assert application.status == "draft"


def test_the_wizard_speaks_english_on_request(logged_in, applicant):
    logged_in.post("/i18n/setlang/", {"language": "en", "next": "/"})
    application = draft_with_answers(applicant, type_code="hospital", answers={"private_hospital": True})

    details = logged_in.get(step(application, "kurum-bilgileri")).content.decode()
    documents = logged_in.get(step(application, "belgeler")).content.decode()
    response = logged_in.post(step(application, "kurum-bilgileri"), {**DETAILS_POST, "tax_number": "4540536921"})

    assert '<html lang="en">' in details
    assert "Is your institution a private hospital?" in details
    assert "Tax plate: private hospitals only" in documents
    assert "The SMS decision must bear the hospital&#x27;s stamp" in documents
    error = " ".join(response.context["form"].errors["tax_number"])
    assert error and "kontrol" not in error  # the checksum message is in English, not Turkish
