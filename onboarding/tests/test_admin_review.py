"""The reviewers' day in the admin, through the test client: the queue, the application page, decisions, actions.

State is built with the services production uses; each test asserts the recorded effect (status, event rows, mail).
"""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from billing.models import BillingType
from documents import services as document_services
from documents.models import Document, DocumentEvent, RejectionReason
from onboarding import services, workflow
from onboarding.models import Application, ApplicationEvent, InstitutionType
from onboarding.tests.helpers import DETAILS, complete_draft, pdf_upload, submitted
from privacy.models import PrivacyText

QUEUE = reverse("admin:onboarding_application_changelist")


def page(application: Application) -> str:
    return reverse("admin:onboarding_application_change", args=[application.pk])


def submitted_with(applicant, **details) -> Application:
    """A submitted application whose institution details differ from the helpers' defaults."""
    application = complete_draft(applicant)
    services.save_institution_details(application, details={**DETAILS, **details})
    return services.submit_application(application, actor=applicant)


def live_documents(application: Application) -> list[Document]:
    return list(Document.objects.filter(application=application, is_live=True).select_related("requirement"))


def decide_all(application: Application, reviewer, *, reject: int = 0) -> list[Document]:
    """Reject the first `reject` undecided live documents with a catalogue reason and approve the rest."""
    documents = [document for document in live_documents(application) if document.status == "uploaded"]
    reason = RejectionReason.objects.filter(is_active=True).first()
    for index, document in enumerate(documents):
        if index < reject:
            workflow.reject_document(document, actor=reviewer, reason=reason, note="Kaşe okunmuyor.")
        else:
            workflow.approve_document(document, actor=reviewer)
    return documents


def awaiting_originals(applicant, reviewer) -> Application:
    application = submitted(applicant)
    decide_all(application, reviewer)
    return services.approve_documents(application, actor=reviewer)


def references_on(response) -> list[str]:
    return [application.reference for application in response.context["cl"].result_list]


@pytest.fixture
def as_reviewer(client, reviewer):
    client.force_login(reviewer)
    return client


# --- The queue ------------------------------------------------------------------------------------------------------


def test_the_queue_lists_submitted_applications_oldest_first_and_hides_drafts(as_reviewer, applicant):
    first = submitted(applicant)
    second = submitted(applicant)
    draft = services.start_application(applicant)

    response = as_reviewer.get(QUEUE)

    assert response.status_code == 200
    assert references_on(response) == [first.reference, second.reference]
    assert draft.reference not in response.text


def test_the_queue_shows_the_counts_at_a_glance(as_reviewer, applicant, reviewer):
    submitted(applicant)
    submitted(applicant)
    reviewing = submitted(applicant)
    workflow.approve_document(live_documents(reviewing)[0], actor=reviewer)

    response = as_reviewer.get(QUEUE)

    counts = {entry["status"]: entry["count"] for entry in response.context["queue_counts"]}
    assert counts == {"submitted": 2, "in_review": 1, "changes_requested": 0, "awaiting_originals": 0}
    assert f"{QUEUE}?status__exact=in_review" in response.text


def test_the_queue_columns_show_pending_documents_originals_and_cargo(as_reviewer, applicant, reviewer):
    application = submitted(applicant)
    required = len(live_documents(application))
    workflow.approve_document(live_documents(application)[0], actor=reviewer)
    workflow.mark_original_received(live_documents(application)[0], actor=reviewer)
    services.record_cargo(application, company="Yurtiçi Kargo", tracking_number="YK123456789")

    response = as_reviewer.get(QUEUE)

    row = response.context["cl"].result_list[0]
    assert row._pending == required - 1
    assert (row._originals_received, row._originals_required) == (1, required)
    assert f"1 / {required}" in response.text
    assert "Yurtiçi Kargo · YK123456789" in response.text
    assert 'class="review-badge review-badge--in_review"' in response.text


def test_the_status_filter_shows_one_status_or_everything_including_drafts(as_reviewer, applicant, reviewer):
    waiting = submitted(applicant)
    reviewing = submitted(applicant)
    workflow.approve_document(live_documents(reviewing)[0], actor=reviewer)
    draft = services.start_application(applicant)

    assert references_on(as_reviewer.get(QUEUE, {"status__exact": "in_review"})) == [reviewing.reference]
    assert references_on(as_reviewer.get(QUEUE, {"status__exact": "submitted"})) == [waiting.reference]
    everything = references_on(as_reviewer.get(QUEUE, {"status__exact": "tumu"}))
    assert sorted(everything) == sorted([waiting.reference, reviewing.reference, draft.reference])


def test_the_institution_type_billing_type_and_province_filters_narrow_the_queue(as_reviewer, applicant):
    ankara = submitted_with(applicant, legal_name="Çankaya Belediyesi", province="06")
    istanbul = submitted(applicant)
    school = submitted(applicant, type_code="school")
    municipality = InstitutionType.objects.get(code="municipality")
    invoiced = services.choose_billing(
        services.start_application(applicant),
        billing_type=BillingType.objects.get(code="invoiced"),
        credit_package=None,
        expected_monthly_messages=None,
    )
    everything = {"status__exact": "tumu"}

    by_type = references_on(as_reviewer.get(QUEUE, {"institution_type__id__exact": municipality.pk}))
    assert sorted(by_type) == sorted([ankara.reference, istanbul.reference])
    assert school.reference not in by_type
    prepaid = BillingType.objects.get(code="prepaid")
    by_billing = references_on(as_reviewer.get(QUEUE, {**everything, "billing_type__id__exact": prepaid.pk}))
    assert invoiced.reference not in by_billing and ankara.reference in by_billing
    by_invoice = as_reviewer.get(QUEUE, {**everything, "billing_type__id__exact": invoiced.billing_type_id})
    assert references_on(by_invoice) == [invoiced.reference]
    assert references_on(as_reviewer.get(QUEUE, {"il": "06"})) == [ankara.reference]
    response = as_reviewer.get(QUEUE, {"il": "34"})
    assert sorted(references_on(response)) == sorted([istanbul.reference, school.reference])
    assert "Kahramanmaraş" in response.text  # the province names come from localflavor


def test_the_originals_filter_tells_all_some_and_none_apart(as_reviewer, applicant, reviewer):
    none = submitted(applicant)
    some = submitted(applicant)
    workflow.mark_original_received(live_documents(some)[0], actor=reviewer)
    every = awaiting_originals(applicant, reviewer)
    for document in live_documents(every)[:-1]:
        workflow.mark_original_received(document, actor=reviewer)
    # The last original approves the application, which leaves the work queue: look at every status.
    workflow.mark_original_received(live_documents(every)[-1], actor=reviewer)

    def filtered(value: str) -> list[str]:
        return references_on(as_reviewer.get(QUEUE, {"asil": value, "status__exact": "tumu"}))

    assert filtered("hicbiri") == [none.reference]
    assert filtered("bir-kismi") == [some.reference]
    assert filtered("hepsi") == [every.reference]


def test_the_cargo_filter_separates_applications_with_a_tracking_number(as_reviewer, applicant):
    with_cargo = submitted(applicant)
    services.record_cargo(with_cargo, company="Aras Kargo", tracking_number="AR998877")
    without = submitted(applicant)

    assert references_on(as_reviewer.get(QUEUE, {"kargo": "var"})) == [with_cargo.reference]
    assert references_on(as_reviewer.get(QUEUE, {"kargo": "yok"})) == [without.reference]


# --- Search ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "{reference}",
        "{reference_lower}",
        # A barcode scanner typing through a Turkish-Q keyboard layout turns the dash into "*".
        "{reference_star}",
        # The QR code of the cover sheet holds the status page's URL.
        "https://portal.test/basvuru/{reference}/durum/",
    ],
)
def test_searching_a_scanned_or_typed_reference_opens_that_application(as_reviewer, applicant, typed):
    application = submitted(applicant)
    submitted(applicant)
    reference = application.reference
    term = typed.format(
        reference=reference,
        reference_lower=reference.lower(),
        reference_star=reference.replace("-", "*"),
    )

    response = as_reviewer.get(QUEUE, {"q": term})

    assert response.status_code == 302
    assert response["Location"] == page(application)


def test_a_reference_that_does_not_exist_finds_nothing(as_reviewer, applicant):
    submitted(applicant)

    response = as_reviewer.get(QUEUE, {"q": "TS-2222-3333"})

    assert response.status_code == 200
    assert references_on(response) == []


def test_search_finds_by_tax_number_email_and_unvan_with_turkish_letters(as_reviewer, applicant, other_applicant):
    igdir = submitted_with(applicant, legal_name="Iğdır İl Özel İdaresi", tax_number="1234567890")
    cankaya = submitted_with(other_applicant, legal_name="Çankaya Öğretmenevi Müdürlüğü", tax_number="4540536920")

    assert references_on(as_reviewer.get(QUEUE, {"q": "1234567890"})) == [igdir.reference]
    assert references_on(as_reviewer.get(QUEUE, {"q": "Öğretmenevi"})) == [cankaya.reference]
    assert references_on(as_reviewer.get(QUEUE, {"q": "Iğdır İl"})) == [igdir.reference]
    # Typed in another case: the Turkish i's pair as i/İ and ı/I, and ş, ğ, ö, ç fold on SQLite too.
    assert references_on(as_reviewer.get(QUEUE, {"q": "ığdır idaresi"})) == [igdir.reference]
    assert references_on(as_reviewer.get(QUEUE, {"q": "ÇANKAYA öğretmenevi"})) == [cankaya.reference]
    assert references_on(as_reviewer.get(QUEUE, {"q": "istanbul"})) == []
    assert references_on(as_reviewer.get(QUEUE, {"q": other_applicant.email})) == [cankaya.reference]
    # A part of a VKN is not a VKN: the number is matched exactly.
    assert references_on(as_reviewer.get(QUEUE, {"q": "4540536"})) == []


def test_a_search_looks_beyond_the_work_queue(as_reviewer, applicant):
    draft = services.start_application(applicant)
    services.save_institution_details(draft, details={**DETAILS, "legal_name": "Ağrı Valiliği"})

    response = as_reviewer.get(QUEUE, {"q": "Ağrı"})

    assert references_on(response) == [draft.reference]
    assert "Tümü (arama)" in response.text


# --- The application page -------------------------------------------------------------------------------------------


def test_the_application_page_shows_details_documents_previews_rules_and_history(as_reviewer, applicant):
    application = submitted(applicant)
    services.record_cargo(application, company="MNG Kargo", tracking_number="MNG-55")

    response = as_reviewer.get(page(application))

    assert response.status_code == 200
    text = response.text
    for fact in [
        "Şişli Belediyesi İmar ve Şehircilik Müdürlüğü",
        "4540536920",
        "Ömer Çağrı Işık",
        "SISLIBLD",
        "MNG-55",
    ]:
        assert fact in text
    assert PrivacyText.objects.in_force("notice").version in text  # the KVKK notice's version shown
    items = response.context["review_items"]
    assert items and all(item.document is not None for item in items if item.is_required)
    for item in (item for item in items if item.document is not None):
        for document_file in item.document.files.all():
            url = reverse("documents:file-download", args=[document_file.pk])
            assert f'<iframe src="{url}"' in text
            assert f'href="{url}?indir=1"' in text
        assert reverse("admin:documents_document_approve", args=[item.document.pk]) in text
    rules = response.context["reviewer_rules"]
    assert all(rule.text in text for rule in rules)
    assert "Başvurunun geçmişi" in text
    assert "Taslak → Gönderildi" in text
    assert 'style="' not in text  # the strict CSP forbids inline styles


def test_an_image_is_previewed_inline(as_reviewer, applicant):
    from PIL import Image

    application = complete_draft(applicant)
    requirement = live_documents(application)[0].requirement
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    document_services.add_document_file(
        application,
        requirement,
        uploaded=SimpleUploadedFile("tabela.png", buffer.getvalue(), content_type="image/png"),
        actor=applicant,
    )
    services.submit_application(application, actor=applicant)
    image = Document.objects.get(application=application, requirement=requirement).files.get(extension="png")

    response = as_reviewer.get(page(application))

    assert f'<img src="{reverse("documents:file-download", args=[image.pk])}"' in response.text


def test_the_page_marks_a_new_version_and_lists_the_earlier_one_with_its_decision(as_reviewer, applicant, reviewer):
    application = submitted(applicant)
    rejected = decide_all(application, reviewer, reject=1)[0]
    services.request_changes(application, actor=reviewer)
    document_services.add_document_file(
        application, rejected.requirement, uploaded=pdf_upload("yeni.pdf"), actor=applicant
    )
    services.resubmit_application(application, actor=applicant)

    response = as_reviewer.get(page(application))

    item = next(i for i in response.context["review_items"] if i.requirement.pk == rejected.requirement_id)
    assert item.document.version == 2 and item.is_new_version
    assert [old.pk for old in item.previous] == [rejected.pk]
    assert "Son karardan sonra yeni sürüm" in response.text
    assert "Önceki sürümler (1)" in response.text
    assert "Kaşe okunmuyor." in response.text


def test_the_application_page_takes_a_constant_number_of_queries(as_reviewer, applicant, other_applicant, reviewer):
    quiet = submitted(applicant)
    as_reviewer.get(page(quiet))
    with CaptureQueriesContext(connection) as few:
        as_reviewer.get(page(quiet))

    # More documents in play, versions, and many more events.
    busy = submitted(other_applicant)
    rejected = decide_all(busy, reviewer, reject=2)[:2]
    services.request_changes(busy, actor=reviewer)
    for document in rejected:
        document_services.add_document_file(busy, document.requirement, uploaded=pdf_upload(), actor=other_applicant)
        document_services.add_document_file(busy, document.requirement, uploaded=pdf_upload(), actor=other_applicant)
    services.resubmit_application(busy, actor=other_applicant)
    decide_all(busy, reviewer)
    for document in live_documents(busy):
        workflow.mark_original_received(document, actor=reviewer)
    with CaptureQueriesContext(connection) as many:
        response = as_reviewer.get(page(busy))

    assert response.status_code == 200
    assert DocumentEvent.objects.filter(document__application=busy).count() > 2 * len(live_documents(busy))
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_queue_takes_the_same_number_of_queries_for_3_and_30_applications(as_reviewer, applicant, reviewer):
    def queue_queries(url_params: dict) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = as_reviewer.get(QUEUE, url_params)
        assert response.status_code == 200
        return len(queries.captured_queries)

    views = [{}, {"status__exact": "tumu"}, {"status__exact": "submitted", "asil": "hicbiri"}, {"q": "Şişli"}]
    for _ in range(3):
        submitted(applicant)
    as_reviewer.get(QUEUE)
    small = [queue_queries(params) for params in views]
    for index in range(27):
        application = submitted(applicant)
        if index % 3 == 0:
            services.record_cargo(application, company="PTT Kargo", tracking_number=f"PTT{index}")
    large = [queue_queries(params) for params in views]

    assert large == small
    assert len(as_reviewer.get(QUEUE).context["cl"].result_list) == 30


def test_the_default_queue_is_counted_once_by_the_counts_at_a_glance(as_reviewer, applicant):
    submitted(applicant)

    with CaptureQueriesContext(connection) as queries:
        as_reviewer.get(QUEUE)

    assert not [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"]]


@pytest.mark.postgres
def test_an_unfiltered_list_on_postgresql_is_counted_from_the_planner_estimate(as_reviewer, applicant):
    for _ in range(3):
        submitted(applicant)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE onboarding_application")

    with CaptureQueriesContext(connection) as queries:
        response = as_reviewer.get(QUEUE, {"status__exact": "tumu"})

    assert response.status_code == 200
    assert response.context["cl"].paginator.is_estimate
    assert not [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"]]
    assert "yaklaşık" in response.text
    # Filtered, the same list is counted exactly.
    with CaptureQueriesContext(connection) as queries:
        response = as_reviewer.get(QUEUE, {"status__exact": "submitted"})
    assert not response.context["cl"].paginator.is_estimate
    assert [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"]]


def test_an_unfiltered_list_elsewhere_than_postgresql_is_counted_exactly(as_reviewer, applicant):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL uses the planner's estimate (see the test above)")
    submitted(applicant)

    response = as_reviewer.get(QUEUE, {"status__exact": "tumu"})

    assert not response.context["cl"].paginator.is_estimate
    assert response.context["cl"].result_count == 1


def test_the_field_history_page_is_in_turkish(as_reviewer, applicant):
    application = submitted(applicant)

    response = as_reviewer.get(reverse("admin:onboarding_application_history", args=[application.pk]))

    assert response.status_code == 200
    assert "Alan değişiklikleri" in response.text
    assert "Durum" in response.text and "Gönderildi" in response.text


# --- Document decisions ---------------------------------------------------------------------------------------------


def test_approving_a_document_records_the_decision_and_starts_the_review(as_reviewer, applicant, reviewer):
    application = submitted(applicant)
    document = live_documents(application)[0]

    response = as_reviewer.post(reverse("admin:documents_document_approve", args=[document.pk]))

    assert response.status_code == 302
    assert response["Location"] == f"{page(application)}#belge-{document.requirement_id}"
    document.refresh_from_db()
    assert (document.status, document.decided_by) == ("approved", reviewer)
    assert list(DocumentEvent.objects.filter(document=document).values_list("from_status", "to_status", "actor")) == [
        ("uploaded", "approved", reviewer.pk)
    ]
    application.refresh_from_db()
    assert application.status == "in_review"
    assert (
        ApplicationEvent.objects.filter(application=application, to_status="in_review", actor=reviewer).count() == 1
    )


def test_rejecting_a_document_with_a_catalogue_reason_and_a_note(as_reviewer, applicant):
    application = submitted(applicant)
    document = live_documents(application)[0]
    reason = RejectionReason.objects.get(text="İmza eksik")

    as_reviewer.post(
        reverse("admin:documents_document_reject", args=[document.pk]),
        {"reason": reason.pk, "note": "Başkanın ıslak imzası yok."},
    )

    document.refresh_from_db()
    assert (document.status, document.rejection_reason, document.rejection_note) == (
        "rejected",
        reason,
        "Başkanın ıslak imzası yok.",
    )
    assert DocumentEvent.objects.get(document=document).reason == "İmza eksik — Başkanın ıslak imzası yok."


def test_rejecting_without_reason_or_note_is_refused_with_a_message(as_reviewer, applicant):
    application = submitted(applicant)
    document = live_documents(application)[0]

    response = as_reviewer.post(
        reverse("admin:documents_document_reject", args=[document.pk]), {"reason": "", "note": "  "}, follow=True
    )

    assert "Reddetmek için bir gerekçe seçin veya açıklama yazın." in response.text
    document.refresh_from_db()
    assert document.status == "uploaded"
    assert not DocumentEvent.objects.filter(document=document).exists()


def test_deciding_an_already_decided_document_says_so(as_reviewer, applicant, reviewer):
    application = submitted(applicant)
    document = live_documents(application)[0]
    workflow.approve_document(document, actor=reviewer)

    response = as_reviewer.post(
        reverse("admin:documents_document_reject", args=[document.pk]), {"note": "x"}, follow=True
    )

    assert "az önce başka bir karar verildi" in response.text
    assert DocumentEvent.objects.filter(document=document).count() == 1


def test_decision_endpoints_answer_only_post(as_reviewer, applicant):
    document = live_documents(submitted(applicant))[0]

    assert as_reviewer.get(reverse("admin:documents_document_approve", args=[document.pk])).status_code == 405


# --- Application actions --------------------------------------------------------------------------------------------


def test_request_changes_sends_one_mail_listing_every_rejected_item(
    as_reviewer, applicant, reviewer, django_capture_on_commit_callbacks
):
    application = submitted(applicant)
    rejected = decide_all(application, reviewer, reject=2)[:2]

    with django_capture_on_commit_callbacks(execute=True):
        response = as_reviewer.post(
            reverse("admin:onboarding_application_request_changes", args=[application.pk]),
            {"note": "Lütfen iki belgeyi yeniden yükleyin."},
        )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "changes_requested"
    event = ApplicationEvent.objects.get(application=application, to_status="changes_requested")
    assert (event.actor, event.reason) == (reviewer, "Lütfen iki belgeyi yeniden yükleyin.")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [applicant.email]
    for document in rejected:
        assert document.requirement.label in mail.outbox[0].body
    assert "Kaşe okunmuyor." in mail.outbox[0].body


def test_request_changes_before_every_document_is_decided_is_refused(as_reviewer, applicant, reviewer):
    application = submitted(applicant)
    workflow.reject_document(live_documents(application)[0], actor=reviewer, note="Eksik sayfa.")

    response = as_reviewer.post(
        reverse("admin:onboarding_application_request_changes", args=[application.pk]), follow=True
    )

    assert "Önce her belgeye karar verin." in response.text
    application.refresh_from_db()
    assert application.status == "in_review"
    assert not ApplicationEvent.objects.filter(application=application, to_status="changes_requested").exists()


def test_approve_documents_then_originals_then_activate(
    as_reviewer, applicant, reviewer, django_capture_on_commit_callbacks
):
    application = submitted(applicant)
    decide_all(application, reviewer)

    with django_capture_on_commit_callbacks(execute=True):
        as_reviewer.post(reverse("admin:onboarding_application_approve_documents", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == "awaiting_originals"
    assert len(mail.outbox) == 1

    documents = live_documents(application)
    for document in documents[:-1]:
        as_reviewer.post(reverse("admin:documents_document_original_received", args=[document.pk]))
    application.refresh_from_db()
    assert application.status == "awaiting_originals"
    with django_capture_on_commit_callbacks(execute=True):
        response = as_reviewer.post(
            reverse("admin:documents_document_original_received", args=[documents[-1].pk]), follow=True
        )
    assert "Tüm asıl evrak ulaştı; başvuru onaylandı." in response.text
    application.refresh_from_db()
    assert application.status == "approved"
    assert DocumentEvent.objects.filter(document__in=documents, reason="Aslı kargoyla ulaştı.").count() == len(
        documents
    )
    assert len(mail.outbox) == 2

    with django_capture_on_commit_callbacks(execute=True):
        as_reviewer.post(reverse("admin:onboarding_application_activate", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == "active"
    assert list(ApplicationEvent.objects.filter(application=application).values_list("to_status", flat=True)) == [
        "submitted",
        "in_review",
        "awaiting_originals",
        "approved",
        "active",
    ]
    assert len(mail.outbox) == 3


def test_approve_documents_with_a_rejected_item_is_refused(as_reviewer, applicant, reviewer):
    application = submitted(applicant)
    decide_all(application, reviewer, reject=1)

    response = as_reviewer.post(
        reverse("admin:onboarding_application_approve_documents", args=[application.pk]), follow=True
    )

    assert "Onaylanmamış belgeler var" in response.text
    application.refresh_from_db()
    assert application.status == "in_review"


def test_rejecting_the_application_needs_a_reason(
    as_reviewer, applicant, reviewer, django_capture_on_commit_callbacks
):
    application = submitted(applicant)
    decide_all(application, reviewer, reject=1)
    url = reverse("admin:onboarding_application_reject", args=[application.pk])

    response = as_reviewer.post(url, {"note": ""}, follow=True)
    assert "Başvuruyu reddetmek için gerekçe yazın." in response.text
    application.refresh_from_db()
    assert application.status == "in_review"

    with django_capture_on_commit_callbacks(execute=True):
        as_reviewer.post(url, {"note": "Kurum toplu SMS hizmeti için yetkili değil."})
    application.refresh_from_db()
    assert application.status == "rejected"
    assert ApplicationEvent.objects.get(application=application, to_status="rejected").reason == (
        "Kurum toplu SMS hizmeti için yetkili değil."
    )
    assert len(mail.outbox) == 1


def test_the_page_offers_only_the_moves_the_lifecycle_allows(as_reviewer, applicant, reviewer):
    application = submitted(applicant)
    decide_all(application, reviewer)

    response = as_reviewer.get(page(application))

    text = response.text
    assert response.context["ready_to_approve"] and not response.context["ready_to_request_changes"]
    assert reverse("admin:onboarding_application_approve_documents", args=[application.pk]) in text
    assert reverse("admin:onboarding_application_request_changes", args=[application.pk]) not in text
    assert "Reddedilen belge yok." in text  # said beside the disabled button
    assert reverse("admin:onboarding_application_activate", args=[application.pk]) not in text
    assert not re.search(r"/admin/documents/document/\d+/onayla/", text)  # every document is decided


def test_with_a_rejected_document_the_page_offers_a_change_request_not_approval(as_reviewer, applicant, reviewer):
    application = submitted(applicant)
    decide_all(application, reviewer, reject=1)

    response = as_reviewer.get(page(application))

    assert response.context["ready_to_request_changes"] and not response.context["ready_to_approve"]
    assert reverse("admin:onboarding_application_request_changes", args=[application.pk]) in response.text
    assert "Önce her belge onaylanmalı." in response.text
    # The rejected document's original is not asked for; the approved ones' are.
    marks = re.findall(r"/admin/documents/document/(\d+)/asli-ulasti/", response.text)
    assert sorted(map(int, marks)) == sorted(d.pk for d in live_documents(application) if d.status == "approved")


# --- Who may do what ------------------------------------------------------------------------------------------------


def test_finance_sees_the_billing_plan_but_no_documents_or_buttons(client, finance, applicant):
    application = submitted(applicant)
    client.force_login(finance)

    response = client.get(page(application))

    assert response.status_code == 200
    assert "Ön Ödemeli" in response.text
    assert "/belgeler/dosya/" not in response.text
    assert '<form method="post" action="/admin/' not in response.text
    assert not response.context["review_items"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("admin:documents_document_approve", {}),
        ("admin:documents_document_reject", {"note": "x"}),
        ("admin:documents_document_original_received", {}),
    ],
)
def test_finance_gets_403_on_document_decisions(client, finance, applicant, name, data):
    document = live_documents(submitted(applicant))[0]
    client.force_login(finance)

    assert client.post(reverse(name, args=[document.pk]), data).status_code == 403
    document.refresh_from_db()
    assert (document.status, document.original_received_at) == ("uploaded", None)
    assert not DocumentEvent.objects.filter(document=document).exists()


@pytest.mark.parametrize(
    "name",
    [
        "admin:onboarding_application_request_changes",
        "admin:onboarding_application_approve_documents",
        "admin:onboarding_application_reject",
        "admin:onboarding_application_activate",
    ],
)
def test_a_staff_member_without_the_review_permission_gets_403(client, applicant, reviewer, name):
    application = submitted(applicant)
    decide_all(application, reviewer, reject=1)
    viewer = User.objects.create_user(email="salt-okur@portal.test", password="x" * 12, is_staff=True)
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_application", "view_document", "view_applicationevent"])
    )
    client.force_login(viewer)

    response = client.post(reverse(name, args=[application.pk]), {"note": "Olmaz."})

    assert response.status_code == 403
    assert Application.objects.get(pk=application.pk).status == "in_review"
    assert ApplicationEvent.objects.filter(application=application).count() == 2  # submitted, in review


def test_a_viewer_without_review_permission_sees_no_decision_buttons(client, applicant):
    application = submitted(applicant)
    viewer = User.objects.create_user(email="salt-okur@portal.test", password="x" * 12, is_staff=True)
    viewer.user_permissions.add(*Permission.objects.filter(codename__in=["view_application", "view_document"]))
    client.force_login(viewer)

    response = client.get(page(application))

    assert response.status_code == 200
    assert "/belgeler/dosya/" in response.text  # may look at the files …
    assert not re.search(r"/admin/documents/document/\d+/(onayla|reddet|asli-ulasti)/", response.text)  # … not decide


def test_an_applicant_reaching_the_admin_is_sent_to_its_login(client, applicant):
    application = submitted(applicant)
    document = live_documents(application)[0]
    client.force_login(applicant)

    for response in [
        client.get("/admin/"),
        client.get(page(application)),
        client.post(reverse("admin:documents_document_approve", args=[document.pk])),
    ]:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    document.refresh_from_db()
    assert document.status == "uploaded"


def test_the_applicant_is_written_to_in_their_own_language_whatever_the_reviewers(
    client, applicant, reviewer, django_capture_on_commit_callbacks
):
    from django.utils import translation

    application = submitted(applicant)
    decide_all(application, reviewer, reject=1)
    mail.outbox.clear()

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.reject_application(application, actor=reviewer, reason="Yetkili değil.")
    assert mail.outbox[-1].subject.startswith("Başvurunuz hakkında")

    applicant.language = "en"
    applicant.save(update_fields=["language"])
    other = submitted(applicant)
    decide_all(other, reviewer, reject=1)
    with translation.override("tr"), django_capture_on_commit_callbacks(execute=True):
        services.reject_application(other, actor=reviewer, reason="Not authorised.")
    assert '<html lang="en">' in mail.outbox[-1].alternatives[0][0]
