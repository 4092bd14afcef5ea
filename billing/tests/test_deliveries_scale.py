"""Delivery report imports at scale: memory that does not grow with the file, and imports racing on PostgreSQL."""

import io
import tracemalloc

import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile

from billing import ledger
from billing.deliveries import import_delivery_report
from billing.models import BillingAccount, DeliveryRecord, LedgerEntry, UsageMonth
from billing.tests.factories import make_account
from billing.tests.test_deliveries import HEADER, row
from conftest import run_at_once


def uploaded(rows: int, account) -> TemporaryUploadedFile:
    """An upload as Django keeps a large one: in a temporary file on disk."""
    upload = TemporaryUploadedFile("buyuk.csv", "text/csv", 0, "utf-8")
    upload.write(f"{HEADER}\n".encode())
    for start in range(0, rows, 1_000):
        chunk = "".join(f"{row(account, n)}\n" for n in range(start, min(start + 1_000, rows)))
        upload.write(chunk.encode())
    upload.size = upload.tell()
    upload.seek(0)
    return upload


def peak_while_importing(rows: int, account) -> tuple[int, int]:
    upload = uploaded(rows, account)
    tracemalloc.start()
    try:
        result = import_delivery_report(upload, batch_size=500, dry_run=True)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        upload.close()
    assert result.ok and result.created == rows, result.errors
    return peak, upload.size


def test_memory_stays_bounded_as_the_file_grows(applicant):
    account = make_account(applicant, plan="invoiced")

    small_peak, small_size = peak_while_importing(5_000, account)
    large_peak, large_size = peak_while_importing(40_000, account)

    # Eight times the rows (several MB) and the peak stays that of one batch, far below the file's size.
    assert large_size > 8 * small_size * 0.9
    assert large_peak < small_peak * 1.5, (small_peak, large_peak)
    assert large_peak < large_size / 3, (large_peak, large_size)


# --- Races on PostgreSQL, with real threads ------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_file_imported_twice_at_once_records_and_debits_once(applicant):
    account = make_account(applicant, plan="prepaid")
    ledger.credit(account, key="race-purchase", credits=10_000)
    data = "\n".join([HEADER, *[row(account, n, parts=2) for n in range(300)]]).encode()

    results = run_at_once(*[lambda: import_delivery_report(io.BytesIO(data)) for _ in range(4)])

    assert all(not isinstance(result, Exception) and result.ok for result in results), results
    assert sorted(result.created for result in results) == [0, 0, 0, 300]
    assert DeliveryRecord.objects.count() == 300
    assert LedgerEntry.objects.filter(kind="usage").count() == 1
    assert BillingAccount.objects.get(pk=account.pk).balance == 10_000 - 600
    assert sum(UsageMonth.objects.values_list("delivered", flat=True)) == 600
    assert ledger.verify(account).ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_overlapping_files_and_a_status_update_at_once_keep_usage_and_ledger_equal(applicant):
    account = make_account(applicant, plan="prepaid")
    ledger.credit(account, key="race-purchase", credits=10_000)
    first = "\n".join([HEADER, *[row(account, n, status="pending") for n in range(0, 200)]]).encode()
    second = "\n".join([HEADER, *[row(account, n, status="pending") for n in range(100, 300)]]).encode()
    update = "\n".join([HEADER, *[row(account, n, status="undelivered") for n in range(0, 300, 2)]]).encode()

    results = run_at_once(
        *[lambda data=data: import_delivery_report(io.BytesIO(data)) for data in (first, second, update)]
    )

    assert all(not isinstance(result, Exception) and result.ok for result in results), results
    # Whatever the order: the even rows end undelivered (a later pending row never takes that back), the odd ones
    # pending; only the pending ones hold credits.
    records = DeliveryRecord.objects.all()
    assert records.count() == 300
    assert sum(records.values_list("charged", flat=True)) == 150
    month = UsageMonth.objects.get()
    assert (month.pending, month.undelivered) == (150, 150)
    assert BillingAccount.objects.get(pk=account.pk).balance == 10_000 - 150
    assert ledger.verify(account).ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_import_racing_other_debits_never_overdraws_and_is_all_or_nothing(applicant):
    account = make_account(applicant, plan="prepaid")
    ledger.credit(account, key="race-purchase", credits=1_000)
    data = "\n".join([HEADER, *[row(account, n, parts=3) for n in range(100)]]).encode()  # 300 credits

    steps = [lambda: import_delivery_report(io.BytesIO(data))]
    steps += [lambda n=n: ledger.debit(account.pk, key=f"race-use:{n}", credits=200) for n in range(5)]
    results = run_at_once(*steps)

    imported, debits = results[0], results[1:]
    assert not isinstance(imported, Exception), imported
    assert all(isinstance(r, ledger.Posted | ledger.InsufficientCredit) for r in debits), debits
    debited = 200 * sum(isinstance(r, ledger.Posted) for r in debits)
    records = DeliveryRecord.objects.count()
    if imported.ok:
        assert records == 100 and debited <= 700
    else:
        assert records == 0 and imported.refusals and account.code in imported.refusals[0]
    balance = BillingAccount.objects.get(pk=account.pk).balance
    assert balance == 1_000 - debited - (300 if imported.ok else 0) >= 0
    assert ledger.verify(account).ok
