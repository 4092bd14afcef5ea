"""Brute-force protection on login (django-axes): five failures lock an address for 15 minutes, generically."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN_URL = "/hesap/giris/"
LOCKOUT_MESSAGE = (
    "Bu e-posta adresiyle çok fazla başarısız giriş denemesi yapıldı. Güvenliğiniz için giriş 15 dakika süreyle "
    "durduruldu; lütfen daha sonra yeniden deneyin ya da parolanızı sıfırlayın."
)


def _fail(client, email, times, **request):
    return [client.post(LOGIN_URL, {"username": email, "password": "yanlis-parola"}, **request) for _ in range(times)]


def _alerts(response) -> list[str]:
    page = response.content.decode()
    return [" ".join(text.split()) for text in re.findall(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', page, re.S)]


def test_four_failures_still_get_the_ordinary_message(client, applicant):
    responses = _fail(client, applicant.email, 4)

    assert [response.status_code for response in responses] == [200] * 4
    assert "E-posta adresi veya parola hatalı" in responses[-1].content.decode()


def test_the_fifth_failure_locks_the_address_even_against_the_right_password(client, applicant):
    responses = _fail(client, applicant.email, 5)
    right_password = client.post(LOGIN_URL, {"username": applicant.email, "password": PASSWORD})

    assert responses[-1].status_code == 429
    assert right_password.status_code == 429
    assert _alerts(right_password) == [LOCKOUT_MESSAGE]
    assert "_auth_user_id" not in client.session


def test_an_unknown_address_is_locked_with_exactly_the_same_page(client, applicant):
    known = _fail(client, applicant.email, 6)[-1]
    unknown = _fail(client, "kimse@yok.test", 6)[-1]

    assert known.status_code == unknown.status_code == 429
    assert _alerts(known) == _alerts(unknown) == [LOCKOUT_MESSAGE]
    assert known.templates[0].name == unknown.templates[0].name == "accounts/login.html"


def test_changing_the_letter_case_of_the_address_does_not_reset_the_count(client, applicant):
    for email in [
        "ayse@ornek-belediye.test",
        "AYSE@ornek-belediye.test",
        "Ayse@Ornek-Belediye.test",
        "aYSE@ornek-belediye.TEST",
    ]:
        _fail(client, email, 1)

    fifth = _fail(client, " ayse@ORNEK-belediye.test ", 1)[-1]

    assert fifth.status_code == 429


def test_rotating_ip_address_and_user_agent_does_not_escape_the_lock(client, applicant):
    for number in range(4):
        _fail(client, applicant.email, 1, REMOTE_ADDR=f"203.0.113.{number}", HTTP_USER_AGENT=f"robot/{number}")

    fifth = _fail(client, applicant.email, 1, REMOTE_ADDR="198.51.100.7", HTTP_USER_AGENT="another")[-1]

    assert fifth.status_code == 429


def test_a_locked_address_does_not_lock_anyone_else(client, applicant, other_applicant):
    _fail(client, applicant.email, 5)

    response = client.post(LOGIN_URL, {"username": other_applicant.email, "password": PASSWORD})

    assert response.status_code == 302


def test_a_successful_login_resets_the_count(client, applicant):
    _fail(client, applicant.email, 4)
    assert client.post(LOGIN_URL, {"username": applicant.email, "password": PASSWORD}).status_code == 302
    client.post("/hesap/cikis/")

    responses = _fail(client, applicant.email, 4)

    assert not AccessAttempt.objects.filter(failures_since_start__gte=5).exists()
    assert [response.status_code for response in responses] == [200] * 4


def test_the_lock_ends_after_fifteen_minutes(client, applicant):
    _fail(client, applicant.email, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=15, seconds=1))

    response = client.post(LOGIN_URL, {"username": applicant.email, "password": PASSWORD})

    assert response.status_code == 302


def test_the_admin_login_is_protected_by_the_same_lock(client, reviewer):
    _fail(client, reviewer.email, 5)

    response = client.post("/admin/login/", {"username": reviewer.email, "password": PASSWORD})

    assert response.status_code == 429
