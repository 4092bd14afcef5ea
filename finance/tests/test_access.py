"""Who enters the finance area: finance staff and superusers; reviewers and applicants are refused (403), anonymous
visitors are sent to log in. Every page and every export is checked, not only the dashboard."""

import pytest
from django.conf import settings
from django.urls import reverse

from finance.reports import REPORTS
from finance.tests.helpers import make_account

pytestmark = pytest.mark.django_db

URLS = [reverse("finance:dashboard")]
for _report in REPORTS:
    URLS += [
        reverse(f"finance:{_report.name}"),
        reverse(f"finance:{_report.name}-export", kwargs={"fmt": "csv"}),
        reverse(f"finance:{_report.name}-export", kwargs={"fmt": "xlsx"}),
    ]


def fetch(client, url):
    response = client.get(url)
    if response.streaming or hasattr(response, "file_to_stream"):
        b"".join(response.streaming_content)
    return response


@pytest.mark.parametrize("url", URLS)
def test_finance_staff_open_every_page_and_export(client, finance, url):
    make_account("Şişli Belediyesi")
    client.force_login(finance)
    assert fetch(client, url).status_code == 200


@pytest.mark.parametrize("url", URLS)
def test_reviewers_and_applicants_are_refused_everywhere(client, reviewer, applicant, url):
    make_account("Şişli Belediyesi")
    for user in (reviewer, applicant):
        client.force_login(user)
        response = fetch(client, url)
        assert response.status_code == 403, (user, url)
        assert b"Belediyesi" not in response.content


@pytest.mark.parametrize("url", URLS)
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    assert "next=" in response["Location"]


def test_a_superuser_enters_too(client, superuser):
    client.force_login(superuser)
    assert client.get(reverse("finance:dashboard")).status_code == 200


def test_an_unknown_export_format_is_not_found(client, finance):
    client.force_login(finance)
    assert client.get("/finans/hesaplar/disa-aktar.pdf").status_code == 404


def test_the_pages_answer_only_get(client, finance):
    client.force_login(finance)
    assert client.post(reverse("finance:dashboard")).status_code == 405
    assert client.post(reverse("finance:accounts")).status_code == 405


def test_the_site_navigation_links_the_finance_area_only_for_those_who_may_enter(
    client, finance, reviewer, applicant
):
    link = f'href="{reverse("finance:dashboard")}"'
    client.force_login(finance)
    assert link in client.get("/").content.decode()
    for user in (reviewer, applicant):
        client.force_login(user)
        assert link not in client.get("/").content.decode()


def test_finance_sees_money_but_never_documents_and_reviewers_see_no_money(finance, reviewer):
    assert finance.has_perm("billing.view_billingaccount")
    assert finance.has_perm("billing.view_ledgerentry")
    assert not finance.has_perm("documents.view_document")
    assert not finance.has_perm("documents.view_documentfile")
    assert not reviewer.has_perm("billing.view_billingaccount")
    assert not reviewer.has_perm("billing.view_ledgerentry")
    assert not reviewer.has_perm("billing.view_statement")


def test_the_finance_area_speaks_english_on_request(client, finance):
    make_account("Şişli Belediyesi")
    client.force_login(finance)
    client.post("/i18n/setlang/", {"language": "en", "next": "/finans/"})

    dashboard = client.get(reverse("finance:dashboard")).content.decode()
    accounts = client.get(reverse("finance:accounts")).content.decode()

    assert '<html lang="en">' in dashboard
    assert "Finance overview" in dashboard and "Package revenue by month" in dashboard
    assert "Accounts by plan" in accounts and "Download CSV" in accounts and "On this plan since" in accounts
    assert "Prepaid" in accounts  # the plan, by its translated label


def test_finance_lands_in_the_finance_area_after_login_and_reviewers_in_the_admin(client, finance, reviewer):
    from conftest import PASSWORD

    landed = client.post("/hesap/giris/", {"username": finance.email, "password": PASSWORD}, follow=True)
    assert landed.redirect_chain[-1][0] == "/finans/"
    client.logout()
    landed = client.post("/hesap/giris/", {"username": reviewer.email, "password": PASSWORD}, follow=True)
    assert landed.redirect_chain[-1][0] == "/admin/"
