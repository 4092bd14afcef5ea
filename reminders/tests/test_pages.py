"""The person-facing pages of reminders: the one-click stop link and the notification preferences."""

from django.conf import settings
from django.core import signing
from django.shortcuts import resolve_url
from django.test import Client

from documents.models import Document
from onboarding import services as onboarding
from onboarding.tests.helpers import draft_with_answers, submitted
from onboarding.workflow import approve_document
from reminders import services
from reminders.models import Reminder
from reminders.tests.helpers import mails_to, morning, stop_link_of, sweep

PREFERENCES = "/hesap/bildirimler/"


def path_of(url: str) -> str:
    return url.removeprefix(settings.SITE_URL)


def reminded(applicant, capture, *, days: int = 2):
    """A draft left alone, and the reminder the sweep sent about it."""
    draft = draft_with_answers(applicant)
    sweep(capture, at=morning(days))
    [message] = mails_to(applicant)
    return draft, message


# --- The stop link --------------------------------------------------------------------------------------------------


def test_opening_the_stop_link_asks_first_and_changes_nothing(applicant, django_capture_on_commit_callbacks):
    _draft, message = reminded(applicant, django_capture_on_commit_callbacks)
    stop = path_of(stop_link_of(message, applicant))

    response = Client().get(stop)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>ayse@ornek-belediye.test</strong> adresine eksikleriniz için hatırlatma göndermeyi" in html
    assert f'<form method="post" action="{stop}"' in html
    assert 'name="robots" content="noindex"' in html
    applicant.refresh_from_db()
    assert applicant.reminders_opted_out_at is None


def test_the_one_click_post_of_a_mail_program_stops_reminders_and_the_next_sweep_sends_nothing(
    applicant, django_capture_on_commit_callbacks, mailoutbox
):
    _draft, message = reminded(applicant, django_capture_on_commit_callbacks)
    # What a mail program does with List-Unsubscribe-Post: a POST without cookies or CSRF token.
    mail_program = Client(enforce_csrf_checks=True)

    response = mail_program.post(path_of(stop_link_of(message, applicant)), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert "adresine artık hatırlatma göndermeyeceğiz" in response.content.decode()
    applicant.refresh_from_db()
    assert applicant.reminders_opted_out_at is not None
    mailoutbox.clear()
    # Five days on, the second step of the cadence is due: nothing is recorded and nothing is sent.
    result = sweep(django_capture_on_commit_callbacks, at=morning(5))
    assert (result.emails, result.reminders) == (0, 0)
    assert mails_to(applicant) == []
    assert list(Reminder.objects.filter(recipient=applicant).values_list("step", flat=True)) == [1]


def test_a_second_visit_to_the_stop_link_says_reminders_are_already_stopped(
    applicant, django_capture_on_commit_callbacks
):
    _draft, message = reminded(applicant, django_capture_on_commit_callbacks)
    stop = path_of(stop_link_of(message, applicant))
    Client().post(stop)
    applicant.refresh_from_db()
    first_stop = applicant.reminders_opted_out_at

    response = Client().get(stop)

    assert "adresine hatırlatma gönderimi zaten durdurulmuş" in response.content.decode()
    applicant.refresh_from_db()
    assert applicant.reminders_opted_out_at == first_stop


def test_a_forged_or_garbled_stop_link_is_not_found_and_stops_nothing(applicant):
    genuine = services.unsubscribe_token(applicant)
    forged = [
        "garbled",
        genuine[:-2] + ("AA" if not genuine.endswith("AA") else "BB"),
        signing.dumps({"u": applicant.pk}, salt="another.purpose"),
        signing.dumps({"u": applicant.pk}, key="not-our-secret-key-0123456789", salt=services.UNSUBSCRIBE_SALT),
        signing.dumps([applicant.pk], salt=services.UNSUBSCRIBE_SALT),
    ]
    client = Client(enforce_csrf_checks=True)

    for token in forged:
        assert client.get(f"{PREFERENCES}durdur/{token}/").status_code == 404
        assert client.post(f"{PREFERENCES}durdur/{token}/").status_code == 404

    applicant.refresh_from_db()
    assert applicant.reminders_opted_out_at is None


def test_a_decision_still_reaches_a_person_who_stopped_reminders(
    applicant, reviewer, django_capture_on_commit_callbacks, mailoutbox
):
    application = submitted(applicant)
    approve_document(Document.objects.filter(application=application, is_live=True).first(), actor=reviewer)
    Client(enforce_csrf_checks=True).post(path_of(services.unsubscribe_url(applicant)))
    applicant.refresh_from_db()
    assert applicant.reminders_opted_out_at is not None
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        onboarding.reject_application(application, actor=reviewer, reason="Kurum bilgileri doğrulanamadı.")

    [message] = mails_to(applicant)
    assert message.subject == f"Başvurunuz hakkında: {application.reference}"
    assert "Kurum bilgileri doğrulanamadı." in message.body


# --- The preferences page -------------------------------------------------------------------------------------------


def test_the_preferences_page_needs_a_login(client):
    response = client.get(PREFERENCES)

    assert response.status_code == 302
    assert response.headers["Location"] == f"{resolve_url(settings.LOGIN_URL)}?next={PREFERENCES}"


def test_the_preferences_page_shows_the_switch_and_the_languages_as_labelled_controls(client, applicant):
    client.force_login(applicant)

    html = client.get(PREFERENCES).content.decode()

    assert '<input type="checkbox" name="reminders" id="id_reminders" class="form-check-input" role="switch"' in html
    assert 'aria-describedby="id_reminders_help" checked>' in html
    assert '<label class="form-check-label fw-semibold" for="id_reminders">' in html
    assert '<legend class="form-label fs-6 fw-semibold mb-1">E-postaların dili</legend>' in html
    assert 'value="tr" class="form-check-input" id="id_language_0" required checked>' in html
    assert '<label class="form-check-label" for="id_language_1">İngilizce</label>' in html
    assert "Henüz size hatırlatma göndermedik." in html


def test_saving_preferences_turns_reminders_off_and_on_and_a_later_reminder_comes_in_the_chosen_language(
    client, applicant, django_capture_on_commit_callbacks
):
    draft = draft_with_answers(applicant)
    client.force_login(applicant)

    response = client.post(PREFERENCES, {"language": "en"}, follow=True)

    assert "Bildirim tercihleriniz kaydedildi." in response.content.decode()
    applicant.refresh_from_db()
    assert applicant.language == "en" and applicant.reminders_opted_out_at is not None
    assert sweep(django_capture_on_commit_callbacks, at=morning(2)).emails == 0
    assert mails_to(applicant) == []

    client.post(PREFERENCES, {"reminders": "on", "language": "en"})

    applicant.refresh_from_db()
    assert applicant.reminders_opted_out_at is None
    sweep(django_capture_on_commit_callbacks, at=morning(2))
    [message] = mails_to(applicant)
    assert message.subject == f"Your application is waiting as a draft ({draft.reference})"
    assert "Dear Ayşe Yılmaz," in message.body


def test_a_language_the_portal_does_not_speak_is_refused_with_an_announced_error(client, applicant):
    client.force_login(applicant)

    response = client.post(PREFERENCES, {"reminders": "on", "language": "de"})

    assert response.status_code == 200
    html = response.content.decode()
    assert '<div class="alert alert-danger" role="alert">' in html
    assert 'aria-describedby="language-error"' in html
    applicant.refresh_from_db()
    assert applicant.language == "tr"


def test_the_preferences_page_lists_the_reminders_we_sent_in_a_constant_number_of_queries(
    client, applicant, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    draft, _message = reminded(applicant, django_capture_on_commit_callbacks)
    sweep(django_capture_on_commit_callbacks, at=morning(5))
    client.force_login(applicant)

    with django_assert_max_num_queries(8):
        html = client.get(PREFERENCES).content.decode()

    assert html.count("tarihinde size hatırlattık:") == 2
    assert html.count("Başvurunuz taslakta bekliyor") == 2
    assert html.count(f'<a href="/basvuru/{draft.reference}/">{draft.reference}</a>') == 2


def test_logged_in_people_find_their_notification_preferences_in_the_navigation(client, applicant):
    assert f'href="{PREFERENCES}"' not in client.get("/").content.decode()
    client.force_login(applicant)

    assert f'<a class="nav-link" href="{PREFERENCES}">Bildirimler</a>' in client.get("/").content.decode()
    assert f'href="{PREFERENCES}" aria-current="page">Bildirimler</a>' in client.get(PREFERENCES).content.decode()
