"""Benchmark: the reviewers' queue at 100,000 applications on PostgreSQL.

Creates a scratch database, bulk-loads N submitted applications (default 100,000) with documents, then times the
admin queue page (unfiltered, filtered, searched) as a reviewer and counts its queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \
        .venv/bin/python benchmarks/admin_queue.py [-n 100000]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("SMTP_HOST", "127.0.0.1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# Plain static files storage: the benchmark measures the queue, not a collectstatic manifest.
os.environ.setdefault("DEBUG", "true")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=100_000)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database.")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import User
    from onboarding.models import Application, InstitutionType

    call_command("migrate", verbosity=0)
    if Application.objects.count() < args.n:
        seed(args.n - Application.objects.count())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    reviewer, _ = User.objects.get_or_create(
        email="bench-reviewer@portal.test", defaults={"is_staff": True, "email_confirmed_at": timezone.now()}
    )
    from django.contrib.auth.models import Group

    reviewer.groups.add(Group.objects.get(name="Reviewers"))
    client = Client()
    client.force_login(reviewer)
    first = Application.objects.order_by("pk").first()
    municipality = InstitutionType.objects.get(code="municipality")
    for label, url in [
        ("queue, unfiltered", "/admin/onboarding/application/"),
        ("queue, page 50", "/admin/onboarding/application/?p=50"),
        ("filtered by status", "/admin/onboarding/application/?status__exact=in_review"),
        ("filtered by type", f"/admin/onboarding/application/?institution_type__id__exact={municipality.pk}"),
        ("past due, queue", "/admin/onboarding/application/?sure=gecmis"),
        ("past due, all", "/admin/onboarding/application/?sure=gecmis&status__exact=tumu"),
        ("past due first", "/admin/onboarding/application/?o=8"),
        ("search by reference", f"/admin/onboarding/application/?q={first.reference}"),
        ("search by VKN", "/admin/onboarding/application/?q=4540536920"),
        ("application page", f"/admin/onboarding/application/{first.pk}/change/"),
    ]:
        timings = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url, follow=False)
                timings.append(time.perf_counter() - started)
        print(
            f"{label:<22} HTTP {response.status_code}  median {statistics.median(timings) * 1000:7.1f} ms  "
            f"{len(queries.captured_queries):3d} queries"
        )


def seed(count: int) -> None:
    """Submitted applications with one live document each, inserted in bulk (no services: this is load data)."""
    import random

    from django.utils import timezone

    from accounts.models import User
    from documents.models import Document
    from onboarding.models import Application, InstitutionType, Requirement

    types = list(InstitutionType.objects.all())
    requirements = {t.pk: list(Requirement.objects.filter(institution_type=t)) for t in types}
    statuses = ["submitted", "in_review", "changes_requested", "awaiting_originals", "approved", "active"]
    now = timezone.now()
    batch = 5_000
    made = 0
    while made < count:
        size = min(batch, count - made)
        users = User.objects.bulk_create(
            User(email=f"bench-{made + i}@ornek.test", full_name=f"Başvuran {made + i}") for i in range(size)
        )
        apps = []
        for i, user in enumerate(users):
            institution_type = random.choice(types)
            apps.append(
                Application(
                    applicant=user,
                    status=random.choice(statuses),
                    institution_type=institution_type,
                    legal_name=f"Örnek Kurum {made + i} Şişli Ltd. Şti.",
                    tax_number=f"{1000000000 + made + i}",
                    tax_number_kind="vkn",
                    province=f"{random.randint(1, 81):02d}",
                    submitted_at=now - timezone.timedelta(minutes=made + i),
                )
            )
        apps = Application.objects.bulk_create(apps)
        Document.objects.bulk_create(
            Document(application=a, requirement=requirements[a.institution_type_id][0]) for a in apps
        )
        made += size
        print(f"seeded {made}/{count}", flush=True)


if __name__ == "__main__":
    main()
