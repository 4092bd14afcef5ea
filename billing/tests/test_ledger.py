"""The prepaid credit ledger: insert-only, never below zero, idempotent by key, soonest-expiring credits first."""

import datetime

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from billing import ledger
from billing.models import CreditLot, ImmutableError, LedgerAllocation, LedgerEntry
from billing.tests.factories import make_account
from conftest import run_at_once
from outbox.models import OutboxEmail
from reminders.models import Reminder

NOW = datetime.datetime(2026, 12, 4, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def account(applicant):
    return make_account(applicant)


def _buy(account, credits, *, key=None, expires_at=None, source="paid", now=NOW):
    return ledger.credit(
        account,
        key=key or f"test:{credits}:{expires_at}:{source}",
        credits=credits,
        source=source,
        expires_at=expires_at,
        now=now,
    )


def _assert_consistent(account):
    check = ledger.verify(account)
    assert check.ok, check


def test_the_balance_is_the_sum_of_the_entries(account):
    _buy(account, 1_000)
    ledger.debit(account, key="use:1", credits=300, now=NOW)
    ledger.refund(account, key="refund:1", credits=20, now=NOW)

    account.refresh_from_db()
    assert account.balance == 720
    assert list(account.ledger_entries.order_by("id").values_list("kind", "credits", "balance_after")) == [
        ("purchase", 1_000, 1_000),
        ("usage", -300, 700),
        ("refund", 20, 720),
    ]
    _assert_consistent(account)


def test_a_debit_that_does_not_fit_is_refused_and_writes_nothing(account):
    _buy(account, 100)
    entries, allocations = LedgerEntry.objects.count(), LedgerAllocation.objects.count()

    with pytest.raises(ledger.InsufficientCredit) as refused:
        ledger.debit(account, key="use:too-much", credits=101, now=NOW)

    assert "100 kontör var, 101 kontör gerekiyor" in refused.value.message
    assert (LedgerEntry.objects.count(), LedgerAllocation.objects.count()) == (entries, allocations)
    account.refresh_from_db()
    assert account.balance == 100
    assert not LedgerEntry.objects.filter(idempotency_key="use:too-much").exists()
    _assert_consistent(account)


def test_the_same_key_again_records_nothing_and_returns_the_first_entry(account):
    first = _buy(account, 500, key="order:42")
    again = _buy(account, 500, key="order:42")
    used = ledger.debit(account, key="delivery:7:usage", credits=10, now=NOW)
    used_again = ledger.debit(account, key="delivery:7:usage", credits=10, now=NOW)

    assert first.created and not again.created and again.entry.pk == first.entry.pk
    assert used.created and not used_again.created and used_again.entry.pk == used.entry.pk
    account.refresh_from_db()
    assert account.balance == 490


def test_usage_draws_soonest_expiring_first_then_granted_before_paid(account):
    later = _buy(account, 100, key="later", expires_at=NOW + datetime.timedelta(days=300)).entry.lot
    never = _buy(account, 100, key="never").entry.lot
    soon = _buy(account, 100, key="soon", expires_at=NOW + datetime.timedelta(days=30)).entry.lot
    granted = _buy(
        account, 100, key="gift", source="granted", expires_at=NOW + datetime.timedelta(days=300)
    ).entry.lot

    ledger.debit(account, key="use", credits=250, now=NOW)

    remaining = {lot.pk: lot.remaining for lot in CreditLot.objects.filter(account=account)}
    assert remaining[soon.pk] == 0
    assert remaining[granted.pk] == 0  # same expiry as `later`: granted first
    assert remaining[later.pk] == 50
    assert remaining[never.pk] == 100  # no expiry: last
    _assert_consistent(account)


def test_a_refund_goes_back_to_the_lots_it_came_from(account):
    soon = _buy(account, 100, key="soon", expires_at=NOW + datetime.timedelta(days=30)).entry.lot
    never = _buy(account, 100, key="never").entry.lot
    ledger.debit(account, key="use", credits=150, now=NOW)

    ledger.refund(account, key="undelivered", credits=60, now=NOW)

    soon.refresh_from_db()
    never.refresh_from_db()
    # The debit took 100 from `soon` (expires first) and 50 from `never`; the refund refills `never` first (drawn
    # last, no expiry), then 10 go back to `soon`.
    assert (soon.remaining, never.remaining) == (10, 100)
    _assert_consistent(account)


def test_credits_past_their_date_expire_before_a_debit_and_in_the_sweep(account, applicant):
    _buy(account, 100, key="old", expires_at=NOW - datetime.timedelta(days=1))
    _buy(account, 50, key="fresh")

    with pytest.raises(ledger.InsufficientCredit):
        ledger.debit(account, key="use", credits=120, now=NOW)
    # The refused debit rolled back whole, the expiry with it; the sweep writes it.
    assert ledger.expire_credits(now=NOW) == 100
    assert ledger.expire_credits(now=NOW) == 0

    account.refresh_from_db()
    assert account.balance == 50
    expiry = account.ledger_entries.get(kind="expiry")
    assert expiry.credits == -100
    assert "süresi dolan" in expiry.description
    _assert_consistent(account)


def test_a_correction_needs_a_reason_and_never_overdraws(account, finance):
    _buy(account, 10)

    with pytest.raises(ledger.LedgerError, match="gerekçe"):
        ledger.correct(account, credits=5, reason="  ", actor=finance, key="c1")
    with pytest.raises(ledger.InsufficientCredit):
        ledger.correct(account, credits=-11, reason="Fazla yükleme", actor=finance, key="c2")
    ledger.correct(account, credits=-4, reason="Mükerrer yükleme düzeltildi", actor=finance, key="c3")
    ledger.correct(account, credits=7, reason="Telafi", actor=finance, key="c4", source="granted")

    account.refresh_from_db()
    assert account.balance == 13
    assert set(account.ledger_entries.filter(kind="correction").values_list("credits", "actor")) == {
        (-4, finance.pk),
        (7, finance.pk),
    }
    _assert_consistent(account)


def test_entries_are_never_changed_or_deleted(account):
    entry = _buy(account, 100).entry

    entry.credits = 1_000_000
    with pytest.raises(ImmutableError):
        entry.save()
    with pytest.raises(ImmutableError):
        entry.delete()
    with pytest.raises(ImmutableError):
        LedgerEntry.objects.filter(pk=entry.pk).update(credits=1)
    with pytest.raises(ImmutableError):
        LedgerEntry.objects.all().delete()
    with pytest.raises(ImmutableError):
        LedgerAllocation.objects.all().delete()
    assert LedgerEntry.objects.get(pk=entry.pk).credits == 100


@pytest.mark.postgres
def test_on_postgresql_even_raw_sql_cannot_change_an_entry(account):
    entry = _buy(account, 100).entry

    for statement in (
        "UPDATE billing_ledgerentry SET credits = 1 WHERE id = %s",
        "DELETE FROM billing_ledgerentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="insert-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [entry.pk])
    assert LedgerEntry.objects.get(pk=entry.pk).credits == 100


def test_the_admin_shows_the_ledger_read_only(client, finance, superuser, account):
    entry = _buy(account, 100).entry
    for user in (finance, superuser):
        client.force_login(user)
        listing = client.get("/admin/billing/ledgerentry/")
        assert listing.status_code == 200
        assert "action-checkbox" not in listing.content.decode()  # no bulk delete
        assert client.get("/admin/billing/ledgerentry/add/").status_code == 403
        assert client.get(f"/admin/billing/ledgerentry/{entry.pk}/change/").status_code == 200  # view only
        assert client.post(f"/admin/billing/ledgerentry/{entry.pk}/change/", {"credits": 1}).status_code == 403
        assert client.post(f"/admin/billing/ledgerentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert LedgerEntry.objects.get(pk=entry.pk).credits == 100


def test_finance_records_a_correction_in_the_admin_once(client, finance, account):
    _buy(account, 100)
    client.force_login(finance)
    url = f"/admin/billing/billingaccount/{account.pk}/duzeltme/"
    assert client.get(url).status_code == 200
    data = {"credits": "-30", "source": "paid", "reason": "Hatalı yükleme", "key": "abc123"}

    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # a double submit

    account.refresh_from_db()
    assert account.balance == 70
    assert account.ledger_entries.filter(kind="correction").count() == 1


def test_a_reviewer_cannot_record_a_correction(client, reviewer, account):
    client.force_login(reviewer)
    assert client.get(f"/admin/billing/billingaccount/{account.pk}/duzeltme/").status_code == 403


def test_one_low_balance_alert_per_crossing(account, applicant):
    account.low_balance_threshold = 50
    account.save(update_fields=["low_balance_threshold"])
    _buy(account, 100)

    ledger.debit(account, key="u1", credits=60, now=NOW)  # 40 < 50: crossing
    ledger.debit(account, key="u2", credits=10, now=NOW)  # still below: no second alert
    assert Reminder.objects.filter(kind="low_balance").count() == 1
    ledger.credit(account, key="top-up", credits=100, now=NOW)  # 130: re-armed
    ledger.debit(account, key="u3", credits=90, now=NOW)  # 40 again: a second crossing

    alerts = Reminder.objects.filter(kind="low_balance", recipient=applicant).order_by("id")
    assert [alert.item_key for alert in alerts] == [f"low-balance:{account.pk}:1", f"low-balance:{account.pk}:2"]
    email = OutboxEmail.objects.get(pk=alerts[0].email_id)
    assert email.template == "low_balance"
    assert email.to == [account.invoice_email]


def test_no_alert_for_someone_who_opted_out(account, applicant):
    applicant.reminders_opted_out_at = timezone.now()
    applicant.save(update_fields=["reminders_opted_out_at"])
    account.low_balance_threshold = 50
    account.save(update_fields=["low_balance_threshold"])
    _buy(account, 100)

    ledger.debit(account, key="u1", credits=60, now=NOW)

    assert not Reminder.objects.filter(kind="low_balance").exists()


# --- Races on PostgreSQL, with real threads -----------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_debits_never_overdraw(applicant):
    account = make_account(applicant)
    _buy(account, 100)

    results = run_at_once(
        *[lambda n=n: ledger.debit(account.pk, key=f"use:{n}", credits=15, now=NOW) for n in range(12)]
    )

    won = [result for result in results if isinstance(result, ledger.Posted)]
    refused = [result for result in results if isinstance(result, ledger.InsufficientCredit)]
    assert len(won) == 6 and len(refused) == 6, results  # 6 × 15 = 90 fits, a seventh would not
    account.refresh_from_db()
    assert account.balance == 10
    _assert_consistent(account)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_key_at_the_same_moment_records_once(applicant):
    account = make_account(applicant)

    results = run_at_once(
        *[lambda: ledger.credit(account.pk, key="order:race", credits=1_000, now=NOW) for _ in range(8)]
    )

    assert all(isinstance(result, ledger.Posted) for result in results), results
    assert sum(result.created for result in results) == 1
    assert len({result.entry.pk for result in results}) == 1
    account.refresh_from_db()
    assert account.balance == 1_000
    _assert_consistent(account)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_debits_refunds_and_credits_at_once_keep_the_balance_equal_to_the_entries(applicant):
    account = make_account(applicant)
    _buy(account, 500)

    steps = []
    for n in range(6):
        steps.append(lambda n=n: ledger.debit(account.pk, key=f"use:{n}", credits=70, now=NOW))
        steps.append(lambda n=n: ledger.refund(account.pk, key=f"refund:{n}", credits=5, now=NOW))
    steps.append(lambda: ledger.credit(account.pk, key="top-up", credits=100, now=NOW))
    results = run_at_once(*steps)

    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, ledger.InsufficientCredit)]
    account.refresh_from_db()
    assert account.balance >= 0
    _assert_consistent(account)
