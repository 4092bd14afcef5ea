"""The outbox through a real Celery worker and the machine's Redis, as in production."""

import contextlib
import os
import shutil
import subprocess
import threading
import time
from datetime import timedelta

import pytest
from celery.signals import before_task_publish, task_prerun
from django.core import mail
from django.db import transaction
from django.utils import timezone

from config.celery import app
from outbox import services, tasks
from outbox.models import OutboxEmail
from outbox.tests.smtp_server import closed_port

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CONTEXT = {
    "full_name": "Ayşe Yılmaz",
    "reference": "TS-TEST-0001",
    "legal_name": "Şişli Belediyesi",
    "status_url": "http://127.0.0.1:8000/basvuru/TS-TEST-0001/",
    "cargo_address": "Pendik – İstanbul",
}


def use_broker(url: str) -> None:
    """Point the app at another broker; the publishing pools were made for the old one."""
    app.conf.update(broker_url=url)
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def worker_on(url: str):
    """A solo-pool worker on the broker at `url`, in this process (its e-mail lands in the same locmem outbox)."""
    from celery.contrib.testing.worker import start_worker

    previous = {key: app.conf[key] for key in ("broker_url", "task_always_eager", "result_backend")}
    app.conf.update(task_always_eager=False, result_backend=None)
    use_broker(url)
    services.reset_broker_pause()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.update(previous)
        use_broker(previous["broker_url"])
        services.reset_broker_pause()


@pytest.fixture
def redis_worker():
    with worker_on(os.environ["REDIS_URL"]):
        yield


def wait_for(condition, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)


def test_an_e_mail_queued_in_a_transaction_is_sent_by_the_worker_after_commit_and_the_broker_sees_only_its_id(
    redis_worker,
):
    published: list[dict] = []
    ran_in: list[str] = []

    def capture(body=None, **kwargs):
        published.append(body)

    def record(**kwargs):
        ran_in.append(threading.current_thread().name)

    before_task_publish.connect(capture, weak=False)
    task_prerun.connect(record, weak=False)
    try:
        with transaction.atomic():
            email = services.queue_email(
                to=["ayse@ornek-belediye.test"], template="application_submitted", context=CONTEXT, language="tr"
            )
            assert mail.outbox == []  # nothing before the commit
        wait_for(lambda: mail.outbox)
    finally:
        before_task_publish.disconnect(capture)
        task_prerun.disconnect(record)

    assert len(mail.outbox) == 1
    # Sent by the worker's thread after a trip through Redis, not run eagerly in the caller.
    assert ran_in and ran_in[0] != threading.current_thread().name
    assert mail.outbox[0].subject == "Başvurunuz alındı: TS-TEST-0001"
    assert "Şişli Belediyesi" in mail.outbox[0].body
    # No personal data travels through the broker: the task's arguments are the row's id and nothing else.
    [(args, kwargs, _embed)] = published
    assert (list(args), kwargs) == ([email.pk], {})
    assert "ayse@" not in repr(published) and "Şişli" not in repr(published)
    wait_for(lambda: OutboxEmail.objects.get(pk=email.pk).state == "sent")
    assert OutboxEmail.objects.get(pk=email.pk).state == "sent"


def test_nothing_is_recorded_or_sent_for_a_transaction_that_rolls_back(redis_worker):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.queue_email(to=["x@ornek.test"], template="application_activated", context={}, language="tr")
        raise RuntimeError("rolled back")

    time.sleep(1.5)
    assert mail.outbox == []
    assert not OutboxEmail.objects.exists()


@pytest.fixture
def private_redis_port():
    """A port for a Redis server of this test's own, which it starts and stops (the shared one stays up)."""
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server on PATH")
    port = closed_port()
    servers = []

    def start() -> None:
        servers.append(
            subprocess.Popen(
                ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                stdout=subprocess.DEVNULL,
            )
        )
        wait_for(lambda: _answers(port), seconds=10)

    yield port, start
    for server in servers:
        server.terminate()
        server.wait(timeout=10)


def _answers(port: int) -> bool:
    import redis

    try:
        return redis.Redis(port=port, socket_connect_timeout=0.2).ping()
    except redis.exceptions.ConnectionError:
        return False


def test_mail_queued_while_redis_is_down_waits_in_the_database_and_is_sent_once_redis_is_back(private_redis_port):
    port, start_redis = private_redis_port
    url = f"redis://127.0.0.1:{port}/0"
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    use_broker(url)
    services.reset_broker_pause()
    try:
        # 1. Redis is down when the transaction commits: the commit stands and the message waits in the database.
        with transaction.atomic():
            email = services.queue_email(
                to=["ayse@ornek-belediye.test"], template="application_submitted", context=CONTEXT, language="tr"
            )
        assert OutboxEmail.objects.get(pk=email.pk).state == "pending"
        assert mail.outbox == []
    finally:
        app.conf.task_always_eager = previous

    # 2. Redis is back and a worker runs; beat's next tick runs the sweep on the worker, which sends what waited.
    start_redis()
    OutboxEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    with worker_on(url):
        tasks.send_due_emails.delay()
        wait_for(lambda: mail.outbox)

    assert [message.to for message in mail.outbox] == [["ayse@ornek-belediye.test"]]
    assert OutboxEmail.objects.get(pk=email.pk).state == "sent"
