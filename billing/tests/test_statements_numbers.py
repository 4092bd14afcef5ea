"""Statement numbers (PPPYYYY#########): one gap-free sequence per prefix and year, restarting each January, never
reused, even under concurrency (real threads on PostgreSQL); credit notes take theirs from the same sequence and never
credit more than what remains of the invoice."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import transaction

from billing.models import Statement, StatementSequence
from billing.statements import StatementError, issue_credit_note, issue_statements, next_number, remaining
from billing.tests.test_statements import NOVEMBER_MORNING, OCTOBER, invoiced_account, usage
from conftest import run_at_once

NUMBER = re.compile(r"^[A-Z0-9]{3}20[0-9]{2}[0-9]{9}$")  # GİB's InvoiceIDCheck


def take(prefix: str = "TSP", year: int = 2026) -> str:
    with transaction.atomic():
        return next_number(prefix, year)


# --- The sequence ---------------------------------------------------------------------------------------------------


def test_numbers_have_the_e_invoice_format_and_follow_each_other(db):
    numbers = [take() for _ in range(3)]

    assert numbers == ["TSP2026000000001", "TSP2026000000002", "TSP2026000000003"]
    assert all(NUMBER.match(number) and len(number) == 16 for number in numbers)


def test_each_prefix_and_year_has_its_own_sequence_and_january_starts_again(db):
    assert [take("TSP", 2026), take("TSP", 2026)] == ["TSP2026000000001", "TSP2026000000002"]
    assert take("TSP", 2027) == "TSP2027000000001"
    assert take("AB9", 2026) == "AB92026000000001"
    assert take("TSP", 2026) == "TSP2026000000003"
    assert set(StatementSequence.objects.values_list("prefix", "year", "last_number")) == {
        ("TSP", 2026, 3),
        ("TSP", 2027, 1),
        ("AB9", 2026, 1),
    }


def test_statements_issued_in_january_start_the_new_years_sequence(db):
    december = datetime.date(2026, 12, 1)
    for _ in range(2):
        usage(invoiced_account(), OCTOBER, delivered=10)
    issue_statements(now=NOVEMBER_MORNING)  # TSP2026000000001 and …02
    for _ in range(2):
        usage(invoiced_account(), december, delivered=10)

    issued = issue_statements(now=datetime.datetime(2027, 1, 2, 9, 0, tzinfo=datetime.UTC)).issued

    assert sorted(statement.number for statement in issued) == ["TSP2027000000001", "TSP2027000000002"]
    assert all(statement.period == december for statement in issued)


def test_the_prefix_is_a_setting(db, settings):
    settings.PORTAL_STATEMENT_PREFIX = "ABC"
    usage(invoiced_account(), delivered=10)

    assert issue_statements(now=NOVEMBER_MORNING).issued[0].number == "ABC2026000000001"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # outside the test's own transaction
def test_a_number_is_only_taken_inside_the_transaction_that_uses_it():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        next_number("TSP", 2026)


def test_a_rolled_back_statement_gives_its_number_back(db):
    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned), transaction.atomic():
        assert next_number("TSP", 2026) == "TSP2026000000001"
        raise Abandoned

    assert take() == "TSP2026000000001"


def test_a_statement_that_fails_leaves_no_gap_and_the_others_are_still_issued(db, monkeypatch):
    from billing import statements

    accounts = [invoiced_account() for _ in range(3)]
    for account in accounts:
        usage(account, delivered=10)
    original = statements.StatementLine.objects.create
    calls = {"count": 0}

    def fails_once(**fields):
        calls["count"] += 1
        if calls["count"] == 2:
            raise RuntimeError("disk full")
        return original(**fields)

    monkeypatch.setattr(statements.StatementLine.objects, "create", fails_once)
    with pytest.raises(statements.IncompleteRun) as incomplete:
        issue_statements(now=NOVEMBER_MORNING)
    monkeypatch.undo()

    assert [code for code, _error in incomplete.value.result.failed] == [accounts[1].code]
    assert [statement.account_id for statement in incomplete.value.result.issued] == [accounts[0].pk, accounts[2].pk]
    assert sorted(Statement.objects.values_list("number", flat=True)) == ["TSP2026000000001", "TSP2026000000002"]
    retry = issue_statements(now=NOVEMBER_MORNING)  # a second run issues only the one that failed
    assert [statement.account_id for statement in retry.issued] == [accounts[1].pk]
    assert sorted(Statement.objects.values_list("number", flat=True)) == [
        "TSP2026000000001",
        "TSP2026000000002",
        "TSP2026000000003",
    ]
    assert Statement.objects.filter(account__in=accounts).count() == 3


# --- Concurrency (real threads on PostgreSQL) -----------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_numbers_taken_at_once_are_distinct_and_gap_free_and_rolled_back_ones_are_reused():
    class Abandoned(Exception):
        pass

    def taker(index: int):
        def step():
            with transaction.atomic():
                number = next_number("TSP", 2026)  # the first of the year: the row is created under the race too
                if index % 3 == 0:
                    raise Abandoned(number)
                return number

        return step

    results = run_at_once(*(taker(index) for index in range(12)))

    kept = sorted(result for result in results if isinstance(result, str))
    assert all(isinstance(result, (str, Abandoned)) for result in results), results
    assert len(kept) == 8
    assert kept == [f"TSP2026{n:09d}" for n in range(1, 9)]
    assert StatementSequence.objects.get(prefix="TSP", year=2026).last_number == 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_once_bill_each_account_once_with_gap_free_numbers():
    accounts = [invoiced_account() for _ in range(12)]
    for account in accounts:
        usage(account, delivered=100)

    results = run_at_once(*(lambda: issue_statements(now=NOVEMBER_MORNING) for _ in range(3)))

    assert not [result for result in results if isinstance(result, Exception)], results
    assert sum(len(result.issued) for result in results) == 12
    assert sum(result.skipped for result in results) == 24
    assert sorted(Statement.objects.values_list("account_id", flat=True)) == sorted(a.pk for a in accounts)
    assert sorted(Statement.objects.values_list("number", flat=True)) == [f"TSP2026{n:09d}" for n in range(1, 13)]
    assert StatementSequence.objects.get(prefix="TSP", year=2026).last_number == 12


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_credit_notes_at_once_never_credit_more_than_the_invoice(finance):
    usage(invoiced_account(), delivered=1_000)  # net 450.00
    invoice = issue_statements(now=NOVEMBER_MORNING).issued[0]

    results = run_at_once(
        *(
            lambda: issue_credit_note(invoice, amount_net=Decimal("200.00"), reason="Arıza", actor=finance)
            for _ in range(4)
        )
    )

    notes = [result for result in results if isinstance(result, Statement)]
    refused = [result for result in results if isinstance(result, StatementError)]
    assert (len(notes), len(refused)) == (2, 2), results
    assert remaining(invoice).net == Decimal("50.00")
    assert sorted(note.number for note in notes) == ["TSP2026000000002", "TSP2026000000003"]


# --- Credit notes ---------------------------------------------------------------------------------------------------


@pytest.fixture
def invoice(db):
    usage(invoiced_account(), delivered=1_234)  # net 555.30, KDV 111.06, ÖİV 55.53, total 721.89
    return issue_statements(now=NOVEMBER_MORNING).issued[0]


def test_a_credit_note_refers_to_its_invoice_and_takes_the_next_number(invoice, finance):
    note = issue_credit_note(invoice, amount_net=Decimal("100.00"), reason="Arıza", actor=finance)

    assert note.kind == Statement.Kind.CREDIT_NOTE
    assert note.corrects == invoice
    assert note.number == "TSP2026000000002"
    assert (note.net, note.kdv, note.oiv, note.total) == (
        Decimal("100.00"),
        Decimal("20.00"),
        Decimal("10.00"),
        Decimal("130.00"),
    )
    assert (note.period, note.profile, note.buyer_name) == (invoice.period, invoice.profile, invoice.buyer_name)
    assert (note.reason, note.created_by) == ("Arıza", finance)
    line = note.lines.get()
    assert (line.quantity, line.unit_price, line.amount) == (1, Decimal("100.0000"), Decimal("100.00"))
    assert invoice.number in line.description


def test_a_credit_note_by_parts_uses_the_invoices_unit_price(invoice, finance):
    note = issue_credit_note(invoice, quantity=234, reason="Mükerrer gönderim", actor=finance)

    line = note.lines.get()
    assert (line.quantity, line.unit_price, line.amount) == (234, Decimal("0.4500"), Decimal("105.30"))
    assert note.net == Decimal("105.30")


def test_credit_notes_never_exceed_what_remains_of_the_invoice(invoice, finance):
    issue_credit_note(invoice, amount_net=Decimal("500.00"), reason="Arıza", actor=finance)

    with pytest.raises(StatementError, match="kalan tutarını"):
        issue_credit_note(invoice, amount_net=Decimal("55.31"), reason="Arıza", actor=finance)
    last = issue_credit_note(invoice, amount_net=Decimal("55.30"), reason="Arıza", actor=finance)

    left = remaining(invoice)
    assert (left.net, left.kdv, left.oiv) == (Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))
    # The last note takes back exactly the taxes that remain, so rounding never credits more than was billed.
    assert (last.kdv, last.oiv) == (Decimal("111.06") - Decimal("100.00"), Decimal("55.53") - Decimal("50.00"))
    with pytest.raises(StatementError):
        issue_credit_note(invoice, amount_net=Decimal("0.01"), reason="Arıza", actor=finance)
    assert invoice.credit_notes.count() == 2
    assert StatementSequence.objects.get().last_number == 3  # the refused notes took no number


def test_a_credit_note_needs_a_reason_a_positive_amount_and_an_invoice(invoice, finance):
    for kwargs, message in [
        ({"amount_net": Decimal("10"), "reason": "  "}, "gerekçe"),
        ({"amount_net": Decimal("0"), "reason": "Arıza"}, "sıfırdan büyük"),
        ({"quantity": -1, "reason": "Arıza"}, "sıfırdan büyük"),
        ({"reason": "Arıza"}, "ya tutar ya da adet"),
        ({"amount_net": Decimal("1"), "quantity": 1, "reason": "Arıza"}, "ya tutar ya da adet"),
    ]:
        with pytest.raises(StatementError, match=message):
            issue_credit_note(invoice, actor=finance, **kwargs)
    note = issue_credit_note(invoice, amount_net=Decimal("1"), reason="Arıza", actor=finance)
    with pytest.raises(StatementError, match="yalnızca bir faturayı"):
        issue_credit_note(note, amount_net=Decimal("1"), reason="Arıza", actor=finance)
    assert Statement.objects.count() == 2


def test_a_credit_note_keeps_the_invoices_tax_rates(invoice, finance):
    from billing.models import TaxRate

    TaxRate.objects.create(code="kdv", rate=Decimal("0.2500"), valid_from=datetime.date(2026, 11, 1))

    note = issue_credit_note(invoice, amount_net=Decimal("100.00"), reason="Arıza", actor=finance)

    assert (note.kdv_rate, note.kdv) == (Decimal("0.2000"), Decimal("20.00"))


def test_partial_credit_notes_never_add_up_to_more_tax_than_was_billed(db, finance):
    usage(invoiced_account(), delivered=1)  # net 0.45, KDV 0.09, ÖİV 0.05 (0.045 rounded half up)
    invoice = issue_statements(now=NOVEMBER_MORNING).issued[0]

    notes = [issue_credit_note(invoice, amount_net=Decimal("0.05"), reason="Arıza", actor=finance) for _ in range(9)]

    assert sum(note.net for note in notes) == invoice.net
    assert sum(note.kdv for note in notes) <= invoice.kdv
    assert sum(note.oiv for note in notes) == invoice.oiv  # 9 × 0.01 would be 0.09: capped at what remains
    assert remaining(invoice).total == 0
