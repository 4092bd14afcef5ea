"""Benchmark: every finance page at 100,000 accounts and usage equivalent to 10,000,000 delivery rows, on PostgreSQL.

Bulk-loads (with generate_series, no services: this is load data) N billing accounts (default 100,000; half
invoiced, half prepaid) with their applications and owners, plan histories, two years of paid package orders with
their ledger entries and credit lots (some expiring soon, some granted), low-balance thresholds, twelve months of
monthly usage rollups per account whose counts add up to about 10,000,000 delivery rows, the invoiced accounts'
statements for every closed month (the last one 70 % issued, so that some are outstanding) and a slice of raw
delivery records that the pages must never read. Then times every finance page and export through Django's test
client as a finance user: median of 5 runs and the number of queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_finance \
        .venv/bin/python benchmarks/finance.py [-n 100000] [--records 1000000]

The database is a scratch one: it is migrated and loaded once; later runs reuse the data and only time the pages.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("SMTP_HOST", "127.0.0.1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("PRIVATE_FILES_DIR", tempfile.mkdtemp(prefix="finance-bench-"))
# Plain static files storage: the benchmark measures the pages, not a collectstatic manifest.
os.environ.setdefault("DEBUG", "true")

# Twelve months of usage per account, the current month included; months are Istanbul calendar months.
MONTHS = 12
CITIES = ["Şişli", "Kadıköy", "Üsküdar", "Çankaya", "Karşıyaka", "Osmangazi", "İzmit", "Ağrı", "Iğdır", "Muğla"]
KINDS = ["Belediyesi", "Muhtarlığı", "Ltd. Şti.", "A.Ş.", "Derneği", "Vakfı", "Kooperatifi", "Odası"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=100_000, help="billing accounts")
    parser.add_argument("--records", type=int, default=1_000_000, help="raw delivery records (a slice)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database.")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from billing.models import BillingAccount

    call_command("migrate", verbosity=0)
    finance = finance_user()
    if not BillingAccount.objects.filter(code__startswith="TB-").exists():
        started = time.perf_counter()
        seed(args.n, args.records, finance.pk)
        print(f"seeded in {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    report_sizes()
    time_pages(finance, args.repeat)


def finance_user():
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts import roles
    from accounts.models import User

    user, _ = User.objects.get_or_create(
        email="bench-finance@portal.test",
        defaults={"is_staff": True, "full_name": "Muhasebe Bench", "email_confirmed_at": timezone.now()},
    )
    user.groups.add(Group.objects.get(name=roles.FINANCE))
    return user


def run(sql: str, params=None, label: str = "") -> None:
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params or {})
        count = cursor.rowcount
    print(f"  {label or sql.split()[2]:<34} {count:>10,} rows {time.perf_counter() - started:7.1f} s", flush=True)


def seed(n: int, records: int, finance_id: int) -> None:
    """Everything the finance pages read, in bulk SQL: accounts, plans, orders, ledger and lots, usage, statements."""
    p = {"n": n, "finance": finance_id, "months": MONTHS, "cities": CITIES, "kinds": KINDS, "records": records}
    # 1. Owners, their active applications and billing accounts (even i: invoiced, odd i: prepaid).
    run(
        """
        INSERT INTO accounts_user (password, is_superuser, email, full_name, mobile, is_staff, is_active,
                                   email_confirmed_at, date_joined, language)
        SELECT '!', false, 'bench-' || i || '@ornek.test', 'Yetkili ' || i, '', false, true, now(), now(), 'tr'
        FROM generate_series(1, %(n)s) i
        """,
        p,
        "users",
    )
    run(
        """
        CREATE TEMP TABLE bench_i ON COMMIT PRESERVE ROWS AS
        SELECT i, CASE WHEN i %% 2 = 0 THEN 'invoiced' ELSE 'prepaid' END AS plan,
               'TB-' || lpad(i::text, 8, '0') AS code,
               (%(cities)s::text[])[1 + i %% 10] || ' ' || (%(kinds)s::text[])[1 + (i / 10) %% 8] || ' ' || i AS name,
               (1000000000 + i)::text AS tax_number,
               now() - make_interval(days => i %% 730) AS opened_at
        FROM generate_series(1, %(n)s) i
        """,
        p,
        "numbering",
    )
    run(
        """
        INSERT INTO onboarding_application (reference, status, completed_steps, legal_name, tax_number,
            tax_number_kind, tax_office, address, province, district, phone, email, signatory_name, signatory_title,
            signatory_tckn, signatory_mobile, condition_answers, corporate_line_number, line_plan, created_at,
            updated_at, submitted_at, applicant_id, billing_type_id, cargo_company, cargo_tracking_number,
            e_invoice_user)
        SELECT b.code, 'active', '[]', b.name, b.tax_number, 'vkn', 'Şişli', 'Adres ' || b.i, '34', '', '', '', '',
               '', '', '', '{}', '', '', b.opened_at, b.opened_at, b.opened_at, u.id, t.id, '', '', b.i %% 3 = 0
        FROM bench_i b
        JOIN accounts_user u ON u.email = 'bench-' || b.i || '@ornek.test'
        JOIN billing_billingtype t ON t.code = b.plan
        """,
        p,
        "applications",
    )
    run(
        """
        INSERT INTO billing_billingaccount (code, plan, legal_name, tax_number, tax_office, address, invoice_email,
            e_invoice_user, balance, low_balance_threshold, low_balance_alerted, low_balance_crossings, opened_at,
            application_id, owner_id)
        SELECT a.reference, b.plan, b.name, b.tax_number, 'Şişli', a.address, 'fatura' || b.i || '@ornek.test',
               b.i %% 3 = 0, 0, CASE WHEN b.plan = 'prepaid' AND b.i %% 5 = 1 THEN 5000 END, false, 0, b.opened_at,
               a.id, a.applicant_id
        FROM bench_i b JOIN onboarding_application a ON a.reference = b.code
        """,
        p,
        "billing accounts",
    )
    run(
        """
        CREATE TEMP TABLE bench_a ON COMMIT PRESERVE ROWS AS
        SELECT b.i, a.id AS account_id, a.plan, a.owner_id, a.opened_at
        FROM bench_i b JOIN billing_billingaccount a ON a.code = b.code
        """,
        p,
        "account map",
    )
    run("CREATE INDEX ON bench_a (i)", p, "account map index")
    # 2. Plan history: the plan chosen at application for every account, a change by finance for one in ten.
    run(
        """
        INSERT INTO billing_planchange (from_plan, to_plan, effective_from, reason, created_at, account_id, actor_id)
        SELECT '', plan, opened_at::date, 'Başvuru onaylanıp hesap açıldı.', opened_at, account_id, NULL FROM bench_a
        UNION ALL
        SELECT CASE WHEN plan = 'prepaid' THEN 'invoiced' ELSE 'prepaid' END, plan,
               (now() - make_interval(days => i %% 300))::date, 'Müşterinin isteğiyle', now(), account_id,
               %(finance)s
        FROM bench_a WHERE i %% 10 = 3
        """,
        p,
        "plan changes",
    )
    # 3. Prepaid: 1–4 orders each over two years (one in ten still pending), a purchase entry and a lot per paid
    #    order (half expire 12 months after payment), usage taking what the lot no longer holds; a granted lot
    #    expiring within 60 days for one account in five.
    run(
        """
        INSERT INTO billing_packageorder (code, credits, net, kdv_rate, kdv, oiv_rate, oiv, total, status,
            payment_method, payment_reference, idempotency_key, created_at, paid_at, account_id, confirmed_by_id,
            created_by_id, package_id)
        SELECT 'SB-' || a.i || '-' || j, pk.credits, pr.price, 0.2, round(pr.price * 0.2, 2), 0.1,
               round(pr.price * 0.1, 2), pr.price + round(pr.price * 0.2, 2) + round(pr.price * 0.1, 2),
               CASE WHEN (a.i + j) %% 10 = 0 THEN 'pending' ELSE 'paid' END, 'bank_transfer', '',
               'bench-order-' || a.i || '-' || j, moment - interval '2 days',
               CASE WHEN (a.i + j) %% 10 = 0 THEN NULL ELSE moment END, a.account_id,
               CASE WHEN (a.i + j) %% 10 = 0 THEN NULL ELSE %(finance)s END, a.owner_id, pk.id
        FROM bench_a a
        CROSS JOIN LATERAL generate_series(1, 1 + a.i %% 4) j
        CROSS JOIN LATERAL (SELECT now() - make_interval(days => (a.i * 7 + j * 97) %% 730) AS moment) m
        JOIN billing_creditpackage pk ON pk.position = (1 + (a.i + j) %% 5) * 10
        CROSS JOIN LATERAL (SELECT price FROM billing_packageprice pp WHERE pp.package_id = pk.id
                            ORDER BY valid_from DESC LIMIT 1) pr
        WHERE a.plan = 'prepaid'
        """,
        p,
        "package orders",
    )
    run(
        """
        INSERT INTO billing_ledgerentry (kind, credits, balance_after, idempotency_key, description, created_at,
                                         account_id, order_id)
        SELECT 'purchase', o.credits, o.credits, 'order:' || o.id, o.code, o.paid_at, o.account_id, o.id
        FROM billing_packageorder o WHERE o.status = 'paid' AND o.code LIKE 'SB-%%'
        """,
        p,
        "purchase entries",
    )
    run(
        """
        INSERT INTO billing_creditlot (source, credits, remaining, expires_at, created_at, account_id, entry_id)
        SELECT 'paid', e.credits, e.credits * (e.id %% 10) / 10,
               CASE WHEN e.id %% 2 = 0 THEN e.created_at + interval '12 months' END, e.created_at, e.account_id, e.id
        FROM billing_ledgerentry e WHERE e.kind = 'purchase' AND e.idempotency_key LIKE 'order:%%'
          AND e.order_id IN (SELECT id FROM billing_packageorder WHERE code LIKE 'SB-%%')
        """,
        p,
        "purchase lots",
    )
    run(
        """
        INSERT INTO billing_ledgerentry (kind, credits, balance_after, idempotency_key, description, created_at,
                                         account_id)
        SELECT 'grant', 500, 500, 'bench-grant-' || i, 'Hoş geldin', now() - interval '300 days', account_id
        FROM bench_a WHERE plan = 'prepaid' AND i %% 5 = 3
        """,
        p,
        "grant entries",
    )
    run(
        """
        INSERT INTO billing_creditlot (source, credits, remaining, expires_at, created_at, account_id, entry_id)
        SELECT 'granted', 500, 500, now() + make_interval(days => (e.id %% 60)::int, hours => 3), e.created_at,
               e.account_id, e.id
        FROM billing_ledgerentry e WHERE e.idempotency_key LIKE 'bench-grant-%%'
        """,
        p,
        "granted lots",
    )
    run(
        """
        INSERT INTO billing_ledgerentry (kind, credits, balance_after, idempotency_key, description, created_at,
                                         account_id)
        SELECT 'usage', l.remaining - l.credits, l.remaining, 'bench-use-' || l.id, '',
               l.created_at + interval '1 day', l.account_id
        FROM billing_creditlot l JOIN bench_a a ON a.account_id = l.account_id WHERE l.remaining < l.credits
        """,
        p,
        "usage entries",
    )
    run(
        """
        UPDATE billing_billingaccount b SET balance = s.remaining
        FROM (SELECT account_id, sum(remaining) AS remaining FROM billing_creditlot GROUP BY account_id) s
        WHERE s.account_id = b.id AND b.code LIKE 'TB-%%'
        """,
        p,
        "balances",
    )
    # 4. Twelve months of usage per account: about 8 delivery rows a month on average, a few large senders.
    run(
        """
        INSERT INTO billing_usagemonth (account_id, month, plan, delivered, undelivered, pending, expired)
        SELECT a.account_id,
               (date_trunc('month', now() AT TIME ZONE 'Europe/Istanbul') - make_interval(months => m))::date, a.plan,
               (1 + (a.i * 37 + m * 11) %% 13) * CASE WHEN a.i %% 1000 = 7 THEN 500 ELSE 1 END,
               (a.i + m) %% 2, CASE WHEN m = 0 THEN a.i %% 3 ELSE 0 END, CASE WHEN a.i %% 50 = 0 THEN 1 ELSE 0 END
        FROM bench_a a CROSS JOIN generate_series(0, %(months)s - 1) m
        """,
        p,
        "usage months",
    )
    # 5. Statements for the invoiced accounts' closed months; the last closed month only 70 % issued.
    run(
        """
        INSERT INTO billing_statement (kind, number, uuid, profile, period, issue_date, reason, seller, buyer_name,
            buyer_tax_number, buyer_tax_office, buyer_address, buyer_email, net, kdv_rate, kdv, oiv_rate, oiv, total,
            created_at, account_id)
        SELECT 'invoice', 'BEN' || extract(year FROM u.month)::int || lpad(row_number() OVER ()::text, 9, '0'),
               gen_random_uuid(), CASE WHEN b.e_invoice_user THEN 'e_fatura' ELSE 'e_arsiv' END, u.month,
               (u.month + interval '1 month 2 days')::date, '', '{"name": "Bench Bayi A.Ş."}', b.legal_name,
               b.tax_number, b.tax_office, b.address, b.invoice_email, net, 0.2, round(net * 0.2, 2), 0.1,
               round(net * 0.1, 2), net + round(net * 0.2, 2) + round(net * 0.1, 2), now(), b.id
        FROM billing_usagemonth u
        JOIN billing_billingaccount b ON b.id = u.account_id
        CROSS JOIN LATERAL (SELECT round(u.delivered * 0.45, 2) AS net) amounts
        WHERE u.plan = 'invoiced' AND b.code LIKE 'TB-%%'
          AND u.month < date_trunc('month', now() AT TIME ZONE 'Europe/Istanbul')::date
          AND (u.month < (date_trunc('month', now() AT TIME ZONE 'Europe/Istanbul') - interval '1 month')::date
               OR b.id %% 10 < 7)
        """,
        p,
        "statements",
    )
    run(
        """
        INSERT INTO billing_statement (kind, number, uuid, profile, period, issue_date, reason, seller, buyer_name,
            buyer_tax_number, buyer_tax_office, buyer_address, buyer_email, net, kdv_rate, kdv, oiv_rate, oiv, total,
            created_at, account_id, corrects_id)
        SELECT 'credit_note', 'BEC' || extract(year FROM s.period)::int || lpad(row_number() OVER ()::text, 9, '0'),
               gen_random_uuid(), s.profile, s.period, s.issue_date + 5, 'Hatalı teslim raporu', s.seller,
               s.buyer_name, s.buyer_tax_number, s.buyer_tax_office, s.buyer_address, s.buyer_email, s.net, 0.2,
               s.kdv, 0.1, s.oiv, s.total, now(), s.account_id, s.id
        FROM billing_statement s WHERE s.number LIKE 'BEN%%' AND s.id %% 100 = 0
        """,
        p,
        "credit notes",
    )
    # 6. A slice of raw delivery records (the pages must never scan them).
    run(
        """
        INSERT INTO billing_deliveryrecord (message_id, part, recipient, sent_at, status, parts, plan, charged,
                                            updated_at, account_id)
        SELECT 'bench-' || g, 1, '90532' || lpad((g %% 10000000)::text, 7, '0'),
               now() - make_interval(mins => g %% 525600),
               (ARRAY['delivered', 'delivered', 'delivered', 'undelivered', 'pending', 'expired'])[1 + g %% 6],
               1 + g %% 3, a.plan, 0, now(), a.account_id
        FROM generate_series(1, %(records)s) g JOIN bench_a a ON a.i = 1 + g %% %(n)s
        """,
        p,
        "delivery records",
    )


def report_sizes() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM billing_billingaccount), (SELECT count(*) FROM billing_usagemonth),"
            " (SELECT sum(delivered + undelivered + pending + expired) FROM billing_usagemonth),"
            " (SELECT count(*) FROM billing_statement), (SELECT count(*) FROM billing_packageorder),"
            " (SELECT count(*) FROM billing_creditlot), (SELECT count(*) FROM billing_ledgerentry),"
            " (SELECT count(*) FROM billing_planchange), (SELECT count(*) FROM billing_deliveryrecord)"
        )
        row = cursor.fetchone()
    names = [
        "accounts",
        "usage months",
        "usage rows rolled up",
        "statements",
        "orders",
        "credit lots",
        "ledger entries",
        "plan changes",
        "delivery records",
    ]
    print("data: " + ", ".join(f"{name} {value:,}" for name, value in zip(names, row, strict=True)))


def time_pages(finance, repeat: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from billing.models import BillingAccount, Statement
    from finance.periods import ISTANBUL, add_months, this_month

    client = Client()
    client.force_login(finance)
    month = this_month()
    year_ago, last = add_months(month, -11).strftime("%Y-%m"), add_months(month, -1).strftime("%Y-%m")
    quarter = add_months(month, -3).strftime("%Y-%m")
    some = BillingAccount.objects.filter(code__startswith="TB-").order_by("id")[500]
    number = Statement.objects.order_by("-id").values_list("number", flat=True).first()
    today = timezone.localdate(timezone=ISTANBUL)
    pages = [
        ("dashboard", "/finans/"),
        ("accounts", "/finans/hesaplar/"),
        ("accounts, prepaid", "/finans/hesaplar/?plan=prepaid"),
        ("accounts, page 1000", "/finans/hesaplar/?page=1000"),
        ("accounts, search name", "/finans/hesaplar/?q=kadıköy+vakfı"),
        ("accounts, search VKN", f"/finans/hesaplar/?q={some.tax_number}"),
        ("accounts, opened this year", f"/finans/hesaplar/?start={today.year}-01&end={month:%Y-%m}"),
        ("plan history", "/finans/plan-gecmisi/"),
        ("plan history, search code", f"/finans/plan-gecmisi/?q={some.code}"),
        ("sales (12 months)", "/finans/paket-satislari/"),
        ("sales, all time", "/finans/paket-satislari/?start=&end="),
        ("statements (12 months)", "/finans/faturalar/"),
        ("statements, search number", f"/finans/faturalar/?q={number}"),
        ("statements, credit notes", "/finans/faturalar/?kind=credit_note"),
        ("outstanding", "/finans/bekleyen-faturalar/"),
        ("balances", "/finans/kontor-bakiyeleri/"),
        ("balances, page 500", "/finans/kontor-bakiyeleri/?page=500"),
        ("expiring (30 days)", "/finans/suresi-dolacak-kontorler/"),
        ("expiring (365 days)", "/finans/suresi-dolacak-kontorler/?days=365"),
        ("low balances", "/finans/dusuk-bakiyeler/"),
        ("top customers (last month)", "/finans/en-cok-gonderenler/"),
        ("top customers (12 months)", f"/finans/en-cok-gonderenler/?start={year_ago}&end={last}"),
    ]
    print(f"{'page':<30} {'HTTP':>4} {'median':>10} {'max':>10} {'queries':>8}")
    for label, url in pages:
        timings = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
        print(
            f"{label:<30} {response.status_code:>4} {statistics.median(timings) * 1000:8.1f} ms "
            f"{max(timings) * 1000:7.1f} ms {len(queries.captured_queries):>8}",
            flush=True,
        )
    exports = [
        ("export accounts CSV", "/finans/hesaplar/disa-aktar.csv"),
        ("export accounts XLSX", "/finans/hesaplar/disa-aktar.xlsx"),
        ("export balances CSV", "/finans/kontor-bakiyeleri/disa-aktar.csv"),
        ("export top customers CSV", f"/finans/en-cok-gonderenler/disa-aktar.csv?start={year_ago}&end={last}"),
        ("export statements XLSX, 3 months", f"/finans/faturalar/disa-aktar.xlsx?start={quarter}&end={last}"),
        ("export statements XLSX, 12 months", "/finans/faturalar/disa-aktar.xlsx"),
    ]
    import resource

    for label, url in exports:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            size = sum(len(chunk) for chunk in response.streaming_content) if response.streaming else 0
            elapsed = time.perf_counter() - started
        if response.status_code == 302:
            print(f"{label:<30} {response.status_code:>4} {elapsed:8.1f} s  refused: more rows than an XLSX takes")
            continue
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{label:<30} {response.status_code:>4} {elapsed:8.1f} s  {size / 1e6:6.1f} MB "
            f"{len(queries.captured_queries):>4} queries, peak RSS so far {peak:.0f} MB",
            flush=True,
        )


if __name__ == "__main__":
    main()
