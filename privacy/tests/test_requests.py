"""The footer's KVKK links and contacts, and the data subject's request form: it reaches staff (a row in the admin
for the Privacy role, an e-mail to the controller's address), and it is limited per IP and per e-mail address."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings

from accounts import roles
from conftest import _user
from outbox.models import OutboxEmail
from privacy.models import DataSubjectRequest

pytestmark = pytest.mark.django_db

URL = "/kvkk/basvuru/"
REQUEST = {
    "full_name": "Ayşe Işıkçı",
    "email": "ayse@ornek.test",
    "request_type": "access",
    "text": "Hakkımda tuttuğunuz verilerin bir kopyasını istiyorum.\nBaşvuru kodum: B-2026-0001",
}


@pytest.mark.parametrize("path", ["/", "/hesap/giris/", "/hesap/kayit/", "/kvkk/", URL, "/yardim/"])
def test_every_page_footer_has_the_notice_the_controller_and_the_request_form(client, path, settings):
    page = client.get(path).content.decode()

    footer = page[page.index("<footer") :]
    assert 'href="/kvkk/"' in footer
    assert f'href="{URL}"' in footer
    for value in ["name", "address", "kep", "email"]:
        assert settings.PORTAL_DATA_CONTROLLER[value] in footer


def test_a_request_is_stored_and_e_mailed_to_the_controller_and_confirmed(client, settings):
    response = client.post(URL, REQUEST, REMOTE_ADDR="203.0.113.5")

    assert response.status_code == 302
    assert response.headers["Location"] == "/kvkk/basvuru/alindi/"
    request = DataSubjectRequest.objects.get()
    assert (request.full_name, request.email, request.request_type, request.ip_address, request.user) == (
        "Ayşe Işıkçı",
        "ayse@ornek.test",
        "access",
        "203.0.113.5",
        None,
    )
    assert request.text.endswith("B-2026-0001")
    email = OutboxEmail.objects.get(about_type="privacy.datasubjectrequest", about_id=request.pk)
    assert email.to == [settings.PORTAL_DATA_CONTROLLER["requests_email"]]
    assert email.template == "kvkk_request"
    assert email.headers == {"Reply-To": "ayse@ornek.test"}
    assert email.context["request_type"] == "Verilerimin bir kopyasını almak"
    assert email.context["admin_url"].endswith(f"/admin/privacy/datasubjectrequest/{request.pk}/change/")
    done = client.get(response.headers["Location"]).content.decode()
    assert "30 gün" in done


def test_the_request_e_mail_reads_whole_to_staff(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, REQUEST)

    [message] = mailoutbox
    assert message.subject == "KVKK ilgili kişi başvurusu: Verilerimin bir kopyasını almak (Ayşe Işıkçı)"
    assert "Başvuru kodum: B-2026-0001" in message.body
    assert message.extra_headers["Reply-To"] == "ayse@ornek.test"


def test_a_logged_in_user_finds_the_form_filled_and_the_request_linked(client, applicant):
    client.force_login(applicant)

    form = client.get(URL).content.decode()
    client.post(URL, {**REQUEST, "email": applicant.email})

    assert f'value="{applicant.email}"' in form
    assert DataSubjectRequest.objects.get().user == applicant


def test_an_incomplete_request_is_refused_field_by_field(client):
    response = client.post(URL, {**REQUEST, "text": " ", "request_type": "sil-her-seyi"})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"text", "request_type"}
    assert not DataSubjectRequest.objects.exists()
    assert not OutboxEmail.objects.exists()


@override_settings(PORTAL_KVKK_REQUESTS_PER_DAY=2)
def test_one_ip_address_is_limited_per_day(client):
    for number in range(2):
        assert client.post(URL, {**REQUEST, "email": f"kisi{number}@ornek.test"}).status_code == 302

    refused = client.post(URL, {**REQUEST, "email": "baska@ornek.test"})

    assert refused.status_code == 429
    assert "Son 24 saatte" in refused.content.decode()
    assert DataSubjectRequest.objects.count() == 2
    assert OutboxEmail.objects.count() == 2
    # Another address is not held back by the first one's requests.
    assert client.post(URL, REQUEST, REMOTE_ADDR="198.51.100.7").status_code == 302


@override_settings(PORTAL_KVKK_REQUESTS_PER_DAY=2)
def test_one_e_mail_address_is_limited_per_day_whatever_the_ip_and_letter_case(client):
    for number in range(2):
        client.post(URL, REQUEST, REMOTE_ADDR=f"198.51.100.{number + 1}")

    refused = client.post(URL, {**REQUEST, "email": "AYSE@ornek.test"}, REMOTE_ADDR="198.51.100.99")

    assert refused.status_code == 429
    assert DataSubjectRequest.objects.count() == 2


@override_settings(PORTAL_KVKK_REQUESTS_PER_DAY=1)
def test_requests_older_than_a_day_do_not_count(client):
    client.post(URL, REQUEST)
    DataSubjectRequest.objects.update(created_at=DataSubjectRequest.objects.get().created_at - timedelta(hours=25))

    assert client.post(URL, REQUEST).status_code == 302


def test_staff_with_the_privacy_role_see_requests_in_the_admin_and_others_do_not(client, reviewer):
    client.post(URL, REQUEST)
    request = DataSubjectRequest.objects.get()
    officer = _user("kvkk@portal.test", role=roles.PRIVACY, is_staff=True, full_name="Elif Kaya")
    assert Group.objects.filter(name=roles.PRIVACY).exists()

    client.force_login(officer)
    listing = client.get("/admin/privacy/datasubjectrequest/")
    detail = client.get(f"/admin/privacy/datasubjectrequest/{request.pk}/change/")
    client.force_login(reviewer)
    refused = client.get("/admin/privacy/datasubjectrequest/")

    assert listing.status_code == 200 and "Ayşe Işıkçı" in listing.content.decode()
    assert detail.status_code == 200 and "B-2026-0001" in detail.content.decode()
    assert refused.status_code == 403
