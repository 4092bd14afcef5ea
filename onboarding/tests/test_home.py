"""The home page: what the service is, the guide's three steps, the corporate-line warning, in both languages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from billing.models import CreditPackage, PackagePrice


def test_home_speaks_turkish_by_default(client, db):
    response = client.get("/")

    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="tr">' in page
    assert "Ödeme tipini seçin" in page
    assert "Belgeleri hazırlayın ve yükleyin" in page
    assert "Asıllarını kargoyla gönderin" in page
    # The guide's closing note and its warning, and the cargo address from the settings.
    assert "kurumsal bir Turkcell hattı olmalıdır" in page
    assert "hat veya işlem ücreti dışında hiçbir ücret ödemeyin" in page
    assert "Teknopark İstanbul Teknoloji Geliştirme Bölgesi" in page
    assert "Muhtarlıklar" in page
    assert 'href="/hesap/giris/"' in page


def test_home_shows_package_prices_from_the_billing_catalogue(client, db):
    PackagePrice.objects.create(
        package=CreditPackage.objects.get(credits=5_000), price="1234.50", valid_from=timezone.localdate()
    )

    page = client.get("/").content.decode()

    assert "5.000 kontör" in page
    assert "1.234,50" in page


def test_home_switches_to_english_on_request(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302

    page = client.get("/").content.decode()

    assert '<html lang="en">' in page
    assert "Choose how you pay" in page
    assert "Neighbourhood and village headman offices" in page


def test_home_sends_a_strict_content_security_policy_with_nonces(client, db):
    response = client.get("/")

    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_home_query_count_does_not_grow_with_the_catalogue(client, db):
    with CaptureQueriesContext(connection) as before:
        client.get("/")
    for credits in range(200_000, 200_050):
        package = CreditPackage.objects.create(credits=credits)
        PackagePrice.objects.create(package=package, price="1.00", valid_from=datetime.date(2026, 1, 1))
    with CaptureQueriesContext(connection) as after:
        client.get("/")

    assert len(after.captured_queries) == len(before.captured_queries) <= 4


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_home_answers_only_safe_methods(client, db, method):
    assert getattr(client, method)("/").status_code == 405


def test_health_check_reports_ok(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_a_browser_set_to_english_still_gets_turkish_until_the_visitor_chooses(client, db):
    page = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()

    assert '<html lang="tr">' in page
