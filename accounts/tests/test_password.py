"""Password reset by e-mail link and password change."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings

from accounts.models import User
from accounts.tests.helpers import link_path
from conftest import PASSWORD

pytestmark = pytest.mark.django_db

RESET_URL = "/hesap/parola/sifirla/"
NEW_PASSWORD = "Yepyeni-Parola-2026"


def _request_reset(client, email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(RESET_URL, {"email": email})


def test_a_password_reset_emails_a_turkish_link_that_sets_a_new_password(
    client, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    response = _request_reset(client, "AYSE@ornek-belediye.test", django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response.headers["Location"] == "/hesap/parola/sifirla/gonderildi/"
    [message] = mailoutbox
    assert message.to == ["ayse@ornek-belediye.test"]
    assert message.subject == "Parola sıfırlama isteğiniz"
    assert "Merhaba Ayşe Yılmaz," in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "Yeni parola belirle" in html
    assert f"{settings.SITE_URL}/hesap/parola/sifirla/" in message.body

    form_page = client.get(link_path(message.body, "/hesap/parola/sifirla/"), follow=True)
    assert "Yeni parolanızı belirleyin" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert done.headers["Location"] == "/hesap/parola/sifirla/tamam/"
    applicant.refresh_from_db()
    assert applicant.check_password(NEW_PASSWORD)
    # The link reached the mailbox: that proves the address as well as a confirmation link would.
    assert applicant.email_confirmed_at is not None


def test_a_reset_link_works_only_once(client, applicant, mailoutbox, django_capture_on_commit_callbacks):
    _request_reset(client, applicant.email, django_capture_on_commit_callbacks)
    path = link_path(mailoutbox[0].body, "/hesap/parola/sifirla/")
    form_page = client.get(path, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = client.get(path, follow=True)

    assert "Bu parola sıfırlama bağlantısı geçersiz" in again.content.decode()


def test_a_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(
    client, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    known = _request_reset(client, applicant.email, django_capture_on_commit_callbacks)
    unknown = _request_reset(client, "kimse@yok.test", django_capture_on_commit_callbacks)

    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert [message.to for message in mailoutbox] == [["ayse@ornek-belediye.test"]]


def test_the_reset_link_is_built_from_site_url_not_from_the_request_host(
    client, applicant, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.ALLOWED_HOSTS = ["*"]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESET_URL, {"email": applicant.email}, headers={"host": "kotu.example"})

    assert "kotu.example" not in mailoutbox[0].body
    assert f"{settings.SITE_URL}/hesap/parola/sifirla/" in mailoutbox[0].body


def test_a_reset_lifts_the_login_lockout_it_was_suggested_by(
    client, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    for _ in range(5):
        client.post("/hesap/giris/", {"username": applicant.email, "password": "yanlis-parola"})
    assert AccessAttempt.objects.exists()

    _request_reset(client, applicant.email, django_capture_on_commit_callbacks)
    form_page = client.get(link_path(mailoutbox[0].body, "/hesap/parola/sifirla/"), follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    login = client.post("/hesap/giris/", {"username": applicant.email, "password": NEW_PASSWORD})

    assert login.status_code == 302
    assert not AccessAttempt.objects.exists()


def test_password_change_needs_a_login(client, db):
    response = client.get("/hesap/parola/degistir/")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/hesap/giris/?next=")


def test_a_user_changes_the_password_and_stays_logged_in(client, applicant):
    client.force_login(applicant)

    response = client.post(
        "/hesap/parola/degistir/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert response.redirect_chain == [("/hesap/parola/degistir/tamam/", 302)]
    assert "Parolanız değiştirildi" in response.content.decode()
    assert response.context["user"].is_authenticated
    assert User.objects.get(pk=applicant.pk).check_password(NEW_PASSWORD)


def test_a_password_change_with_a_wrong_old_password_or_a_weak_new_one_is_refused(client, applicant):
    client.force_login(applicant)

    wrong_old = client.post(
        "/hesap/parola/degistir/",
        {"old_password": "yanlis", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    weak_new = client.post(
        "/hesap/parola/degistir/", {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"}
    )

    assert "Eski parolanız yanlış girildi." in wrong_old.content.decode()
    assert "Bu parola çok kısa." in weak_new.content.decode()
    assert User.objects.get(pk=applicant.pk).check_password(PASSWORD)


def test_reset_emails_are_limited_to_one_a_minute_per_account_with_the_same_answer_for_every_address(
    client, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    answers = []
    for email in ["ayse@ornek-belediye.test", "AYSE@ornek-belediye.test", *["ayse@ornek-belediye.test"] * 3]:
        answers.append(_request_reset(client, email, django_capture_on_commit_callbacks).headers["Location"])
    unknown = _request_reset(client, "kimse@yok.test", django_capture_on_commit_callbacks).headers["Location"]

    # Five requests, one e-mail; every answer, also for an address with no account, is the same page.
    assert [message.to for message in mailoutbox] == [["ayse@ornek-belediye.test"]]
    assert set(answers) == {unknown} == {"/hesap/parola/sifirla/gonderildi/"}


def test_a_reset_email_can_be_asked_for_again_after_a_minute(
    client, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from outbox.models import OutboxEmail

    _request_reset(client, applicant.email, django_capture_on_commit_callbacks)
    OutboxEmail.objects.update(created_at=timezone.now() - timedelta(seconds=61))  # a minute later
    _request_reset(client, applicant.email, django_capture_on_commit_callbacks)

    assert len(mailoutbox) == 2
