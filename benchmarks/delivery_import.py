"""Benchmark: importing an operator delivery report of 1,000,000 rows on PostgreSQL, its time and peak memory.

Uses a scratch database (every table is migrated into it; the accounts and the ledger stay there): create an empty
one for each run so the numbers are those of a first import.

    psql -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS portal_bench" -c "CREATE DATABASE portal_bench"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python benchmarks/delivery_import.py \
        [-n 1000000] [--accounts 50]

Steps, each timed, with the process's peak resident memory (ru_maxrss) after it:
1. write the file (streamed; about 5 % of the rows pending);
2. import it (all new: records, monthly usage, one debit per prepaid account);
3. import it again (nothing new: every row unchanged);
4. import the operator's later report, the same rows with the pending ones settled (status updates: usage moved,
   refunds for the undelivered).
Peak memory that does not grow with -n is the claim: compare -n 100000 and -n 1000000 (separate processes).
"""

import argparse
import csv
import datetime
import os
import resource
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
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("PRIVATE_FILES_DIR", tempfile.gettempdir())


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=1_000_000, help="rows in the file")
    parser.add_argument("--accounts", type=int, default=50, help="accounts the rows are spread over (half prepaid)")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database.")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, reset_queries

    from billing import ledger
    from billing.deliveries import import_delivery_report
    from billing.models import DeliveryRecord, LedgerEntry, UsageMonth

    settings.DEBUG = False  # no query log: it would hold every query of the run in memory
    call_command("migrate", verbosity=0)
    accounts = make_accounts(args.accounts)
    for account in accounts:
        if account.plan == "prepaid":
            ledger.credit(account, key=f"bench-purchase:{account.pk}", credits=100_000_000)
    reset_queries()
    print(f"PostgreSQL {connection.pg_version}, {args.n:,} rows over {len(accounts)} accounts")
    print(f"start: peak RSS {rss_mb():.0f} MB")

    workdir = Path(tempfile.mkdtemp(prefix="delivery-bench-"))
    first, settled = workdir / "rapor.csv", workdir / "rapor-sonra.csv"
    started = time.monotonic()
    write_file(first, accounts, args.n, settle=False)
    write_file(settled, accounts, args.n, settle=True)
    size = first.stat().st_size / 1e6
    print(f"write 2 files of {size:.0f} MB: {time.monotonic() - started:.1f} s, peak RSS {rss_mb():.0f} MB")

    for label, path in (("first import", first), ("same file again", first), ("settled report", settled)):
        result = import_delivery_report(path)
        assert result.ok, (result.errors[:5], result.refusals)
        print(
            f"{label}: {result.seconds:.1f} s ({result.rows / result.seconds:,.0f} rows/s), "
            f"created {result.created:,}, updated {result.updated:,}, unchanged {result.unchanged:,}; "
            f"peak RSS {rss_mb():.0f} MB"
        )
        print("    phases: " + ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in result.phases.items()))
    print(
        f"records {DeliveryRecord.objects.count():,}, usage months {UsageMonth.objects.count()}, "
        f"ledger entries {LedgerEntry.objects.filter(kind__in=['usage', 'refund']).count()}, "
        f"ledger consistent: {all(ledger.verify(a).ok for a in accounts if a.plan == 'prepaid')}"
    )
    for path in (first, settled):
        path.unlink()
    workdir.rmdir()


def make_accounts(count: int) -> list:
    """`count` activated applications with their billing accounts (half prepaid), reused by a second run."""
    from django.utils import timezone

    from accounts.models import User
    from billing.accounts import open_account
    from billing.models import BillingAccount, BillingType
    from onboarding.models import Application

    owner, _ = User.objects.get_or_create(
        email="bench-customer@portal.test", defaults={"email_confirmed_at": timezone.now()}
    )
    types = {code: BillingType.objects.get(code=code) for code in ("prepaid", "invoiced")}
    accounts = list(BillingAccount.objects.filter(owner=owner).order_by("id"))
    for number in range(len(accounts), count):
        application = Application.objects.create(
            applicant=owner,
            status=Application.Status.ACTIVE,
            legal_name=f"Kurum {number}",
            tax_number="4540536920",
            tax_number_kind="vkn",
            address="Halaskargazi Cad. No: 1",
            province="34",
            district="Şişli",
            email=f"fatura{number}@kurum.test",
            billing_type=types["prepaid" if number % 2 else "invoiced"],
        )
        accounts.append(open_account(application))
    return accounts[:count]


def write_file(path: Path, accounts: list, rows: int, *, settle: bool) -> None:
    """`rows` rows over the accounts and October 2026 (Istanbul), streamed; the same rows with `settle`, the pending
    ones delivered (four in five) or undelivered."""
    first = datetime.datetime(2026, 10, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=3)))
    codes = [account.code for account in accounts]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["message_id", "part", "account", "recipient", "sent_at", "status", "parts"])
        for n in range(rows):
            kind = n % 100
            if kind < 5:
                status = ("undelivered" if kind < 2 else "delivered") if settle else "pending"
            elif kind < 9:
                status = "undelivered"
            elif kind < 11:
                status = "expired"
            else:
                status = "delivered"
            moment = first + datetime.timedelta(seconds=(n * 2_591) % 2_678_400)
            writer.writerow(
                [
                    f"bench-{n:09d}",
                    1,
                    codes[n % len(codes)],
                    f"90532{n % 10_000_000:07d}",
                    moment.isoformat(),
                    status,
                    1 + n % 3,
                ]
            )


if __name__ == "__main__":
    main()
