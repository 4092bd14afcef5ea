"""The help page, the branded error pages (and no debug page with DEBUG off), and the favicon."""

import pytest
from django.test import Client, override_settings

from onboarding.models import InstitutionType
from onboarding.turkish import format_phone

pytestmark = pytest.mark.django_db


def test_the_help_page_answers_the_guide_s_questions_with_the_contacts_from_the_settings(client, settings):
    settings.PORTAL_SUPPORT = {"phone": "+902626660000", "email": "yardim@bayi.test", "hours": "08.30–17.30"}

    page = client.get("/yardim/").content.decode()

    assert "0262 666 00 00" in page and 'href="tel:+902626660000"' in page
    assert "yardim@bayi.test" in page and "08.30–17.30" in page
    questions = ["Hangi hattı kullanmalıyım?", "Hangi belgeler gerekiyor?", "Asıl evrakı nereye", "Ne kadar tutar?"]
    assert all(question in page for question in questions)
    assert settings.PORTAL_CARGO_ADDRESS in page
    assert 'href="/#prices-title"' in page
    assert all(kind.name in page for kind in InstitutionType.objects.filter(is_active=True))  # from the catalogue


def test_the_help_page_is_linked_from_the_navbar_and_speaks_english(client):
    home = client.get("/").content.decode()
    assert 'href="/yardim/"' in home[: home.index("</nav>")]

    client.cookies["django_language"] = "en"
    page = client.get("/yardim/").content.decode()
    assert "How do I open an account?" in page


@pytest.mark.parametrize(
    ("number", "shown"),
    [("+902163950000", "0216 395 00 00"), ("02163950000", "0216 395 00 00"), ("444 1 555", "444 1 555")],
)
def test_phone_numbers_are_shown_as_turks_write_them(number, shown):
    assert format_phone(number) == shown


@override_settings(DEBUG=False)
def test_a_missing_page_is_branded_and_lists_no_urls(client):
    response = client.get("/boyle-bir-sayfa-yok/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "Aradığınız sayfayı bulamadık" in page
    assert 'href="/kvkk/"' in page  # the whole portal frame, footer included
    assert "URLconf" not in page and "basvuru/" not in page.split("<main")[1].split("</main>")[0]


@override_settings(DEBUG=False, ROOT_URLCONF="support.tests.urls")
def test_a_server_error_is_branded_and_shows_no_traceback():
    client = Client(raise_request_exception=False)

    response = client.get("/hata-deneme/")

    assert response.status_code == 500
    page = response.content.decode()
    assert "Beklenmeyen bir hata oluştu" in page
    assert "favicon.svg" in page
    assert "RuntimeError" not in page and "Traceback" not in page and "a bug" not in page


@override_settings(DEBUG=False)
def test_a_forbidden_page_is_branded(client, reviewer):
    client.force_login(reviewer)

    response = client.get("/admin/privacy/datasubjectrequest/")

    assert response.status_code == 403
    assert "Bu sayfayı görme izniniz yok" in response.content.decode()


def test_every_page_links_the_favicon_and_favicon_ico_leads_to_it(client):
    assert '<link rel="icon" href="/static/favicon.svg"' in client.get("/").content.decode()

    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response.headers["Location"] == "/static/favicon.svg"
    assert client.get("/favicon.ico", follow=False).status_code == 301
