"""KVKK at registration and submission: the applicant is informed (the notice's version recorded), never made to
consent; the one optional consent is a separate, unticked choice recorded with its text's version only when given."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.tests.helpers import registration
from onboarding.models import Consent
from onboarding.tests.helpers import complete_draft
from privacy.models import PrivacyText

pytestmark = pytest.mark.django_db


def review_url(application) -> str:
    return f"/basvuru/{application.reference}/onay/"


@pytest.fixture
def logged_in(client, applicant):
    client.force_login(applicant)
    return client


def notice() -> PrivacyText:
    return PrivacyText.objects.in_force(PrivacyText.Kind.NOTICE)


def test_the_review_step_shows_the_notice_and_an_unticked_optional_consent_but_asks_for_no_consent(
    logged_in, applicant
):
    application = complete_draft(applicant)

    page = logged_in.get(review_url(application)).content.decode()

    assert notice().title in page
    assert f'name="notice_version" value="{notice().version}"' in page
    marketing = re.search(r"<input[^>]*name=\"marketing_email\"[^>]*>", page).group(0)
    assert "checked" not in marketing and "required" not in marketing
    # The old boxes ("I have read…", "I consent to the processing…") are gone.
    assert "kvkk_notice" not in page and "explicit_consent" not in page
    assert "okudum ve anladım" not in page


def test_the_kvkk_flow_submits_without_optional_consent(logged_in, applicant, django_capture_on_commit_callbacks):
    application = complete_draft(applicant)

    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in.post(review_url(application), {"notice_version": notice().version})

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted"
    assert list(Consent.objects.filter(application=application).values_list("kind", "text_version", "user")) == [
        ("kvkk_notice", notice().version, applicant.pk)
    ]


def test_the_optional_consent_when_given_is_recorded_with_its_text_version(logged_in, applicant):
    application = complete_draft(applicant)
    consent_text = PrivacyText.objects.in_force(PrivacyText.Kind.MARKETING_EMAIL)

    logged_in.post(review_url(application), {"notice_version": notice().version, "marketing_email": "on"})

    application.refresh_from_db()
    assert application.status == "submitted"
    assert sorted(Consent.objects.filter(application=application).values_list("kind", "text_version")) == [
        ("kvkk_notice", notice().version),
        ("marketing_email", consent_text.version),
    ]


def test_the_record_names_the_version_the_page_showed_even_if_a_newer_one_came_into_force(logged_in, applicant):
    application = complete_draft(applicant)
    shown = notice()
    PrivacyText.objects.create(
        kind="notice", version="2026-12-v2", effective_from=timezone.localdate(), title="Yeni", body="Yeni metin"
    )
    assert notice().version == "2026-12-v2"

    logged_in.post(review_url(application), {"notice_version": shown.version})

    assert Consent.objects.get(application=application).text_version == shown.version


@pytest.mark.parametrize("posted", ["", "yok-boyle-surum", "gelecek"])
def test_an_unknown_or_future_version_posted_records_the_one_in_force(logged_in, applicant, posted):
    PrivacyText.objects.create(
        kind="notice",
        version="gelecek",
        effective_from=timezone.localdate() + timedelta(days=30),
        title="Gelecek",
        body="Henüz yürürlükte değil",
    )
    application = complete_draft(applicant)

    logged_in.post(review_url(application), {"notice_version": posted})

    assert Consent.objects.get(application=application).text_version == notice().version


def test_registration_shows_the_notice_and_records_its_version_with_the_account(client):
    page = client.get("/hesap/kayit/").content.decode()
    assert notice().title in page
    assert f'value="{notice().version}"' in page

    response = client.post("/hesap/kayit/", registration(notice_version=notice().version))

    assert response.status_code == 302
    user = User.objects.get(email="mehmet@ornek-kurum.test")
    assert list(user.consents.values_list("kind", "text_version", "application")) == [
        ("kvkk_notice", notice().version, None)
    ]


def test_the_notice_page_shows_the_text_in_force_in_turkish_and_english(client):
    page = client.get("/kvkk/").content.decode()
    assert notice().version in page
    assert "Veri sorumlusu: Asist Bilgi Teknolojileri" in page
    assert "{veri_sorumlusu}" not in page

    client.cookies["django_language"] = "en"
    english = client.get("/kvkk/")
    assert "Data controller: Asist Bilgi Teknolojileri" in english.content.decode()


def test_a_text_in_force_is_read_only_in_the_admin_and_a_future_one_is_editable(client, superuser):
    client.force_login(superuser)
    future = PrivacyText.objects.create(
        kind="notice",
        version="2027-01-v1",
        effective_from=timezone.localdate() + timedelta(days=30),
        title="Ocak",
        body="Ocak metni",
    )

    in_force = client.get(f"/admin/privacy/privacytext/{notice().pk}/change/").content.decode()
    editable = client.get(f"/admin/privacy/privacytext/{future.pk}/change/").content.decode()

    assert 'name="body"' not in in_force
    assert 'name="body"' in editable


def test_staff_find_every_kvkk_record_in_the_admin_registration_included_and_cannot_alter_them(client, superuser):
    client.post("/hesap/kayit/", registration(notice_version=notice().version))
    client.logout()
    client.force_login(superuser)
    record = Consent.objects.get(user__email="mehmet@ornek-kurum.test")

    listing = client.get("/admin/onboarding/consent/").content.decode()
    detail = client.get(f"/admin/onboarding/consent/{record.pk}/change/")

    assert "mehmet@ornek-kurum.test" in listing and notice().version in listing
    assert detail.status_code == 200 and 'name="text_version"' not in detail.content.decode()
    assert client.post(f"/admin/onboarding/consent/{record.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Consent.objects.filter(pk=record.pk).exists()
