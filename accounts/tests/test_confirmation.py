"""Confirming the e-mail address by signed link; asking for a new link; the banner for unconfirmed users."""

import re
import time
from datetime import timedelta

import pytest
from django.core import signing
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings
from django.utils import timezone

from accounts import services
from accounts.models import User
from accounts.tests.helpers import link_path, registration

pytestmark = pytest.mark.django_db

RESEND_URL = "/hesap/dogrulama/yeniden-gonder/"


def _token_made_ago(monkeypatch, user: User, *, days: float, language: str = "tr") -> str:
    """A genuine token, signed as if `days` ago: the signer's clock is moved back only while signing."""
    signed_at = int(time.time() - days * 86400)
    with monkeypatch.context() as patch:
        patch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(signed_at))
        return services.make_confirmation_token(user, language=language)


def _confirm_path(token: str) -> str:
    return f"/hesap/dogrulama/{token}/"


def test_the_link_in_the_registration_email_confirms_the_address(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/hesap/kayit/", registration())
    path = link_path(mailoutbox[0].body, "/hesap/dogrulama/")

    response = client.get(path, follow=True)

    user = User.objects.get(email="mehmet@ornek-kurum.test")
    assert user.email_confirmed_at is not None
    assert response.redirect_chain[0] == ("/basvuru/", 302)
    assert "E-posta adresiniz doğrulandı. Teşekkürler!" in response.content.decode()


def test_a_visitor_who_is_not_logged_in_confirms_and_is_sent_to_the_login_page(client, applicant):
    token = services.make_confirmation_token(applicant, language="tr")

    response = client.get(_confirm_path(token))

    assert response.status_code == 302
    assert response.headers["Location"] == "/hesap/giris/"
    applicant.refresh_from_db()
    assert applicant.email_confirmed_at is not None
    assert "_auth_user_id" not in client.session  # a link in an e-mail never logs anyone in


def test_a_second_click_keeps_the_first_confirmation_time(client, applicant):
    token = services.make_confirmation_token(applicant, language="tr")
    client.get(_confirm_path(token))
    applicant.refresh_from_db()
    first = applicant.email_confirmed_at

    response = client.get(_confirm_path(token))

    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.email_confirmed_at == first


def test_an_expired_link_says_so_and_offers_a_new_one(client, applicant, monkeypatch):
    token = _token_made_ago(monkeypatch, applicant, days=3.1)

    response = client.get(_confirm_path(token))

    page = response.content.decode()
    assert response.status_code == 400
    assert "Bu doğrulama bağlantısının süresi dolmuş. Size yeni bir bağlantı gönderebiliriz." in page
    assert 'action="/hesap/dogrulama/yeniden-gonder/"' in page
    assert 'value="ayse@ornek-belediye.test"' in page
    applicant.refresh_from_db()
    assert applicant.email_confirmed_at is None


def test_a_link_just_inside_its_lifetime_still_works(client, applicant, monkeypatch):
    token = _token_made_ago(monkeypatch, applicant, days=2.9)

    client.get(_confirm_path(token))

    applicant.refresh_from_db()
    assert applicant.email_confirmed_at is not None


@override_settings(ACCOUNT_CONFIRM_MAX_AGE_DAYS=1)
def test_the_lifetime_of_a_link_comes_from_the_setting(client, applicant, monkeypatch):
    token = _token_made_ago(monkeypatch, applicant, days=1.5)

    response = client.get(_confirm_path(token))

    assert response.status_code == 400
    applicant.refresh_from_db()
    assert applicant.email_confirmed_at is None


def test_an_expired_link_of_an_address_already_confirmed_is_harmless(client, applicant, monkeypatch):
    confirmed_at = timezone.now() - timedelta(days=5)
    User.objects.filter(pk=applicant.pk).update(email_confirmed_at=confirmed_at)
    token = _token_made_ago(monkeypatch, applicant, days=4)

    response = client.get(_confirm_path(token))

    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.email_confirmed_at == confirmed_at


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature changed
        lambda token: "x" + token,  # payload changed
        lambda token: signing.dumps({"u": 1, "e": "ayse@ornek-belediye.test", "l": "tr"}, salt="another.salt"),
        lambda token: "yok",
    ],
)
def test_a_tampered_link_is_refused_with_its_own_message(client, applicant, tamper):
    token = tamper(services.make_confirmation_token(applicant, language="tr"))

    response = client.get(_confirm_path(token))

    assert response.status_code == 400
    assert "Bu doğrulama bağlantısı geçersiz." in response.content.decode()
    applicant.refresh_from_db()
    assert applicant.email_confirmed_at is None


def test_a_link_for_an_address_the_account_no_longer_has_is_refused(client, applicant):
    token = services.make_confirmation_token(applicant, language="tr")
    User.objects.filter(pk=applicant.pk).update(email="yeni@ornek-belediye.test")

    response = client.get(_confirm_path(token))

    assert response.status_code == 400
    assert User.objects.get(pk=applicant.pk).email_confirmed_at is None


def test_the_link_opens_the_site_in_the_language_of_its_email(client, applicant):
    token = services.make_confirmation_token(applicant, language="en")

    response = client.get(_confirm_path(token))

    assert response.cookies["django_language"].value == "en"


def test_a_logged_in_user_asks_for_a_new_link_and_returns_to_the_page(
    client, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(applicant)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESEND_URL, {"next": "/hesap/kayit/e-posta/"}, follow=True)

    assert response.redirect_chain == [("/hesap/kayit/e-posta/", 302)]
    assert "Doğrulama bağlantısını ayse@ornek-belediye.test adresine gönderdik." in response.content.decode()
    [message] = mailoutbox
    assert message.to == ["ayse@ornek-belediye.test"]
    assert message.subject == "E-posta adresinizi doğrulayın"
    client.get(link_path(message.body, "/hesap/dogrulama/"))
    applicant.refresh_from_db()
    assert applicant.email_confirmed_at is not None


def test_a_new_link_is_sent_at_most_once_a_minute(client, applicant, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(applicant)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESEND_URL)
        client.post(RESEND_URL)

    assert len(mailoutbox) == 1


def test_resend_never_redirects_off_site(client, applicant, django_capture_on_commit_callbacks):
    client.force_login(applicant)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESEND_URL, {"next": "https://kotu.example/"})

    assert response.headers["Location"] == "/"


def test_resend_by_address_answers_the_same_for_unknown_confirmed_and_unconfirmed_addresses(
    client, applicant, other_applicant, mailoutbox, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=other_applicant.pk).update(email_confirmed_at=timezone.now())
    answers = []
    for email in ["AYSE@ornek-belediye.test", "ikinci@baska-kurum.test", "kimse@yok.test"]:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(RESEND_URL, {"email": email}, follow=True)
        answers.append((response.redirect_chain, _alerts(response.content.decode())))

    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0] == [("/hesap/kayit/e-posta/", 302)]
    assert answers[0][1][0].startswith("Bu adrese ait, e-postası henüz doğrulanmamış bir hesap varsa")
    [message] = mailoutbox
    assert message.to == ["ayse@ornek-belediye.test"]


def test_the_resend_page_asks_a_visitor_for_the_address(client, db):
    page = client.get(RESEND_URL).content.decode()

    assert 'name="email"' in page


def test_a_confirmed_user_asking_for_a_new_link_is_told_it_is_not_needed(
    client, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=applicant.pk).update(email_confirmed_at=timezone.now())
    client.force_login(applicant)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESEND_URL, follow=True)

    assert "E-posta adresiniz zaten doğrulanmış." in response.content.decode()
    assert mailoutbox == []


def test_the_banner_asks_an_unconfirmed_user_to_confirm_and_offers_a_new_link(applicant):
    request = RequestFactory().get("/basvuru/")

    banner = render_to_string("accounts/_unconfirmed_banner.html", {"user": applicant}, request=request)

    assert "E-posta adresinizi (<strong>ayse@ornek-belediye.test</strong>) henüz doğrulamadınız." in banner
    assert 'action="/hesap/dogrulama/yeniden-gonder/"' in banner
    assert 'name="next" value="/basvuru/"' in banner
    assert "style=" not in banner


def test_the_banner_is_silent_for_a_confirmed_user_and_for_visitors(applicant):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    applicant.email_confirmed_at = timezone.now()

    for user in [applicant, AnonymousUser()]:
        assert render_to_string("accounts/_unconfirmed_banner.html", {"user": user}, request=request).strip() == ""


def _alerts(page: str) -> list[str]:
    """The texts of the page's alerts, which is where the answer to a resend request appears."""
    return [" ".join(text.split()) for text in re.findall(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', page, re.S)]
