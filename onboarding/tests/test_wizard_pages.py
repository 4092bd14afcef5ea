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


# --- 2. The corporate line: warn for another operator's range; give the number later -----------------------------


def line_url(application) -> str:
    return f"/basvuru/{application.reference}/kurumsal-hat/"


def test_a_vodafone_range_number_is_accepted_with_a_warning(logged_in, applicant):
    application = draft_with_answers(applicant)

    response = logged_in.post(
        line_url(application), {"has_corporate_line": "yes", "number": "0542 123 45 67"}, follow=True
    )

    application.refresh_from_db()
    assert application.corporate_line_number == "+905421234567"
    page = response.content.decode()
    assert "0542 123 45 67 numarası ilk olarak Vodafone operatörüne ayrılmış bir aralıkta" in page
    # The line step and the review page keep saying so.
    assert "Vodafone operatörüne" in logged_in.get(line_url(application)).content.decode()
    assert "Vodafone operatörüne" in logged_in.get(f"/basvuru/{application.reference}/onay/").content.decode()


@pytest.mark.parametrize("number", ["0532 123 45 67", "0539 765 43 21"])
def test_a_turkcell_range_number_gets_no_warning(logged_in, applicant, number):
    application = draft_with_answers(applicant)

    response = logged_in.post(line_url(application), {"has_corporate_line": "yes", "number": number}, follow=True)

    assert "operatörüne ayrılmış" not in response.content.decode()
    assert "operatörüne ayrılmış" not in logged_in.get(line_url(application)).content.decode()


def test_the_range_operator_comes_from_phonenumbers_carrier_data():
    from onboarding.turkish import other_operator, range_operator

    assert range_operator("+905321234567") == "Turkcell"
    assert range_operator("+905051234567") == "Türk Telekom"
    assert other_operator("+905321234567") == ""
    assert other_operator("+905441234567") == "Vodafone"
    assert other_operator("") == ""


@pytest.mark.parametrize("status", ["submitted", "in_review", "changes_requested", "awaiting_originals", "approved"])
def test_not_yet_can_give_the_number_from_the_status_page_in_every_state_until_active(logged_in, applicant, status):
    from onboarding.models import Application
    from onboarding.tests.helpers import submitted

    application = submitted(applicant)
    # The helper's applicant gave a number in the wizard; this one answered "not yet".
    Application.objects.filter(pk=application.pk).update(
        has_corporate_line=False, corporate_line_number="", line_plan="new_line", status=status
    )

    listing = logged_in.get("/basvuru/").content.decode()
    assert f'href="/basvuru/{application.reference}/#kurumsal-hat">Kurumsal hat numaranızı bildirin' in listing
    page = logged_in.get(f"/basvuru/{application.reference}/").content.decode()
    assert f'href="/basvuru/{application.reference}/#kurumsal-hat"' in page  # "Sizden beklenenler" asks for it
    assert f'action="/basvuru/{application.reference}/hat-numarasi/"' in page

    response = logged_in.post(f"/basvuru/{application.reference}/hat-numarasi/", {"number": "0555 111 22 33"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.corporate_line_number == "+905551112233"
    assert not application.awaits_corporate_line
    followed = logged_in.get(f"/basvuru/{application.reference}/").content.decode()
    assert "Türk Telekom operatörüne ayrılmış" in followed
    assert "Kurumsal hat numaranızı bildirin" not in logged_in.get("/basvuru/").content.decode()


# --- 3. Provinces by name, in Turkish order; phone numbers as Turks write them ------------------------------------


def test_provinces_are_offered_by_name_in_turkish_alphabetical_order(logged_in, applicant):
    from onboarding.turkish import PROVINCES

    names = [name for _code, name in PROVINCES]
    assert names.index("Isparta") + 1 == names.index("İstanbul")
    assert names.index("Iğdır") < names.index("Isparta")
    assert names.index("Mardin") < names.index("Mersin") < names.index("Muğla")
    assert names.index("Sivas") < names.index("Şanlıurfa") < names.index("Şırnak") < names.index("Tekirdağ")
    assert names.index("Bursa") < names.index("Çanakkale") < names.index("Denizli")
    assert names.index("Kırşehir") < names.index("Kilis") < names.index("Kocaeli")
    assert names[0] == "Adana" and names[-1] == "Zonguldak" and len(names) == 81

    application = draft_with_answers(applicant)
    html = logged_in.get(f"/basvuru/{application.reference}/kurum-bilgileri/").content.decode()
    options = html[html.index('name="province"') :]
    assert options.index(">Isparta<") < options.index(">İstanbul<") < options.index(">Mersin<")


def test_the_collation_key_handles_dotted_and_dotless_capitals():
    from onboarding.turkish import sorted_turkish

    assert sorted_turkish(["İzmir", "ılık", "Irmak", "ilçe", "Zeytin", "çay", "Çorum", "cam"]) == [
        "cam",
        "çay",
        "Çorum",
        "ılık",
        "Irmak",
        "ilçe",
        "İzmir",
        "Zeytin",
    ]


def test_the_review_page_shows_the_province_name_and_numbers_as_turks_write_them(logged_in, applicant):
    from onboarding.models import Application

    application = draft_with_answers(applicant)
    Application.objects.filter(pk=application.pk).update(
        province="41", district="Kartepe", phone="+902623731000", signatory_mobile="+905321234567"
    )

    html = logged_in.get(f"/basvuru/{application.reference}/onay/").content.decode()

    assert "Kartepe / Kocaeli" in html
    assert "Kartepe / 41" not in html
    assert "0262 373 10 00" in html and "+902623731000" not in html
    assert "0532 123 45 67" in html and "+905321234567" not in html


def test_the_details_step_shows_stored_numbers_as_typed(logged_in, applicant):
    from onboarding.models import Application

    application = draft_with_answers(applicant)
    Application.objects.filter(pk=application.pk).update(phone="+902623731000")

    html = logged_in.get(f"/basvuru/{application.reference}/kurum-bilgileri/").content.decode()

    assert 'value="0262 373 10 00"' in html


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+902623731000", "0262 373 10 00"),
        ("+905321234567", "0532 123 45 67"),
        ("+908502221234", "0850 222 12 34"),
        ("+442071234567", "+442071234567"),
        ("", ""),
        ("yok", "yok"),
    ],
)
def test_the_phone_filter(stored, shown):
    from django.template import Context, Template

    assert Template("{% load turkish %}{{ n|phone_tr }}").render(Context({"n": stored})) == shown


def test_the_cover_sheet_names_the_province(applicant):
    import io

    from pypdf import PdfReader

    from onboarding.models import Application
    from onboarding.pdf import cover_sheet_pdf
    from onboarding.tests.helpers import submitted

    application = submitted(applicant)
    Application.objects.filter(pk=application.pk).update(province="41", district="Kartepe", phone="+902623731000")
    application.refresh_from_db()

    pdf = cover_sheet_pdf(application, items=services.checklist(application))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)

    assert "Kartepe / Kocaeli" in text
    assert "0262 373 10 00" in text


# --- 4. Withdraw and delete; login lands on Başvurularım ----------------------------------------------------------


def test_an_applicant_deletes_a_draft_after_confirming(logged_in, applicant, django_capture_on_commit_callbacks):
    from onboarding.models import Application
    from onboarding.tests.helpers import complete_draft

    application = complete_draft(applicant)
    names = list(DocumentFile.objects.filter(document__application=application).values_list("file", flat=True))
    storage = DocumentFile._meta.get_field("file").storage
    assert names and all(storage.exists(name) for name in names)
    url = f"/basvuru/{application.reference}/sil/"

    confirm = logged_in.get(url)
    assert confirm.status_code == 200
    assert "bu işlem geri alınamaz" in confirm.content.decode()
    assert Application.objects.filter(pk=application.pk).exists()  # asking deletes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in.post(url)

    assert response.headers["Location"] == "/basvuru/?liste=1"
    assert not Application.objects.filter(pk=application.pk).exists()
    assert not any(storage.exists(name) for name in names)
    listing = logged_in.get(response.headers["Location"])
    assert listing.status_code == 200  # the empty list, not a fresh draft
    assert "numaralı taslak silindi" in listing.content.decode()
    assert not Application.objects.filter(applicant=applicant).exists()


def test_the_wizard_and_the_list_offer_to_delete_a_draft(logged_in, applicant):
    application = draft_with_answers(applicant)
    services.start_application(applicant)
    delete = f'href="/basvuru/{application.reference}/sil/"'

    assert delete in logged_in.get(f"/basvuru/{application.reference}/kurum-turu/").content.decode()
    assert delete in logged_in.get("/basvuru/").content.decode()


def test_a_submitted_application_cannot_be_deleted_and_others_drafts_are_404(logged_in, applicant, other_applicant):
    from onboarding.models import Application
    from onboarding.tests.helpers import submitted

    mine = submitted(applicant)
    theirs = draft_with_answers(other_applicant)

    assert logged_in.post(f"/basvuru/{mine.reference}/sil/").status_code == 302
    assert Application.objects.get(pk=mine.pk).status == "submitted"
    assert logged_in.get(f"/basvuru/{theirs.reference}/sil/").status_code == 404
    assert logged_in.post(f"/basvuru/{theirs.reference}/sil/").status_code == 404
    assert logged_in.post(f"/basvuru/{theirs.reference}/geri-cek/").status_code == 404
    assert Application.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("status", ["submitted", "changes_requested"])
def test_an_applicant_withdraws_a_submitted_application_and_staff_see_the_event(
    client, logged_in, applicant, reviewer, status, django_capture_on_commit_callbacks
):
    from django.core import mail

    from onboarding.models import Application, ApplicationEvent
    from onboarding.tests.helpers import submitted

    application = submitted(applicant)
    Application.objects.filter(pk=application.pk).update(status=status)
    mail.outbox.clear()
    url = f"/basvuru/{application.reference}/geri-cek/"
    assert url in logged_in.get(f"/basvuru/{application.reference}/").content.decode()
    assert url in logged_in.get("/basvuru/").content.decode()

    confirm = logged_in.get(url)
    assert "yeniden açılamaz" in confirm.content.decode()
    assert Application.objects.get(pk=application.pk).status == status
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in.post(url, {"reason": "Başka bir firmayla anlaştık."})

    assert response.headers["Location"] == f"/basvuru/{application.reference}/"
    application.refresh_from_db()
    assert application.status == "withdrawn"
    event = ApplicationEvent.objects.get(application=application, to_status="withdrawn")
    assert (event.actor, event.from_status, event.reason) == (applicant, status, "Başka bir firmayla anlaştık.")
    [message] = mail.outbox
    assert message.subject == f"Başvurunuzu geri çektiniz: {application.reference}"
    assert "isteğiniz üzerine geri çektik" in message.body
    assert "Başka bir firmayla anlaştık." in message.body

    client.force_login(reviewer)
    admin_page = client.get(f"/admin/onboarding/application/{application.pk}/change/").content.decode()
    assert "Başka bir firmayla anlaştık." in admin_page


def test_withdrawal_is_refused_once_review_has_decided(logged_in, applicant):
    from onboarding.models import Application
    from onboarding.tests.helpers import submitted

    application = submitted(applicant)
    Application.objects.filter(pk=application.pk).update(status="awaiting_originals")

    response = logged_in.post(f"/basvuru/{application.reference}/geri-cek/", {"reason": "x"})

    assert response.status_code == 302
    assert Application.objects.get(pk=application.pk).status == "awaiting_originals"
    assert "/geri-cek/" not in logged_in.get(f"/basvuru/{application.reference}/").content.decode()


def test_login_lands_on_my_applications(client, applicant, reviewer):
    from conftest import PASSWORD
    from onboarding.tests.helpers import submitted

    application = submitted(applicant)
    response = client.post("/hesap/giris/", {"username": applicant.email, "password": PASSWORD}, follow=True)

    assert response.redirect_chain[0][0] == "/basvuru/"
    page = response.content.decode()
    assert "Başvurularım" in page and application.reference in page and "Gönderildi" in page

    client.logout()
    response = client.post("/hesap/giris/", {"username": reviewer.email, "password": PASSWORD})
    assert client.get(response.headers["Location"]).headers["Location"] == "/admin/"


# --- 5. The resubmission e-mail says what happened ----------------------------------------------------------------


@pytest.mark.parametrize("language", ["tr", "en"])
def test_the_resubmission_email_has_its_own_subject_and_lists_the_corrected_documents(
    logged_in, applicant, reviewer, language, django_capture_on_commit_callbacks
):
    from django.core import mail

    from documents.models import Document
    from onboarding.tests.helpers import submitted
    from onboarding.tests.test_after_submission import changes_requested

    applicant.language = language
    applicant.save(update_fields=["language"])
    application = changes_requested(submitted(applicant), reviewer, reject_label="SMS yazı örneği")
    rejected = Document.objects.get(application=application, status="rejected")
    logged_in.post(f"/belgeler/{application.reference}/{rejected.requirement_id}/yukle/", {"files": [pdf_upload()]})
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        logged_in.post(f"/basvuru/{application.reference}/yeniden-gonder/")

    [message] = mail.outbox
    label = rejected.requirement.label if language == "tr" else rejected.requirement.label_en
    if language == "tr":
        assert message.subject == f"Düzeltilen başvurunuz yeniden gönderildi: {application.reference}"
        assert "yeniden incelemeye gönderildi" in message.body
    else:
        assert message.subject == f"Your corrected application was sent again: {application.reference}"
        assert "sent back to review" in message.body
    assert "alındı" not in message.subject and "received" not in message.subject
    assert f"- {label}\n" in message.body
    assert message.body.count("\n- ") == 1


# --- 6. Sender-ID proof; 7. İYS ------------------------------------------------------------------------------------


def sender_url(application) -> str:
    return f"/basvuru/{application.reference}/sms-basligi/"


def basis(code: str) -> int:
    from onboarding.models import SenderIdBasis

    return SenderIdBasis.objects.get(code=code).pk


def proofs(application) -> list[str]:
    """The document kinds the checklist requires beyond the guide (the sender-ID proofs)."""
    from onboarding.models import Application

    fresh = Application.objects.get(pk=application.pk)
    return sorted(
        item.requirement.document_kind.code
        for item in services.checklist(fresh)
        if item.is_required and item.requirement.condition and item.requirement.condition.sender_bases.exists()
    )


def test_each_sender_id_must_say_what_it_stands_for_and_the_iys_question_is_asked(logged_in, applicant):
    application = draft_with_answers(applicant)

    page = logged_in.get(sender_url(application)).content.decode()
    assert "1. başlık neyi temsil ediyor?" in page
    assert "Kurumumuza ait tescilli bir marka" in page
    assert "İleti Yönetim Sistemi" in page and "marka kodunu" in page
    assert "meslek kuruluşlarının üyelerine yazması" in page

    response = logged_in.post(sender_url(application), {"sender_0": "SISLIBLD"})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert [e.code for e in errors.as_data()["basis_0"]] == ["basis_required"]
    assert "sends_commercial" in errors


@pytest.mark.parametrize(
    ("type_code", "basis_code", "expected"),
    [
        ("company", "institution_name", ["trade_registry_gazette"]),
        ("sole_proprietorship", "institution_name", ["trade_registry_gazette"]),
        ("municipality", "institution_name", ["sender_official_letter"]),
        ("chamber", "institution_name", ["sender_official_letter"]),
        ("company", "trademark", ["trademark_certificate"]),
        ("company", "dealer_brand", ["brand_permission"]),
        ("municipality", "phone_or_web", []),
    ],
)
def test_the_matching_proof_joins_the_checklist(logged_in, applicant, type_code, basis_code, expected):
    application = draft_with_answers(applicant, type_code=type_code)
    assert proofs(application) == []

    response = logged_in.post(
        sender_url(application), {"sender_0": "ORNEKAS", "basis_0": basis(basis_code), "sends_commercial": "no"}
    )

    assert response.status_code == 302
    assert proofs(application) == expected
    documents = logged_in.get(documents_url(application)).content.decode()
    for code in expected:
        from onboarding.models import Requirement

        label = Requirement.objects.get(institution_type__code=type_code, document_kind__code=code).label
        assert label in documents


def test_two_sender_ids_bring_both_proofs_and_dropping_one_takes_its_proof_out(logged_in, applicant):
    application = draft_with_answers(applicant, type_code="company")
    logged_in.post(
        sender_url(application),
        {
            "sender_0": "ORNEKAS",
            "basis_0": basis("institution_name"),
            "sender_1": "MARKAM",
            "basis_1": basis("trademark"),
            "sends_commercial": "yes",
        },
    )
    assert proofs(application) == ["trade_registry_gazette", "trademark_certificate"]

    # Going back to the details step keeps what the sender IDs stand for, and never asks it as a question.
    details = logged_in.get(f"/basvuru/{application.reference}/kurum-bilgileri/").content.decode()
    assert "SMS başlıklarından biri" not in details
    from onboarding.tests.test_wizard import DETAILS_POST

    logged_in.post(f"/basvuru/{application.reference}/kurum-bilgileri/", {**DETAILS_POST, "tax_number": "4540536920"})
    assert proofs(application) == ["trade_registry_gazette", "trademark_certificate"]

    logged_in.post(
        sender_url(application), {"sender_0": "MARKAM", "basis_0": basis("trademark"), "sends_commercial": "yes"}
    )
    assert proofs(application) == ["trademark_certificate"]


def test_reviewers_and_the_review_page_see_the_answers(logged_in, applicant, reviewer):
    from django.test import Client

    from onboarding.models import Application

    client = Client()

    application = draft_with_answers(applicant, type_code="company")
    logged_in.post(
        sender_url(application),
        {"sender_0": "MARKAM", "basis_0": basis("dealer_brand"), "sends_commercial": "yes"},
    )
    assert Application.objects.get(pk=application.pk).sends_commercial is True

    review = logged_in.get(f"/basvuru/{application.reference}/onay/").content.decode()
    assert "Bayisi olduğumuz bir markanın adı" in review
    assert "kaydolup marka kodunu bildirmeli" in review

    client.force_login(reviewer)
    admin_page = client.get(f"/admin/onboarding/application/{application.pk}/change/").content.decode()
    assert "<code>MARKAM</code> — Bayisi olduğumuz bir markanın adı" in admin_page
    assert "İYS kaydı ve marka kodu gerekir" in admin_page

    logged_in.post(
        sender_url(application), {"sender_0": "MARKAM", "basis_0": basis("dealer_brand"), "sends_commercial": "no"}
    )
    admin_page = client.get(f"/admin/onboarding/application/{application.pk}/change/").content.decode()
    assert "Hayır — yalnızca bilgilendirme (İYS kapsamı dışında)." in admin_page


def test_the_sender_step_answers_in_english(logged_in, applicant):
    application = draft_with_answers(applicant)

    logged_in.cookies["django_language"] = "en"
    page = logged_in.get(sender_url(application)).content.decode()

    assert "A trademark registered to our institution" in page
    assert "What does sender ID 1 stand for?" in page


def test_staff_edit_the_sender_id_bases_in_the_admin(client, superuser):
    from onboarding.models import SenderIdBasis

    client.force_login(superuser)
    listing = client.get("/admin/onboarding/senderidbasis/").content.decode()
    assert "Kurumumuza ait tescilli bir marka" in listing
    trademark = SenderIdBasis.objects.get(code="trademark")
    assert client.get(f"/admin/onboarding/senderidbasis/{trademark.pk}/change/").status_code == 200


def test_awaits_corporate_line_opens_where_the_service_takes_the_number():
    from onboarding.models import Application

    for status in Application.Status:
        application = Application(status=status, has_corporate_line=False, line_plan="new_line")
        assert application.awaits_corporate_line == (status in services.LINE_OPEN), status
