"""Benchmark: the authorisation letter's PDF, one request cold and warm, and sixteen at once, on PostgreSQL.

Creates (or reuses) a scratch database and an application, then times the letter's download through the test
client: the first request for a content version (cold), the following ones (warm), and sixteen threads asking for
one letter at the same moment, first for a version never asked for, then again once it is stored.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \
        .venv/bin/python benchmarks/letter_pdf.py [--rounds 5]
"""

import argparse
import os
import statistics
import sys
import tempfile
import threading
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
# The stored PDFs go to a scratch folder, never to a real store.
os.environ.setdefault("PRIVATE_FILES_DIR", tempfile.mkdtemp(prefix="portal-bench-pdf-"))

THREADS = 16


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database.")

    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from accounts import roles
    from accounts.models import User
    from onboarding.models import Application
    from onboarding.tests.helpers import draft_with_answers

    call_command("migrate", verbosity=0)
    applicant, created = User.objects.get_or_create(
        email="bench-letter@ornek.test", defaults={"full_name": "Ayşe Yılmaz", "email_confirmed_at": timezone.now()}
    )
    if created:
        applicant.groups.add(Group.objects.get(name=roles.APPLICANTS))
    application = draft_with_answers(applicant)
    url = f"/basvuru/{application.reference}/yetki-yazisi.pdf"

    def new_version(label: str) -> None:
        # A content version nobody asked for yet: the next request is cold.
        Application.objects.filter(pk=application.pk).update(legal_name=f"Şişli Belediyesi {label} {time.time_ns()}")

    client = Client()
    client.force_login(applicant)
    cold, warm = [], []
    for round_number in range(args.rounds):
        new_version(f"tur {round_number}")
        for timings in (cold, warm, warm):
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
    print(f"one request, cold   median {statistics.median(cold) * 1000:7.1f} ms  ({len(cold)} runs)")
    print(f"one request, warm   median {statistics.median(warm) * 1000:7.1f} ms  ({len(warm)} runs)")

    clients = []
    for _ in range(THREADS):
        tab = Client()
        tab.force_login(applicant)
        clients.append(tab)

    def at_once() -> tuple[float, list[float], int]:
        barrier = threading.Barrier(THREADS)
        latencies: list[float] = [0.0] * THREADS
        bodies: list[bytes] = [b""] * THREADS

        def run(index: int) -> None:
            try:
                barrier.wait()
                started = time.perf_counter()
                response = clients[index].get(url)
                latencies[index] = time.perf_counter() - started
                bodies[index] = response.content
            finally:
                connection.close()

        threads = [threading.Thread(target=run, args=(index,)) for index in range(THREADS)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - started, latencies, len(set(bodies))

    new_version("eşzamanlı")
    for label in ("cold", "warm"):
        wall, latencies, distinct = at_once()
        print(
            f"{THREADS} at once, {label:<4}  wall {wall * 1000:7.1f} ms  median request "
            f"{statistics.median(latencies) * 1000:7.1f} ms  distinct bodies {distinct}"
        )


if __name__ == "__main__":
    main()
