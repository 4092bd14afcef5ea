"""The finance area's lists: for each, its rows, key figures and charts under the filters asked for.

Every report aggregates in SQL and reads the monthly rollup `UsageMonth`, never the delivery records, so that a page
costs a fixed number of queries whatever the data size: a count, a page of rows, one query for the key figures and
one per chart. An export streams the same rows in chunks. Months are calendar months in Istanbul time.
"""

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import batched

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf, Trunc
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from billing.models import (
    BillingAccount,
    CreditLot,
    CreditSource,
    PackageOrder,
    Plan,
    PlanChange,
    Statement,
    TariffTier,
    UsageMonth,
)
from billing.pricing import tariff_price
from billing.taxes import money
from config.admin_toolkit import turkish_case_variants
from finance.periods import ISTANBUL, add_months, month_starts_at, months_between, this_month
from finance.tables import (
    BOOL,
    CHOICE,
    DATE,
    DATETIME,
    MONEY,
    MONTH,
    NUMBER,
    Chart,
    Column,
    Dataset,
    Figure,
    as_date,
    choices,
    day_format,
)

PLANS = choices(Plan)
SOURCES = choices(CreditSource)
STATEMENT_KINDS = choices(Statement.Kind)
PROFILES = choices(Statement.Profile)
EXPORT_CHUNK = 2_000


@dataclass(frozen=True)
class Filters:
    """What a list is narrowed to. Months are first days; an empty bound is open."""

    start: datetime.date | None = None
    end: datetime.date | None = None
    plan: str = ""
    q: str = ""
    days: int = 30
    package: int | None = None
    kind: str = ""
    now: datetime.datetime | None = None
    # Only these months (first days), when an overview has already found where the rows are.
    months: tuple[datetime.date, ...] | None = None

    @property
    def moment(self) -> datetime.datetime:
        return self.now or timezone.now()

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.moment, timezone=ISTANBUL)

    @property
    def after_end(self) -> datetime.date | None:
        """The first day after the last month asked for."""
        return add_months(self.end, 1) if self.end else None

    def month_range(self, field: str) -> Q:
        """Rows whose DateField `field` (a month's first day) lies in the months asked for."""
        q = Q()
        if self.start:
            q &= Q(**{f"{field}__gte": self.start})
        if self.end:
            q &= Q(**{f"{field}__lt": self.after_end})
        return q

    def moment_range(self, field: str) -> Q:
        """Rows whose DateTimeField `field` falls in the months asked for, Istanbul time."""
        q = Q()
        if self.start:
            q &= Q(**{f"{field}__gte": month_starts_at(self.start)})
        if self.end:
            q &= Q(**{f"{field}__lt": month_starts_at(self.after_end)})
        return q

    def chart_months(self, fallback: int = 12) -> list[datetime.date]:
        """The months a chart spans: the range asked for, or the last `fallback` months to this one."""
        last = self.end or this_month(self.moment)
        first = self.start or add_months(last, -(fallback - 1))
        return months_between(first, last)[-60:]  # five years at most on one chart; the table has every month


def search(queryset: QuerySet, q: str, *, text: tuple = (), codes: tuple = (), digits: tuple = ()) -> QuerySet:
    """Every word of `q` somewhere: in a text field in any Turkish casing, in a code, or at the start of a number."""
    for word in q.split()[:5]:
        match = Q()
        for name in text:
            for variant in turkish_case_variants(word):
                match |= Q(**{f"{name}__icontains": variant})
        for name in codes:
            match |= Q(**{f"{name}__icontains": word})
        if word.isascii() and word.isdigit():
            for name in digits:
                match |= Q(**{f"{name}__startswith": word})
        queryset = queryset.filter(match)
    return queryset


def month_label(month: datetime.date) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def month_of(field: str) -> Trunc:
    """The Istanbul calendar month of a DateTimeField, as the month's first day."""
    return Trunc(field, "month", output_field=DateField(), tzinfo=ISTANBUL)


@dataclass
class Overview:
    """What a list's page shows above its rows, from as few aggregates as possible."""

    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    # The number of rows, when an aggregate already counted them (the paginator then does not count again).
    count: int | None = None
    # Filters the rows' query may add, found by the aggregate (e.g. the only months that have rows).
    narrow: dict = field(default_factory=dict)


class Report:
    """One list of the finance area. Subclasses fill in the class attributes, `rows()` and `overview()`."""

    name = ""  # URL name and export file name
    slug = ""  # the URL's path piece, Turkish
    title = ""
    intro = ""
    search_help = ""
    # Which filters the page offers: start/end (month range), plan, q (search), days, package, kind.
    filters: tuple[str, ...] = ("start", "end", "plan", "q")
    # The month range used when none was asked for: this many months up to the current one (None: all time).
    default_months: int | None = 12
    columns: tuple[Column, ...] = ()
    per_page = 50

    def default_range(self, today: datetime.date) -> tuple[datetime.date | None, datetime.date | None]:
        if self.default_months is None:
            return None, None
        month = today.replace(day=1)
        return add_months(month, -(self.default_months - 1)), month

    def rows(self, f: Filters) -> QuerySet:
        raise NotImplementedError

    def present(self, rows: list[dict], f: Filters) -> list[dict]:
        """Complete a page (or an export chunk) of rows; a fixed number of queries per call."""
        return rows

    def overview(self, f: Filters) -> Overview:
        """The key figures (over the whole filtered list, not only the page) and the charts."""
        return Overview()

    def page_charts(self, f: Filters, rows: list[dict], number: int) -> list[Chart]:
        """Charts drawn from the page's own rows (page `number`)."""
        return []

    def export_rows(self, f: Filters) -> Iterator[dict]:
        """Every row under the filters, in chunks: bounded memory however long the list is."""
        for chunk in batched(self.rows(f).iterator(chunk_size=EXPORT_CHUNK), EXPORT_CHUNK):
            yield from self.present(list(chunk), f)


def total(rows: list[dict], key: str, **match):
    """The sum of `key` over the rows that match (None when no row has a value, as SQL's SUM)."""
    values = [row[key] for row in rows if all(row[k] == v for k, v in match.items()) and row[key] is not None]
    return sum(values) if values else None


def by_label(rows: list[dict], key: str, labels: list, value: str, **match) -> list:
    """The sum of `value` per label (rows whose `key` is that label and that match), zero where there is none."""
    sums = dict.fromkeys(labels, 0)
    for row in rows:
        if row[key] in sums and all(row[k] == v for k, v in match.items()):
            sums[row[key]] += row[value] or 0
    return list(sums.values())


# --- Accounts by plan -----------------------------------------------------------------------------------------------


class AccountsReport(Report):
    name = "accounts"
    slug = "hesaplar"
    title = _("Plana göre hesaplar")
    intro = _("Her kurumun hesabı, planı, o plana geçtiği tarih ve kontör bakiyesi. Ay aralığı açılış ayına göredir.")
    search_help = _("Unvan, hesap kodu veya vergi numarası")
    default_months = None
    columns = (
        Column("code", _("Hesap kodu"), link="account"),
        Column("legal_name", _("Unvan")),
        Column("tax_number", _("VKN / TCKN")),
        Column("plan", _("Plan"), CHOICE, PLANS),
        Column("since", _("Bu planda"), DATE),
        Column("opened_at", _("Açılış"), DATE),
        Column("balance", _("Kontör bakiyesi"), NUMBER),
    )

    def accounts(self, f: Filters) -> QuerySet:
        """The accounts under every filter but the plan (the figures and charts compare the plans)."""
        queryset = BillingAccount.objects.filter(f.moment_range("opened_at"))
        return search(queryset, f.q, text=("legal_name",), codes=("code",), digits=("tax_number",))

    def rows(self, f):
        queryset = self.accounts(f)
        if f.plan:
            queryset = queryset.filter(plan=f.plan)
        return queryset.order_by("legal_name", "id").values(
            "code", "legal_name", "tax_number", "plan", "opened_at", "balance", account_id=F("id")
        )

    def present(self, rows, f):
        # Since when each account is on its plan: the latest change in force today, for the page's accounts only.
        since = {}
        changes = (
            PlanChange.objects.filter(account_id__in=[row["account_id"] for row in rows], effective_from__lte=f.today)
            .order_by("account_id", "effective_from", "id")
            .values_list("account_id", "effective_from")
        )
        for account_id, effective_from in changes:
            since[account_id] = effective_from
        for row in rows:
            row["since"] = since.get(row["account_id"])
        return rows

    def overview(self, f):
        # One aggregate: accounts and credits per opening month and plan; the figures are its sums.
        groups = list(
            self.accounts(f)
            .annotate(month=month_of("opened_at"))
            .values("month", "plan")
            .annotate(accounts=Count("id"), credits=Sum("balance"))
        )
        counts = {code: total(groups, "accounts", plan=code) or 0 for code in PLANS}
        months = f.chart_months()
        figures = [Figure(_("Hesap sayısı"), sum(counts.values()))]
        figures += [Figure(label, counts[code]) for code, label in PLANS.items()]
        figures.append(Figure(_("Toplam kontör bakiyesi"), total(groups, "credits") or 0))
        charts = [
            Chart(
                id="accounts-by-plan",
                title=_("Plana göre hesap sayısı"),
                description=_("Filtrelere uyan hesapların planlarına göre sayısı."),
                label_heading=_("Plan"),
                labels=list(PLANS.values()),
                datasets=[Dataset(_("Hesap sayısı"), list(counts.values()))],
            ),
            Chart(
                id="accounts-opened",
                title=_("Aylara göre açılan hesaplar"),
                description=_("Her ay açılan hesaplar, plana göre yığılmış sütunlar."),
                label_heading=_("Ay"),
                labels=[month_label(m) for m in months],
                datasets=[
                    Dataset(label, by_label(groups, "month", months, "accounts", plan=code))
                    for code, label in PLANS.items()
                ],
                stacked=True,
            ),
        ]
        count = counts.get(f.plan, 0) if f.plan else sum(counts.values())
        return Overview(figures, charts, count)


# --- Plan history ---------------------------------------------------------------------------------------------------


class PlanHistoryReport(Report):
    name = "plan-history"
    slug = "plan-gecmisi"
    title = _("Plan geçmişi")
    intro = _(
        "Kim hangi planı seçti, kim neyi ne zaman değiştirdi: başvuruda seçilen plan ve sonraki her değişiklik, "
        "gerekçesiyle. Ay aralığı geçerlilik başlangıcına, plan filtresi yeni plana göredir."
    )
    search_help = _("Unvan veya hesap kodu")
    columns = (
        Column("effective_from", _("Geçerlilik"), DATE),
        Column("code", _("Hesap kodu"), link="account"),
        Column("legal_name", _("Unvan")),
        Column("change", _("Kayıt")),
        Column("from_plan", _("Önceki plan"), CHOICE, PLANS),
        Column("to_plan", _("Yeni plan"), CHOICE, PLANS),
        Column("who", _("Seçen / değiştiren")),
        Column("reason", _("Gerekçe")),
        Column("created_at", _("Kaydedildi"), DATETIME),
    )

    def changes(self, f: Filters) -> QuerySet:
        queryset = PlanChange.objects.filter(f.month_range("effective_from"))
        return search(queryset, f.q, text=("account__legal_name",), codes=("account__code",))

    def rows(self, f):
        queryset = self.changes(f)
        if f.plan:
            queryset = queryset.filter(to_plan=f.plan)
        return queryset.order_by("-effective_from", "-id").values(
            "effective_from",
            "account_id",
            "from_plan",
            "to_plan",
            "reason",
            "created_at",
            code=F("account__code"),
            legal_name=F("account__legal_name"),
            actor_name=Coalesce(NullIf("actor__full_name", Value("")), "actor__email", output_field=CharField()),
            owner_name=Coalesce(
                NullIf("account__owner__full_name", Value("")), "account__owner__email", output_field=CharField()
            ),
        )

    def present(self, rows, f):
        for row in rows:
            if row["from_plan"]:
                row["change"] = _("Plan değişikliği")
                row["who"] = row["actor_name"] or "—"
            else:
                # The first plan is the one the applicant chose in the wizard; the actor only opened the account.
                row["change"] = _("Başvuruda seçilen")
                row["who"] = row["owner_name"]
            # A reason the portal itself wrote is stored in Turkish; shown in the reader's language (free text stays).
            row["reason"] = gettext(row["reason"]) if row["reason"] else row["reason"]
        return rows

    def overview(self, f):
        groups = list(
            self.changes(f)
            .annotate(
                month=Trunc("effective_from", "month", output_field=DateField()),
                first=Case(When(from_plan="", then=Value(1)), default=Value(0), output_field=IntegerField()),
            )
            .values("month", "to_plan", "first")
            .annotate(changes=Count("id"))
        )
        months = f.chart_months()
        figures = [
            Figure(_("Başvuruda seçilen"), total(groups, "changes", first=1) or 0),
            Figure(_("Faturalıya geçiş"), total(groups, "changes", first=0, to_plan=Plan.INVOICED) or 0),
            Figure(_("Ön ödemeliye geçiş"), total(groups, "changes", first=0, to_plan=Plan.PREPAID) or 0),
        ]

        def data(to_plan, first):
            return by_label(groups, "month", months, "changes", to_plan=to_plan, first=first)

        chart = Chart(
            id="plan-changes",
            title=_("Aylara göre plan seçimleri ve değişiklikleri"),
            description=_("Her ay başvuruda seçilen planlar ve plan değişiklikleri, yığılmış sütunlar."),
            label_heading=_("Ay"),
            labels=[month_label(m) for m in months],
            datasets=[
                Dataset(_("Başvuruda faturalı"), data(Plan.INVOICED, 1)),
                Dataset(_("Başvuruda ön ödemeli"), data(Plan.PREPAID, 1)),
                Dataset(_("Faturalıya geçiş"), data(Plan.INVOICED, 0)),
                Dataset(_("Ön ödemeliye geçiş"), data(Plan.PREPAID, 0)),
            ],
            stacked=True,
        )
        count = total(groups, "changes", to_plan=f.plan) if f.plan else total(groups, "changes")
        return Overview(figures, [chart], count or 0)


# --- Package sales and revenue --------------------------------------------------------------------------------------


class SalesReport(Report):
    name = "sales"
    slug = "paket-satislari"
    title = _("Paket satışları ve gelir")
    intro = _(
        "Ödemesi onaylanan paket siparişleri, ödeme onayının ayına göre (İstanbul saati): net tutar, KDV, ÖİV ve "
        "toplam. Bekleyen ve iptal edilen siparişler sayılmaz."
    )
    filters = ("start", "end", "package")
    columns = (
        Column("month", _("Ay"), MONTH),
        Column("orders", _("Sipariş sayısı"), NUMBER),
        Column("credits", _("Satılan kontör"), NUMBER),
        Column("net", _("Net (TL)"), MONEY),
        Column("kdv", _("KDV (TL)"), MONEY),
        Column("oiv", _("ÖİV (TL)"), MONEY),
        Column("total", _("Toplam (TL)"), MONEY),
    )
    SUMS = ("net", "kdv", "oiv", "total")

    def paid(self, f: Filters) -> QuerySet:
        queryset = PackageOrder.objects.filter(f.moment_range("paid_at"), status=PackageOrder.Status.PAID)
        if f.package:
            queryset = queryset.filter(package_id=f.package)
        return queryset

    def rows(self, f):
        return (
            self.paid(f)
            .annotate(month=month_of("paid_at"))
            .values("month")
            .annotate(orders=Count("id"), credits=Sum("credits"), **{name: Sum(name) for name in self.SUMS})
            .order_by("-month")
        )

    def overview(self, f):
        # One aggregate by month and package: the figures, both charts and the number of months.
        groups = list(
            self.paid(f)
            .annotate(month=month_of("paid_at"), package_credits=F("credits"))
            .values("month", "package_credits")
            .annotate(orders=Count("id"), **{name: Sum(name) for name in self.SUMS})
        )
        for group in groups:
            group["credits"] = group["package_credits"] * group["orders"]
        figures = [
            Figure(_("Sipariş sayısı"), total(groups, "orders")),
            Figure(_("Satılan kontör"), total(groups, "credits")),
            Figure(_("Net gelir (TL)"), total(groups, "net"), MONEY),
            Figure(_("KDV (TL)"), total(groups, "kdv"), MONEY),
            Figure(_("ÖİV (TL)"), total(groups, "oiv"), MONEY),
            Figure(_("Toplam tahsilat (TL)"), total(groups, "total"), MONEY),
        ]
        packages = sorted({group["package_credits"] for group in groups})
        charts = [
            revenue_chart("sales-by-month", f.chart_months(), groups, title=_("Aylara göre paket geliri")),
            Chart(
                id="sales-by-package",
                title=_("Pakete göre satış"),
                description=_("Seçilen aylarda her paketten kaç sipariş ödendi."),
                label_heading=_("Paket"),
                labels=[
                    _("%(credits)s kontör") % {"credits": formats.number_format(credits, force_grouping=True)}
                    for credits in packages
                ],
                datasets=[Dataset(_("Sipariş sayısı"), by_label(groups, "package_credits", packages, "orders"))],
            ),
        ]
        return Overview(figures, charts, len({group["month"] for group in groups}))


def revenue_chart(chart_id: str, months: list[datetime.date], rows: list[dict], *, title) -> Chart:
    """Net, KDV and ÖİV per month as stacked columns: the column's height is the total."""
    return Chart(
        id=chart_id,
        title=title,
        description=_("Her ayın net tutarı, KDV'si ve ÖİV'si üst üste; sütunun boyu toplam tutardır (TL)."),
        label_heading=_("Ay"),
        labels=[month_label(m) for m in months],
        datasets=[
            Dataset(_("Net"), by_label(rows, "month", months, "net")),
            Dataset(_("KDV"), by_label(rows, "month", months, "kdv")),
            Dataset(_("ÖİV"), by_label(rows, "month", months, "oiv")),
        ],
        unit=MONEY,
        stacked=True,
    )


# --- Issued and outstanding statements ------------------------------------------------------------------------------

# A statement number as printed (ABC2026000000001), typed in any case.
STATEMENT_NUMBER = re.compile(r"[A-Za-z0-9]{3}20[0-9]{11}", re.ASCII)


class StatementsReport(Report):
    name = "statements"
    slug = "faturalar"
    title = _("Düzenlenen faturalar")
    intro = _("Düzenlenen aylık faturalar ve iade faturaları, döneme göre. Ay aralığı fatura dönemine göredir.")
    search_help = _("Fatura no, unvan, hesap kodu veya vergi numarası")
    filters = ("start", "end", "kind", "q")
    columns = (
        Column("number", _("Fatura no")),
        Column("kind", _("Tür"), CHOICE, STATEMENT_KINDS),
        Column("profile", _("Belge tipi"), CHOICE, PROFILES),
        Column("code", _("Hesap kodu"), link="account"),
        Column("buyer_name", _("Alıcı")),
        Column("period", _("Dönem"), MONTH),
        Column("issue_date", _("Düzenleme tarihi"), DATE),
        Column("corrects_number", _("Düzelttiği fatura")),
        Column("net", _("Net (TL)"), MONEY),
        Column("kdv", _("KDV (TL)"), MONEY),
        Column("oiv", _("ÖİV (TL)"), MONEY),
        Column("total", _("Toplam (TL)"), MONEY),
    )

    def statements(self, f: Filters) -> QuerySet:
        """Under every filter but the kind (the figures compare the kinds)."""
        queryset = Statement.objects.filter(f.month_range("period"))
        if f.q.strip():
            term = f.q.strip()
            if STATEMENT_NUMBER.fullmatch(term):
                # A number is unique: its index answers at once, whatever the number of statements.
                return queryset.filter(number=term.upper())
            # Names, codes and tax numbers are the accounts': search the accounts, then take their statements.
            accounts = search(
                BillingAccount.objects.all(), term, text=("legal_name",), codes=("code",), digits=("tax_number",)
            )
            queryset = queryset.filter(account__in=accounts.values("pk"))
        return queryset

    def rows(self, f):
        queryset = self.statements(f)
        if f.kind:
            queryset = queryset.filter(kind=f.kind)
        return queryset.order_by("-issue_date", "-number").values(
            "number",
            "kind",
            "profile",
            "account_id",
            "buyer_name",
            "period",
            "issue_date",
            "net",
            "kdv",
            "oiv",
            "total",
            code=F("account__code"),
            corrects_number=F("corrects__number"),
        )

    def overview(self, f):
        # One aggregate by period and kind: the figures, the chart and the number of rows.
        groups = list(
            self.statements(f)
            .values("period", "kind")
            .annotate(count=Count("id"), net=Sum("net"), kdv=Sum("kdv"), oiv=Sum("oiv"), total=Sum("total"))
        )
        invoice, note = Statement.Kind.INVOICE, Statement.Kind.CREDIT_NOTE
        figures = [
            Figure(_("Fatura sayısı"), total(groups, "count", kind=invoice) or 0),
            Figure(_("Faturaların neti (TL)"), total(groups, "net", kind=invoice), MONEY),
            Figure(_("Faturaların KDV'si (TL)"), total(groups, "kdv", kind=invoice), MONEY),
            Figure(_("Faturaların ÖİV'si (TL)"), total(groups, "oiv", kind=invoice), MONEY),
            Figure(_("Faturaların toplamı (TL)"), total(groups, "total", kind=invoice), MONEY),
            Figure(_("İade faturası sayısı"), total(groups, "count", kind=note) or 0),
            Figure(_("İade faturalarının toplamı (TL)"), total(groups, "total", kind=note), MONEY),
        ]
        invoices = [dict(group, month=group["period"]) for group in groups if group["kind"] == invoice]
        chart = revenue_chart(
            "statements-by-period", f.chart_months(), invoices, title=_("Döneme göre fatura tutarları")
        )
        count = total(groups, "count", kind=f.kind) if f.kind else total(groups, "count")
        return Overview(figures, [chart], count or 0)


class TariffBook:
    """Every tariff's tiers, loaded in one query: the net price of a month's delivered parts without more."""

    def __init__(self):
        self._tariffs: dict[datetime.date, list[TariffTier]] = {}
        for tier in TariffTier.objects.select_related("tariff").order_by("tariff__valid_from", "min_messages"):
            self._tariffs.setdefault(tier.tariff.valid_from, []).append(tier)
        self._starts = sorted(self._tariffs)

    def net(self, parts: int, month: datetime.date) -> Decimal | None:
        """Parts × the per-part price of the tariff in force on the month's first day (None without a tariff)."""
        in_force = [start for start in self._starts if start <= month]
        if not in_force:
            return None
        price = tariff_price(parts, self._tariffs[in_force[-1]])
        return money(price * parts) if price is not None else None


class OutstandingReport(Report):
    name = "outstanding"
    slug = "bekleyen-faturalar"
    title = _("Faturası kesilmemiş aylar")
    intro = _(
        "Faturalı kullanımı teslim edilmiş mesaj içeren ama henüz faturası düzenlenmemiş kapanmış aylar. Tutar, "
        "ayın başında geçerli tarifeyle hesaplanmış tahmini net tutardır; faturada kesin tutar yazar."
    )
    search_help = _("Unvan veya hesap kodu")
    filters = ("start", "end", "q")
    columns = (
        Column("month", _("Dönem"), MONTH),
        Column("code", _("Hesap kodu"), link="account"),
        Column("legal_name", _("Unvan")),
        Column("e_invoice_user", _("e-Fatura mükellefi"), BOOL),
        Column("delivered", _("Teslim edilen parça"), NUMBER),
        Column("estimated_net", _("Tahmini net (TL)"), MONEY),
    )

    def default_range(self, today):
        # Every closed month: an old month left unbilled matters most.
        return None, add_months(today.replace(day=1), -1)

    def usage(self, f: Filters) -> QuerySet:
        """Invoiced usage with delivered parts in a closed month and no statement (an anti-join of two indexes)."""
        issued = Statement.objects.filter(
            account=OuterRef("account"), period=OuterRef("month"), kind=Statement.Kind.INVOICE
        )
        queryset = UsageMonth.objects.filter(
            f.month_range("month"), plan=Plan.INVOICED, delivered__gt=0, month__lt=this_month(f.moment)
        ).exclude(Exists(issued))
        return search(queryset, f.q, text=("account__legal_name",), codes=("account__code",))

    def rows(self, f):
        queryset = self.usage(f)
        if f.months is not None:
            # Without it PostgreSQL walks every closed month's usage in order, probing each for a statement until
            # it has a page: half a million probes when only last month is outstanding.
            queryset = queryset.filter(month__in=f.months)
        return queryset.order_by("month", "account_id").values(
            "month",
            "account_id",
            "delivered",
            code=F("account__code"),
            legal_name=F("account__legal_name"),
            e_invoice_user=F("account__e_invoice_user"),
        )

    def present(self, rows, f):
        book = TariffBook()
        for row in rows:
            row["estimated_net"] = book.net(row["delivered"], row["month"])
        return rows

    def by_month(self, f: Filters) -> list[dict]:
        # Count("account"), not the id: the two indexes then answer without the table.
        groups = self.usage(f).values("month").annotate(accounts=Count("account"), parts=Sum("delivered"))
        return list(groups.order_by("month"))

    def overview(self, f):
        groups = self.by_month(f)
        months = [group["month"] for group in groups]
        figures = [
            Figure(_("Faturası bekleyen hesap-ay"), total(groups, "accounts") or 0),
            Figure(_("Teslim edilen parça"), total(groups, "parts") or 0),
        ]
        chart = Chart(
            id="outstanding-by-month",
            title=_("Aylara göre faturası bekleyen hesaplar"),
            description=_("Her kapanmış ayda faturası henüz düzenlenmemiş faturalı hesap sayısı."),
            label_heading=_("Dönem"),
            labels=[month_label(m) for m in months],
            datasets=[Dataset(_("Hesap sayısı"), [group["accounts"] for group in groups])],
        )
        return Overview(figures, [chart], total(groups, "accounts") or 0, narrow={"months": tuple(months)})


# --- Credit balances and expiring credits ---------------------------------------------------------------------------


def open_lots(**filters) -> QuerySet:
    return CreditLot.objects.filter(remaining__gt=0, **filters)


class BalancesReport(Report):
    name = "balances"
    slug = "kontor-bakiyeleri"
    title = _("Kontör bakiyeleri")
    intro = _(
        "Kontörü olan hesaplar, en yüksek bakiyeden başlayarak: satın alınan ve hediye kontörler, en yakın son "
        "kullanma tarihi ve seçilen gün sayısı içinde süresi dolacak kontörler."
    )
    search_help = _("Unvan, hesap kodu veya vergi numarası")
    filters = ("plan", "q", "days")
    default_months = None
    columns = (
        Column("code", _("Hesap kodu"), link="account"),
        Column("legal_name", _("Unvan")),
        Column("plan", _("Plan"), CHOICE, PLANS),
        Column("balance", _("Bakiye"), NUMBER),
        Column("paid", _("Satın alınan"), NUMBER),
        Column("granted", _("Hediye"), NUMBER),
        Column("next_expiry", _("En yakın son kullanma"), DATE),
        Column("expiring", _("Yakında süresi dolacak"), NUMBER),
    )

    def accounts(self, f: Filters) -> QuerySet:
        queryset = BillingAccount.objects.filter(balance__gt=0)
        if f.plan:
            queryset = queryset.filter(plan=f.plan)
        return search(queryset, f.q, text=("legal_name",), codes=("code",), digits=("tax_number",))

    def horizon(self, f: Filters) -> datetime.datetime:
        return f.moment + datetime.timedelta(days=f.days)

    def rows(self, f):
        return (
            self.accounts(f)
            .order_by("-balance", "legal_name", "id")
            .values("code", "legal_name", "plan", "balance", account_id=F("id"))
        )

    def present(self, rows, f):
        # The open lots of the page's accounts, summed per account in one query.
        lots = {
            row["account_id"]: row
            for row in open_lots(account_id__in=[row["account_id"] for row in rows])
            .values("account_id")
            .annotate(
                paid=Sum("remaining", filter=Q(source=CreditSource.PAID)),
                granted=Sum("remaining", filter=Q(source=CreditSource.GRANTED)),
                next_expiry=Min("expires_at"),
                expiring=Sum("remaining", filter=Q(expires_at__lte=self.horizon(f))),
            )
        }
        for row in rows:
            found = lots.get(row["account_id"], {})
            for key in ("paid", "granted", "expiring"):
                row[key] = found.get(key) or 0
            row["next_expiry"] = found.get("next_expiry")
        return rows

    def overview(self, f):
        accounts = self.accounts(f).aggregate(accounts=Count("id"), credits=Sum("balance"))
        # One aggregate over the open lots: by month of expiry (none: never) and source.
        start = this_month(f.moment)
        months = months_between(start, add_months(start, 11))
        groups = list(
            open_lots(account__in=self.accounts(f).values("pk"))
            .annotate(month=month_of("expires_at"))
            .values("month", "source")
            .annotate(credits=Sum("remaining"), expiring=Sum("remaining", filter=Q(expires_at__lte=self.horizon(f))))
        )
        for group in groups:
            if group["month"] is not None:
                # Lots already past their date (the daily expiry has not run yet) count in this month.
                group["month"] = max(group["month"], start)
        figures = [
            Figure(_("Kontörü olan hesap"), accounts["accounts"]),
            Figure(_("Toplam bakiye"), accounts["credits"]),
            Figure(_("Satın alınan"), total(groups, "credits", source=CreditSource.PAID)),
            Figure(_("Hediye"), total(groups, "credits", source=CreditSource.GRANTED)),
            Figure(_("%(days)s gün içinde süresi dolacak") % {"days": f.days}, total(groups, "expiring")),
            Figure(_("Süresi dolmayan"), total(groups, "credits", month=None)),
        ]
        chart = Chart(
            id="expiry-schedule",
            title=_("Son kullanma takvimi"),
            description=_("Önümüzdeki 12 ayda süresi dolacak kontörler, satın alınan ve hediye olarak yığılmış."),
            label_heading=_("Ay"),
            labels=[month_label(m) for m in months],
            datasets=[
                Dataset(label, by_label(groups, "month", months, "credits", source=code))
                for code, label in SOURCES.items()
            ],
            stacked=True,
        )
        return Overview(figures, [chart], accounts["accounts"])


class ExpiringReport(Report):
    name = "expiring"
    slug = "suresi-dolacak-kontorler"
    title = _("Süresi dolacak kontörler")
    intro = _(
        "Kalan kontörü olan ve son kullanma tarihi seçilen gün sayısı içinde (ya da geçmiş ama henüz düşülmemiş) "
        "kontör dilimleri, en yakın tarihten başlayarak."
    )
    search_help = _("Unvan veya hesap kodu")
    filters = ("plan", "q", "days")
    default_months = None
    columns = (
        Column("expires_at", _("Son kullanma"), DATETIME),
        Column("days_left", _("Kalan gün"), NUMBER),
        Column("code", _("Hesap kodu"), link="account"),
        Column("legal_name", _("Unvan")),
        Column("plan", _("Plan"), CHOICE, PLANS),
        Column("source", _("Kaynak"), CHOICE, SOURCES),
        Column("credits", _("Yüklenen"), NUMBER),
        Column("remaining", _("Kalan"), NUMBER),
    )

    def lots(self, f: Filters) -> QuerySet:
        queryset = open_lots(expires_at__isnull=False, expires_at__lte=f.moment + datetime.timedelta(days=f.days))
        if f.plan:
            queryset = queryset.filter(account__plan=f.plan)
        return search(queryset, f.q, text=("account__legal_name",), codes=("account__code",))

    def rows(self, f):
        return (
            self.lots(f)
            .order_by("expires_at", "id")
            .values(
                "expires_at",
                "account_id",
                "source",
                "credits",
                "remaining",
                code=F("account__code"),
                legal_name=F("account__legal_name"),
                plan=F("account__plan"),
            )
        )

    def present(self, rows, f):
        for row in rows:
            row["days_left"] = max((as_date(row["expires_at"]) - f.today).days, 0)
        return rows

    def overview(self, f):
        totals = self.lots(f).aggregate(lots=Count("id"), accounts=Count("account", distinct=True))
        groups = list(
            self.lots(f)
            .annotate(week=Trunc("expires_at", "week", output_field=DateField(), tzinfo=ISTANBUL))
            .values("week", "source")
            .annotate(credits=Sum("remaining"))
        )
        this_week = f.today - datetime.timedelta(days=f.today.weekday())
        for group in groups:
            group["week"] = max(group["week"], this_week)
        weeks = sorted({group["week"] for group in groups})
        figures = [
            Figure(_("Hesap sayısı"), totals["accounts"]),
            Figure(_("Kontör dilimi"), totals["lots"]),
            Figure(_("Satın alınan"), total(groups, "credits", source=CreditSource.PAID)),
            Figure(_("Hediye"), total(groups, "credits", source=CreditSource.GRANTED)),
        ]
        chart = Chart(
            id="expiring-by-week",
            title=_("Haftalara göre süresi dolacak kontörler"),
            description=_("Her hafta süresi dolacak kontörler (haftanın pazartesi günü), kaynağa göre yığılmış."),
            label_heading=_("Hafta"),
            labels=[formats.date_format(week, day_format()) for week in weeks],
            datasets=[
                Dataset(label, by_label(groups, "week", weeks, "credits", source=code))
                for code, label in SOURCES.items()
            ],
            stacked=True,
        )
        return Overview(figures, [chart], totals["lots"])


class LowBalancesReport(Report):
    name = "low-balances"
    slug = "dusuk-bakiyeler"
    title = _("Düşük bakiyeler")
    intro = _(
        "Bakiyesi, müşterinin kendi belirlediği uyarı eşiğinin altına inmiş hesaplar, en düşük bakiyeden başlayarak."
    )
    search_help = _("Unvan, hesap kodu veya vergi numarası")
    filters = ("plan", "q")
    default_months = None
    columns = (
        Column("code", _("Hesap kodu"), link="account"),
        Column("legal_name", _("Unvan")),
        Column("plan", _("Plan"), CHOICE, PLANS),
        Column("balance", _("Bakiye"), NUMBER),
        Column("low_balance_threshold", _("Uyarı eşiği"), NUMBER),
        Column("shortfall", _("Eşiğe kalan"), NUMBER),
        Column("low_balance_alerted", _("Uyarı gönderildi"), BOOL),
        Column("invoice_email", _("Fatura e-postası")),
    )
    BUCKETS = (
        ("empty", _("Bakiye sıfır"), Q(balance=0)),
        ("quarter", _("Eşiğin %25'inden az"), Q(balance__gt=0, times4__lt=F("low_balance_threshold"))),
        ("half", _("%25–50"), Q(times4__gte=F("low_balance_threshold"), times2__lt=F("low_balance_threshold"))),
        ("most", _("%50–100"), Q(times2__gte=F("low_balance_threshold"))),
    )

    def accounts(self, f: Filters) -> QuerySet:
        queryset = BillingAccount.objects.filter(
            low_balance_threshold__isnull=False, balance__lt=F("low_balance_threshold")
        )
        if f.plan:
            queryset = queryset.filter(plan=f.plan)
        return search(queryset, f.q, text=("legal_name",), codes=("code",), digits=("tax_number",))

    def rows(self, f):
        return (
            self.accounts(f)
            .order_by("balance", "legal_name", "id")
            .values(
                "code",
                "legal_name",
                "plan",
                "balance",
                "low_balance_threshold",
                "low_balance_alerted",
                "invoice_email",
                account_id=F("id"),
                shortfall=F("low_balance_threshold") - F("balance"),
            )
        )

    def overview(self, f):
        totals = (
            self.accounts(f)
            .annotate(times4=F("balance") * 4, times2=F("balance") * 2)
            .aggregate(
                accounts=Count("id"),
                shortfall=Sum(F("low_balance_threshold") - F("balance")),
                **{key: Count("id", filter=condition) for key, _label, condition in self.BUCKETS},
            )
        )
        figures = [
            Figure(_("Eşiğin altındaki hesap"), totals["accounts"]),
            Figure(_("Eşiğe kalan toplam"), totals["shortfall"]),
        ]
        chart = Chart(
            id="low-balance-buckets",
            title=_("Bakiye, uyarı eşiğine göre"),
            description=_("Eşiğin altındaki hesaplar, bakiyenin eşiğe oranına göre gruplanmış."),
            label_heading=_("Bakiye"),
            labels=[label for _key, label, _condition in self.BUCKETS],
            datasets=[Dataset(_("Hesap sayısı"), [totals[key] for key, _label, _condition in self.BUCKETS])],
        )
        return Overview(figures, [chart], totals["accounts"])


# --- Top customers by volume ----------------------------------------------------------------------------------------

USAGE_SUMS = {
    "delivered": Sum("delivered"),
    "undelivered": Sum("undelivered"),
    "pending": Sum("pending"),
    "expired": Sum("expired"),
}


class TopCustomersReport(Report):
    name = "top-customers"
    slug = "en-cok-gonderenler"
    title = _("Hacme göre en büyük müşteriler")
    intro = _(
        "Seçilen aylarda en çok teslim edilen SMS parçası olan hesaplar (aylık kullanım özetlerinden). Plan "
        "filtresi, kullanımın yapıldığı plana göredir."
    )
    filters = ("start", "end", "plan")
    columns = (
        Column("code", _("Hesap kodu"), link="account"),
        Column("legal_name", _("Unvan")),
        Column("plan", _("Bugünkü plan"), CHOICE, PLANS),
        Column("delivered", _("Teslim edilen"), NUMBER),
        Column("undelivered", _("Teslim edilemeyen"), NUMBER),
        Column("pending", _("Beklemede"), NUMBER),
        Column("expired", _("Zaman aşımı"), NUMBER),
    )

    def default_range(self, today):
        # The last closed month: the one a statement was just issued for.
        last = add_months(today.replace(day=1), -1)
        return last, last

    def usage(self, f: Filters) -> QuerySet:
        queryset = UsageMonth.objects.filter(f.month_range("month"))
        if f.plan:
            queryset = queryset.filter(plan=f.plan)
        return queryset

    def rows(self, f):
        return self.usage(f).values("account_id").annotate(**USAGE_SUMS).order_by("-delivered", "account_id")

    def present(self, rows, f):
        # Aggregating first and naming only the page's accounts keeps the grouping narrow (one query per call).
        accounts = BillingAccount.objects.in_bulk([row["account_id"] for row in rows])
        for row in rows:
            account = accounts[row["account_id"]]
            row.update(code=account.code, legal_name=account.legal_name, plan=account.plan)
        return rows

    def overview(self, f):
        totals = self.usage(f).aggregate(accounts=Count("account", distinct=True), **USAGE_SUMS)
        figures = [
            Figure(_("Gönderen hesap"), totals["accounts"]),
            Figure(_("Teslim edilen"), totals["delivered"]),
            Figure(_("Teslim edilemeyen"), totals["undelivered"]),
            Figure(_("Beklemede"), totals["pending"]),
            Figure(_("Zaman aşımı"), totals["expired"]),
        ]
        return Overview(figures, [], totals["accounts"])

    def page_charts(self, f, rows, number):
        # The first page already holds the top ten; only another page asks for them again.
        top = rows[:10] if number == 1 else self.present(list(self.rows(f)[:10]), f)
        return [top_chart(top)]


def top_chart(rows: list[dict]) -> Chart:
    return Chart(
        id="top-customers",
        title=_("En çok gönderen 10 hesap"),
        description=_(
            "Teslim edilen, teslim edilemeyen, bekleyen ve zaman aşımına uğrayan parçalar, yan yana yığılmış."
        ),
        label_heading=_("Hesap"),
        labels=[f"{row['code']} {row['legal_name'][:40]}" for row in rows],
        datasets=[
            Dataset(_("Teslim edilen"), [row["delivered"] for row in rows]),
            Dataset(_("Teslim edilemeyen"), [row["undelivered"] for row in rows]),
            Dataset(_("Beklemede"), [row["pending"] for row in rows]),
            Dataset(_("Zaman aşımı"), [row["expired"] for row in rows]),
        ],
        stacked=True,
        horizontal=True,
    )


REPORTS: list[Report] = [
    AccountsReport(),
    PlanHistoryReport(),
    SalesReport(),
    StatementsReport(),
    OutstandingReport(),
    BalancesReport(),
    ExpiringReport(),
    LowBalancesReport(),
    TopCustomersReport(),
]
BY_NAME = {report.name: report for report in REPORTS}
