"""Delivery reports: the operator's CSV imported all or nothing, streamed, each (message_id, part) recorded once.

The file is `message_id,part,account,recipient,sent_at,status,parts` with an optional `text` column: when `parts` is
empty, the message text gives it (`billing.sms.count_parts`, the wizard's own count). `account` is the account code
the portal shows; `sent_at` is ISO 8601 with an offset; UTF-8 with or without a BOM.

How an import runs, in one transaction, one import at a time (an advisory lock on PostgreSQL; SQLite's immediate
transactions serialise writers anyway):

1. Stream the file line by line, validate each row and copy the good ones into a temporary staging table, a few
   thousand rows at a time (COPY on PostgreSQL, one executemany elsewhere), the accounts of each batch looked up in
   one query. Memory holds one batch, the accounts seen, and the first MAX_ERRORS bad rows (all are counted).
2. Check in SQL what one row cannot tell: the same (message_id, part) twice in the file with different data, and a
   row that disagrees with the record already stored (account, recipient, time, parts).
3. Compare each row with its stored record: new, status changed, or unchanged. A `pending` row never takes back a
   final status (an older report read after a newer one).
4. Predict the prepaid ledger per account: credits newly charged, credits given back. A debit that would not fit
   the balance refuses the file, named in the report.
5. Any bad row, a refusal or a dry run: roll back, nothing written. Otherwise the second pass writes from the staging
   table: new records (one INSERT … SELECT), changed statuses (one UPDATE … FROM), the monthly usage by deltas (one
   INSERT … ON CONFLICT), then per prepaid account one refund and one debit, and the DeliveryReport row.

A prepaid record holds `charged` credits: its parts while pending or delivered, none once undelivered or expired; a
row first seen undelivered or expired is never charged (nothing debited, nothing refunded). The plan is the one in
force at `sent_at` (Europe/Istanbul day), and the usage month is sent_at's calendar month in Europe/Istanbul.
"""

import codecs
import csv
import datetime
import hashlib
import heapq
import random
import re
import time
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from billing import ledger
from billing.accounts import PlanHistory
from billing.models import BillingAccount, CreditLot, DeliveryReport, DeliveryStatus, Plan
from billing.sms import count_parts

ISTANBUL = zoneinfo.ZoneInfo("Europe/Istanbul")
COLUMNS = ("message_id", "part", "account", "recipient", "sent_at", "status", "parts")
OPTIONAL_COLUMNS = ("text",)
BATCH_SIZE = 5_000
MAX_ERRORS = 1_000  # bad rows kept with their reasons; every bad row is counted
MAX_PARTS = 255  # a concatenated SMS has at most 255 parts
MAX_LINE = 1024 * 1024  # bytes; a 255-part message is about 50 KB
PLAN_CACHE = 100_000  # (account, day) → plan entries kept before the cache starts again
FUTURE_TOLERANCE = datetime.timedelta(hours=1)
CHARGED_STATUSES = (DeliveryStatus.PENDING, DeliveryStatus.DELIVERED)
STATUSES = frozenset(DeliveryStatus.values)
RECIPIENT = re.compile(r"\+?[0-9]{10,15}")
DIGITS = re.compile(r"[0-9]{1,6}")
IMPORT_WORK_MEM = "32MB"  # per sort or hash of the import's statements (a hash may take twice that)
# Only one import runs at a time: two overlapping files must not both see a row as new.
IMPORT_LOCK = 0x6269_6C6C_0009

BACKSLASH = "\\"
STAGE = "billing_delivery_stage"  # the file's good rows
DUPES = "billing_delivery_dupes"  # (message_id, part) seen on more than one line, with the first
ROWS = "billing_delivery_rows"  # one row per (message_id, part), against its stored record
# The fields a row must share with the record stored for its (message_id, part), each a bit.
STORED_FIELDS = (("account_id", 1), ("recipient", 2), ("sent_at", 4), ("parts", 8))


@dataclass(frozen=True, order=True)
class RowError:
    line: int
    message: str


@dataclass
class ImportResult:
    """What an import did, or would do: counts, bad rows by line, refused accounts, ledger movements per account."""

    file_name: str
    sha256: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)  # the first MAX_ERRORS bad rows, by line
    error_count: int = 0  # every bad row
    refusals: list[str] = field(default_factory=list)  # prepaid accounts whose debit does not fit
    debits: dict[str, int] = field(default_factory=dict)  # account code → credits charged
    refunds: dict[str, int] = field(default_factory=dict)  # account code → credits given back
    report: DeliveryReport | None = None
    dry_run: bool = False
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # seconds of read, check, write and ledger

    @property
    def ok(self) -> bool:
        return not self.error_count and not self.refusals

    @property
    def more_errors(self) -> int:
        return self.error_count - len(self.errors)


class _Refused(Exception):
    """Roll the import back: the result says why."""


def import_delivery_report(
    source,
    *,
    file_name: str = "",
    user=None,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    now: datetime.datetime | None = None,
) -> ImportResult:
    """Import an operator report (a path, a file opened in binary mode, or an uploaded file), all or nothing; see the
    module's notes.

    Idempotent by (message_id, part): the same file again records nothing and moves no credit. A file with a bad row,
    or whose prepaid debit does not fit an account's balance, writes nothing and says why.
    """
    started = time.monotonic()
    now = now or timezone.now()
    if isinstance(source, str | Path):
        path = Path(source)
        with path.open("rb") as handle:
            return import_delivery_report(
                handle, file_name=file_name or path.name, user=user, dry_run=dry_run, batch_size=batch_size, now=now
            )
    result = ImportResult(file_name=file_name or Path(getattr(source, "name", "") or "rapor.csv").name)
    result.dry_run = dry_run
    try:
        with transaction.atomic(), timezone.override(ISTANBUL):
            _import(source, result, user, dry_run, batch_size, now, started)
    except _Refused:
        pass
    except ledger.InsufficientCredit as refused:
        # The prediction said it fits but the balance moved in between: nothing was written.
        result.refusals.append(refused.message)
        result.report = None
    result.seconds = time.monotonic() - started
    return result


def _import(source, result: ImportResult, user, dry_run: bool, batch_size: int, now, started: float) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
            # The joins and groupings over a million staged rows: in memory rather than in many batches on disk.
            cursor.execute(f"SET LOCAL work_mem = '{IMPORT_WORK_MEM}'")
    stage = _Stage()
    stage.create()
    reader = _Reader(source, stage, result, batch_size, now)
    lap = _Laps(result)
    if not reader.read():
        stage.drop()
        _finish_errors(result, reader.errors, _Errors())
        raise _Refused
    lap("read")
    stage.index()
    _finish_errors(result, reader.errors, stage.compare())
    result.rows = reader.rows
    result.created, result.updated = stage.counts()
    result.unchanged = result.rows - result.created - result.updated - result.error_count
    movements = stage.movements()
    codes = dict(BillingAccount.objects.filter(pk__in=list(movements)).values_list("pk", "code"))
    for account_id, (debit, refund) in sorted(movements.items()):
        if debit:
            result.debits[codes[account_id]] = debit
        if refund:
            result.refunds[codes[account_id]] = refund
    result.refusals = _refusals(movements, codes, now)
    lap("check")
    if not result.ok or dry_run:
        stage.drop()
        raise _Refused
    report = DeliveryReport.objects.create(
        file_name=result.file_name[:255],
        sha256=result.sha256,
        rows=result.rows,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        imported_by=user,
        created_at=now,
    )
    stage.write(report, now)
    stage.drop()
    lap("write")
    for account_id, (debit, refund) in sorted(movements.items()):
        if refund:
            ledger.refund(
                account_id,
                key=f"delivery:{report.pk}:{account_id}:refund",
                credits=refund,
                description=_("Teslim raporu #%(report)s: teslim edilemeyen SMS parçalarının iadesi")
                % {"report": report.pk},
                now=now,
            )
        if debit:
            ledger.debit(
                account_id,
                key=f"delivery:{report.pk}:{account_id}:usage",
                credits=debit,
                description=_("Teslim raporu #%(report)s: gönderilen SMS parçaları") % {"report": report.pk},
                actor=user,
                now=now,
            )
    lap("ledger")
    report.seconds = time.monotonic() - started
    DeliveryReport.objects.filter(pk=report.pk).update(seconds=report.seconds)
    result.report = report


class _Laps:
    """Seconds per phase, for the benchmark and the curious."""

    def __init__(self, result: ImportResult):
        self.phases, self.last = result.phases, time.monotonic()

    def __call__(self, phase: str) -> None:
        now = time.monotonic()
        self.phases[phase], self.last = now - self.last, now


def _finish_errors(result: ImportResult, row_errors: "_Errors", conflicts: "_Errors") -> None:
    result.errors = list(heapq.merge(row_errors.kept, conflicts.kept))[:MAX_ERRORS]
    result.error_count = row_errors.count + conflicts.count


def _refusals(movements: dict[int, tuple[int, int]], codes: dict[int, str], now) -> list[str]:
    """Accounts whose debit would not fit: the balance, less credits due to expire by now, plus this file's refund.

    The accounts are locked (in id order) until the import ends, so no other debit slips in between this prediction
    and the ledger writes; the ledger's own refusal stays the backstop."""
    wanted = {pk: (debit, refund) for pk, (debit, refund) in movements.items() if debit > refund}
    if not wanted:
        return []
    locked = BillingAccount.objects.select_for_update().filter(pk__in=list(wanted)).order_by("pk")
    balances = dict(locked.values_list("pk", "balance"))
    expiring = dict(
        CreditLot.objects.filter(account_id__in=list(wanted), remaining__gt=0, expires_at__lte=now)
        .values("account_id")
        .annotate(credits=Sum("remaining"))
        .values_list("account_id", "credits")
    )
    refusals = []
    for pk, (debit, refund) in sorted(wanted.items()):
        available = balances[pk] - expiring.get(pk, 0)
        if debit > available + refund:
            refusals.append(
                _(
                    "Yetersiz kontör: %(account)s hesabında kullanılabilir %(available)s kontör var; bu rapor "
                    "%(debit)s kontör düşüyor, %(refund)s kontör iade ediyor."
                )
                % {"account": codes[pk], "available": available, "debit": debit, "refund": refund}
            )
    return refusals


# --- Reading the file -----------------------------------------------------------------------------------------------


class _Errors:
    """The first MAX_ERRORS bad rows, in line order, and how many there were."""

    def __init__(self):
        self.kept: list[RowError] = []
        self.count = 0

    def add(self, line: int, message: str) -> None:
        self.count += 1
        if len(self.kept) < MAX_ERRORS:
            self.kept.append(RowError(line, message))


class _Lines:
    """The file's lines decoded as UTF-8 (a BOM dropped), hashing the bytes as they pass; an undecodable line is
    remembered by its number and passed on with replacement characters, so that the CSV reader keeps its place.

    Lines are read from the file object itself (Django's File iterates in Python, several times slower), at most
    MAX_LINE bytes at a time: a longer line (or a file whose lines end in a bare CR) is a bad line, not a memory
    spike."""

    def __init__(self, source):
        # A Django File (an upload) wraps the file object that reads fast; a plain binary file is one already.
        self.file = getattr(source, "file", None) or source
        self.sha256 = hashlib.sha256()
        self.number = 0
        self.bad: list[tuple[int, str]] = []

    def __iter__(self) -> Iterator[str]:
        update, bad, readline = self.sha256.update, self.bad, self.file.readline
        if getattr(self.file, "seekable", lambda: False)():
            self.file.seek(0)
        first = True
        while raw := readline(MAX_LINE):
            update(raw)
            self.number += 1
            if first:
                first = False
                if raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8) :]
            if len(raw) >= MAX_LINE and not raw.endswith(b"\n"):
                rest = raw
                while rest and not rest.endswith(b"\n"):
                    rest = readline(MAX_LINE)
                    update(rest)
                bad.append((self.number, _("Satır çok uzun ya da satır sonu tanınmıyor.")))
                yield "-\n"
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                bad.append((self.number, _("Satır UTF-8 değil; dosyayı UTF-8 olarak kaydedin.")))
                text = raw.decode("utf-8", "replace")
            if "\x00" in text:
                bad.append((self.number, _("Satırda NUL karakteri var.")))
                text = text.replace("\x00", "")
            yield text


class _Reader:
    """The first pass: rows validated in batches and staged; bad rows recorded with their line numbers."""

    def __init__(self, source, stage: "_Stage", result: ImportResult, batch_size: int, now):
        self.lines = _Lines(source)
        self.stage = stage
        self.result = result
        self.batch_size = batch_size
        self.latest = now + FUTURE_TOLERANCE
        self.errors = _Errors()
        self.rows = 0
        self.accounts: dict[str, int | None] = {}  # code → pk, None for an unknown code
        self.histories: dict[int, PlanHistory] = {}
        self.plans: dict[tuple[int, datetime.date], str] = {}  # (account, Istanbul day) → plan
        self.width = 0  # columns in the header

    def read(self) -> bool:
        """Stage every good row; False when the header makes the file unreadable."""
        reader = csv.reader(self.lines, strict=True)
        header = self._header(reader)
        if header is None:
            self._drain()
            return False
        batch: list[tuple[int, list[str] | None, str | None]] = []
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                row, problem = None, _("CSV biçimi bozuk: %(error)s") % {"error": error}
            else:
                problem = None
                if not row:  # a blank line
                    self._forget_bad_lines(reader.line_num)
                    continue
            if self.lines.bad:
                # A row spans lines start..line_num; the first bad line in it names the problem.
                problem = problem or next((message for number, message in self.lines.bad if number >= start), None)
                self._forget_bad_lines(reader.line_num)
            self.rows += 1
            batch.append((start, row, problem))
            if len(batch) >= self.batch_size:
                self._flush(batch, header)
                batch = []
        self._flush(batch, header)
        self.result.sha256 = self.lines.sha256.hexdigest()
        return True

    def _forget_bad_lines(self, up_to: int) -> None:
        self.lines.bad[:] = [bad for bad in self.lines.bad if bad[0] > up_to]

    def _drain(self) -> None:
        for _line in self.lines:
            pass
        self.result.sha256 = self.lines.sha256.hexdigest()

    def _header(self, reader) -> dict[str, int] | None:
        try:
            names = next(reader)
        except StopIteration:
            self.errors.add(1, _("Dosya boş: başlık satırı yok."))
            return None
        except csv.Error as error:
            self.errors.add(1, _("CSV biçimi bozuk: %(error)s") % {"error": error})
            return None
        if self.lines.bad:
            self.errors.add(1, self.lines.bad[0][1])
            return None
        names = [name.strip() for name in names]
        # Spreadsheets often leave empty columns at the end: an unnamed column is read past, whatever it holds.
        missing = [name for name in COLUMNS if name not in names]
        unknown = [name for name in names if name and name not in COLUMNS + OPTIONAL_COLUMNS]
        repeated = sorted({name for name in names if name and names.count(name) > 1})
        problems = []
        if missing:
            problems.append(_("Başlıkta eksik sütun: %(columns)s.") % {"columns": ", ".join(missing)})
        if unknown:
            problems.append(
                _("Başlıkta bilinmeyen sütun: %(columns)s.") % {"columns": ", ".join(n[:40] for n in unknown)}
            )
        if repeated:
            problems.append(_("Başlıkta aynı sütun birden fazla: %(columns)s.") % {"columns": ", ".join(repeated)})
        if problems:
            self.errors.add(1, " ".join(problems))
            return None
        self.width = len(names)
        return {name: names.index(name) for name in names if name}

    def _positions(self, header: dict[str, int]) -> tuple:
        return (self.width, *(header[name] for name in COLUMNS), header.get("text"))

    def _flush(self, batch: list, header: dict[str, int]) -> None:
        if not batch:
            return
        code_at = header["account"]
        unseen = {row[code_at].strip() for _line, row, problem in batch if row and len(row) > code_at} - set(
            self.accounts
        )
        if unseen:
            found = dict(BillingAccount.objects.filter(code__in=unseen).values_list("code", "pk"))
            self.accounts.update({code: found.get(code) for code in unseen})
            if found:
                history = PlanHistory(found.values())
                self.histories.update(dict.fromkeys(found.values(), history))
        staged = []
        positions = self._positions(header)
        for line, row, problem in batch:
            if problem is None:
                checked = self._check(row, positions)
                if isinstance(checked, str):
                    problem = checked
                else:
                    staged.append((line, *checked))
            if problem is not None:
                self.errors.add(line, problem)
        self.stage.add(staged)

    def _check(self, row: list[str], positions: tuple) -> tuple | str:
        """The row's staged values, or why it is bad."""
        width, at_id, at_part, at_account, at_recipient, at_sent, at_status, at_parts, at_text = positions
        if len(row) != width:
            return _("Satırda %(found)s sütun var, başlıkta %(expected)s.") % {"found": len(row), "expected": width}
        message_id = row[at_id].strip()
        if not message_id:
            return _("message_id boş.")
        if len(message_id) > 64 or not message_id.isprintable():
            return _("message_id en fazla 64 yazdırılabilir karakter olabilir.")
        part = row[at_part].strip()
        if not DIGITS.fullmatch(part) or int(part) > 32767:
            return _("part 0 ile 32767 arasında bir tam sayı olmalı.")
        code = row[at_account].strip()
        account_id = self.accounts.get(code)
        if account_id is None:
            return _("Bilinmeyen hesap kodu: %(code)s.") % {"code": code[:40] or "—"}
        recipient = row[at_recipient].strip()
        if not RECIPIENT.fullmatch(recipient):
            return _("recipient bir telefon numarası olmalı (10–15 rakam, başta + olabilir).")
        recipient = recipient.removeprefix("+")  # one spelling per number, so that reports agree
        sent_at = _moment(row[at_sent].strip())
        if isinstance(sent_at, str):
            return sent_at
        if sent_at > self.latest:
            return _("sent_at gelecekte olamaz.")
        status = row[at_status].strip()
        if status not in STATUSES:
            return _("status şunlardan biri olmalı: delivered, undelivered, pending, expired.")
        parts = row[at_parts].strip()
        if parts:
            if not DIGITS.fullmatch(parts) or not 1 <= int(parts) <= MAX_PARTS:
                return _("parts 1 ile %(max)s arasında bir tam sayı olmalı.") % {"max": MAX_PARTS}
            parts = int(parts)
        else:
            text = row[at_text] if at_text is not None else ""
            parts = count_parts(text).parts if text else 0
            if not parts:
                return _("parts boş ve mesaj metni (text) yok: parça sayısı bulunamadı.")
        local = sent_at.astimezone(ISTANBUL)
        day = local.date()
        plan = self.plans.get((account_id, day))
        if plan is None:
            if len(self.plans) >= PLAN_CACHE:
                self.plans.clear()
            plan = self.histories[account_id].plan(account_id, local) or Plan.INVOICED
            self.plans[account_id, day] = plan
        utc = sent_at.astimezone(datetime.UTC)
        return message_id, int(part), account_id, recipient, utc, status, parts, plan, day.replace(day=1)


def _moment(value: str) -> datetime.datetime | str:
    if not value.isascii():
        return _("sent_at ISO 8601 biçiminde bir zaman olmalı (örneğin 2026-10-31T21:30:00+03:00).")
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return _("sent_at ISO 8601 biçiminde bir zaman olmalı (örneğin 2026-10-31T21:30:00+03:00).")
    if moment.tzinfo is None or moment.utcoffset() is None:
        return _("sent_at saat farkı içermeli (örneğin +03:00 ya da Z).")
    return moment


# --- The staging table and the set-based second pass ---------------------------------------------------------------


def _charge(alias: str = "") -> str:
    """SQL: the credits a staged row holds on a prepaid account (its parts while pending or delivered)."""
    a = f"{alias}." if alias else ""
    statuses = ", ".join(f"'{status}'" for status in CHARGED_STATUSES)
    return f"CASE WHEN {a}plan = '{Plan.PREPAID}' AND {a}status IN ({statuses}) THEN {a}parts ELSE 0 END"


def _delta(status: str) -> str:
    """SQL: how a staged row moves the usage column of `status` (old parts out, new parts in)."""
    return (
        f"SUM(CASE WHEN status = '{status}' THEN parts ELSE 0 END)"
        f" - SUM(CASE WHEN old_status = '{status}' THEN parts ELSE 0 END)"
    )


class _Stage:
    """A temporary table of the file's good rows; every statement here is a constant number of queries."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        self.ops = connection.ops

    def _execute(self, sql: str, params=()) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    def create(self) -> None:
        self.drop()
        if self.postgres:
            types = {
                "line": "integer",
                "key": "varchar(64)",
                "int": "integer",
                "big": "bigint",
                "text": "varchar(20)",
            }
            moment, day = "timestamptz", "date"
        else:
            types = {"line": "integer PRIMARY KEY", "key": "text", "int": "integer", "big": "integer", "text": "text"}
            moment, day = "text", "text"
        self._execute(
            f"CREATE TEMPORARY TABLE {STAGE} (line {types['line']} NOT NULL, message_id {types['key']} NOT NULL, "
            f"part {types['int']} NOT NULL, account_id {types['big']} NOT NULL, recipient {types['text']} NOT NULL, "
            f"sent_at {moment} NOT NULL, status {types['text']} NOT NULL, parts {types['int']} NOT NULL, "
            f"plan {types['text']} NOT NULL, month {day} NOT NULL)"
        )

    def drop(self) -> None:
        for table in (ROWS, DUPES, STAGE):
            self._execute(f"DROP TABLE IF EXISTS {table}")

    def add(self, rows: list[tuple]) -> None:
        """One batch: COPY on PostgreSQL, one executemany elsewhere."""
        if not rows:
            return
        columns = "line, message_id, part, account_id, recipient, sent_at, status, parts, plan, month"
        with connection.cursor() as cursor:
            if self.postgres:
                # COPY's text format: tab-separated, backslash escaped (only a message_id can hold one: the other
                # text columns are validated digits and codes, and no column holds a tab or a line break).
                text = "".join(
                    f"{line}\t{message_id.replace(BACKSLASH, BACKSLASH * 2)}\t{part}\t{account_id}\t{recipient}\t"
                    f"{sent_at.isoformat()}\t{status}\t{parts}\t{plan}\t{month.isoformat()}\n"
                    for line, message_id, part, account_id, recipient, sent_at, status, parts, plan, month in rows
                )
                with cursor.cursor.copy(f"COPY {STAGE} ({columns}) FROM STDIN") as copy:
                    copy.write(text)
            else:
                moment, day = self.ops.adapt_datetimefield_value, self.ops.adapt_datefield_value
                cursor.executemany(
                    f"INSERT INTO {STAGE} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",  # noqa: S608
                    [(*row[:5], moment(row[5]), *row[6:9], day(row[9])) for row in rows],
                )

    def index(self) -> None:
        self._execute(f"CREATE INDEX {STAGE}_key ON {STAGE} (message_id, part)")
        if self.postgres:
            # Temporary tables are never analysed by autovacuum; the joins below need the row count.
            self._execute(f"ANALYZE {STAGE}")

    def compare(self) -> _Errors:
        """Set each row beside its stored record (a new table, ROWS) and find the bad rows only SQL sees: the same
        (message_id, part) as an earlier line with other data, and a row that disagrees with its stored record.
        Then keep one row per (message_id, part), its first line.

        ROWS is the status a row takes (a pending row keeps a stored final status: an older report read after a
        newer one), the record's id, status, charge and plan. A new table rather than an UPDATE of the staging table:
        one sequential write instead of a new version of every row and its index entries, and one join with the
        records serves both the check and the import."""
        errors = _Errors()
        self._execute(
            f"CREATE TEMPORARY TABLE {DUPES} AS SELECT message_id, part, MIN(line) AS first_line "  # noqa: S608
            f"FROM {STAGE} GROUP BY message_id, part HAVING COUNT(*) > 1"
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {DUPES}")  # noqa: S608
            repeated_keys = cursor.fetchone()[0]
        # Which of the record's fields a row contradicts, as bits (none for a new row).
        differs = " + ".join(
            f"CASE WHEN r.{column} <> s.{column} THEN {bit} ELSE 0 END" for column, bit in STORED_FIELDS
        )
        self._execute(
            f"CREATE TEMPORARY TABLE {ROWS} AS SELECT s.line, s.message_id, s.part, s.account_id, "  # noqa: S608
            f"s.recipient, s.sent_at, CASE WHEN r.id IS NOT NULL AND s.status = '{DeliveryStatus.PENDING}' "
            "THEN r.status ELSE s.status END AS status, s.parts, COALESCE(r.plan, s.plan) AS plan, s.month, "
            "r.id AS record_id, r.status AS old_status, r.charged AS old_charged, d.first_line, "
            f"{differs} AS differs FROM {STAGE} s "
            "LEFT JOIN billing_deliveryrecord r ON r.message_id = s.message_id AND r.part = s.part "
            f"LEFT JOIN {DUPES} d ON d.message_id = s.message_id AND d.part = s.part"
        )
        found: list[tuple[int, str]] = []
        names = (_("hesap"), _("alıcı"), _("gönderim zamanı"), _("parça sayısı"))
        with connection.cursor() as cursor:
            if repeated_keys:
                cursor.execute(
                    f"SELECT s.line, s.first_line FROM {ROWS} s JOIN {STAGE} f ON f.line = s.first_line "  # noqa: S608
                    "WHERE s.line <> s.first_line AND (s.account_id <> f.account_id OR s.recipient <> f.recipient "
                    "OR s.sent_at <> f.sent_at OR s.status <> f.status OR s.parts <> f.parts) ORDER BY s.line"
                )
                message = _("Aynı message_id ve part %(first)s. satırda başka bilgilerle var.")
                found.extend((line, message % {"first": first}) for line, first in _fetch(cursor))
            repeats = len(found)
            cursor.execute(f"SELECT line, differs FROM {ROWS} WHERE differs > 0 ORDER BY line")  # noqa: S608
            message = _("Bu message_id ve part daha önce başka bilgilerle kaydedilmiş (%(fields)s).")
            bits = [bit for _column, bit in STORED_FIELDS]
            for line, differ in _fetch(cursor):
                fields = ", ".join(name for name, bit in zip(names, bits, strict=True) if differ & bit)
                found.append((line, message % {"fields": fields}))
        # Both lists are in line order; a row in both is reported once, with its first reason.
        seen = set()
        for line, message in heapq.merge(found[:repeats], found[repeats:]):
            if line not in seen:
                seen.add(line)
                errors.add(line, message)
        if repeated_keys:
            self._execute(f"DELETE FROM {ROWS} WHERE first_line IS NOT NULL AND line <> first_line")  # noqa: S608
        if self.postgres:
            self._execute(f"ANALYZE {ROWS}")
        return errors

    def counts(self) -> tuple[int, int]:
        """(new records, records whose status changes)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COALESCE(SUM(CASE WHEN record_id IS NULL THEN 1 ELSE 0 END), 0), "  # noqa: S608
                "COALESCE(SUM(CASE WHEN record_id IS NOT NULL AND status <> old_status THEN 1 ELSE 0 END), 0) "
                f"FROM {ROWS}"
            )
            created, updated = cursor.fetchone()
        return int(created), int(updated)

    def movements(self) -> dict[int, tuple[int, int]]:
        """Per prepaid account: (credits newly charged, credits given back)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT account_id, SUM(CASE WHEN delta > 0 THEN delta ELSE 0 END), "  # noqa: S608
                "SUM(CASE WHEN delta < 0 THEN -delta ELSE 0 END) "
                f"FROM (SELECT account_id, {_charge()} - COALESCE(old_charged, 0) AS delta FROM {ROWS} "
                f"WHERE plan = '{Plan.PREPAID}') changes GROUP BY account_id"
            )
            return {
                account_id: (int(debit), int(refund))
                for account_id, debit, refund in cursor.fetchall()
                if debit or refund
            }

    def write(self, report: DeliveryReport, now: datetime.datetime) -> None:
        """The second pass: new records, changed statuses, and the monthly usage moved by the same deltas."""
        at = self.ops.adapt_datetimefield_value(now)
        self._execute(
            "INSERT INTO billing_deliveryrecord (message_id, part, account_id, recipient, sent_at, status, parts, "  # noqa: S608
            "plan, charged, report_id, updated_at) SELECT message_id, part, account_id, recipient, sent_at, status, "
            f"parts, plan, {_charge()}, %s, %s FROM {ROWS} WHERE record_id IS NULL ORDER BY line",
            [report.pk, at],
        )
        self._execute(
            f"UPDATE billing_deliveryrecord SET status = s.status, charged = {_charge('s')}, "  # noqa: S608
            f"report_id = %s, updated_at = %s FROM {ROWS} s "
            "WHERE billing_deliveryrecord.id = s.record_id AND s.status <> s.old_status",
            [report.pk, at],
        )
        columns = [status.value for status in DeliveryStatus]
        self._execute(
            f"INSERT INTO billing_usagemonth (account_id, month, plan, {', '.join(columns)}) "  # noqa: S608
            f"SELECT account_id, month, plan, {', '.join(_delta(column) for column in columns)} FROM {ROWS} "
            "WHERE old_status IS NULL OR status <> old_status GROUP BY account_id, month, plan "
            "ON CONFLICT (account_id, month, plan) DO UPDATE SET "
            + ", ".join(f"{column} = billing_usagemonth.{column} + excluded.{column}" for column in columns)
        )


def _fetch(cursor, size: int = 2_000) -> Iterator[tuple]:
    while rows := cursor.fetchmany(size):
        yield from rows


# --- The report as text (the management command; the admin renders its own) ---------------------------------------


def report_lines(result: ImportResult) -> list[str]:
    """The result in the user's language, one line each."""
    lines = [
        ngettext("Dosya: %(name)s (%(rows)s satır)", "Dosya: %(name)s (%(rows)s satır)", result.rows)
        % {"name": result.file_name, "rows": result.rows}
    ]
    if result.error_count:
        lines.append(
            ngettext(
                "%(count)s hatalı satır var; dosyadan hiçbir şey kaydedilmedi.",
                "%(count)s hatalı satır var; dosyadan hiçbir şey kaydedilmedi.",
                result.error_count,
            )
            % {"count": result.error_count}
        )
        lines.extend(
            _("%(line)s. satır: %(message)s") % {"line": e.line, "message": e.message} for e in result.errors
        )
        if result.more_errors:
            lines.append(
                ngettext("… ve %(more)s hatalı satır daha.", "… ve %(more)s hatalı satır daha.", result.more_errors)
                % {"more": result.more_errors}
            )
    if result.refusals:
        lines.extend(result.refusals)
        if not result.error_count:
            lines.append(_("Dosyadan hiçbir şey kaydedilmedi."))
    if result.ok:
        if result.dry_run:
            lines.append(_("Deneme: dosya geçerli, hiçbir şey kaydedilmedi. İçe aktarılsaydı:"))
        lines.append(
            _("Yeni kayıt: %(created)s, durumu değişen: %(updated)s, değişmeyen: %(unchanged)s.")
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        )
        for code, credits in result.debits.items():
            lines.append(_("%(account)s: %(credits)s kontör düşüldü.") % {"account": code, "credits": credits})
        for code, credits in result.refunds.items():
            lines.append(_("%(account)s: %(credits)s kontör iade edildi.") % {"account": code, "credits": credits})
    lines.append(_("Süre: %(seconds)s sn.") % {"seconds": f"{result.seconds:.1f}".replace(".", ",")})
    return lines


# --- The demo report -----------------------------------------------------------------------------------------------

DEMO_TEXTS = (
    "Sayın üyemiz, randevunuz onaylanmıştır. Bilgi için 444 0 000.",
    "Şişli Belediyesi: Pazartesi günü 09:00-17:00 arası su kesintisi yapılacaktır. Anlayışınız için teşekkür ederiz.",
    "Başvurunuz alınmıştır; değerlendirme sonucu size SMS ile bildirilecektir. İyi günler dileriz.",
)
# (status, weight): most messages arrive; a few fail, expire or are still pending when the report is cut.
DEMO_STATUSES = (("delivered", 90), ("undelivered", 4), ("expired", 3), ("pending", 3))


@dataclass(frozen=True)
class DemoReport:
    rows: int
    charged: dict[str, int]  # account code → parts pending or delivered (what a prepaid account is debited)


def write_demo_report(
    path_or_file,
    accounts: Iterable,
    month: datetime.date | str,
    *,
    messages: int = 200,
    seed: int = 9,
    settle: bool = False,
    now: datetime.datetime | None = None,
) -> DemoReport:
    """Write a deterministic operator report: `messages` rows for each of `accounts` (BillingAccounts or codes) sent
    in `month` (a date in it or "YYYY-MM"), spread over the month in Istanbul time but never after `now`.

    About 90 % delivered, 4 % undelivered, 3 % expired, 3 % pending; 1–3 parts; every tenth row gives the message
    text instead of the part count. `settle=True` writes the same rows with every pending one settled (delivered,
    or undelivered one time in five): the operator's later report, for a status update. The same arguments write the
    same bytes. Returns the rows written and, per account, the credits a prepaid account is charged for them.
    """
    if isinstance(month, str):
        month = datetime.date.fromisoformat(f"{month}-01")
    if isinstance(path_or_file, str | Path):
        with Path(path_or_file).open("w", encoding="utf-8", newline="") as handle:
            return write_demo_report(handle, accounts, month, messages=messages, seed=seed, settle=settle, now=now)
    first = datetime.datetime(month.year, month.month, 1, tzinfo=ISTANBUL)
    following = datetime.datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=ISTANBUL)
    span = max(int((min(following, now or timezone.now()) - first).total_seconds()), 1)
    statuses, weights = zip(*DEMO_STATUSES, strict=True)
    charged: dict[str, int] = {}
    rows = 0
    writer = csv.writer(path_or_file, lineterminator="\n")
    writer.writerow([*COLUMNS, "text"])
    for account in accounts:
        code = account if isinstance(account, str) else account.code
        rng = random.Random(f"{seed}:{code}:{month:%Y-%m}")  # noqa: S311 — demo data, not secrets
        for number in range(1, messages + 1):
            moment = first + datetime.timedelta(seconds=rng.randrange(span))
            status = rng.choices(statuses, weights)[0]
            parts = rng.choice((1, 1, 1, 2, 2, 3))
            recipient = f"90532{rng.randrange(10_000_000):07d}"
            settled = rng.random()  # drawn either way, so that settle=True keeps every other value
            if settle and status == DeliveryStatus.PENDING:
                status = DeliveryStatus.UNDELIVERED if settled < 0.2 else DeliveryStatus.DELIVERED
            text = ""
            if number % 10 == 0:
                text = DEMO_TEXTS[number // 10 % len(DEMO_TEXTS)]
                parts = count_parts(text).parts
            if status in CHARGED_STATUSES:
                charged[code] = charged.get(code, 0) + parts
            message_id = f"{code}-{month:%Y%m}-{number:06d}"
            when = moment.isoformat(timespec="seconds")
            writer.writerow([message_id, 1, code, recipient, when, status, "" if text else parts, text])
            rows += 1
    return DemoReport(rows=rows, charged=charged)
