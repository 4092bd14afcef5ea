"""The delivery report import in the admin: finance uploads a file and reads the result; the records are read-only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing import ledger
from billing.models import BillingAccount, DeliveryRecord, DeliveryReport, LedgerEntry
from billing.tests.factories import make_account
from billing.tests.test_deliveries import csv_bytes, row, run_import

IMPORT_URL = "/admin/billing/deliveryreport/ice-aktar/"


@pytest.fixture
def prepaid(applicant):
    account = make_account(applicant, plan="prepaid")
    ledger.credit(account, key=f"test-purchase:{account.pk}", credits=1_000)
    return account


def upload(data: bytes, name: str = "ekim.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_finance_sees_the_import_button_and_the_form(client, finance):
    client.force_login(finance)

    listing = client.get("/admin/billing/deliveryreport/")
    form = client.get(IMPORT_URL)

    assert listing.status_code == 200
    assert IMPORT_URL in listing.content.decode()
    assert form.status_code == 200
    assert 'type="file"' in form.content.decode() and 'enctype="multipart/form-data"' in form.content.decode()


def test_finance_imports_a_good_file(client, finance, prepaid):
    client.force_login(finance)

    response = client.post(IMPORT_URL, {"file": upload(csv_bytes([row(prepaid, 1, parts=2), row(prepaid, 2)]))})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Rapor içe aktarıldı." in page
    report = DeliveryReport.objects.get()
    assert (report.file_name, report.created, report.imported_by) == ("ekim.csv", 2, finance)
    assert f"/admin/billing/deliveryreport/{report.pk}/change/" in page
    assert prepaid.code in page
    assert DeliveryRecord.objects.count() == 2
    assert BillingAccount.objects.get(pk=prepaid.pk).balance == 997


def test_a_bad_file_shows_its_bad_rows_and_imports_nothing(client, finance, prepaid):
    client.force_login(finance)
    rows = [row(prepaid, 1), row(prepaid, 2, status="teslim"), row(prepaid, 3), row("TS-YOKK-YOKK", 4)]

    response = client.post(IMPORT_URL, {"file": upload(csv_bytes(rows))})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Dosyadan hiçbir şey kaydedilmedi." in page
    assert "<td>3</td>" in page and "<td>5</td>" in page and "TS-YOKK-YOKK" in page
    assert "<td>2</td>" not in page and "<td>4</td>" not in page
    assert not DeliveryRecord.objects.exists()
    assert not DeliveryReport.objects.exists()


def test_the_page_shows_the_first_200_bad_rows_and_counts_the_rest(client, finance, prepaid):
    client.force_login(finance)
    rows = [row(prepaid, n, status="bilinmiyor") for n in range(250)]

    page = client.post(IMPORT_URL, {"file": upload(csv_bytes(rows))}).content.decode()

    assert "<td>201</td>" in page and "<td>202</td>" not in page
    assert "50 hatalı satır daha" in page
    assert "250 hatalı satır var" in page


def test_a_dry_run_in_the_admin_writes_nothing(client, finance, prepaid):
    client.force_login(finance)

    page = client.post(IMPORT_URL, {"file": upload(csv_bytes([row(prepaid, 1)])), "dry_run": "on"}).content.decode()

    assert "hiçbir şey kaydedilmedi. İçe aktarılsaydı" in page
    assert not DeliveryRecord.objects.exists()


def test_an_insufficient_balance_is_named_in_the_admin(client, finance, prepaid):
    client.force_login(finance)
    rows = [row(prepaid, n, parts=255) for n in range(1, 6)]  # 1,275 parts on a balance of 1,000

    page = client.post(IMPORT_URL, {"file": upload(csv_bytes(rows))}).content.decode()

    assert "Yetersiz kontör" in page and prepaid.code in page
    assert not LedgerEntry.objects.filter(kind="usage").exists()


def test_a_reviewer_may_not_import_or_read_reports(client, reviewer, prepaid):
    client.force_login(reviewer)

    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"file": upload(csv_bytes([row(prepaid, 1)]))}).status_code == 403
    assert client.get("/admin/billing/deliveryreport/").status_code == 403
    assert client.get("/admin/billing/deliveryrecord/").status_code == 403
    assert not DeliveryRecord.objects.exists()


def test_reports_records_and_usage_are_read_only_even_for_a_superuser(client, superuser, prepaid):
    result = run_import(csv_bytes([row(prepaid, 1)]))
    record = DeliveryRecord.objects.get()
    client.force_login(superuser)

    for model, pk in (("deliveryreport", result.report.pk), ("deliveryrecord", record.pk), ("usagemonth", None)):
        listing = client.get(f"/admin/billing/{model}/")
        assert listing.status_code == 200
        assert client.get(f"/admin/billing/{model}/add/").status_code == 403
        if pk:
            shown = client.get(f"/admin/billing/{model}/{pk}/change/")
            assert shown.status_code == 200 and 'name="_save"' not in shown.content.decode()
            assert client.post(f"/admin/billing/{model}/{pk}/delete/").status_code == 403
    assert DeliveryRecord.objects.count() == 1


def test_finance_finds_a_record_by_its_message_id(client, finance, prepaid):
    run_import(csv_bytes([row(prepaid, 1), row(prepaid, 11), row(prepaid, 2, status="undelivered")]))
    client.force_login(finance)

    found = client.get("/admin/billing/deliveryrecord/", {"q": "msg-1"}).content.decode()
    filtered = client.get("/admin/billing/deliveryrecord/", {"status__exact": "undelivered"}).content.decode()

    assert "msg-1<" in found and "msg-11" not in found
    assert "msg-2" in filtered and "msg-1<" not in filtered


def test_the_record_list_keeps_its_query_count_as_records_grow(client, finance, prepaid):
    client.force_login(finance)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/admin/billing/deliveryrecord/").status_code == 200
        return len(captured.captured_queries)

    run_import(csv_bytes([row(prepaid, n) for n in range(5)]))
    few = queries()
    other = make_account(finance, plan="invoiced", legal_name="Başka Kurum")
    run_import(csv_bytes([row(other, n) for n in range(100, 180)]))
    many = queries()

    assert few == many
