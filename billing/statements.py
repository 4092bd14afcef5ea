"""Monthly statements of invoiced accounts (delivered parts only) and the credit notes that correct them.

Promises:

1. **Numbers** (`next_number`) follow the Turkish e-invoice format `PPPYYYY#########`: one sequence per prefix and
   year, restarting each January, gap-free and never reused. The sequence row is locked (SELECT … FOR UPDATE) and the
   number is taken inside the transaction that inserts the statement, so a statement that is rolled back gives its
   number back, and concurrent issuers wait for each other's commit instead of skipping or sharing a number.
2. **A month is billed once** (`issue_statements`): one invoice per account and month, whether the run is repeated,
   or two runs race (the unique constraint `statement_one_per_month` is the backstop; the loser rolls back, which
   gives its number back, and counts the account as skipped).
3. **Only delivered parts of invoiced-plan usage** are billed: the `UsageMonth` rows with plan "invoiced" (an account
   that changed plan mid-month is billed for its invoiced part of the month only), priced by the tariff in force on
   the month's first day (all units at the tier the month's volume reaches), taxed at the rates in force on its last
   day. The month runs on Istanbul's calendar.
4. **Each account in its own transaction**, accounts read in chunks by id: a failure leaves the statements already
   issued in place, a second run continues where the first stopped, and 100,000 accounts are never in memory at once
   (the run's result keeps the issued statements' ids, not the statements).
5. **A credit note** (`issue_credit_note`) refers to the invoice it corrects, takes its own number from the same
   sequence, and never credits more than what remains uncorrected of the invoice (the invoice is locked while the
   remainder is worked out, so two at once cannot overshoot it).

Issued statements and their lines are insert-only (`billing.models.InsertOnly`; a PostgreSQL trigger too).
"""

from __future__ import annotations

import calendar
import datetime
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import Plan, Statement, StatementLine, StatementSequence, UsageMonth
from billing.pricing import tariff_price, tiers_on
from billing.taxes import Rates, money, rates_on, with_taxes

logger = logging.getLogger(__name__)

ISTANBUL = ZoneInfo("Europe/Istanbul")
SEQUENCE_DIGITS = 9
UNIT_PRICE = Decimal("0.0001")
CHUNK = 500  # accounts read per query; each is then issued in a transaction of its own
# The statement is a Turkish legal document whatever language the reader uses: its texts are Turkish, never gettext.
MONTHS_TR = (
    "Ocak",
    "Şubat",
    "Mart",
    "Nisan",
    "Mayıs",
    "Haziran",
    "Temmuz",
    "Ağustos",
    "Eylül",
    "Ekim",
    "Kasım",
    "Aralık",
)
LINE_DESCRIPTION = "Toplu SMS – teslim edilen mesaj parçaları ({period})"
CREDIT_LINE_DESCRIPTION = "İade – {number} numaralı faturanın düzeltmesi ({period})"


class StatementError(Exception):
    """A statement or credit note was refused; `message` says why, in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- Months on Istanbul's calendar ----------------------------------------------------------------------------------


def first_day(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def last_day(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def istanbul_today(now: datetime.datetime | None = None) -> datetime.date:
    """Today on Istanbul's calendar (the statement's date and month), whatever time zone is active."""
    return (now or timezone.now()).astimezone(ISTANBUL).date()


def previous_month(now: datetime.datetime | None = None) -> datetime.date:
    """The first day of the calendar month before the current one in Istanbul."""
    return first_day(first_day(istanbul_today(now)) - datetime.timedelta(days=1))


def month_name(month: datetime.date) -> str:
    """The period as the statement prints it, always in Turkish: "Ekim 2026"."""
    return f"{MONTHS_TR[month.month - 1]} {month.year}"


# --- Numbers --------------------------------------------------------------------------------------------------------


def format_number(prefix: str, year: int, sequence: int) -> str:
    if sequence >= 10**SEQUENCE_DIGITS:
        raise StatementError(_("%(prefix)s%(year)s serisinde numara kalmadı.") % {"prefix": prefix, "year": year})
    return f"{prefix}{year:04d}{sequence:0{SEQUENCE_DIGITS}d}"


def next_number(prefix: str, year: int) -> str:
    """The next number of the prefix's sequence for `year` (`ABC2026000000001`), inside the caller's transaction.

    The sequence row is created if missing (INSERT … ON CONFLICT DO NOTHING: two first numbers of a year at once do
    not collide), then locked until the caller commits or rolls back: the caller must insert the statement in the
    same transaction, so the number is used exactly when the statement exists.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the transaction that inserts the statement.")
    locked = StatementSequence.objects.select_for_update()
    sequence = locked.filter(prefix=prefix, year=year).first()
    if sequence is None:  # the year's first number: whoever inserts second waits for the first, then finds its row
        StatementSequence.objects.bulk_create([StatementSequence(prefix=prefix, year=year)], ignore_conflicts=True)
        sequence = locked.get(prefix=prefix, year=year)
    sequence.last_number += 1
    number = format_number(prefix, year, sequence.last_number)
    sequence.save(update_fields=["last_number"])
    return number


# --- The monthly run ------------------------------------------------------------------------------------------------


class IssuedStatements(Sequence):
    """The statements a run issued, kept as ids (a few MB for 100,000) and read from the database when used."""

    def __init__(self) -> None:
        self.ids: list[int] = []

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return list(self._load(self.ids[index]))
        return Statement.objects.get(pk=self.ids[index])

    def __iter__(self) -> Iterator[Statement]:
        for start in range(0, len(self.ids), CHUNK):
            yield from self._load(self.ids[start : start + CHUNK])

    def __eq__(self, other) -> bool:
        if isinstance(other, IssuedStatements):
            return self.ids == other.ids
        if isinstance(other, list):
            return [statement.pk for statement in other] == self.ids
        return NotImplemented

    def __repr__(self) -> str:
        return f"<IssuedStatements {len(self.ids)}>"

    @staticmethod
    def _load(ids: list[int]) -> list[Statement]:
        found = Statement.objects.select_related("account").in_bulk(ids)
        return [found[pk] for pk in ids]


@dataclass
class IssueResult:
    period: datetime.date
    issued: IssuedStatements = field(default_factory=IssuedStatements)
    skipped: int = 0  # accounts with delivered parts whose statement for the month already existed
    failed: list[tuple[str, Exception]] = field(default_factory=list)  # (account code, error): none were issued


class IncompleteRun(StatementError):
    """Some accounts' statements failed (each rolled back); the others were issued. `result` says which is which."""

    def __init__(self, result: IssueResult):
        codes = ", ".join(code for code, _error in result.failed[:20])
        super().__init__(
            _("%(count)s hesabın faturası düzenlenemedi (%(codes)s); diğerleri düzenlendi. Yeniden çalıştırın.")
            % {"count": len(result.failed), "codes": codes}
        )
        self.result = result


@dataclass(frozen=True)
class _Run:
    """What every statement of one run shares: worked out once, so each account costs the same few queries."""

    period: datetime.date
    issue_date: datetime.date
    created_at: datetime.datetime
    tiers: list
    rates: Rates
    seller: dict
    prefix: str
    actor: object = None


def issue_statements(
    month: datetime.date | None = None, now: datetime.datetime | None = None, *, actor=None
) -> IssueResult:
    """Issue the month's statements (the previous month in Istanbul by default) to every invoiced account with
    delivered parts in it. Safe to run twice, and to run twice at once: an account is billed once per month."""
    now = now or timezone.now()
    period = first_day(month) if month else previous_month(now)
    issue_date = istanbul_today(now)
    if issue_date <= last_day(period):
        raise StatementError(
            _("%(period)s ayı bitmeden faturası düzenlenemez (en erken %(date)s).")
            % {
                "period": month_name(period),
                "date": (last_day(period) + datetime.timedelta(days=1)).strftime("%d.%m.%Y"),
            }
        )
    tiers = tiers_on(period)
    if tariff_price(1, tiers) is None:
        raise StatementError(
            _("%(date)s tarihinde yürürlükte bir faturalı tarife yok; fatura düzenlenemez.")
            % {"date": period.strftime("%d.%m.%Y")}
        )
    run = _Run(
        period=period,
        issue_date=issue_date,
        created_at=now,
        tiers=tiers,
        rates=rates_on(last_day(period)),
        seller=dict(settings.PORTAL_SELLER),
        prefix=settings.PORTAL_STATEMENT_PREFIX,
        actor=actor,
    )
    billed = _billed(period)
    result = IssueResult(period=period)
    # The chunks leave billed accounts out, so a run that finds the month billed (every hourly tick after the first)
    # costs a handful of queries, however many accounts there are.
    for chunk in _usage_chunks(period, exclude=billed):
        for usage in chunk:
            try:
                statement = _issue_one(usage, run)
            except Exception as error:
                # One account's failure (rolled back, its number given back) does not hold up everyone else's
                # statement; the run still fails loudly at the end, and running it again retries only the failed.
                logger.exception("statement for account %s, %s failed", usage.account.code, period.isoformat())
                result.failed.append((usage.account.code, error))
                continue
            if statement is not None:  # None: another run billed it first
                result.issued.ids.append(statement.pk)
    # Counted at the end, when every account this run passed has its statement (ours, or a concurrent run's that
    # ours waited for), so that concurrent runs' issued and skipped add up exactly. (Only billable usage ever gets an
    # invoice, so the month's invoices are the billed accounts: one index count, no join.)
    result.skipped = Statement.objects.filter(kind=Statement.Kind.INVOICE, period=period).count() - len(result.issued)
    logger.info(
        "statements for %s: %s issued, %s already there, %s failed",
        period.isoformat(),
        len(result.issued),
        result.skipped,
        len(result.failed),
    )
    if result.failed:
        raise IncompleteRun(result)
    return result


def _billable(period: datetime.date):
    """The month's usage on the invoiced plan with delivered parts: one row per account (usagemonth_unique)."""
    return UsageMonth.objects.filter(month=period, plan=Plan.INVOICED, delivered__gt=0)


def _billed(period: datetime.date):
    """The month's invoice of the usage row's account, if there is one (for Exists)."""
    return Statement.objects.filter(kind=Statement.Kind.INVOICE, period=period, account_id=OuterRef("account_id"))


def _usage_chunks(period: datetime.date, *, exclude) -> Iterator[list[UsageMonth]]:
    """The month's billable usage not yet billed, CHUNK accounts at a time, by account id (keyset paging)."""
    after = 0
    while True:
        chunk = list(
            _billable(period)
            .filter(account_id__gt=after)
            .exclude(Exists(exclude))
            .select_related("account")
            .order_by("account_id")[:CHUNK]
        )
        if not chunk:
            return
        yield chunk
        after = chunk[-1].account_id


def _issue_one(usage: UsageMonth, run: _Run) -> Statement | None:
    """One account's statement in a transaction of its own; None when another run issued it first."""
    account = usage.account
    quantity = usage.delivered
    unit_price = tariff_price(quantity, run.tiers).quantize(UNIT_PRICE)
    amounts = with_taxes(money(quantity * unit_price), run.rates)
    try:
        with transaction.atomic():
            statement = Statement.objects.create(
                kind=Statement.Kind.INVOICE,
                number=next_number(run.prefix, run.issue_date.year),
                profile=account.document_profile,
                account_id=account.pk,
                period=run.period,
                issue_date=run.issue_date,
                seller=run.seller,
                buyer_name=account.legal_name,
                buyer_tax_number=account.tax_number,
                buyer_tax_office=account.tax_office,
                buyer_address=account.address,
                buyer_email=account.invoice_email,
                net=amounts.net,
                kdv_rate=amounts.kdv_rate,
                kdv=amounts.kdv,
                oiv_rate=amounts.oiv_rate,
                oiv=amounts.oiv,
                total=amounts.total,
                created_at=run.created_at,
                created_by=run.actor,
            )
            StatementLine.objects.create(
                statement=statement,
                position=1,
                description=LINE_DESCRIPTION.format(period=month_name(run.period)),
                quantity=quantity,
                unit_price=unit_price,
                amount=amounts.net,
            )
    except IntegrityError:
        # Another run billed this account for the month between our check and our insert; ours rolled back (and
        # gave its number back). Anything else is a real error.
        if Statement.objects.filter(kind=Statement.Kind.INVOICE, account_id=account.pk, period=run.period).exists():
            return None
        raise
    return statement


# --- Credit notes ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Remaining:
    """What is still uncorrected of an invoice: its amounts less those of its credit notes."""

    net: Decimal
    kdv: Decimal
    oiv: Decimal

    @property
    def total(self) -> Decimal:
        return self.net + self.kdv + self.oiv


def remaining(invoice: Statement) -> Remaining:
    credited = invoice.credit_notes.aggregate(net=Sum("net"), kdv=Sum("kdv"), oiv=Sum("oiv"))
    return Remaining(
        net=invoice.net - (credited["net"] or 0),
        kdv=invoice.kdv - (credited["kdv"] or 0),
        oiv=invoice.oiv - (credited["oiv"] or 0),
    )


def issue_credit_note(
    statement: Statement,
    *,
    amount_net: Decimal | None = None,
    quantity: int | None = None,
    reason: str,
    actor,
    now: datetime.datetime | None = None,
) -> Statement:
    """A credit note (İade faturası) for part or all of an invoice: by net amount, or by a number of the invoice's
    parts at its unit price; taxed at the invoice's rates, numbered from the same sequence, never more than what
    remains uncorrected. The invoice is locked meanwhile, so concurrent credit notes cannot overshoot it."""
    reason = (reason or "").strip()
    if not reason:
        raise StatementError(_("İade faturası için gerekçe yazın."))
    if (amount_net is None) == (quantity is None):
        raise StatementError(_("İade faturası için ya tutar ya da adet girin."))
    now = now or timezone.now()
    issue_date = istanbul_today(now)
    with transaction.atomic():
        invoice = Statement.objects.select_for_update().get(pk=statement.pk)
        if invoice.kind != Statement.Kind.INVOICE:
            raise StatementError(_("İade faturası yalnızca bir faturayı düzeltebilir."))
        left = remaining(invoice)
        line = invoice.lines.order_by("position").first()
        if quantity is not None:
            if quantity <= 0:
                raise StatementError(_("İade adedi sıfırdan büyük olmalı."))
            unit_price = line.unit_price
            net = money(quantity * unit_price)
        else:
            net = money(Decimal(amount_net))
            if net <= 0:
                raise StatementError(_("İade tutarı sıfırdan büyük olmalı."))
            quantity, unit_price = 1, net
        if net > left.net:
            raise StatementError(
                _("İade tutarı (%(net)s TL) faturanın düzeltilmemiş kalan tutarını (%(left)s TL) aşıyor.")
                % {"net": net, "left": left.net}
            )
        # The invoice's rates, not today's: the note takes back the taxes the invoice charged. Each tax is capped at
        # what remains of it (and the last note takes exactly that), so rounding never credits more than was billed.
        if net == left.net:
            kdv, oiv = left.kdv, left.oiv
        else:
            amounts = with_taxes(net, Rates(kdv=invoice.kdv_rate, oiv=invoice.oiv_rate))
            kdv, oiv = min(amounts.kdv, left.kdv), min(amounts.oiv, left.oiv)
        note = Statement.objects.create(
            kind=Statement.Kind.CREDIT_NOTE,
            number=next_number(settings.PORTAL_STATEMENT_PREFIX, issue_date.year),
            profile=invoice.profile,
            account_id=invoice.account_id,
            period=invoice.period,
            issue_date=issue_date,
            corrects=invoice,
            reason=reason,
            seller=dict(settings.PORTAL_SELLER),
            buyer_name=invoice.buyer_name,
            buyer_tax_number=invoice.buyer_tax_number,
            buyer_tax_office=invoice.buyer_tax_office,
            buyer_address=invoice.buyer_address,
            buyer_email=invoice.buyer_email,
            net=net,
            kdv_rate=invoice.kdv_rate,
            kdv=kdv,
            oiv_rate=invoice.oiv_rate,
            oiv=oiv,
            total=net + kdv + oiv,
            created_at=now,
            created_by=actor,
        )
        StatementLine.objects.create(
            statement=note,
            position=1,
            description=CREDIT_LINE_DESCRIPTION.format(number=invoice.number, period=month_name(invoice.period)),
            quantity=quantity,
            unit_price=Decimal(unit_price).quantize(UNIT_PRICE),
            amount=net,
        )
    logger.info("credit note %s corrects %s by %s net", note.number, invoice.number, net)
    return note


# --- The PDF --------------------------------------------------------------------------------------------------------


def percent(rate: Decimal) -> str:
    """0.2000 → "20", 0.0750 → "7,5": a rate as a Turkish percentage."""
    return format((rate * 100).normalize(), "f").replace(".", ",")


def statement_pdf(statement: Statement) -> bytes:
    """The statement (or credit note) as a PDF in Turkish, whoever downloads it: the look of the portal's other PDFs,
    the vendored fonts, no network (onboarding.pdf.render_pdf).

    Rendered once and then read from private storage (onboarding.pdf.stored_pdf): an issued statement never changes,
    and a credit note is a statement of its own that leaves the original's PDF as it was."""
    from onboarding.pdf import stored_pdf

    lines = list(statement.lines.order_by("position"))
    corrects = statement.corrects if statement.corrects_id else None
    return stored_pdf(
        "pdf/statement.html",
        {
            "statement": statement,
            "lines": lines,
            "corrects": corrects,
            "period": month_name(statement.period),
            "seller": statement.seller,
            "account_code": statement.account.code,
            "buyer_id_label": "TCKN" if len(statement.buyer_tax_number) == 11 else "VKN",
            "seller_id_label": "TCKN" if len(statement.seller.get("tax_number", "")) == 11 else "VKN",
            "kdv_percent": percent(statement.kdv_rate),
            "oiv_percent": percent(statement.oiv_rate),
        },
        language="tr",
    )
