"""`manage.py import_delivery_report FILE [--dry-run]`: the report printed in Turkish, a non-zero exit on bad rows."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from billing import ledger
from billing.models import BillingAccount, DeliveryRecord, DeliveryReport
from billing.tests.factories import make_account
from billing.tests.test_deliveries import csv_bytes, row


@pytest.fixture
def prepaid(applicant):
    account = make_account(applicant, plan="prepaid")
    ledger.credit(account, key=f"test-purchase:{account.pk}", credits=1_000)
    return account


def run(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("import_delivery_report", *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


def test_a_good_file_imports_and_exits_zero(tmp_path, prepaid, finance):
    path = tmp_path / "kasim.csv"
    path.write_bytes(csv_bytes([row(prepaid, 1, parts=2), row(prepaid, 2, status="undelivered")]))

    code, output = run(str(path), "--user", finance.email)

    assert code == 0
    assert "Dosya: kasim.csv (2 satır)" in output
    assert "Yeni kayıt: 2, durumu değişen: 0, değişmeyen: 0." in output
    assert f"{prepaid.code}: 2 kontör düşüldü." in output
    assert DeliveryReport.objects.get().imported_by == finance
    assert BillingAccount.objects.get(pk=prepaid.pk).balance == 998


def test_bad_rows_are_printed_by_line_and_the_exit_code_is_one(tmp_path, prepaid):
    path = tmp_path / "kasim.csv"
    path.write_bytes(csv_bytes([row(prepaid, 1), row(prepaid, 2, parts=0), row(prepaid, 3, status="gitti")]))

    code, output = run(str(path))

    assert code == 1
    assert "2 hatalı satır var; dosyadan hiçbir şey kaydedilmedi." in output
    assert "3. satır: parts 1 ile 255 arasında" in output
    assert "4. satır: status şunlardan biri olmalı" in output
    assert "Rapor içe aktarılmadı." in output
    assert not DeliveryRecord.objects.exists()


def test_a_dry_run_prints_what_would_happen_and_writes_nothing(tmp_path, prepaid):
    path = tmp_path / "kasim.csv"
    path.write_bytes(csv_bytes([row(prepaid, 1, parts=3)]))

    code, output = run(str(path), "--dry-run")

    assert code == 0
    assert "Deneme: dosya geçerli, hiçbir şey kaydedilmedi." in output
    assert f"{prepaid.code}: 3 kontör düşüldü." in output
    assert not DeliveryRecord.objects.exists()
    assert BillingAccount.objects.get(pk=prepaid.pk).balance == 1_000


def test_an_insufficient_balance_exits_one(tmp_path, prepaid):
    path = tmp_path / "kasim.csv"
    path.write_bytes(csv_bytes([row(prepaid, n, parts=255) for n in range(1, 6)]))

    code, output = run(str(path))

    assert code == 1
    assert f"Yetersiz kontör: {prepaid.code}" in output
    assert not DeliveryRecord.objects.exists()


def test_a_missing_file_or_an_unknown_user_is_refused(tmp_path, prepaid):
    path = tmp_path / "kasim.csv"
    path.write_bytes(csv_bytes([row(prepaid, 1)]))

    assert run(str(tmp_path / "yok.csv"))[0] == 1
    assert run(str(path), "--user", "kimse@portal.test")[0] == 1
    assert not DeliveryRecord.objects.exists()
