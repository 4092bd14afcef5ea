"""Registration: the form, the account it creates, and the confirmation e-mail it queues."""

import re

import pytest
from django.conf import settings
from django.core import signing

from accounts import roles
from accounts.models import User
from accounts.services import CONFIRM_EMAIL_SALT, AccountError, register_applicant
from accounts.tests.helpers import REGISTRATION, link_path, registration

pytestmark = pytest.mark.django_db

URL = "/hesap/kayit/"


def test_the_registration_page_labels_every_field_and_leaves_validation_to_the_server(client):
    page = client.get(URL).content.decode()

    for field in ["email", "full_name", "mobile", "password1", "password2"]:
        assert re.search(rf'<label\s+for="id_{field}"', page)
    assert "novalidate" in page
    assert "style=" not in page


def test_an_applicant_registers_is_logged_in_and_is_sent_a_confirmation_email(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, registration())

    assert response.status_code == 302
    assert response.headers["Location"] == "/hesap/kayit/e-posta/"
    user = User.objects.get(email="mehmet@ornek-kurum.test")
    assert user.full_name == "Mehmet Öztürk"
    assert user.mobile == "+905321234567"
    assert user.email_confirmed_at is None
    assert user.check_password(REGISTRATION["password1"])
    assert list(user.groups.values_list("name", flat=True)) == [roles.APPLICANTS]
    assert client.session["_auth_user_id"] == str(user.pk)

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["mehmet@ornek-kurum.test"]
    assert message.subject == "E-posta adresinizi doğrulayın"
    assert "Merhaba Mehmet Öztürk," in message.body
    assert f"{settings.SITE_URL}/hesap/dogrulama/" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "E-postamı doğrula" in html
    assert link_path(html, "/hesap/dogrulama/") == link_path(message.body, "/hesap/dogrulama/")


def test_the_check_your_email_page_names_the_address_and_offers_a_resend(client, applicant):
    client.force_login(applicant)

    page = client.get("/hesap/kayit/e-posta/").content.decode()

    assert "ayse@ornek-belediye.test" in page
    assert 'action="/hesap/dogrulama/yeniden-gonder/"' in page


def test_an_address_taken_in_another_letter_case_is_refused_with_a_clear_message(
    client, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, registration(email="AYSE@Ornek-Belediye.test"))

    assert response.status_code == 200
    assert "Bu e-posta adresiyle bir hesap zaten var; giriş yapın veya parolanızı sıfırlayın." in (
        response.content.decode()
    )
    assert User.objects.filter(email__iexact="ayse@ornek-belediye.test").count() == 1
    assert mailoutbox == []


def test_the_service_refuses_a_taken_address_whatever_its_case(applicant):
    with pytest.raises(AccountError) as error:
        register_applicant(
            email="Ayse@ORNEK-belediye.test", password="x", full_name="Başka", mobile="+905321234567", language="tr"
        )

    assert error.value.code == "email_taken"
    assert User.objects.count() == 1


def test_a_landline_is_refused_with_a_message_saying_why(client):
    response = client.post(URL, registration(mobile="0212 123 45 67"))

    assert response.status_code == 200
    assert "sabit hat ve 0850 numaraları kabul edilmez" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Kisa-1", "Bu parola çok kısa. En az 10 karakter içermek zorunda."),
        ("password123", "Bu parola çok geneldir."),
        ("5318008135790", "Bu parola tamamıyla sayısaldır."),
        ("mehmet@ornek-kurum", "Parolanız e-posta adresi ile çok benzerdir."),
    ],
)
def test_a_weak_password_is_refused_with_the_validators_turkish_message(client, password, message):
    response = client.post(URL, registration(password1=password, password2=password))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_two_different_passwords_are_refused(client):
    response = client.post(URL, registration(password2="Baska-Parola-2026"))

    assert "İki parola alanı eşleşmedi." in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize("field", ["full_name", "mobile", "email"])
def test_a_nul_byte_is_a_form_error_not_a_server_error(client, field):
    response = client.post(URL, registration(**{field: "Mehmet\x00Öztürk"}))

    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert not User.objects.exists()


def test_the_name_is_stored_normalised_and_a_too_long_name_is_refused(client, django_capture_on_commit_callbacks):
    too_long = client.post(URL, registration(full_name="A" * 151))
    assert "Bu alan en fazla 150 karakter olabilir" in too_long.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        # "I" + combining dot above is how some keyboards produce "İ"; NFC stores the single letter.
        client.post(URL, registration(full_name="  I\u0307pek Yılmaz  "))
    assert User.objects.get().full_name == "İpek Yılmaz"


def test_a_logged_in_user_is_sent_home_from_the_registration_page(client, applicant):
    client.force_login(applicant)

    response = client.get(URL)

    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_registering_in_english_writes_the_email_and_its_link_in_english(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # chosen with the language switcher

    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, registration())

    [message] = mailoutbox
    [(html, _mimetype)] = message.alternatives
    assert '<html lang="en">' in html
    token = link_path(message.body, "/hesap/dogrulama/").split("/")[3]
    assert signing.loads(token, salt=CONFIRM_EMAIL_SALT)["l"] == "en"
