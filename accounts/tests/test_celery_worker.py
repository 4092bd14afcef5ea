"""E-mail through a real Celery worker and the machine's Redis, as in production: queued after commit, sent once."""

import os
import threading

import pytest
from django.core import mail
from django.db import transaction

from accounts.emails import queue_email
from config.celery import app


@pytest.fixture
def redis_worker():
    """A solo-pool worker on Redis in this process (its e-mail lands in the same locmem outbox)."""
    from celery.contrib.testing.worker import start_worker

    previous = {key: app.conf[key] for key in ("broker_url", "task_always_eager", "result_backend")}
    app.conf.update(broker_url=os.environ["REDIS_URL"], task_always_eager=False, result_backend=None)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.update(previous)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_e_mail_queued_in_a_transaction_is_sent_by_the_worker_after_commit(redis_worker):
    import time

    from celery.signals import task_prerun

    ran_in: list[str] = []

    def record(**kwargs):
        ran_in.append(threading.current_thread().name)

    task_prerun.connect(record, weak=False)
    with transaction.atomic():
        queue_email(
            to=["ayse@ornek-belediye.test"],
            template="application_submitted",
            context={
                "full_name": "Ayşe Yılmaz",
                "reference": "TS-TEST-0001",
                "legal_name": "Şişli Belediyesi",
                "status_url": "http://127.0.0.1:8000/basvuru/TS-TEST-0001/",
                "cargo_address": "Pendik – İstanbul",
            },
            language="tr",
        )
        assert mail.outbox == []  # nothing before the commit

    deadline = time.monotonic() + 20
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)

    task_prerun.disconnect(record)
    assert len(mail.outbox) == 1
    # Sent by the worker's thread after a trip through Redis, not run eagerly in the caller.
    assert ran_in and ran_in[0] != threading.current_thread().name
    assert mail.outbox[0].subject == "Başvurunuz alındı: TS-TEST-0001"
    assert "Şişli Belediyesi" in mail.outbox[0].body


@pytest.mark.redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_nothing_is_sent_for_a_transaction_that_rolls_back(redis_worker):
    import time

    with pytest.raises(RuntimeError), transaction.atomic():
        queue_email(to=["x@ornek.test"], template="application_activated", context={}, language="tr")
        raise RuntimeError("rolled back")

    time.sleep(1.5)
    assert mail.outbox == []
