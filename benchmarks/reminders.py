"""Benchmark: one reminder sweep over 10,000 and 100,000 applications on PostgreSQL, then a second sweep right after.

For each size it creates a scratch database next to the one DATABASE_URL names (`<name>_<size>`, dropped first),
migrates it, builds the deterministic data set (`manage.py build_reminder_dataset`), and in a fresh process runs
`reminders.services.send_reminders(now=…)` twice, printing for each sweep the time, the number of queries, the peak
memory of the process during the sweep, and what was recorded and queued. The second sweep must record nothing.

Tasks are published to Celery's in-memory transport (one publish per queued e-mail, as on Redis, without a server);
nothing is sent: sending is the outbox's work, measured by its own tests.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \
        .venv/bin/python benchmarks/reminders.py [--sizes 10000 100000] [--seed 8]
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-03-02T10:00:00+03:00"  # a Monday morning in Istanbul: outside quiet hours


def environment(database_url: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CELERY_BROKER_URL": "memory://localhost/",
        "PRIVATE_FILES_DIR": os.environ.get("PRIVATE_FILES_DIR", "/tmp/portal-bench-files"),
    }
    env.setdefault("SECRET_KEY", "benchmark-only-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ")
    env.setdefault("SMTP_HOST", "127.0.0.1")
    env.setdefault("ALLOWED_HOSTS", "portal.example.com")
    env.pop("REDIS_URL", None)
    Path(env["PRIVATE_FILES_DIR"]).mkdir(parents=True, exist_ok=True)
    return env


def recreate(database_url: str) -> None:
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def orchestrate(sizes: list[int], seed: int) -> None:
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database; scratch databases are made beside it.")
    parts = urlsplit(base)
    for size in sizes:
        url = urlunsplit(parts._replace(path=f"{parts.path}_{size}"))
        recreate(url)
        env = environment(url)
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
        started = time.perf_counter()
        subprocess.run(
            [*manage, "build_reminder_dataset", f"--applications={size}", f"--seed={seed}", f"--now={NOW}"],
            env=env,
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        print(f"\n{size:,} applications: data set built in {time.perf_counter() - started:.1f} s", flush=True)
        subprocess.run([sys.executable, __file__, "--measure"], env=env, check=True, cwd=ROOT)


def peak_kib() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


def reset_peak() -> None:
    """Linux: make VmHWM (the peak resident size) start again from the current size."""
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")


def measure() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.utils.dateparse import parse_datetime

    from onboarding import due
    from onboarding.models import Application
    from outbox.models import OutboxEmail
    from reminders.models import Reminder
    from reminders.services import send_reminders

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    now = parse_datetime(NOW)
    open_count = Application.objects.filter(status__in=due.OPEN_FOR_APPLICANT).count()
    print(f"  open applications {open_count:,} of {Application.objects.count():,}")

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    for label in ("first sweep", "second sweep"):
        queries = 0
        reset_peak()
        before = peak_kib()
        with connection.execute_wrapper(count):
            started = time.perf_counter()
            result = send_reminders(now=now)
            elapsed = time.perf_counter() - started
        print(
            f"  {label:<13} {elapsed:6.2f} s  {queries:5d} queries  peak RSS {peak_kib() / 1024:6.0f} MiB "
            f"(+{(peak_kib() - before) / 1024:.0f})  reminders {result.reminders:,}  e-mails {result.emails:,}",
            flush=True,
        )
    print(f"  rows: {Reminder.objects.count():,} reminders, {OutboxEmail.objects.count():,} outbox e-mails")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.measure:
        measure()
    else:
        orchestrate(arguments.sizes, arguments.seed)
