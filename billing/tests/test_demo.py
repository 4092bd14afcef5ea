"""The billing demo: customers with months of history whose numbers agree with the ledger, and the shipped November
report that, imported, moves the balances by what it charges and bills exactly the delivered parts."""

import csv
import datetime
from collections import Counter

import pytest
from django.core.management import call_command
from django.test import override_settings

from billing import demo, ledger
from billing.deliveries import import_delivery_report
from billing.models import BillingAccount, DeliveryRecord, LedgerEntry, Statement
from billing.sms import count_parts
from billing.statements import issue_statements

AFTER_NOVEMBER = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=demo.ISTANBUL)


def _report_parts(path) -> tuple[Counter, Counter]:
    """Delivered and charged (pending or delivered) parts per account, read from the file itself."""
    delivered, charged = Counter(), Counter()
    with open(path, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            parts = int(row["parts"]) if row["parts"] else count_parts(row["text"]).parts
            if row["status"] == "delivered":
                delivered[row["account"]] += parts
            if row["status"] in ("delivered", "pending"):
                charged[row["account"]] += parts
    return delivered, charged


@pytest.fixture
def history(db):
    with override_settings(DEBUG=True):
        call_command("load_demo_data")
    # The billing demo's customers (the lived-in demo adds accounts of its own, without history).
    codes = [customer.code for customer in demo.CUSTOMERS]
    return {account.code: account for account in BillingAccount.objects.filter(code__in=codes)}


def test_the_demo_has_prepaid_and_invoiced_customers_with_months_of_history(history):
    assert {account.plan for account in history.values()} == {"prepaid", "invoiced"}
    for account in history.values():
        assert ledger.verify(account).ok
        assert account.usage_months.count() == 6  # May to October 2026
    invoiced = [a for a in history.values() if a.plan == "invoiced"]
    assert all(a.statements.count() == 6 for a in invoiced)
    # Güneş was invoiced until August: four statements, then prepaid.
    assert history["TS-DEMA-PRP3"].statements.count() == 4
    assert LedgerEntry.objects.filter(kind="expiry").exists()
    assert LedgerEntry.objects.filter(kind="grant").exists()
    assert LedgerEntry.objects.filter(kind="refund").exists()


def test_importing_the_shipped_report_moves_balances_and_bills_the_delivered_parts(history):
    delivered, charged = _report_parts(demo.DEMO_REPORT)
    before = {code: account.balance for code, account in history.items()}

    result = import_delivery_report(demo.DEMO_REPORT, now=AFTER_NOVEMBER)
    again = import_delivery_report(demo.DEMO_REPORT, now=AFTER_NOVEMBER)
    issued = issue_statements(month=demo.DEMO_MONTH, now=AFTER_NOVEMBER)

    assert result.ok, (result.errors[:3], result.refusals)
    assert again.ok and again.created == 0 and not again.debits
    for code, account in history.items():
        account.refresh_from_db()
        assert ledger.verify(account).ok
        if account.plan == "prepaid":
            # Undelivered and expired rows seen for the first time are never charged.
            assert before[code] - account.balance == charged[code]
    november = {s.account.code: s for s in Statement.objects.filter(period=demo.DEMO_MONTH)}
    assert set(november) == {code for code, a in history.items() if a.plan == "invoiced"}
    assert issued.skipped == 0
    assert len(issued.issued) == len(november)
    for code, statement in november.items():
        [line] = statement.lines.all()
        assert line.quantity == delivered[code]
        assert statement.total == statement.net + statement.kdv + statement.oiv
    rows = demo.DEMO_REPORT.read_text(encoding="utf-8").count("\n") - 1
    assert DeliveryRecord.objects.filter(message_id__contains="-202611-").count() == rows
