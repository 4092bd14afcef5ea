"""Each finance page's numbers agree with the records they come from: orders, statements, the ledger's lots and the
monthly usage rollups. Read through the pages (Turkish formatting) and the CSV exports (exact values)."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from billing import ledger
from billing.accounts import change_plan
from billing.models import BillingAccount, CreditPackage, PackageOrder
from billing.orders import cancel_order, place_order
from billing.pricing import tariff_price, tiers_on
from finance.periods import add_months, this_month
from finance.tests.helpers import at, buy, grant, issue, make_account, usage

pytestmark = pytest.mark.django_db

THIS = this_month()
LAST = add_months(THIS, -1)
BEFORE = add_months(THIS, -2)


def exported(client, name: str, **query) -> list[dict]:
    response = client.get(reverse(f"finance:{name}-export", kwargs={"fmt": "csv"}), query)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def page(client, name: str, **query) -> str:
    response = client.get(reverse(f"finance:{name}"), query)
    assert response.status_code == 200
    return response.content.decode()


def months(first, last) -> dict:
    return {"start": first.strftime("%Y-%m"), "end": last.strftime("%Y-%m")}


@pytest.fixture
def logged_in(client, finance):
    client.force_login(finance)
    return client


# --- Package sales and revenue --------------------------------------------------------------------------------------


def test_revenue_by_month_is_the_sum_of_paid_orders_by_istanbul_month(logged_in, finance):
    account = make_account("Şişli Belediyesi")
    other = make_account("Kadıköy Belediyesi")
    last_month = [
        buy(account, 5_000, paid_at=at(LAST.year, LAST.month, 3), actor=finance),
        buy(other, 1_000, paid_at=at(LAST.year, LAST.month, 20), actor=finance),
        # 23:30 on the month's last day in Istanbul is 20:30 UTC: still last month.
        buy(
            other, 10_000, paid_at=at(THIS.year, THIS.month, 1, 0, 0) - datetime.timedelta(minutes=30), actor=finance
        ),
    ]
    # 00:30 on the first in Istanbul is 21:30 UTC the day before: already this month.
    this_month_order = buy(account, 1_000, paid_at=at(THIS.year, THIS.month, 1, 0, 30), actor=finance)
    # Neither a pending nor a cancelled order is revenue.
    place_order(account, CreditPackage.objects.get(credits=50_000), actor=account.owner, key="pending")
    cancel_order(
        place_order(account, CreditPackage.objects.get(credits=50_000), actor=account.owner, key="cancelled"),
        actor=finance,
    )

    rows = {row["Ay"]: row for row in exported(logged_in, "sales", **months(BEFORE, THIS))}

    assert set(rows) == {LAST.strftime("%Y-%m"), THIS.strftime("%Y-%m")}
    last = rows[LAST.strftime("%Y-%m")]
    assert int(last["Sipariş sayısı"]) == 3
    assert int(last["Satılan kontör"]) == 16_000
    for column, field in [("Net (TL)", "net"), ("KDV (TL)", "kdv"), ("ÖİV (TL)", "oiv"), ("Toplam (TL)", "total")]:
        assert Decimal(last[column]) == sum(getattr(order, field) for order in last_month)
        assert Decimal(rows[THIS.strftime("%Y-%m")][column]) == getattr(this_month_order, field)
    assert Decimal(last["Net (TL)"]) + Decimal(last["KDV (TL)"]) + Decimal(last["ÖİV (TL)"]) == Decimal(
        last["Toplam (TL)"]
    )

    # The page shows the same sums over the whole range, the Turkish way (1.234,56).
    paid = PackageOrder.objects.filter(status="paid")
    net = sum(order.net for order in paid)
    assert net == sum(order.net for order in [*last_month, this_month_order])
    html = page(logged_in, "sales", **months(BEFORE, THIS))
    assert f"{net:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".") in html
    assert "4\n" in html or ">4<" in html  # four paid orders


def test_the_package_filter_narrows_the_sales(logged_in, finance):
    account = make_account("Şişli Belediyesi")
    buy(account, 5_000, paid_at=at(LAST.year, LAST.month, 3), actor=finance)
    small = buy(account, 1_000, paid_at=at(LAST.year, LAST.month, 4), actor=finance)
    package = CreditPackage.objects.get(credits=1_000)

    [row] = exported(logged_in, "sales", package=package.pk, **months(LAST, LAST))

    assert int(row["Sipariş sayısı"]) == 1
    assert Decimal(row["Net (TL)"]) == small.net


# --- Accounts by plan and plan history ------------------------------------------------------------------------------


def test_accounts_by_plan_show_the_plan_its_start_and_the_ledger_balance(logged_in, finance):
    prepaid = make_account("ŞİŞLİ BELEDİYESİ", opened_at=at(LAST.year, LAST.month, 2))
    invoiced = make_account("Kadıköy Belediyesi", plan="invoiced")
    grant(prepaid, 750)
    ledger.debit(prepaid, key="use-1", credits=50)
    change_plan(
        invoiced, to_plan="prepaid", effective_from=timezone.localdate(), reason="Müşteri istedi", actor=finance
    )

    rows = {row["Hesap kodu"]: row for row in exported(logged_in, "accounts")}

    assert int(rows[prepaid.code]["Kontör bakiyesi"]) == 700 == BillingAccount.objects.get(pk=prepaid.pk).balance
    assert rows[prepaid.code]["Plan"] == "Ön Ödemeli"
    assert rows[prepaid.code]["Bu planda"] == LAST.replace(day=2).isoformat()
    assert rows[invoiced.code]["Plan"] == "Ön Ödemeli"
    assert rows[invoiced.code]["Bu planda"] == timezone.localdate().isoformat()
    assert rows[invoiced.code]["VKN / TCKN"] == invoiced.tax_number

    # Filters: plan, a name in another Turkish casing, a tax number's start, a code; the opening month.
    assert [r["Hesap kodu"] for r in exported(logged_in, "accounts", plan="invoiced")] == []
    assert [r["Hesap kodu"] for r in exported(logged_in, "accounts", q="şişli")] == [prepaid.code]
    assert [r["Hesap kodu"] for r in exported(logged_in, "accounts", q=invoiced.tax_number)] == [invoiced.code]
    assert [r["Hesap kodu"] for r in exported(logged_in, "accounts", q=invoiced.code.lower())] == [invoiced.code]
    assert [r["Hesap kodu"] for r in exported(logged_in, "accounts", **months(LAST, LAST))] == [prepaid.code]
    html = page(logged_in, "accounts")
    assert ">700<" in html
    assert "Kadıköy Belediyesi" in html


def test_plan_history_says_who_chose_what_and_who_changed_it_why(logged_in, finance):
    account = make_account("Kadıköy Belediyesi", plan="invoiced")
    change_plan(
        account, to_plan="prepaid", effective_from=timezone.localdate(), reason="Ön ödemeye geçti", actor=finance
    )

    first, changed = sorted(exported(logged_in, "plan-history"), key=lambda row: row["Kayıt"])

    assert changed["Kayıt"] == "Plan değişikliği"
    assert (changed["Önceki plan"], changed["Yeni plan"]) == ("Faturalı", "Ön Ödemeli")
    assert changed["Seçen / değiştiren"] == "Zeynep Çağlar"
    assert changed["Gerekçe"] == "Ön ödemeye geçti"
    assert first["Kayıt"] == "Başvuruda seçilen"
    assert first["Yeni plan"] == "Faturalı"
    assert first["Seçen / değiştiren"] == account.owner.full_name
    assert [row["Kayıt"] for row in exported(logged_in, "plan-history", plan="invoiced")] == ["Başvuruda seçilen"]


# --- Statements -----------------------------------------------------------------------------------------------------


def test_issued_statements_list_and_add_up_by_kind(logged_in):
    account = make_account("Kadıköy Belediyesi", plan="invoiced", e_invoice_user=True)
    before = issue(account, BEFORE, "1000.00")
    last = issue(account, LAST, "250.00")
    note = issue(account, LAST, "50.00", kind="credit_note", corrects=before)

    rows = {row["Fatura no"]: row for row in exported(logged_in, "statements", **months(BEFORE, LAST))}

    assert set(rows) == {before.number, last.number, note.number}
    assert rows[note.number]["Tür"] == "İade faturası"
    assert rows[note.number]["Düzelttiği fatura"] == before.number
    assert rows[last.number]["Belge tipi"] == "e-Fatura"
    assert rows[last.number]["Dönem"] == LAST.strftime("%Y-%m")
    assert Decimal(rows[last.number]["Toplam (TL)"]) == last.total == Decimal("325.00")
    only_last = exported(logged_in, "statements", **months(LAST, LAST))
    assert {row["Fatura no"] for row in only_last} == {last.number, note.number}
    assert [
        row["Fatura no"] for row in exported(logged_in, "statements", kind="credit_note", **months(BEFORE, LAST))
    ] == [note.number]
    html = page(logged_in, "statements", **months(BEFORE, LAST))
    assert "1.625,00" in html  # the invoices' total: 1,300.00 + 325.00
    assert "65,00" in html  # the credit note's total


def test_outstanding_lists_closed_invoiced_months_with_delivered_parts_and_no_statement(logged_in):
    billed = make_account("Faturası Kesilen", plan="invoiced")
    waiting = make_account("Faturası Bekleyen", plan="invoiced")
    prepaid = make_account("Ön Ödemeli Kurum")
    usage(billed, LAST, delivered=900)
    issue(billed, LAST, "405.00")
    usage(waiting, BEFORE, delivered=60_000)
    usage(waiting, LAST, delivered=1_200, undelivered=40)
    usage(waiting, THIS, delivered=5_000)  # the month is not over
    usage(billed, BEFORE, delivered=0, undelivered=10)  # nothing delivered, nothing to bill
    usage(prepaid, LAST, delivered=800)  # paid for with credits

    rows = exported(logged_in, "outstanding")

    assert [(row["Hesap kodu"], row["Dönem"], int(row["Teslim edilen parça"])) for row in rows] == [
        (waiting.code, BEFORE.strftime("%Y-%m"), 60_000),
        (waiting.code, LAST.strftime("%Y-%m"), 1_200),
    ]
    for row, month, parts in zip(rows, (BEFORE, LAST), (60_000, 1_200), strict=True):
        expected = (tariff_price(parts, tiers_on(month)) * parts).quantize(Decimal("0.01"))
        assert Decimal(row["Tahmini net (TL)"]) == expected
    assert Decimal(rows[1]["Tahmini net (TL)"]) == Decimal("540.00")  # 1,200 × 0.45 (the first tier)
    assert [row["Dönem"] for row in exported(logged_in, "outstanding", **months(LAST, LAST))] == [
        LAST.strftime("%Y-%m")
    ]


# --- Credits --------------------------------------------------------------------------------------------------------


def test_balances_split_paid_and_granted_credits_and_agree_with_the_ledger(logged_in, finance):
    account = make_account("Şişli Belediyesi")
    empty = make_account("Kontörsüz Kurum")
    buy(account, 5_000, paid_at=timezone.now(), actor=finance)
    grant(account, 300, expires_at=timezone.now() + datetime.timedelta(days=10))
    ledger.debit(account, key="use", credits=200)  # granted credits expiring soonest go first

    [row] = exported(logged_in, "balances")

    account.refresh_from_db()
    assert row["Hesap kodu"] == account.code
    assert int(row["Bakiye"]) == account.balance == 5_100
    assert int(row["Satın alınan"]) == 5_000
    assert int(row["Hediye"]) == 100
    assert int(row["Satın alınan"]) + int(row["Hediye"]) == int(row["Bakiye"])
    assert int(row["Yakında süresi dolacak"]) == 100
    assert ledger.verify(account).ok
    assert empty.code not in page(logged_in, "balances")
    assert int(exported(logged_in, "balances", days=5)[0]["Yakında süresi dolacak"]) == 0


def test_expiring_credits_are_the_open_lots_within_the_days_asked(logged_in):
    account = make_account("Şişli Belediyesi")
    now = timezone.now()
    grant(account, 100, expires_at=now + datetime.timedelta(days=5))
    grant(account, 200, expires_at=now + datetime.timedelta(days=45))
    grant(account, 400)  # never expires
    used_up = make_account("Kullanan Kurum")
    grant(used_up, 50, expires_at=now + datetime.timedelta(days=3))
    ledger.debit(used_up, key="all", credits=50)

    soon = exported(logged_in, "expiring")
    later = exported(logged_in, "expiring", days=60)

    assert [(row["Kalan"], row["Kalan gün"], row["Kaynak"]) for row in soon] == [("100", "5", "Hediye")]
    assert [int(row["Kalan"]) for row in later] == [100, 200]


def test_low_balances_are_accounts_below_their_own_threshold(logged_in):
    low = make_account("Az Kontörlü")
    fine = make_account("Bol Kontörlü")
    unset = make_account("Eşiksiz")
    for account, credits in ((low, 500), (fine, 2_000), (unset, 10)):
        grant(account, credits)
    BillingAccount.objects.filter(pk__in=[low.pk, fine.pk]).update(low_balance_threshold=1_000)

    rows = exported(logged_in, "low-balances")

    assert [(row["Hesap kodu"], int(row["Bakiye"]), int(row["Eşiğe kalan"])) for row in rows] == [
        (low.code, 500, 500)
    ]


# --- Top customers --------------------------------------------------------------------------------------------------


def test_top_customers_sum_the_monthly_usage_over_the_months_asked(logged_in):
    big = make_account("Büyük Gönderen", plan="invoiced")
    small = make_account("Küçük Gönderen")
    usage(big, BEFORE, delivered=1_000, undelivered=5)
    usage(big, LAST, delivered=3_000, pending=7)
    usage(small, LAST, delivered=3_500, expired=2)
    usage(small, BEFORE, delivered=100)

    last_only = exported(logged_in, "top-customers", **months(LAST, LAST))
    both = exported(logged_in, "top-customers", **months(BEFORE, LAST))
    invoiced = exported(logged_in, "top-customers", plan="invoiced", **months(BEFORE, LAST))

    assert [(row["Hesap kodu"], int(row["Teslim edilen"])) for row in last_only] == [
        (small.code, 3_500),
        (big.code, 3_000),
    ]
    assert [(row["Hesap kodu"], int(row["Teslim edilen"])) for row in both] == [
        (big.code, 4_000),
        (small.code, 3_600),
    ]
    assert (both[0]["Teslim edilemeyen"], both[0]["Beklemede"], both[1]["Zaman aşımı"]) == ("5", "7", "2")
    assert [row["Hesap kodu"] for row in invoiced] == [big.code]
    # The default is the last closed month.
    assert [row["Hesap kodu"] for row in exported(logged_in, "top-customers")] == [small.code, big.code]


# --- The dashboard --------------------------------------------------------------------------------------------------


def test_the_dashboard_figures_match_the_lists(logged_in, finance):
    account = make_account("Şişli Belediyesi")
    invoiced = make_account("Kadıköy Belediyesi", plan="invoiced")
    order = buy(account, 5_000, paid_at=timezone.now(), actor=finance)
    usage(invoiced, LAST, delivered=1_200)
    issue(invoiced, BEFORE, "1234.00")
    BillingAccount.objects.filter(pk=account.pk).update(low_balance_threshold=10_000)

    response = logged_in.get(reverse("finance:dashboard"))
    html = response.content.decode()
    tiles = {tile.figure.label: tile.figure.value for tile in response.context["tiles"]}

    assert tiles["Hesap sayısı"] == 2
    assert tiles["Faturalı"] == 1 and tiles["Ön Ödemeli"] == 1
    assert tiles["Ön ödemeli kontör bakiyesi"] == 5_000
    assert tiles["Bu ayın paket geliri (net, TL)"] == order.net
    assert tiles["Faturası bekleyen hesap-ay"] == 1
    assert tiles["Eşiğin altındaki hesap"] == 1
    assert "2.000,00" in html  # the order's net, the Turkish way
    charts = {chart["id"]: chart for chart in response.context["charts_config"]}
    assert set(charts) == {"revenue", "usage", "statements", "plans", "top-customers"}
    assert charts["revenue"]["datasets"][0]["data"][-1] == float(order.net)
    assert charts["usage"]["datasets"][0]["data"][-2] == 1_200  # invoiced, last month
    assert charts["statements"]["datasets"][0]["data"][-3] == 1234.0
    assert 'id="finance-charts" type="application/json"' in html
