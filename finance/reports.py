"""The finance area's lists: for each, its rows, key figures and charts under the filters asked for.

Every report aggregates in SQL and reads the monthly rollup `UsageMonth`, never the delivery records, so that a page
costs a fixed number of queries whatever the data size: a count, a page of rows, one query for the key figures and
one per chart. An export streams the same rows in chunks. Months are calendar months in Istanbul time.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, replace
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
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf, Trunc
from django.utils import formats, timezone
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
    series,
)
from onboarding.admin import turkish_case_variants

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


class Report:
    """One list of the finance area. Subclasses fill in the class attributes and `rows()`."""

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
        """Complete a page (or export chunk) of rows; a fixed number of queries per call."""
        return rows

    def figures(self, f: Filters) -> list[Figure]:
        return []

    def charts(self, f: Filters) -> list[Chart]:
        return []

    def export_rows(self, f: Filters) -> Iterator[dict]:
        """Every row under the filters, in chunks: bounded memory however long the list is."""
        for chunk in batched(self.rows(f).iterator(chunk_size=EXPORT_CHUNK), EXPORT_CHUNK):
            yield from self.present(list(chunk), f)


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
        """The accounts under every filter but the plan (the chart compares the plans)."""
        queryset = BillingAccount.objects.filter(f.moment_range("opened_at"))
        return search(queryset, f.q, text=("legal_name",), codes=("code",), digits=("tax_number",))

    def rows(self, f):
        queryset = self.accounts(f)
        if f.plan:
            queryset = queryset.filter(plan=f.plan)
        since = (
            PlanChange.objects.filter(account=OuterRef("pk"), effective_from__lte=f.today)
            .order_by("-effective_from", "-id")
            .values("effective_from")[:1]
        )
        return queryset.order_by("legal_name", "id").values(
            "code", "legal_name", "tax_number", "plan", "opened_at", "balance", account_id=F("id"), since=since
        )

    def _by_plan(self, f):
        return {
            row["plan"]: row
            for row in self.accounts(f).values("plan").annotate(accounts=Count("id"), credits=Sum("balance"))
        }

    def figures(self, f):
        by_plan = self._by_plan(f)
        figures = [Figure(_("Hesap"), sum(row["accounts"] for row in by_plan.values()))]
        figures += [Figure(label, by_plan.get(code, {}).get("accounts", 0)) for code, label in PLANS.items()]
        figures.append(Figure(_("Toplam kontör bakiyesi"), sum(row["credits"] or 0 for row in by_plan.values())))
        return figures

    def charts(self, f):
        by_plan = self._by_plan(f)
        months = f.chart_months()
        opened = (
            self.accounts(replace(f, start=months[0], end=months[-1]))
            .annotate(month=month_of("opened_at"))
            .values("month", "plan")
            .annotate(accounts=Count("id"))
        )
        opened = list(opened)

        def opened_in(plan):
            return [row for row in opened if row["plan"] == plan]

        return [
            Chart(
                id="accounts-by-plan",
                title=_("Plana göre hesap sayısı"),
                description=_("Filtrelere uyan hesapların planlarına göre sayısı."),
                label_heading=_("Plan"),
                labels=list(PLANS.values()),
                datasets=[Dataset(_("Hesap"), [by_plan.get(code, {}).get("accounts", 0) for code in PLANS])],
            ),
            Chart(
                id="accounts-opened",
                title=_("Aylara göre açılan hesaplar"),
                description=_("Her ay açılan hesaplar, plana göre yığılmış sütunlar."),
                label_heading=_("Ay"),
                labels=[month_label(m) for m in months],
                datasets=[
                    Dataset(label, series(opened_in(code), key="month", labels=months, value="accounts"))
                    for code, label in PLANS.items()
                ],
                stacked=True,
            ),
        ]


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
                # The first plan is the one the applicant chose in the wizard; the actor opened the account.
                row["change"] = _("Başvuruda seçilen")
                row["who"] = row["owner_name"]
        return rows

    def figures(self, f):
        totals = self.changes(f).aggregate(
            first=Count("id", filter=Q(from_plan="")),
            to_invoiced=Count("id", filter=~Q(from_plan="") & Q(to_plan=Plan.INVOICED)),
            to_prepaid=Count("id", filter=~Q(from_plan="") & Q(to_plan=Plan.PREPAID)),
        )
        return [
            Figure(_("Başvuruda seçilen"), totals["first"]),
            Figure(_("Faturalıya geçiş"), totals["to_invoiced"]),
            Figure(_("Ön ödemeliye geçiş"), totals["to_prepaid"]),
        ]

    def charts(self, f):
        months = f.chart_months()
        rows = list(
            self.changes(replace(f, start=months[0], end=months[-1]))
            .annotate(first=Case(When(from_plan="", then=Value(1)), default=Value(0), output_field=IntegerField()))
            .values("effective_from__year", "effective_from__month", "to_plan", "first")
            .annotate(changes=Count("id"))
        )
        for row in rows:
            row["month"] = datetime.date(row["effective_from__year"], row["effective_from__month"], 1)

        def data(to_plan, first):
            picked = [r for r in rows if r["to_plan"] == to_plan and r["first"] == first]
            return series(picked, key="month", labels=months, value="changes")

        return [
            Chart(
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
        ]


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
        Column("orders", _("Sipariş"), NUMBER),
        Column("credits", _("Satılan kontör"), NUMBER),
        Column("net", _("Net (TL)"), MONEY),
        Column("kdv", _("KDV (TL)"), MONEY),
        Column("oiv", _("ÖİV (TL)"), MONEY),
        Column("total", _("Toplam (TL)"), MONEY),
    )
    sums = {"orders": Count("id"), "credits": Sum("credits"), "net": Sum("net"), "kdv": Sum("kdv"), "oiv": Sum("oiv")}

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
            .annotate(**self.sums, total=Sum("total"))
            .order_by("-month")
        )

    def figures(self, f):
        totals = self.paid(f).aggregate(**self.sums, total=Sum("total"))
        return [
            Figure(_("Sipariş"), totals["orders"]),
            Figure(_("Satılan kontör"), totals["credits"]),
            Figure(_("Net gelir (TL)"), totals["net"], MONEY),
            Figure(_("KDV (TL)"), totals["kdv"], MONEY),
            Figure(_("ÖİV (TL)"), totals["oiv"], MONEY),
            Figure(_("Toplam tahsilat (TL)"), totals["total"], MONEY),
        ]

    def charts(self, f):
        months = f.chart_months()
        by_month = list(self.rows(replace(f, start=months[0], end=months[-1])))
        by_package = list(
            self.paid(f).values("credits").annotate(orders=Count("id"), net=Sum("net")).order_by("credits")
        )
        package_labels = [
            _("%(credits)s kontör") % {"credits": formats.number_format(r["credits"], force_grouping=True)}
            for r in by_package
        ]
        return [
            revenue_chart("sales-by-month", months, by_month, title=_("Aylara göre paket geliri")),
            Chart(
                id="sales-by-package",
                title=_("Pakete göre satış"),
                description=_("Seçilen aylarda her paketten kaç sipariş ödendi."),
                label_heading=_("Paket"),
                labels=package_labels,
                datasets=[Dataset(_("Sipariş"), [r["orders"] for r in by_package])],
            ),
        ]


def revenue_chart(chart_id: str, months: list[datetime.date], rows: list[dict], *, title) -> Chart:
    """Net, KDV and ÖİV per month as stacked columns: the column's height is the total."""
    return Chart(
        id=chart_id,
        title=title,
        description=_("Her ayın net tutarı, KDV'si ve ÖİV'si üst üste; sütunun boyu toplam tutardır (TL)."),
        label_heading=_("Ay"),
        labels=[month_label(m) for m in months],
        datasets=[
            Dataset(_("Net"), series(rows, key="month", labels=months, value="net")),
            Dataset(_("KDV"), series(rows, key="month", labels=months, value="kdv")),
            Dataset(_("ÖİV"), series(rows, key="month", labels=months, value="oiv")),
        ],
        unit=MONEY,
        stacked=True,
    )


# --- Issued and outstanding statements ------------------------------------------------------------------------------


class StatementsReport(Report):
    name = "statements"
    slug = "faturalar"
    title = _("Düzenlenen faturalar")
    intro = _("Düzenlenen aylık faturalar ve iade faturaları, döneme göre. Ay aralığı fatura dönemine göredir.")
    search_help = _("Fatura no, unvan veya hesap kodu")
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
        queryset = Statement.objects.filter(f.month_range("period"))
        return search(queryset, f.q, text=("buyer_name",), codes=("number", "account__code"))

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

    def figures(self, f):
        sums = {}
        for kind in STATEMENT_KINDS:
            condition = Q(kind=kind)
            sums[f"{kind}_count"] = Count("id", filter=condition)
            for amount in ("net", "kdv", "oiv", "total"):
                sums[f"{kind}_{amount}"] = Sum(amount, filter=condition)
        totals = self.statements(f).aggregate(**sums)
        return [
            Figure(_("Fatura"), totals["invoice_count"]),
            Figure(_("Faturaların neti (TL)"), totals["invoice_net"], MONEY),
            Figure(_("Faturaların KDV'si (TL)"), totals["invoice_kdv"], MONEY),
            Figure(_("Faturaların ÖİV'si (TL)"), totals["invoice_oiv"], MONEY),
            Figure(_("Faturaların toplamı (TL)"), totals["invoice_total"], MONEY),
            Figure(_("İade faturası"), totals["credit_note_count"]),
            Figure(_("İade faturalarının toplamı (TL)"), totals["credit_note_total"], MONEY),
        ]

    def charts(self, f):
        months = f.chart_months()
        rows = list(
            self.statements(replace(f, start=months[0], end=months[-1]))
            .filter(kind=Statement.Kind.INVOICE)
            .values("period")
            .annotate(net=Sum("net"), kdv=Sum("kdv"), oiv=Sum("oiv"))
        )
        for row in rows:
            row["month"] = row["period"]
        return [revenue_chart("statements-by-period", months, rows, title=_("Döneme göre fatura tutarları"))]


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
        issued = Statement.objects.filter(
            account=OuterRef("account"), period=OuterRef("month"), kind=Statement.Kind.INVOICE
        )
        queryset = UsageMonth.objects.filter(
            f.month_range("month"), plan=Plan.INVOICED, delivered__gt=0, month__lt=this_month(f.moment)
        ).exclude(Exists(issued))
        return search(queryset, f.q, text=("account__legal_name",), codes=("account__code",))

    def rows(self, f):
        return (
            self.usage(f)
            .order_by("month", "account_id")
            .values(
                "month",
                "account_id",
                "delivered",
                code=F("account__code"),
                legal_name=F("account__legal_name"),
                e_invoice_user=F("account__e_invoice_user"),
            )
        )

    def present(self, rows, f):
        book = TariffBook()
        for row in rows:
            row["estimated_net"] = book.net(row["delivered"], row["month"])
        return rows

    def figures(self, f):
        totals = self.usage(f).aggregate(months=Count("id"), parts=Sum("delivered"))
        return [
            Figure(_("Faturası bekleyen hesap-ay"), totals["months"]),
            Figure(_("Teslim edilen parça"), totals["parts"]),
        ]

    def charts(self, f):
        rows = list(self.usage(f).values("month").annotate(accounts=Count("id")).order_by("month"))
        months = [row["month"] for row in rows]
        return [
            Chart(
                id="outstanding-by-month",
                title=_("Aylara göre faturası bekleyen hesaplar"),
                description=_("Her kapanmış ayda faturası henüz düzenlenmemiş faturalı hesap sayısı."),
                label_heading=_("Dönem"),
                labels=[month_label(m) for m in months],
                datasets=[Dataset(_("Hesap"), [row["accounts"] for row in rows])],
            )
        ]


# --- Credit balances and expiring credits ---------------------------------------------------------------------------


def open_lots(**filters) -> QuerySet:
    return CreditLot.objects.filter(remaining__gt=0, **filters)


def lot_sum(queryset: QuerySet) -> Subquery:
    """The remaining credits of an account's lots in `queryset` (correlated on OuterRef('pk'))."""
    return Coalesce(
        Subquery(queryset.values("account").annotate(s=Sum("remaining")).values("s")[:1]),
        0,
    )


class BalancesReport(Report):
    name = "balances"
    slug = "kontor-bakiyeleri"
    title = _("Kontör bakiyeleri")
    intro = _(
        "Kontörü olan hesaplar, en yüksek bakiyeden başlayarak: satın alınan ve hediye kontörler, en yakın son "
        "kullanma tarihi ve yakında süresi dolacak kontörler."
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
        mine = open_lots(account=OuterRef("pk"))
        next_expiry = mine.filter(expires_at__isnull=False).order_by("expires_at").values("expires_at")[:1]
        return (
            self.accounts(f)
            .order_by("-balance", "legal_name", "id")
            .values(
                "code",
                "legal_name",
                "plan",
                "balance",
                account_id=F("id"),
                paid=lot_sum(mine.filter(source=CreditSource.PAID)),
                granted=lot_sum(mine.filter(source=CreditSource.GRANTED)),
                next_expiry=Subquery(next_expiry),
                expiring=lot_sum(mine.filter(expires_at__lte=self.horizon(f))),
            )
        )

    def lots(self, f: Filters) -> QuerySet:
        return open_lots(account__in=self.accounts(f).values("pk"))

    def figures(self, f):
        accounts = self.accounts(f).aggregate(accounts=Count("id"), credits=Sum("balance"))
        lots = self.lots(f).aggregate(
            paid=Sum("remaining", filter=Q(source=CreditSource.PAID)),
            granted=Sum("remaining", filter=Q(source=CreditSource.GRANTED)),
            expiring=Sum("remaining", filter=Q(expires_at__lte=self.horizon(f))),
            lasting=Sum("remaining", filter=Q(expires_at__isnull=True)),
        )
        return [
            Figure(_("Kontörü olan hesap"), accounts["accounts"]),
            Figure(_("Toplam bakiye"), accounts["credits"]),
            Figure(_("Satın alınan"), lots["paid"]),
            Figure(_("Hediye"), lots["granted"]),
            Figure(
                _("%(days)s gün içinde süresi dolacak") % {"days": f.days},
                lots["expiring"],
            ),
            Figure(_("Süresi dolmayan"), lots["lasting"]),
        ]

    def charts(self, f):
        start = this_month(f.moment)
        months = months_between(start, add_months(start, 11))
        rows = list(
            self.lots(f)
            .filter(expires_at__lt=month_starts_at(add_months(start, 12)))
            .annotate(month=month_of("expires_at"))
            .values("month", "source")
            .annotate(credits=Sum("remaining"))
        )
        # Lots already past their date (not yet swept by the daily expiry) count in this month.
        for row in rows:
            row["month"] = max(row["month"], start)
        return [
            Chart(
                id="expiry-schedule",
                title=_("Son kullanma takvimi"),
                description=_("Önümüzdeki 12 ayda süresi dolacak kontörler, satın alınan ve hediye olarak yığılmış."),
                label_heading=_("Ay"),
                labels=[month_label(m) for m in months],
                datasets=[
                    Dataset(label, _sum_by(rows, "month", months, source=code)) for code, label in SOURCES.items()
                ],
                stacked=True,
            )
        ]


def _sum_by(rows: list[dict], key: str, labels: list, **match) -> list:
    """The sum of `credits` per label over the rows that match (several rows may share a label)."""
    totals = dict.fromkeys(labels, 0)
    for row in rows:
        if all(row[k] == v for k, v in match.items()) and row[key] in totals:
            totals[row[key]] += row["credits"] or 0
    return list(totals.values())


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

    def figures(self, f):
        totals = self.lots(f).aggregate(
            lots=Count("id"),
            accounts=Count("account", distinct=True),
            paid=Sum("remaining", filter=Q(source=CreditSource.PAID)),
            granted=Sum("remaining", filter=Q(source=CreditSource.GRANTED)),
        )
        return [
            Figure(_("Hesap"), totals["accounts"]),
            Figure(_("Kontör dilimi"), totals["lots"]),
            Figure(_("Satın alınan"), totals["paid"]),
            Figure(_("Hediye"), totals["granted"]),
        ]

    def charts(self, f):
        rows = list(
            self.lots(f)
            .annotate(week=Trunc("expires_at", "week", output_field=DateField(), tzinfo=ISTANBUL))
            .values("week", "source")
            .annotate(credits=Sum("remaining"))
        )
        this_week = f.today - datetime.timedelta(days=f.today.weekday())
        for row in rows:
            row["week"] = max(row["week"], this_week)
        weeks = sorted({row["week"] for row in rows})
        return [
            Chart(
                id="expiring-by-week",
                title=_("Haftalara göre süresi dolacak kontörler"),
                description=_("Her hafta süresi dolacak kontörler (haftanın pazartesi günü), kaynağa göre yığılmış."),
                label_heading=_("Hafta"),
                labels=[formats.date_format(week, day_format()) for week in weeks],
                datasets=[
                    Dataset(label, _sum_by(rows, "week", weeks, source=code)) for code, label in SOURCES.items()
                ],
                stacked=True,
            )
        ]


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

    BUCKETS = (
        ("empty", _("Bakiye sıfır"), Q(balance=0)),
        ("quarter", _("Eşiğin %25'inden az"), Q(balance__gt=0, times4__lt=F("low_balance_threshold"))),
        ("half", _("%25–50"), Q(times4__gte=F("low_balance_threshold"), times2__lt=F("low_balance_threshold"))),
        ("most", _("%50–100"), Q(times2__gte=F("low_balance_threshold"))),
    )

    def _buckets(self, f: Filters) -> dict:
        return (
            self.accounts(f)
            .annotate(times4=F("balance") * 4, times2=F("balance") * 2)
            .aggregate(
                accounts=Count("id"),
                shortfall=Sum(F("low_balance_threshold") - F("balance")),
                **{key: Count("id", filter=condition) for key, _label, condition in self.BUCKETS},
            )
        )

    def figures(self, f):
        totals = self._buckets(f)
        return [
            Figure(_("Eşiğin altındaki hesap"), totals["accounts"]),
            Figure(_("Eşiğe kalan toplam"), totals["shortfall"]),
        ]

    def charts(self, f):
        totals = self._buckets(f)
        return [
            Chart(
                id="low-balance-buckets",
                title=_("Bakiye, uyarı eşiğine göre"),
                description=_("Eşiğin altındaki hesaplar, bakiyenin eşiğe oranına göre gruplanmış."),
                label_heading=_("Bakiye"),
                labels=[label for _key, label, _condition in self.BUCKETS],
                datasets=[Dataset(_("Hesap"), [totals[key] for key, _label, _condition in self.BUCKETS])],
            )
        ]


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

    def figures(self, f):
        totals = self.usage(f).aggregate(accounts=Count("account", distinct=True), **USAGE_SUMS)
        return [
            Figure(_("Gönderen hesap"), totals["accounts"]),
            Figure(_("Teslim edilen"), totals["delivered"]),
            Figure(_("Teslim edilemeyen"), totals["undelivered"]),
            Figure(_("Beklemede"), totals["pending"]),
            Figure(_("Zaman aşımı"), totals["expired"]),
        ]

    def charts(self, f):
        return [top_chart(self.present(list(self.rows(f)[:10]), f))]


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
