"""Delivery report import: all or nothing, each (message_id, part) once, usage by month and plan, the prepaid ledger.

The helpers at the top are shared by the other test_deliveries_*.py files.
"""

import datetime
import hashlib
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing import ledger
from billing.deliveries import MAX_ERRORS, import_delivery_report, write_demo_report
from billing.models import (
    BillingAccount,
    DeliveryRecord,
    DeliveryReport,
    LedgerEntry,
    PlanChange,
    UsageMonth,
)
from billing.sms import count_parts
from billing.tests.factories import make_account

HEADER = "message_id,part,account,recipient,sent_at,status,parts"
OCTOBER = datetime.date(2026, 10, 1)
NOVEMBER = datetime.date(2026, 11, 1)


def csv_bytes(rows: list[str], *, header: str = HEADER, bom: bool = False, newline: str = "\n") -> bytes:
    text = newline.join([header, *rows]) + newline
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def row(account, number: int, *, status: str = "delivered", parts: int | str = 1, sent_at: str = "", part: int = 1):
    code = account if isinstance(account, str) else account.code
    sent_at = sent_at or f"2026-10-{(number % 28) + 1:02d}T10:00:00+03:00"
    return f"msg-{number},{part},{code},905321234567,{sent_at},{status},{parts}"


def run_import(data: bytes, **kwargs):
    return import_delivery_report(io.BytesIO(data), file_name="rapor.csv", **kwargs)


def usage(account, month=OCTOBER, plan=None) -> dict[str, int]:
    month_row = UsageMonth.objects.filter(account=account, month=month, plan=plan or account.plan).first()
    if month_row is None:
        return {"delivered": 0, "undelivered": 0, "pending": 0, "expired": 0}
    return {s: getattr(month_row, s) for s in ("delivered", "undelivered", "pending", "expired")}


def balance(account) -> int:
    return BillingAccount.objects.values_list("balance", flat=True).get(pk=account.pk)


@pytest.fixture
def prepaid(applicant):
    account = make_account(applicant, plan="prepaid", legal_name="Şişli Belediyesi")
    ledger.credit(account, key=f"test-purchase:{account.pk}", credits=1_000)
    return account


@pytest.fixture
def invoiced(other_applicant):
    return make_account(other_applicant, plan="invoiced", legal_name="Ödemiş Belediyesi")


# --- A good file, the same file again, an overlapping file ---------------------------------------------------------


def test_a_good_file_records_each_row_counts_usage_and_debits_prepaid_once(prepaid, invoiced, finance):
    rows = [
        row(prepaid, 1, parts=2),
        row(prepaid, 2, status="pending", parts=1),
        row(prepaid, 3, status="undelivered", parts=3),
        row(prepaid, 4, status="expired", parts=1),
        row(invoiced, 5, parts=2),
        row(invoiced, 6, status="undelivered", parts=1),
    ]
    data = csv_bytes(rows)

    result = run_import(data, user=finance)

    assert result.ok, result.errors
    assert (result.rows, result.created, result.updated, result.unchanged) == (6, 6, 0, 0)
    assert DeliveryRecord.objects.count() == 6
    assert usage(prepaid) == {"delivered": 2, "undelivered": 3, "pending": 1, "expired": 1}
    assert usage(invoiced) == {"delivered": 2, "undelivered": 1, "pending": 0, "expired": 0}
    # Pending and delivered parts are charged; undelivered and expired ones never were.
    charged = dict(DeliveryRecord.objects.values_list("message_id", "charged"))
    assert charged == {"msg-1": 2, "msg-2": 1, "msg-3": 0, "msg-4": 0, "msg-5": 0, "msg-6": 0}
    usage_entries = LedgerEntry.objects.filter(kind="usage")
    assert [(e.account_id, e.credits) for e in usage_entries] == [(prepaid.pk, -3)]
    report = result.report
    assert usage_entries.get().idempotency_key == f"delivery:{report.pk}:{prepaid.pk}:usage"
    assert balance(prepaid) == 997
    assert ledger.verify(prepaid).ok
    assert not LedgerEntry.objects.filter(account=invoiced).exists()
    assert report.sha256 == hashlib.sha256(data).hexdigest()
    assert (report.rows, report.created, report.updated, report.unchanged) == (6, 6, 0, 0)
    assert report.imported_by == finance
    assert report.file_name == "rapor.csv"
    assert set(DeliveryRecord.objects.values_list("report", flat=True)) == {report.pk}
    assert result.debits == {prepaid.code: 3}


def test_the_same_file_again_records_nothing_new_and_leaves_the_ledger_alone(prepaid, invoiced):
    data = csv_bytes([row(prepaid, 1, parts=2), row(prepaid, 2, status="pending"), row(invoiced, 3)])
    run_import(data)
    entries, months = LedgerEntry.objects.count(), list(UsageMonth.objects.order_by("id").values())

    again = run_import(data)

    assert again.ok
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert DeliveryRecord.objects.count() == 3
    assert LedgerEntry.objects.count() == entries
    assert list(UsageMonth.objects.order_by("id").values()) == months
    assert balance(prepaid) == 997
    assert DeliveryReport.objects.count() == 2
    assert ledger.verify(prepaid).ok


def test_an_overlapping_file_records_only_its_new_rows(prepaid):
    run_import(csv_bytes([row(prepaid, n, parts=1) for n in range(1, 6)]))

    result = run_import(csv_bytes([row(prepaid, n, parts=1) for n in range(4, 9)]))

    assert (result.created, result.updated, result.unchanged) == (3, 0, 2)
    assert DeliveryRecord.objects.count() == 8
    assert usage(prepaid)["delivered"] == 8
    assert list(LedgerEntry.objects.filter(kind="usage").order_by("id").values_list("credits", flat=True)) == [-5, -3]
    assert balance(prepaid) == 992


def test_a_row_repeated_identically_inside_the_file_counts_once(prepaid):
    result = run_import(csv_bytes([row(prepaid, 1, parts=2), row(prepaid, 2), row(prepaid, 1, parts=2)]))

    assert result.ok
    assert (result.rows, result.created, result.unchanged) == (3, 2, 1)
    assert usage(prepaid)["delivered"] == 3
    assert balance(prepaid) == 997


# --- Bad rows: nothing imported, every one reported by line --------------------------------------------------------


def test_a_file_with_bad_rows_imports_nothing_and_reports_each_by_line(prepaid, invoiced):
    good = row(prepaid, 1)
    rows = [
        good,  # line 2
        row("TS-YOKK-YOKK", 2),  # 3: unknown account
        row(prepaid, 3, sent_at="2026-10-05 10:00:00"),  # 4: naive time
        row(prepaid, 4, sent_at="05.10.2026 10:00"),  # 5: not ISO 8601
        row(prepaid, 5, status="teslim"),  # 6: unknown status
        row(prepaid, 6, parts=0),  # 7: parts < 1
        row(prepaid, 7, parts="iki"),  # 8: parts not a number
        f"msg-8,1,{prepaid.code},0532 ABC,2026-10-05T10:00:00+03:00,delivered,1",  # 9: recipient
        f"msg-9,1,{prepaid.code},905321234567,2026-10-05T10:00:00+03:00,delivered",  # 10: a column missing
        row(prepaid, 1, status="undelivered"),  # 11: line 2's message with other data
        f",1,{prepaid.code},905321234567,2026-10-05T10:00:00+03:00,delivered,1",  # 12: no message_id
        row(prepaid, 12, part="x"),  # 13: part not a number
        row(prepaid, 13, sent_at="2099-01-01T10:00:00+03:00"),  # 14: in the future
        row(invoiced, 14, parts=""),  # 15: no parts and no text
        row(prepaid, 15),  # 16: good
    ]
    before = (DeliveryRecord.objects.count(), LedgerEntry.objects.count(), UsageMonth.objects.count())

    result = run_import(csv_bytes(rows))

    assert not result.ok
    assert result.report is None
    reasons = {error.line: error.message for error in result.errors}
    assert sorted(reasons) == list(range(3, 16))
    assert result.error_count == 13
    assert "TS-YOKK-YOKK" in reasons[3]
    assert "saat farkı" in reasons[4]
    assert "ISO 8601" in reasons[5]
    assert "status" in reasons[6]
    assert "parts" in reasons[7] and "parts" in reasons[8]
    assert "recipient" in reasons[9]
    assert "sütun" in reasons[10]
    assert "2. satırda" in reasons[11]
    assert "message_id" in reasons[12]
    assert "part " in reasons[13]
    assert "gelecekte" in reasons[14]
    assert "text" in reasons[15]
    assert (DeliveryRecord.objects.count(), LedgerEntry.objects.count(), UsageMonth.objects.count()) == before
    assert not DeliveryReport.objects.exists()
    assert balance(prepaid) == 1_000


@pytest.mark.parametrize(
    ("data", "line", "fragment"),
    [
        (b"", 1, "boş"),
        (b"message_id,part,account\nx,1,y\n", 1, "eksik sütun: recipient, sent_at, status, parts"),
        (HEADER.encode() + b",operator\n", 1, "bilinmeyen sütun: operator"),
        (HEADER.encode() + b",parts\n", 1, "birden fazla: parts"),
        (HEADER.encode("utf-16"), 1, "UTF-8"),
    ],
)
def test_a_file_whose_header_cannot_be_read_is_refused_at_line_one(prepaid, data, line, fragment):
    result = run_import(data)

    assert not result.ok
    assert result.errors[0].line == line
    assert fragment in result.errors[0].message


def test_a_line_that_is_not_utf8_is_reported_by_its_number(prepaid):
    # A line saved as Windows-1254 (the Turkish code page) among UTF-8 lines.
    turkish = f"mesaj-şğı,1,{prepaid.code},905321234567,2026-10-05T10:00:00+03:00,delivered,1\n".encode("cp1254")
    data = csv_bytes([row(prepaid, 1), row(prepaid, 2)]) + turkish + row(prepaid, 4).encode() + b"\n"

    result = run_import(data)

    assert [(error.line, "UTF-8" in error.message) for error in result.errors] == [(4, True)]
    assert not DeliveryRecord.objects.exists()


def test_an_overlong_line_a_nul_and_bare_cr_line_ends_are_bad_lines_not_memory(prepaid):
    huge = row(prepaid, 2).replace("msg-2", "msg-" + "9" * 1_100_000).encode()
    data = (
        csv_bytes([row(prepaid, 1)]) + huge + b"\n" + row(prepaid, 3).replace("msg-3", "msg\x00-3").encode() + b"\n"
    )

    result = run_import(data + row(prepaid, 4).encode() + b"\n")
    bare_cr = run_import(csv_bytes([row(prepaid, n) for n in range(20_000)], newline="\r"))

    assert [(error.line, error.message[:15]) for error in result.errors] == [
        (3, "Satır çok uzun "),
        (4, "Satırda NUL kar"),
    ]
    assert bare_cr.errors[0].line == 1 and "satır sonu" in bare_cr.errors[0].message
    assert not DeliveryRecord.objects.exists()


def test_a_message_id_may_hold_any_printable_character(prepaid):
    message_id = 'Ab\\c\\t"ş;|,'
    quoted = message_id.replace('"', '""')
    line = f'"{quoted}",1,{prepaid.code},905321234567,2026-10-05T10:00:00+03:00,delivered,1'

    result = run_import(csv_bytes([line]))

    assert result.ok, result.errors
    assert DeliveryRecord.objects.get().message_id == message_id
    assert run_import(csv_bytes([line])).unchanged == 1


def test_a_row_that_disagrees_with_the_stored_record_is_bad(prepaid, invoiced):
    run_import(csv_bytes([row(prepaid, 1, parts=2)]))

    result = run_import(csv_bytes([row(prepaid, 2), row(invoiced, 1, parts=3)]))

    assert [error.line for error in result.errors] == [3]
    assert "hesap" in result.errors[0].message and "parça sayısı" in result.errors[0].message
    assert DeliveryRecord.objects.count() == 1


def test_each_repeat_is_judged_against_the_first_line_and_the_stored_record(prepaid):
    run_import(csv_bytes([row(prepaid, 1, parts=2)]))

    result = run_import(
        csv_bytes(
            [
                row(prepaid, 5),  # line 2
                row(prepaid, 5),  # 3: the same as line 2: fine
                row(prepaid, 5, status="pending"),  # 4: line 2 with another status
                row(prepaid, 1, parts=3),  # 5: the stored record has 2 parts
                row(prepaid, 1, parts=3),  # 6: the same again, as wrong
            ]
        )
    )

    assert [(error.line, error.message[:14]) for error in result.errors] == [
        (4, "Aynı message_i"),
        (5, "Bu message_id "),
        (6, "Bu message_id "),
    ]
    assert DeliveryRecord.objects.count() == 1


def test_only_the_first_bad_rows_are_kept_but_all_are_counted(prepaid):
    rows = [row(prepaid, n, status="bilinmiyor") for n in range(MAX_ERRORS + 50)]

    result = run_import(csv_bytes(rows), batch_size=300)

    assert result.error_count == MAX_ERRORS + 50
    assert len(result.errors) == MAX_ERRORS
    assert result.more_errors == 50
    assert [error.line for error in result.errors[:3]] == [2, 3, 4]


# --- Status updates -------------------------------------------------------------------------------------------------


def test_pending_then_delivered_moves_the_usage_once_and_charges_nothing_more(prepaid, invoiced):
    run_import(csv_bytes([row(prepaid, 1, status="pending", parts=2), row(invoiced, 2, status="pending", parts=3)]))
    update = csv_bytes([row(prepaid, 1, status="delivered", parts=2), row(invoiced, 2, status="delivered", parts=3)])

    first = run_import(update)
    second = run_import(update)

    assert (first.created, first.updated, first.unchanged) == (0, 2, 0)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert usage(prepaid) == {"delivered": 2, "undelivered": 0, "pending": 0, "expired": 0}
    assert usage(invoiced) == {"delivered": 3, "undelivered": 0, "pending": 0, "expired": 0}
    assert list(LedgerEntry.objects.filter(kind="usage").values_list("credits", flat=True)) == [-2]
    assert balance(prepaid) == 998
    record = DeliveryRecord.objects.get(message_id="msg-1")
    assert (record.status, record.charged, record.report_id) == ("delivered", 2, first.report.pk)


def test_pending_then_undelivered_on_prepaid_refunds_the_parts(prepaid):
    run_import(csv_bytes([row(prepaid, 1, status="pending", parts=2), row(prepaid, 2, status="pending", parts=3)]))
    assert balance(prepaid) == 995

    result = run_import(
        csv_bytes([row(prepaid, 1, status="undelivered", parts=2), row(prepaid, 2, status="expired", parts=3)])
    )

    assert result.ok
    refund = LedgerEntry.objects.get(kind="refund")
    assert refund.credits == 5
    assert refund.idempotency_key == f"delivery:{result.report.pk}:{prepaid.pk}:refund"
    assert balance(prepaid) == 1_000
    assert ledger.verify(prepaid).ok
    assert usage(prepaid) == {"delivered": 0, "undelivered": 2, "pending": 0, "expired": 3}
    assert set(DeliveryRecord.objects.values_list("charged", flat=True)) == {0}
    assert result.refunds == {prepaid.code: 5}


def test_one_import_with_new_parts_and_refunds_writes_one_debit_and_one_refund(prepaid):
    run_import(csv_bytes([row(prepaid, 1, status="pending", parts=2)]))

    run_import(csv_bytes([row(prepaid, 1, status="undelivered", parts=2), row(prepaid, 2), row(prepaid, 3)]))

    entries = list(
        LedgerEntry.objects.filter(kind__in=["usage", "refund"]).order_by("id").values_list("kind", "credits")
    )
    assert entries == [("usage", -2), ("refund", 2), ("usage", -2)]
    assert balance(prepaid) == 998
    assert ledger.verify(prepaid).ok


def test_an_older_pending_row_never_takes_back_a_final_status(prepaid):
    run_import(csv_bytes([row(prepaid, 1, status="delivered", parts=2)]))

    result = run_import(csv_bytes([row(prepaid, 1, status="pending", parts=2)]))

    assert (result.updated, result.unchanged) == (0, 1)
    assert DeliveryRecord.objects.get().status == "delivered"
    assert usage(prepaid)["delivered"] == 2
    assert balance(prepaid) == 998


# --- The prepaid balance --------------------------------------------------------------------------------------------


def test_a_debit_that_does_not_fit_refuses_the_whole_file(prepaid, invoiced):
    rows = [row(invoiced, 1), row(prepaid, 2, parts=3)] + [row(prepaid, n, parts=3) for n in range(3, 340)]

    checked = run_import(csv_bytes(rows), dry_run=True)
    result = run_import(csv_bytes(rows))

    for outcome in (checked, result):
        assert not outcome.ok
        assert outcome.error_count == 0
        assert len(outcome.refusals) == 1
        assert prepaid.code in outcome.refusals[0] and "1000" in outcome.refusals[0] and "1014" in outcome.refusals[0]
    assert not DeliveryRecord.objects.exists()
    assert not UsageMonth.objects.exists()
    assert not DeliveryReport.objects.exists()
    assert balance(prepaid) == 1_000
    assert not LedgerEntry.objects.filter(kind="usage").exists()


def test_the_refund_in_the_same_file_counts_towards_the_debit(prepaid):
    run_import(csv_bytes([row(prepaid, 1, status="pending", parts=200)]))
    ledger.debit(prepaid, key="test-use-the-rest", credits=800)

    result = run_import(csv_bytes([row(prepaid, 1, status="undelivered", parts=200), row(prepaid, 2, parts=150)]))

    assert result.ok, result.refusals
    assert balance(prepaid) == 50
    assert ledger.verify(prepaid).ok


# --- Months and plans -----------------------------------------------------------------------------------------------


def test_the_month_is_the_istanbul_calendar_month(invoiced):
    run_import(
        csv_bytes(
            [
                row(invoiced, 1, sent_at="2026-10-31T21:30:00+00:00"),  # 00:30 on 1 November in Istanbul
                row(invoiced, 2, sent_at="2026-10-31T20:59:59+00:00"),  # 23:59:59 on 31 October
                row(invoiced, 3, sent_at="2026-11-01T00:10:00+03:00"),
            ]
        )
    )

    assert usage(invoiced, OCTOBER)["delivered"] == 1
    assert usage(invoiced, NOVEMBER)["delivered"] == 2


def test_the_plan_is_the_one_in_force_when_the_message_was_sent(prepaid, finance):
    PlanChange.objects.create(
        account=prepaid,
        from_plan="prepaid",
        to_plan="invoiced",
        effective_from=NOVEMBER,
        reason="Faturalıya geçti",
        actor=finance,
    )
    PlanChange.objects.filter(account=prepaid, from_plan="").update(effective_from=datetime.date(2026, 1, 1))

    run_import(
        csv_bytes(
            [
                row(prepaid, 1, parts=2, sent_at="2026-10-31T20:00:00+00:00"),  # 23:00 on 31 October: prepaid
                row(prepaid, 2, parts=5, sent_at="2026-10-31T21:30:00+00:00"),  # 1 November in Istanbul: invoiced
            ]
        )
    )

    assert dict(DeliveryRecord.objects.values_list("message_id", "plan")) == {"msg-1": "prepaid", "msg-2": "invoiced"}
    assert usage(prepaid, OCTOBER, "prepaid")["delivered"] == 2
    assert usage(prepaid, NOVEMBER, "invoiced")["delivered"] == 5
    assert balance(prepaid) == 998


# --- File formats ---------------------------------------------------------------------------------------------------


def test_a_bom_crlf_a_text_column_and_an_empty_last_column_are_read(prepaid):
    text = "Şişli Belediyesi: yarın su kesintisi yapılacaktır, anlayışınız için teşekkür ederiz. " * 2
    rows = [
        f'msg-1,1,{prepaid.code},+905321234567,2026-10-05T10:00:00Z,delivered,,"{text}",',
        f"msg-2,1,{prepaid.code},905321234567,2026-10-05T10:00:00+03:00,delivered,2,,",
        f'msg-3,1,{prepaid.code},905321234567,2026-10-05T10:00:00+03:00,delivered,,"iki\nsatır",',
        "",
    ]

    # The text column, and an unnamed empty column at the end as spreadsheets leave it.
    result = run_import(csv_bytes(rows, header=HEADER + ",text,", bom=True, newline="\r\n"))

    assert result.ok, result.errors
    parts = dict(DeliveryRecord.objects.values_list("message_id", "parts"))
    assert parts == {"msg-1": count_parts(text).parts, "msg-2": 2, "msg-3": 1}
    assert parts["msg-1"] > 1
    assert set(DeliveryRecord.objects.values_list("recipient", flat=True)) == {"905321234567"}


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(prepaid):
    result = run_import(csv_bytes([row(prepaid, 1, parts=2), row(prepaid, 2)]), dry_run=True)

    assert result.ok and result.dry_run
    assert (result.created, result.debits) == (2, {prepaid.code: 3})
    assert result.report is None
    assert not DeliveryRecord.objects.exists()
    assert balance(prepaid) == 1_000


def test_a_path_is_read_from_disk(prepaid, tmp_path):
    path = tmp_path / "ekim.csv"
    path.write_bytes(csv_bytes([row(prepaid, 1)]))

    result = import_delivery_report(path)

    assert result.ok and result.report.file_name == "ekim.csv"


# --- Queries: a constant number per batch ---------------------------------------------------------------------------


def test_queries_grow_with_batches_not_rows(prepaid, invoiced):
    def queries(count: int, start: int) -> int:
        rows = [row(prepaid if n % 2 else invoiced, n) for n in range(start, start + count)]
        with CaptureQueriesContext(connection) as captured:
            result = run_import(csv_bytes(rows), batch_size=100)
        assert result.ok
        return len(captured.captured_queries)

    small = queries(100, 0)  # one batch
    large = queries(1_000, 10_000)  # ten batches
    # Each further batch is one staging insert (a COPY on PostgreSQL, which Django does not log); everything else is a
    # constant number of statements.
    assert large - small == (0 if connection.vendor == "postgresql" else 9)


# --- The demo report ------------------------------------------------------------------------------------------------


def test_the_demo_report_is_deterministic_and_imports(prepaid, invoiced):
    now = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
    first, again = io.StringIO(), io.StringIO()
    demo = write_demo_report(first, [prepaid, invoiced], "2026-10", messages=50, now=now)
    write_demo_report(again, [prepaid, invoiced], datetime.date(2026, 10, 15), messages=50, now=now)
    settled = io.StringIO()
    write_demo_report(settled, [prepaid, invoiced], "2026-10", messages=50, settle=True, now=now)

    assert first.getvalue() == again.getvalue()
    assert demo.rows == 100
    result = run_import(first.getvalue().encode())
    assert result.ok, result.errors
    assert balance(prepaid) == 1_000 - demo.charged[prepaid.code]
    update = run_import(settled.getvalue().encode())
    assert update.ok and update.created == 0
    assert usage(prepaid)["pending"] == usage(invoiced)["pending"] == 0
    assert ledger.verify(prepaid).ok
