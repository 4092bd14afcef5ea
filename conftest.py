"""Personas and environment markers shared by every app's tests."""

import os
import shutil
import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from accounts import roles
from accounts.models import User

PASSWORD = "Dogru-Parola-2026"


def pytest_collection_modifyitems(config, items):
    # Tests that depend on PostgreSQL, Redis or S3 behaviour skip, with the reason, where those are not configured.
    on_postgres = connection.vendor == "postgresql"
    has_redis = bool(os.environ.get("REDIS_URL"))
    has_s3 = bool(os.environ.get("AWS_S3_ENDPOINT_URL"))
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL (CI does)"))
        if "redis" in item.keywords and not has_redis:
            item.add_marker(pytest.mark.skip(reason="needs Redis: set REDIS_URL (CI does)"))
        if "s3" in item.keywords and not has_s3:
            item.add_marker(
                pytest.mark.skip(reason="needs an S3-compatible server: set AWS_S3_ENDPOINT_URL (CI starts moto)")
            )


def run_at_once(*steps, timeout: float = 60) -> list:
    """Run each step in a thread of its own, all released together; what each returned, or the exception it raised.

    For races on PostgreSQL (tests marked `postgres` with `transaction=True`): each thread closes its database
    connection when its step ends, so none outlives the test.
    """
    from django.db import connection

    barrier = threading.Barrier(len(steps))
    results: list = [None] * len(steps)

    def run(index: int, step) -> None:
        try:
            barrier.wait()
            results[index] = step()
        except Exception as error:  # the caller decides which exceptions are refusals and which are failures
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, step)) for index, step in enumerate(steps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results


def _user(email: str, *, role: str | None = None, is_staff: bool = False, **extra) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, is_staff=is_staff, **extra)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def applicant(db) -> User:
    return _user(
        "ayse@ornek-belediye.test", role=roles.APPLICANTS, full_name="Ayşe Yılmaz", email_confirmed_at=timezone.now()
    )


@pytest.fixture
def unconfirmed_applicant(db) -> User:
    return _user("yeni@ornek-koy.test", role=roles.APPLICANTS, full_name="Yeni Başvuran")


@pytest.fixture
def other_applicant(db) -> User:
    return _user(
        "ikinci@baska-kurum.test",
        role=roles.APPLICANTS,
        full_name="İkinci Başvuran",
        email_confirmed_at=timezone.now(),
    )


@pytest.fixture
def reviewer(db) -> User:
    return _user("inceleme@portal.test", role=roles.REVIEWERS, is_staff=True, full_name="Mehmet Işık")


@pytest.fixture
def finance(db) -> User:
    return _user("muhasebe@portal.test", role=roles.FINANCE, is_staff=True, full_name="Zeynep Çağlar")


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser(email="yonetici@portal.test", password=PASSWORD, full_name="Yönetici")


@pytest.fixture
def pdf_renders(monkeypatch) -> list[str]:
    """Every WeasyPrint rendering from here on, from any thread, counted (the thread's name each) and done for real.

    The costly step of a generated PDF is `HTML.write_pdf`; tests of onboarding.pdf_store count it.
    """
    from weasyprint import HTML

    original = HTML.write_pdf
    calls: list[str] = []
    lock = threading.Lock()

    def counted(self, *args, **kwargs):
        with lock:
            calls.append(threading.current_thread().name)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "write_pdf", counted)
    return calls


# --- Browser tests: Debian's chromium driven by Playwright (never `playwright install`, which downloads) ----------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def close_connections_opened_under_playwright() -> None:
    """Close the database connections the test body opened while Playwright's sync API was running.

    Playwright runs the test body in a greenlet; Django's per-thread connection storage then hands it a connection of
    its own, which nothing else closes (PostgreSQL then refuses to drop the test database at the end of the run).
    """
    from django.db import connections

    connections.close_all()


@pytest.fixture
def browser():
    """A headless Chromium for one test; skipped, with the reason, where Debian's chromium is not installed."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("needs Debian's chromium (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the test's ORM calls are ordinary synchronous ones.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
        close_connections_opened_under_playwright()
