"""The reminder digests as people receive them: every kind, in Turkish and English, text and HTML, with their headers.

State is built through the services production uses; the sweep runs at a chosen moment and the e-mails are read
from Django's mail outbox once the outbox delivered them.
"""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from documents.models import Document, RejectionReason
from onboarding import due
from onboarding import services as onboarding
from onboarding.models import Application
from onboarding.tests.helpers import draft_with_answers, submitted, upload_required
from onboarding.workflow import approve_document, mark_original_received, reject_document
from reminders import services
from reminders.tests.helpers import html_of, mails_to, morning, stop_link_of, sweep

GUIDE = {
    "tr": [
        "Turkcell yetkili bayilerinde kurumunuz adına yeni bir kurumsal hat açtırabilir",
        "bireysel hattınızı kurumsal hatta çevirebilirsiniz",
        "Dikkat: Bayide hat veya işlem ücreti dışında hiçbir ücret ödemeyin",
    ],
    "en": [
        "open a new corporate line in your institution's name at an authorised Turkcell dealer",
        "convert your personal line to a corporate line",
        "Important: Don't pay the dealer anything other than the line or transaction fee",
    ],
}


def speaking(user, language: str):
    user.language = language
    user.save(update_fields=["language"])
    return user


def istanbul_date(moment) -> str:
    return moment.astimezone(services.ISTANBUL).strftime("%d.%m.%Y")


def status_link(application: Application, anchor: str = "") -> str:
    return settings.SITE_URL + reverse("onboarding:application-status", args=[application.reference]) + anchor


def without_a_corporate_line(applicant) -> Application:
    """A submitted application whose institution gets its corporate line later."""
    draft = draft_with_answers(applicant)
    draft = onboarding.save_corporate_line(draft, has_corporate_line=False, plan=Application.LinePlan.NEW_LINE)
    draft = upload_required(draft, applicant)
    return onboarding.submit_application(draft, actor=applicant)


# --- Applicants ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "subject", "heading", "button"),
    [
        ("tr", "Başvurunuz taslakta bekliyor", "Henüz yüklenmemiş zorunlu belgeler:", "Başvuruma devam et"),
        (
            "en",
            "Your application is waiting as a draft",
            "Required documents not uploaded yet:",
            "Continue my application",
        ),
    ],
)
def test_a_draft_reminder_lists_the_missing_documents_with_the_deadline_and_a_link_to_the_documents_step(
    applicant, django_capture_on_commit_callbacks, language, subject, heading, button
):
    speaking(applicant, language)
    draft = Application.objects.get(pk=draft_with_answers(applicant).pk)
    with translation.override(language):
        missing = [item.requirement.localized("label") for item in onboarding.checklist(draft) if item.is_required]

    sweep(django_capture_on_commit_callbacks, at=morning(2))

    [message] = mails_to(applicant)
    assert message.subject == f"{subject} ({draft.reference})"
    assert heading in message.body
    assert missing and all(f"  - {label}" in message.body for label in missing)
    deadline = istanbul_date(draft.updated_at + due.days(due.DRAFT))
    assert ("Son tarih: " if language == "tr" else "Deadline: ") + deadline in message.body
    link = settings.SITE_URL + reverse("onboarding:application-step", args=[draft.reference, "belgeler"])
    assert f"{button}: {link}" in message.body
    html = html_of(message)
    assert f'<html lang="{language}">' in html
    assert f'href="{link}"' in html and f"{button}</a>" in html
    assert "<p" not in message.body


@pytest.mark.parametrize("language", ["tr", "en"])
def test_the_corporate_line_item_carries_the_guide_s_explanation_and_the_cargo_item_the_address(
    applicant, django_capture_on_commit_callbacks, language
):
    speaking(applicant, language)
    application = without_a_corporate_line(applicant)

    sweep(django_capture_on_commit_callbacks, at=morning(2))

    [message] = mails_to(applicant)
    assert (
        message.subject
        == {
            "tr": "Başvurunuzda 2 eksik var",
            "en": "Your application has 2 open items",
        }[language]
    )
    html = html_of(message)
    for sentence in GUIDE[language]:
        assert sentence in message.body
        assert sentence.split(": ")[-1] in html
    assert {"tr": "Kurumsal hat numaranız eksik", "en": "Your corporate line number is missing"}[language] in html
    assert status_link(application, "#kurumsal-hat") in message.body
    # The envelope's address, under the sentence that says what to send there.
    assert {
        "tr": "İmzalı asılları kapak sayfasıyla birlikte şu adrese gönderin:",
        "en": "Send the signed originals together with the cover sheet to this address:",
    }[language] in message.body
    assert f"  {settings.PORTAL_CARGO_ADDRESS}\n" in message.body
    assert status_link(application, "#kargo") in message.body
    assert "süresi geçti" not in message.body and "past due" not in message.body


def test_items_past_their_deadline_say_so_in_the_subject_and_beside_the_deadline(
    applicant, django_capture_on_commit_callbacks
):
    without_a_corporate_line(applicant)

    # 32 days on, both the corporate line (30 days) and the cargo of the originals (21 days) are past due.
    sweep(django_capture_on_commit_callbacks, at=morning(32))

    [message] = mails_to(applicant)
    assert message.subject == "Başvurunuzda 2 eksik var, 2 tanesinin süresi geçti"
    assert "Bunlardan 2 tanesinin son tarihi geçti; lütfen önce onlarla ilgilenin." in message.body
    assert message.body.count(" — süresi geçti\n") == 2
    assert html_of(message).count("— süresi geçti</strong>") == 2


def test_a_single_past_due_item_is_named_in_the_subject_in_english(applicant, django_capture_on_commit_callbacks):
    speaking(applicant, "en")
    draft = draft_with_answers(applicant)

    sweep(django_capture_on_commit_callbacks, at=morning(32))

    [message] = mails_to(applicant)
    assert message.subject == f"Past due: Your application is waiting as a draft ({draft.reference})"
    assert "1 of them is past its deadline; please deal with it first." in message.body
    assert " — past due\n" in message.body


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "tr",
            [
                "Reddedilen belgeyi düzeltip yeniden yükleyin",
                "Gerekçe: Mühür / kaşe eksik — Başkanın kaşesi görünmüyor.",
                "Belgeyi yeniden yükle: ",
            ],
        ),
        (
            "en",
            [
                "Correct the rejected document and upload it again",
                "Reason: ",
                "— Başkanın kaşesi görünmüyor.",
                "Upload the document again: ",
            ],
        ),
    ],
)
def test_a_rejected_document_is_named_with_its_reason_and_a_link_to_its_place_on_the_page(
    applicant, reviewer, django_capture_on_commit_callbacks, language, expected
):
    application = submitted(applicant)
    documents = list(Document.objects.filter(application=application, is_live=True).select_related("requirement"))
    rejected = documents[0]
    reject_document(
        rejected,
        actor=reviewer,
        reason=RejectionReason.objects.get(text="Mühür / kaşe eksik"),
        note="Başkanın kaşesi görünmüyor.",
    )
    for document in documents[1:]:
        approve_document(document, actor=reviewer)
    onboarding.request_changes(application, actor=reviewer)
    onboarding.record_cargo(application, company="Yurtiçi Kargo", tracking_number="123456789")
    speaking(applicant, language)

    sweep(django_capture_on_commit_callbacks, at=morning(2))

    [message] = mails_to(applicant)
    for text in expected:
        assert text in message.body
    with translation.override(language):
        label = rejected.requirement.localized("label")
    assert ("  Belge: " if language == "tr" else "  Document: ") + label in message.body
    assert status_link(application, f"#belge-{rejected.requirement_id}") in message.body
    # One item only: the cargo is recorded, the other documents are approved.
    assert message.subject.endswith(f" ({application.reference})")
    assert ("<strong>Gerekçe:</strong> " if language == "tr" else "<strong>Reason:</strong> ") in html_of(message)


@pytest.mark.parametrize(
    ("language", "subject", "heading"),
    [
        ("tr", "Asıl evrakınız henüz bize ulaşmadı", "Henüz ulaşmayan asıl evrak:"),
        ("en", "Your originals have not reached us yet", "Originals not received yet:"),
    ],
)
def test_originals_not_arrived_a_while_after_the_cargo_are_listed_one_by_one(
    applicant, reviewer, django_capture_on_commit_callbacks, language, subject, heading
):
    speaking(applicant, language)
    application = submitted(applicant)
    onboarding.record_cargo(application, company="Aras Kargo", tracking_number="987654321")
    documents = list(Document.objects.filter(application=application, is_live=True).select_related("requirement"))
    mark_original_received(documents[0], actor=reviewer)

    sweep(django_capture_on_commit_callbacks, at=morning(10))

    [message] = mails_to(applicant)
    assert message.subject == f"{subject} ({application.reference})"
    assert heading in message.body
    with translation.override(language):
        labels = [document.requirement.localized("label") for document in documents]
    assert all(f"  - {label}\n" in message.body for label in labels[1:])
    assert f"  - {labels[0]}\n" not in message.body
    assert status_link(application, "#asil-evrak") in message.body


@pytest.mark.parametrize(
    ("language", "subject", "button"),
    [
        ("tr", "E-posta adresiniz henüz doğrulanmadı", "Yeni doğrulama bağlantısı iste"),
        ("en", "Your email address is not confirmed yet", "Ask for a new confirmation link"),
    ],
)
def test_an_unconfirmed_address_is_reminded_with_a_link_to_ask_for_a_new_confirmation(
    unconfirmed_applicant, django_capture_on_commit_callbacks, language, subject, button
):
    speaking(unconfirmed_applicant, language)

    sweep(django_capture_on_commit_callbacks, at=morning(2))

    [message] = mails_to(unconfirmed_applicant)
    assert message.subject == subject
    link = settings.SITE_URL + reverse("accounts:resend-confirmation")
    assert f"{button}: {link}" in message.body
    assert f'href="{link}"' in html_of(message)


@pytest.mark.parametrize(
    ("language", "why", "stop", "preferences"),
    [
        (
            "tr",
            "Bu hatırlatmayı, başvurunuzda sizden beklenen bir şey olduğu için alıyorsunuz.",
            "Hatırlatmaları tek tıkla durdurmak için: ",
            "Bildirim tercihleriniz ve e-postaların dili: ",
        ),
        (
            "en",
            "You are receiving this reminder because something is still needed from you for your application.",
            "To stop reminders with one click: ",
            "Your notification preferences and the language of our emails: ",
        ),
    ],
)
def test_every_reminder_says_why_it_came_and_carries_the_one_click_stop_in_its_footer_and_headers(
    applicant, django_capture_on_commit_callbacks, language, why, stop, preferences
):
    speaking(applicant, language)
    draft_with_answers(applicant)

    sweep(django_capture_on_commit_callbacks, at=morning(2))

    [message] = mails_to(applicant)
    stop_url = stop_link_of(message, applicant)
    preferences_url = settings.SITE_URL + reverse("reminders:preferences")
    assert why in message.body
    assert stop + stop_url in message.body
    assert preferences + preferences_url in message.body
    html = html_of(message)
    assert f'href="{stop_url}"' in html and f'href="{preferences_url}"' in html
    assert message.extra_headers["List-Unsubscribe"] == f"<{stop_url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The headers survive to the wire.
    wire = message.message()
    assert wire["List-Unsubscribe"] == f"<{stop_url}>"
    assert wire["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


# --- Reviewers ----------------------------------------------------------------------------------------------------


def awaiting_originals(applicant, reviewer) -> Application:
    application = submitted(applicant)
    for document in Document.objects.filter(application=application, is_live=True):
        approve_document(document, actor=reviewer)
    return onboarding.approve_documents(application, actor=reviewer)


@pytest.mark.parametrize(
    ("language", "subject", "groups", "button"),
    [
        (
            "tr",
            "İnceleme özeti: {count} konu bekliyor, {past} tanesi gecikmiş",
            [
                "Yeni gönderilen başvurular (1)",
                "İnceleme süresini aşan belgeler ({waiting})",
                "Asıl evrak süresi geçen başvurular (1)",
            ],
            "Yönetim sayfasını aç",
        ),
        (
            "en",
            "Review digest: {count} items waiting, {past} overdue",
            [
                "Newly submitted applications (1)",
                "Documents past the review time ({waiting})",
                "Applications with overdue originals (1)",
            ],
            "Open in the admin",
        ),
    ],
)
def test_the_reviewers_digest_groups_new_submissions_documents_past_the_sla_and_overdue_originals(
    applicant, other_applicant, reviewer, django_capture_on_commit_callbacks, language, subject, groups, button
):
    speaking(reviewer, language)
    late = awaiting_originals(other_applicant, reviewer)
    # The new submission is made 22 days before the sweep; the approval above 23: originals 21 days overdue.
    fresh = submitted(applicant)
    at = morning(23)
    waiting = Document.objects.filter(application=fresh, is_live=True).count()

    sweep(django_capture_on_commit_callbacks, at=at)

    [message] = mails_to(reviewer)
    items = due.reviewer_items(now=at)
    assert message.subject == subject.format(count=len(items), past=sum(item.is_past_due(at) for item in items))
    positions = [message.body.index(group.format(waiting=waiting)) for group in groups]
    assert positions == sorted(positions)
    html = html_of(message)
    for application in (fresh, late):
        link = settings.SITE_URL + reverse("admin:onboarding_application_change", args=[application.pk])
        assert f"{application.reference}" in message.body and f"  {link}\n" in message.body
        assert f'href="{link}"' in html
    assert f"{button}</a>" in html
    assert stop_link_of(message, reviewer) in message.body
