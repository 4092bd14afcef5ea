"""Reminders through a real Redis and real Celery workers: once, never twice, not lost when a worker or Redis dies.

The in-process worker (celery.contrib.testing) shares this process's locmem mailbox; the worker that is killed runs
in a process of its own, with the production settings module, the test database and a private Redis, and sends to a
local SMTP server that holds the message at a point the test chooses.
"""

import os
import shutil
import signal
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from celery.signals import task_postrun
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from config.celery import app
from onboarding.models import Application
from onboarding.tests.helpers import draft_with_answers
from outbox import delivery
from outbox import services as outbox_services
from outbox import tasks as outbox_tasks
from outbox.models import OutboxEmail
from outbox.tests.smtp_server import SmtpServer, closed_port
from outbox.tests.test_worker import _answers, use_broker, wait_for, worker_on
from reminders import services, tasks
from reminders.models import Reminder

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def daytime(settings):
    """The tasks take no `now`: with no quiet hours the test behaves the same at any hour of the real clock."""
    settings.PORTAL_REMINDER_QUIET_HOURS = (0, 0)


def due_draft(person) -> Application:
    """A draft started two days ago: its first reminder is due now (and nothing else is, for this person)."""
    application = draft_with_answers(person)
    Application.objects.filter(pk=application.pk).update(created_at=timezone.now() - timedelta(days=2))
    return application


class Finished:
    """Counts the tasks the worker has finished, by name."""

    def __init__(self):
        self.names: list[str] = []

    def __call__(self, sender=None, **kwargs):
        self.names.append(sender.name)

    def count(self, task) -> int:
        return self.names.count(task.name)


@pytest.fixture
def finished():
    counter = Finished()
    task_postrun.connect(counter, weak=False)
    yield counter
    task_postrun.disconnect(counter)


@pytest.fixture
def redis_worker():
    with worker_on(os.environ["REDIS_URL"]):
        yield


def test_a_due_reminder_goes_through_redis_and_the_worker_and_arrives_once(applicant, redis_worker, finished):
    application = due_draft(applicant)

    tasks.send_reminders.delay()
    wait_for(lambda: finished.count(outbox_tasks.send_email) == 1)

    assert [message.to for message in mail.outbox] == [[applicant.email]]
    assert application.reference in mail.outbox[0].body
    [reminder] = Reminder.objects.all()
    assert (reminder.recipient, reminder.kind, reminder.step) == (applicant, "draft", 1)
    assert reminder.application == application
    assert OutboxEmail.objects.get().state == "sent"
    assert reminder.email == OutboxEmail.objects.get()


def test_the_same_task_delivered_twice_sends_one_e_mail(applicant, other_applicant, redis_worker, finished):
    due_draft(applicant)
    due_draft(other_applicant)

    # The same message twice (one task id), as a redelivery after a lost acknowledgement does, and a third beat tick.
    task_id = str(uuid.uuid4())
    tasks.send_reminders.apply_async(task_id=task_id)
    tasks.send_reminders.apply_async(task_id=task_id)
    tasks.send_reminders.delay()
    # Both digests come from one chunk of the first sweep, so one task sends them.
    wait_for(lambda: finished.count(tasks.send_reminders) == 3 and finished.count(outbox_tasks.send_emails) == 1)

    assert finished.count(tasks.send_reminders) == 3
    assert sorted(message.to[0] for message in mail.outbox) == sorted([applicant.email, other_applicant.email])
    assert Reminder.objects.count() == 2
    assert OutboxEmail.objects.filter(state="sent").count() == OutboxEmail.objects.count() == 2


# --- A worker killed mid-delivery, and the broker stopped mid-sweep -------------------------------------------------


@pytest.fixture
def private_redis():
    """A Redis server of this test's own on a free port, which the test starts and stops (the shared one stays up)."""
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server on PATH")
    port = closed_port()
    servers: list[subprocess.Popen] = []

    def start() -> None:
        servers.append(
            subprocess.Popen(
                ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                stdout=subprocess.DEVNULL,
            )
        )
        wait_for(lambda: _answers(port), seconds=10)
        assert _answers(port), "redis-server did not start"

    def stop() -> None:
        servers[-1].terminate()
        servers[-1].wait(timeout=10)

    yield f"redis://127.0.0.1:{port}/0", start, stop
    for server in servers:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=10)


def test_database_url() -> str:
    """The database this test runs on, for a worker in another process (transaction=True tests commit their data)."""
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
    return f"postgres://{user}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"


test_database_url.__test__ = False  # a helper, not a test


def start_worker_process(broker_url: str, smtp_port: int, log: Path, files: Path) -> subprocess.Popen:
    """`celery -A config worker --pool solo` with the production settings module, sending to this test's SMTP."""
    # Files in a folder of the test's own: a bucket of the environment (CI's S3 server) is not this worker's.
    inherited = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": broker_url,
        "CELERY_BROKER_URL": broker_url,
        "PRIVATE_FILES_DIR": str(files),
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
        "SMTP_USE_TLS": "false",
        "SMTP_TIMEOUT": "60",
        # No quiet hours, as in this process (see the `daytime` fixture).
        "PORTAL_QUIET_FROM_HOUR": "0",
        "PORTAL_QUIET_UNTIL_HOUR": "0",
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--loglevel", "INFO"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--hostname", f"w{uuid.uuid4()}@%h"]
    with open(log, "wb") as output:
        return subprocess.Popen(command, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)


def text_of(message) -> str:
    part = next(part for part in message.walk() if part.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")


@pytest.fixture
def publishing_to():
    """Publish this process's tasks to another broker (not run eagerly), and restore the test settings afterwards."""
    previous = (app.conf.broker_url, app.conf.task_always_eager)

    def to(url: str) -> None:
        app.conf.task_always_eager = False
        use_broker(url)
        outbox_services.reset_broker_pause()

    yield to
    app.conf.task_always_eager = previous[1]
    use_broker(previous[0])
    outbox_services.reset_broker_pause()


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("held_at", "handed_over", "final_state"),
    [
        # Killed while the SMTP server had not even greeted it: the message was never handed over, so the outbox
        # sweep sends it once the dead worker's lease has run out.
        ("stall", False, "sent"),
        # Killed after the server received the message, before its answer: "uncertain", not sent again (a second copy
        # is worse than a delay staff can see), and the one copy the server has is the one e-mail.
        ("hang", True, "uncertain"),
    ],
)
def test_a_worker_killed_mid_delivery_leads_to_exactly_one_e_mail(
    applicant, private_redis, publishing_to, settings, tmp_path, held_at, handed_over, final_state
):
    url, start_redis, _stop = private_redis
    start_redis()
    application = due_draft(applicant)

    with SmtpServer(held_at) as smtp:
        worker = start_worker_process(url, smtp.port, tmp_path / "worker.log", tmp_path)
        try:
            # 1. The sweep runs on the worker in the other process; its e-mail is held at the SMTP server.
            publishing_to(url)
            tasks.send_reminders.delay()
            wait_for(lambda: smtp.received if held_at == "hang" else smtp.connections, seconds=60)
            assert smtp.received if held_at == "hang" else smtp.connections, (tmp_path / "worker.log").read_text()
            # 2. SIGKILL: no clean-up, no acknowledgement, the connection to the SMTP server simply drops.
            os.kill(worker.pid, signal.SIGKILL)
            assert worker.wait(timeout=10) == -signal.SIGKILL
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait(timeout=10)

        email = OutboxEmail.objects.get()
        assert email.state == "sending" and (email.handed_over_at is not None) == handed_over
        assert Reminder.objects.get().email == email

        # 3. The next outbox sweep, once the dead worker's lease has run out, and the next reminder sweep.
        smtp.behaviour = "accept"
        smtp.release()
        settings.MAILERS = smtp.mailers()
        settings.OUTBOX_SENDING_LEASE_SECONDS = 0
        delivery.send_due_emails(include_fresh=True)
        again = services.send_reminders()
        delivery.send_due_emails(include_fresh=True)

        assert [message["To"] for message in smtp.received] == [applicant.email]
        assert application.reference in text_of(smtp.received[0])
    assert (again.reminders, again.emails) == (0, 0)
    assert OutboxEmail.objects.get().state == final_state
    assert Reminder.objects.count() == 1


def test_the_broker_stopped_during_a_sweep_loses_nothing_and_doubles_nothing(
    applicant, other_applicant, private_redis, publishing_to, finished
):
    url, start_redis, stop_redis = private_redis
    start_redis()
    due_draft(applicant)
    due_draft(other_applicant)
    publishing_to(url)

    # 1. The sweep records the reminders and queues the digests; Redis stops before the commit publishes them.
    with transaction.atomic():
        first = services.send_reminders()
        stop_redis()
    assert (first.reminders, first.emails) == (2, 2)
    assert list(OutboxEmail.objects.values_list("state", flat=True)) == ["pending", "pending"]
    assert mail.outbox == []

    # 2. Nothing doubled: the next sweep, broker still down, records nothing.
    assert services.send_reminders().reminders == 0

    # 3. Redis is back (empty: what was never published is not in it); beat's next outbox sweep sends what waited.
    start_redis()
    OutboxEmail.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    with worker_on(url):
        outbox_tasks.send_due_emails.delay()
        tasks.send_reminders.delay()
        wait_for(lambda: finished.count(outbox_tasks.send_due_emails) == 1 and finished.count(tasks.send_reminders))

    assert sorted(message.to[0] for message in mail.outbox) == sorted([applicant.email, other_applicant.email])
    assert OutboxEmail.objects.filter(state="sent").count() == OutboxEmail.objects.count() == 2
    assert Reminder.objects.count() == 2
