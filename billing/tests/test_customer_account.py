"""The customer's account page: only its owner sees it; plan, balance, next expiry, threshold, ledger, orders."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from billing import ledger
from billing.models import BillingAccount, LedgerEntry
from billing.tests.customers import active_account
from onboarding.models import Application
from outbox.models import OutboxEmail
from reminders.models import Reminder


def url(account: BillingAccount, rest: str = "") -> str:
    return f"/musteri/{account.code}/{rest}"


@pytest.fixture
def prepaid(applicant, reviewer) -> BillingAccount:
    return active_account(applicant, reviewer, plan="prepaid")


@pytest.fixture
def owner(client, applicant):
    client.force_login(applicant)
    return client


def buy(account: BillingAccount, credits: int, *, key: str, months: int | None = None) -> None:
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    expires_at = today + datetime.timedelta(days=30 * months) if months else None
    ledger.credit(account, key=key, credits=credits, expires_at=expires_at, description=f"{credits} kontör")


def test_the_owner_sees_plan_balance_next_expiry_and_history(owner, prepaid):
    buy(prepaid, 1_000, key="a", months=2)
    buy(prepaid, 500, key="b", months=2)
    buy(prepaid, 5_000, key="c", months=12)
    ledger.debit(prepaid, key="use", credits=300, description="Kampanya")

    page = owner.get(url(prepaid)).content.decode()

    assert 'data-plan="prepaid"' in page and "Ön Ödemeli" in page
    assert 'data-balance="6200"' in page and "6.200" in page
    # The soonest lots (1,000 and 500 expiring together) minus the 300 drawn from them first.
    assert 'data-next-expiry="1200"' in page
    assert "1.200 kontörün süresi" in page
    assert page.count("data-entry=") == 4
    assert "Kampanya" in page and "-300" in page and "+5.000" in page
    # The package chosen in the wizard is the first order, awaiting payment.
    assert "Ödeme bekleniyor" in page and "2.600,00" in page
    assert 'href="/musteri/' + prepaid.code + '/paket-siparisi/"' in page


def test_anyone_else_gets_a_404_staff_included(client, prepaid, other_applicant, reviewer, finance, superuser):
    for user in (other_applicant, reviewer, finance, superuser):
        client.force_login(user)
        assert client.get(url(prepaid)).status_code == 404, user
        assert client.post(url(prepaid, "uyari-esigi/"), {"low_balance_threshold": "5"}).status_code == 404
    prepaid.refresh_from_db()
    assert prepaid.low_balance_threshold is None


def test_an_anonymous_visitor_is_sent_to_log_in(client, prepaid):
    response = client.get(url(prepaid))

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/hesap/giris/")


def test_an_unknown_code_is_a_404(owner, prepaid):
    assert owner.get("/musteri/TS-AAAA-AAAA/").status_code == 404


def test_the_threshold_is_saved_and_shown(owner, prepaid):
    buy(prepaid, 1_000, key="a")

    response = owner.post(url(prepaid, "uyari-esigi/"), {"low_balance_threshold": "250"})

    assert response.headers["Location"] == url(prepaid) + "#esik"
    prepaid.refresh_from_db()
    assert prepaid.low_balance_threshold == 250
    assert not prepaid.low_balance_alerted
    assert "Şu anki eşik: 250 kontör." in owner.get(url(prepaid)).content.decode()


def test_an_empty_threshold_turns_the_alert_off(owner, prepaid):
    owner.post(url(prepaid, "uyari-esigi/"), {"low_balance_threshold": "250"})

    owner.post(url(prepaid, "uyari-esigi/"), {"low_balance_threshold": ""})

    prepaid.refresh_from_db()
    assert prepaid.low_balance_threshold is None
    assert "Uyarı kapalı." in owner.get(url(prepaid)).content.decode()


@pytest.mark.parametrize("value", ["0", "-5", "on", "1.5", "٤٥", "3000000000"])
def test_a_threshold_that_is_not_a_positive_whole_number_is_refused(owner, prepaid, value):
    owner.post(url(prepaid, "uyari-esigi/"), {"low_balance_threshold": "100"})

    response = owner.post(url(prepaid, "uyari-esigi/"), {"low_balance_threshold": value})

    assert response.status_code == 400
    assert "low_balance_threshold" in response.context["threshold_form"].errors
    prepaid.refresh_from_db()
    assert prepaid.low_balance_threshold == 100


def test_saving_a_threshold_below_the_balance_re_arms_the_alert_and_the_next_crossing_sends_one(
    owner, prepaid, django_capture_on_commit_callbacks
):
    buy(prepaid, 1_000, key="a")
    # A threshold above the balance: already below it, known to the customer who is looking at it; no e-mail.
    owner.post(url(prepaid, "uyari-esigi/"), {"low_balance_threshold": "2000"})
    prepaid.refresh_from_db()
    assert prepaid.low_balance_alerted
    ledger.debit(prepaid, key="u1", credits=10)
    assert not Reminder.objects.filter(kind="low_balance").exists()

    # Lowered below the balance: re-armed, and the next fall below it sends exactly one reminder.
    owner.post(url(prepaid, "uyari-esigi/"), {"low_balance_threshold": "500"})
    prepaid.refresh_from_db()
    assert not prepaid.low_balance_alerted
    with django_capture_on_commit_callbacks(execute=True):
        ledger.debit(prepaid, key="u2", credits=600)  # 990 → 390
        ledger.debit(prepaid, key="u3", credits=100)  # still below: no second reminder

    reminders = Reminder.objects.filter(kind="low_balance", recipient=prepaid.owner)
    assert reminders.count() == 1
    assert OutboxEmail.objects.filter(pk=reminders.get().email_id).exists()


def test_the_ledger_is_paginated_newest_first(owner, prepaid):
    buy(prepaid, 10_000, key="start")
    for number in range(24):
        ledger.debit(prepaid, key=f"u{number}", credits=1, description=f"kullanım {number}")

    first = owner.get(url(prepaid)).content.decode()
    second = owner.get(url(prepaid), {"sayfa": 2}).content.decode()

    assert first.count("data-entry=") == 20 and second.count("data-entry=") == 5
    assert "kullanım 23" in first and "Sayfa 1 / 2" in first
    assert "kullanım 0<" in second and "Satın alma" in second


def test_the_account_page_query_count_does_not_grow_with_the_ledger(owner, prepaid):
    buy(prepaid, 100_000, key="start", months=6)
    with CaptureQueriesContext(connection) as few:
        assert owner.get(url(prepaid)).status_code == 200
    for number in range(60):
        ledger.debit(prepaid, key=f"u{number}", credits=3)
    for number in range(5):
        buy(prepaid, 10, key=f"lot{number}", months=number + 1)
    with CaptureQueriesContext(connection) as many:
        assert owner.get(url(prepaid)).status_code == 200

    assert LedgerEntry.objects.filter(account=prepaid).count() == 66
    assert len(many.captured_queries) == len(few.captured_queries) <= 12


def test_an_invoiced_account_links_to_its_statements_and_sells_no_packages(client, applicant, reviewer):
    account = active_account(applicant, reviewer, plan="invoiced", e_invoice_user=True)
    client.force_login(applicant)

    page = client.get(url(account)).content.decode()

    assert 'data-plan="invoiced"' in page and "Faturalı" in page
    assert f'href="/musteri/{account.code}/faturalar/"' in page
    assert "e-Fatura" in page
    assert "paket-siparisi" not in page and "data-balance" not in page


def test_the_application_pages_link_the_account_once_active(owner, applicant, prepaid):
    list_page = owner.get("/basvuru/").content.decode()
    status_page = owner.get(f"/basvuru/{prepaid.code}/").content.decode()

    link = f'href="/musteri/{prepaid.code}/"'
    assert link in list_page and link in status_page
    # A draft beside it has no account and no link.
    draft = owner.post("/basvuru/yeni/")
    assert draft.status_code == 302
    reference = Application.objects.exclude(pk=prepaid.application_id).get().reference
    assert f'href="/musteri/{reference}/"' not in owner.get("/basvuru/").content.decode()
    assert len(re.findall(r'href="/musteri/', owner.get("/basvuru/").content.decode())) == 1
