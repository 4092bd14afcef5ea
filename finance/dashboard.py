"""The finance dashboard: the key figures of every list and the charts of the last twelve months, in a fixed number of
queries (each figure or chart is one aggregate in SQL)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from billing.models import BillingAccount, CreditLot, PackageOrder, Statement, UsageMonth
from finance import reports
from finance.periods import add_months, month_starts_at, months_between, this_month
from finance.reports import PLANS, Filters, month_label, month_of, revenue_chart, top_chart
from finance.tables import MONEY, NUMBER, Chart, Dataset, Figure, series


@dataclass
class Tile:
    """A key figure on the dashboard with the list it comes from."""

    figure: Figure
    report: str  # the URL name of the list
    query: str = ""


def build(now: datetime.datetime) -> tuple[list[Tile], list[Chart]]:
    f = Filters(now=now)
    month = this_month(now)
    last_month = add_months(month, -1)
    months = months_between(add_months(month, -11), month)

    # 1. Accounts and credit balances by plan.
    by_plan = {
        row["plan"]: row
        for row in BillingAccount.objects.values("plan").annotate(accounts=Count("id"), credits=Sum("balance"))
    }
    # 2. Paid orders by month.
    revenue = list(
        PackageOrder.objects.filter(status=PackageOrder.Status.PAID, paid_at__gte=month_starts_at(months[0]))
        .annotate(month=month_of("paid_at"))
        .values("month")
        .annotate(net=Sum("net"), kdv=Sum("kdv"), oiv=Sum("oiv"), total=Sum("total"))
    )
    revenue_by_month = {row["month"]: row for row in revenue}
    # 3. Issued invoices by period.
    statements = list(
        Statement.objects.filter(kind=Statement.Kind.INVOICE, period__gte=months[0])
        .values("period")
        .annotate(count=Count("id"), net=Sum("net"), kdv=Sum("kdv"), oiv=Sum("oiv"), total=Sum("total"))
    )
    for row in statements:
        row["month"] = row["period"]
    issued_last_month = next((row for row in statements if row["period"] == last_month), {})
    # 4. Delivered parts by month and plan.
    usage = list(
        UsageMonth.objects.filter(month__gte=months[0], month__lte=month)
        .values("month", "plan")
        .annotate(delivered=Sum("delivered"))
    )
    # 5–7. Outstanding statements, credits expiring within 30 days, balances below their threshold.
    outstanding = sum(group["accounts"] for group in reports.OutstandingReport().by_month(f))
    expiring = CreditLot.objects.filter(
        remaining__gt=0, expires_at__isnull=False, expires_at__lte=now + datetime.timedelta(days=30)
    ).aggregate(credits=Sum("remaining"), accounts=Count("account", distinct=True))
    low = reports.LowBalancesReport().accounts(f).count()
    # 8. The top ten of the last closed month.
    top = reports.TopCustomersReport()
    top_filters = Filters(start=last_month, end=last_month, now=now)
    top_rows = top.present(list(top.rows(top_filters)[:10]), top_filters)

    this = revenue_by_month.get(month, {})
    previous = revenue_by_month.get(last_month, {})
    last_label = month_label(last_month)
    tiles = [
        Tile(Figure(_("Hesap sayısı"), sum(row["accounts"] for row in by_plan.values())), "accounts"),
        *[
            Tile(Figure(label, by_plan.get(code, {}).get("accounts", 0)), "accounts", f"plan={code}")
            for code, label in PLANS.items()
        ],
        Tile(
            Figure(_("Ön ödemeli kontör bakiyesi"), sum(row["credits"] or 0 for row in by_plan.values())), "balances"
        ),
        Tile(Figure(_("Bu ayın paket geliri (net, TL)"), this.get("net"), MONEY, month_label(month)), "sales"),
        Tile(Figure(_("Geçen ayın paket geliri (net, TL)"), previous.get("net"), MONEY, last_label), "sales"),
        Tile(
            Figure(_("Geçen ayın faturaları (toplam, TL)"), issued_last_month.get("total"), MONEY, last_label),
            "statements",
        ),
        Tile(Figure(_("Faturası bekleyen hesap-ay"), outstanding), "outstanding"),
        Tile(
            Figure(_("30 gün içinde süresi dolacak kontör"), expiring["credits"], NUMBER),
            "expiring",
        ),
        Tile(Figure(_("Eşiğin altındaki hesap"), low), "low-balances"),
    ]

    labels = [month_label(m) for m in months]
    charts = [
        revenue_chart("revenue", months, revenue, title=_("Aylara göre paket geliri")),
        Chart(
            id="usage",
            title=_("Aylara göre teslim edilen SMS parçası"),
            description=_("Her ay teslim edilen parçalar, faturalı ve ön ödemeli kullanım olarak yığılmış."),
            label_heading=_("Ay"),
            labels=labels,
            datasets=[
                Dataset(
                    label,
                    series([r for r in usage if r["plan"] == code], key="month", labels=months, value="delivered"),
                )
                for code, label in PLANS.items()
            ],
            stacked=True,
        ),
        revenue_chart("statements", months, statements, title=_("Döneme göre fatura tutarları")),
        Chart(
            id="plans",
            title=_("Plana göre hesap sayısı"),
            description=_("Bütün hesapların bugünkü planlarına göre sayısı."),
            label_heading=_("Plan"),
            labels=list(PLANS.values()),
            datasets=[Dataset(_("Hesap sayısı"), [by_plan.get(code, {}).get("accounts", 0) for code in PLANS])],
        ),
        top_chart(top_rows),
    ]
    charts[-1].title = _("%(month)s ayında en çok gönderen 10 hesap") % {"month": last_label}
    return tiles, charts
