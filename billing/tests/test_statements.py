"""The monthly run: delivered parts of invoiced usage only, the tariff and taxes of the month, Istanbul's calendar, a
month billed once however often the run is repeated, and a constant number of queries per account.

The helpers at the top (accounts opened as activation opens them, usage rows as the importer keeps them) are shared
by the other `test_statements_*` files.
"""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from billing import statements
from billing.accounts import change_plan
from billing.models import (
    BillingAccount,
    Plan,
    Statement,
    StatementSequence,
    Tariff,
    TariffTier,
    TaxRate,
    UsageMonth,
)
from billing.statements import StatementError, issue_statements
from billing.tests.factories import make_account

OCTOBER = datetime.date(2026, 10, 1)
# 2 November 2026, 09:00 in Istanbul: a working morning of the first days after October.
NOVEMBER_MORNING = datetime.datetime(2026, 11, 2, 6, 0, tzinfo=datetime.UTC)
SISLI = "Şişli Belediyesi İmar ve Şehircilik Müdürlüğü"
_serial = itertools.count(1)


def invoiced_account(owner: User | None = None, *, legal_name: str = SISLI, **profile) -> BillingAccount:
    """An invoiced account of `owner` (a new customer user by default), opened as activation opens it."""
    if owner is None:
        owner = User.objects.create_user(
            email=f"kurum{next(_serial)}@ornek-kurum.test",
            password="Dogru-Parola-2026",
            full_name="Kurum Yetkilisi",
            email_confirmed_at=timezone.now(),
        )
    return make_account(owner, plan=Plan.INVOICED, legal_name=legal_name, **profile)


def usage(account: BillingAccount, month: datetime.date = OCTOBER, *, plan: str = Plan.INVOICED, **parts):
    return UsageMonth.objects.create(account=account, month=month, plan=plan, **parts)


# --- What is billed -------------------------------------------------------------------------------------------------


def test_a_month_bills_exactly_its_delivered_parts_at_the_tariff_with_kdv_and_oiv(db):
    account = invoiced_account()
    usage(account, delivered=1_234, undelivered=50, pending=7, expired=3)

    result = issue_statements(now=NOVEMBER_MORNING)

    assert [statement.account_id for statement in result.issued] == [account.pk]
    statement = result.issued[0]
    line = statement.lines.get()
    assert line.quantity == 1_234  # not the 50 undelivered, 7 pending or 3 expired
    assert line.unit_price == Decimal("0.4500")  # below 50,000 parts a month (the seeded tariff)
    assert line.amount == Decimal("555.30")
    assert line.description == "Toplu SMS – teslim edilen mesaj parçaları (Ekim 2026)"
    assert (statement.net, statement.kdv, statement.oiv, statement.total) == (
        Decimal("555.30"),
        Decimal("111.06"),
        Decimal("55.53"),
        Decimal("721.89"),
    )
    assert (statement.kdv_rate, statement.oiv_rate) == (Decimal("0.2000"), Decimal("0.1000"))
    assert statement.kind == Statement.Kind.INVOICE
    assert statement.period == OCTOBER
    assert statement.issue_date == datetime.date(2026, 11, 2)
    assert statement.number == "TSP2026000000001"
    assert result.skipped == 0


def test_the_whole_month_is_priced_at_the_tier_its_volume_reaches(db):
    small, large = invoiced_account(), invoiced_account()
    usage(small, delivered=49_999)
    usage(large, delivered=50_000)

    issued = {statement.account_id: statement for statement in issue_statements(now=NOVEMBER_MORNING).issued}

    assert issued[small.pk].lines.get().unit_price == Decimal("0.4500")
    assert issued[small.pk].net == Decimal("22499.55")
    assert issued[large.pk].lines.get().unit_price == Decimal("0.3800")  # all units, not only those above 50,000
    assert issued[large.pk].net == Decimal("19000.00")


def test_the_tariff_of_the_months_first_day_and_the_taxes_of_its_last_day_apply(db):
    account = invoiced_account()
    usage(account, delivered=1_000)
    # A tariff from 2 October on is not the one in force on 1 October; one from 1 November is too late.
    for day, price in [(datetime.date(2026, 10, 2), "0.9000"), (datetime.date(2026, 11, 1), "0.8000")]:
        tariff = Tariff.objects.create(valid_from=day)
        TariffTier.objects.create(tariff=tariff, min_messages=0, price_per_message=Decimal(price))
    # A KDV rate from 31 October on applies to October; one from 1 November does not.
    TaxRate.objects.create(code="kdv", rate=Decimal("0.2100"), valid_from=datetime.date(2026, 10, 31))
    TaxRate.objects.create(code="kdv", rate=Decimal("0.2500"), valid_from=datetime.date(2026, 11, 1))

    statement = issue_statements(now=NOVEMBER_MORNING).issued[0]

    assert statement.lines.get().unit_price == Decimal("0.4500")
    assert (statement.net, statement.kdv_rate, statement.kdv) == (
        Decimal("450.00"),
        Decimal("0.2100"),
        Decimal("94.50"),
    )


def test_without_oiv_charged_the_statement_carries_kdv_only(db, settings):
    settings.PORTAL_CHARGE_OIV = False
    usage(invoiced_account(), delivered=1_000)

    statement = issue_statements(now=NOVEMBER_MORNING).issued[0]

    assert (statement.oiv_rate, statement.oiv, statement.total) == (Decimal("0"), Decimal("0.00"), Decimal("540.00"))


def test_the_statement_keeps_the_seller_and_buyer_of_its_day(db, settings):
    settings.PORTAL_SELLER = {**settings.PORTAL_SELLER, "name": "Satıcı A.Ş.", "mersis": "0123456789012345"}
    account = invoiced_account(legal_name="Kadıköy Belediyesi", e_invoice_user=True)
    usage(account, delivered=10)

    statement = issue_statements(now=NOVEMBER_MORNING).issued[0]
    BillingAccount.objects.filter(pk=account.pk).update(legal_name="Yeni Unvan", address="Yeni adres")
    settings.PORTAL_SELLER = {**settings.PORTAL_SELLER, "name": "Başka Satıcı"}
    statement.refresh_from_db()

    assert statement.seller["name"] == "Satıcı A.Ş."
    assert statement.seller["mersis"] == "0123456789012345"
    assert statement.buyer_name == "Kadıköy Belediyesi"
    assert statement.buyer_tax_number == "4540536920"
    assert statement.buyer_tax_office == "Şişli"
    assert statement.buyer_address == account.address
    assert statement.buyer_email == account.invoice_email
    assert statement.profile == Statement.Profile.E_FATURA


def test_a_buyer_who_is_not_an_e_fatura_user_gets_e_arsiv(db):
    usage(invoiced_account(e_invoice_user=False), delivered=10)

    assert issue_statements(now=NOVEMBER_MORNING).issued[0].profile == Statement.Profile.E_ARSIV


def test_no_delivered_parts_no_statement(db):
    quiet, absent = invoiced_account(), invoiced_account()
    usage(quiet, delivered=0, undelivered=40, pending=5, expired=2)

    result = issue_statements(now=NOVEMBER_MORNING)

    assert len(result.issued) == 0
    assert result.skipped == 0
    assert not Statement.objects.filter(account__in=[quiet, absent]).exists()
    assert not StatementSequence.objects.filter(last_number__gt=0).exists()  # no number was taken


def test_only_usage_on_the_invoiced_plan_is_billed_when_the_plan_changed_mid_history(db, finance, monkeypatch):
    account = invoiced_account()
    # Finance moved it to prepaid from 15 October (on that day: a plan change never starts in the past); the
    # importer records the rest of October's usage under the prepaid plan.
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2026, 10, 15))
    change_plan(
        account, to_plan=Plan.PREPAID, effective_from=datetime.date(2026, 10, 15), reason="Talep", actor=finance
    )
    monkeypatch.undo()
    usage(account, datetime.date(2026, 9, 1), delivered=3_000)
    usage(account, OCTOBER, plan=Plan.INVOICED, delivered=1_400, undelivered=10)
    usage(account, OCTOBER, plan=Plan.PREPAID, delivered=2_600)
    usage(account, datetime.date(2026, 11, 1), plan=Plan.PREPAID, delivered=5_000)

    october = issue_statements(now=NOVEMBER_MORNING).issued
    november = issue_statements(now=datetime.datetime(2026, 12, 1, 9, 0, tzinfo=statements.ISTANBUL)).issued

    assert [statement.lines.get().quantity for statement in october] == [1_400]
    assert len(november) == 0  # a prepaid month is paid for with credits, never invoiced
    # September, on the invoiced plan, is billed when asked for.
    september = issue_statements(datetime.date(2026, 9, 1), now=NOVEMBER_MORNING).issued
    assert [statement.lines.get().quantity for statement in september] == [3_000]


def test_an_account_now_on_prepaid_still_gets_its_invoiced_month_billed(db, finance):
    # The usage row's plan decides, not the account's plan of today.
    account = invoiced_account()
    usage(account, delivered=700)
    BillingAccount.objects.filter(pk=account.pk).update(plan=Plan.PREPAID)

    assert [statement.account_id for statement in issue_statements(now=NOVEMBER_MORNING).issued] == [account.pk]


# --- Istanbul's calendar --------------------------------------------------------------------------------------------


def test_just_after_midnight_in_istanbul_the_previous_month_is_already_over(db):
    usage(invoiced_account(), delivered=5)
    # 31 October 21:30 UTC is 1 November 00:30 in Istanbul: October is over there, though not in UTC.
    result = issue_statements(now=datetime.datetime(2026, 10, 31, 21, 30, tzinfo=datetime.UTC))

    assert result.period == OCTOBER
    assert result.issued[0].issue_date == datetime.date(2026, 11, 1)


def test_just_before_midnight_in_istanbul_the_default_month_is_the_one_before(db):
    usage(invoiced_account(), delivered=5)
    # 31 October 20:30 UTC is 23:30 in Istanbul: still October, so the default month is September (nothing used).
    result = issue_statements(now=datetime.datetime(2026, 10, 31, 20, 30, tzinfo=datetime.UTC))

    assert result.period == datetime.date(2026, 9, 1)
    assert len(result.issued) == 0


def test_a_month_is_not_billed_before_it_is_over_in_istanbul(db):
    usage(invoiced_account(), delivered=5)

    with pytest.raises(StatementError, match="ayı bitmeden"):
        issue_statements(OCTOBER, now=datetime.datetime(2026, 10, 31, 20, 30, tzinfo=datetime.UTC))
    with pytest.raises(StatementError):
        issue_statements(datetime.date(2026, 12, 1), now=NOVEMBER_MORNING)
    assert not Statement.objects.exists()


def test_the_default_month_of_a_january_run_is_december_of_the_year_before(db):
    usage(invoiced_account(), datetime.date(2026, 12, 1), delivered=5)

    result = issue_statements(now=datetime.datetime(2027, 1, 1, 22, 0, tzinfo=datetime.UTC))

    assert result.period == datetime.date(2026, 12, 1)
    assert result.issued[0].issue_date == datetime.date(2027, 1, 2)
    assert result.issued[0].number == "TSP2027000000001"  # the year of the statement's date, not of its period


def test_without_a_tariff_in_force_on_the_first_day_nothing_is_issued(db):
    usage(invoiced_account(), datetime.date(2025, 12, 1), delivered=5)  # the first tariff starts on 1 January 2026

    with pytest.raises(StatementError, match="tarife yok"):
        issue_statements(datetime.date(2025, 12, 1), now=NOVEMBER_MORNING)
    assert not Statement.objects.exists()


# --- Once per month -------------------------------------------------------------------------------------------------


def test_a_second_run_issues_nothing_new(db):
    accounts = [invoiced_account() for _ in range(3)]
    for account in accounts:
        usage(account, delivered=100)

    first = issue_statements(now=NOVEMBER_MORNING)
    second = issue_statements(now=NOVEMBER_MORNING + datetime.timedelta(days=1))

    assert (len(first.issued), first.skipped) == (3, 0)
    assert (len(second.issued), second.skipped) == (0, 3)
    assert Statement.objects.count() == 3
    assert StatementSequence.objects.get(year=2026).last_number == 3


def test_a_run_after_a_new_account_appeared_bills_only_that_one(db):
    first_account = invoiced_account()
    usage(first_account, delivered=100)
    issue_statements(now=NOVEMBER_MORNING)
    late = invoiced_account()
    usage(late, delivered=200)

    result = issue_statements(now=NOVEMBER_MORNING)

    assert [statement.account_id for statement in result.issued] == [late.pk]
    assert result.issued[0].number == "TSP2026000000002"
    assert result.skipped == 1


def test_the_runs_accounts_are_read_in_chunks_and_all_billed(db, monkeypatch):
    monkeypatch.setattr(statements, "CHUNK", 2)
    accounts = [invoiced_account() for _ in range(5)]
    for account in accounts:
        usage(account, delivered=10)

    result = issue_statements(now=NOVEMBER_MORNING)

    assert sorted(statement.account_id for statement in result.issued) == sorted(account.pk for account in accounts)
    assert sorted(statement.number for statement in result.issued) == [f"TSP202600000000{n}" for n in range(1, 6)]


def test_the_run_costs_the_same_few_queries_per_account_however_many_there_are(db):
    months = [datetime.date(2026, month, 1) for month in (7, 8, 9)]
    for month, count in zip(months, (2, 4, 8), strict=True):
        for _ in range(count):
            usage(invoiced_account(), month, delivered=100)
    StatementSequence.objects.create(prefix="TSP", year=2026)

    counts = []
    for month in months:
        with CaptureQueriesContext(connection) as queries:
            issued = issue_statements(month, now=NOVEMBER_MORNING).issued
        counts.append(len(queries.captured_queries))
        assert len(issued) > 0

    per_account = (counts[1] - counts[0]) / 2
    assert counts[2] - counts[1] == per_account * 4  # linear in the accounts, nothing hidden that grows faster
    assert per_account <= 6, counts  # number (lock, update), statement, line, savepoint and its release
    assert counts[0] - 2 * per_account <= 8, counts  # tariff, taxes, and a couple per chunk


# --- The command and the Celery task --------------------------------------------------------------------------------


def test_the_command_issues_the_month_it_is_given_and_says_what(db, capsys):
    account = invoiced_account(legal_name="Beşiktaş Belediyesi")
    usage(account, datetime.date(2026, 3, 1), delivered=1_000)

    call_command("issue_statements", "--month", "2026-03")
    out = capsys.readouterr().out

    statement = Statement.objects.get()
    assert statement.period == datetime.date(2026, 3, 1)
    assert f"{statement.number}  {account.code}  585,00 TL  Beşiktaş Belediyesi" in out
    assert "Mart 2026: 1 fatura düzenlendi, 0 hesabın faturası zaten vardı." in out

    call_command("issue_statements", "--month", "2026-03")
    assert "Mart 2026: 0 fatura düzenlendi, 1 hesabın faturası zaten vardı." in capsys.readouterr().out


def test_the_command_refuses_a_month_it_cannot_read_or_bill(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="2026-10"):
        call_command("issue_statements", "--month", "Ekim")
    with pytest.raises(CommandError, match="bitmeden"):
        call_command("issue_statements", "--month", "2999-01")


def test_the_celery_task_reports_issued_and_skipped(db, monkeypatch):
    from billing import tasks

    usage(invoiced_account(), delivered=10)
    monkeypatch.setattr(statements.timezone, "now", lambda: NOVEMBER_MORNING)

    assert tasks.issue_statements.delay().get() == {"issued": 1, "skipped": 0}
    assert tasks.issue_statements.delay().get() == {"issued": 0, "skipped": 1}
