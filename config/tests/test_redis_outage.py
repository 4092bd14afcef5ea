"""Redis down: the portal keeps working on PostgreSQL alone, a little slower, and its e-mail waits in the outbox.

Redis is unreachable here the way an outage looks to the portal — a connection refused at its address — with the
production settings' cache and session configuration, and Celery publishing for real (not eagerly) to that address.
"""

import socketserver
import threading
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from accounts.models import User
from accounts.tests.helpers import link_path, registration
from config import cache as resilient_cache
from config.celery import app
from onboarding.models import Application
from onboarding.services import checklist
from onboarding.tests.helpers import draft_with_answers, pdf_upload
from outbox import delivery, services
from outbox.models import OutboxEmail
from outbox.tests.smtp_server import SilentServer, closed_port

pytestmark = [pytest.mark.redis, pytest.mark.django_db]


@pytest.fixture
def redis_down(settings):
    """The production cache configuration (REDIS_URL is set), pointed at an address where Redis does not answer."""
    dead = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CACHES = {"default": {**django_settings.CACHES["default"], "LOCATION": dead}}
    previous = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=dead, task_always_eager=False)
    app._pool = None
    app.amqp._producer_pool = None
    resilient_cache.resume()
    services.reset_broker_pause()
    yield
    app.conf.update(previous)
    app._pool = None
    app.amqp._producer_pool = None
    resilient_cache.resume()
    services.reset_broker_pause()


def test_while_redis_is_down_an_applicant_registers_logs_in_uploads_and_submits_and_no_mail_is_lost(
    client, redis_down, django_capture_on_commit_callbacks
):
    # 1. Registration: the account and its confirmation e-mail are both recorded, and the new session works.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/hesap/kayit/", registration(), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [("/hesap/kayit/e-posta/", 302)]
    user = User.objects.get(email="mehmet@ornek-kurum.test")
    assert client.session[SESSION_KEY] == str(user.pk)
    confirmation = OutboxEmail.objects.get(template="confirm_email")
    assert confirmation.state == "pending"

    # 2. The link in the waiting e-mail confirms the address; log out and in again.
    assert client.get(link_path(confirmation.context["confirm_url"], "/hesap/dogrulama/")).status_code in (200, 302)
    user.refresh_from_db()
    assert user.email_confirmed_at is not None
    client.post("/hesap/cikis/")
    response = client.post("/hesap/giris/", {"username": user.email, "password": registration()["password1"]})
    assert response.status_code == 302

    # 3. Pages, an upload and the submission.
    application = draft_with_answers(user)
    assert client.get("/").status_code == 200
    assert client.get(f"/basvuru/{application.reference}/belgeler/").status_code == 200
    for item in checklist(application):
        if item.is_required:
            response = client.post(
                f"/belgeler/{application.reference}/{item.requirement.pk}/yukle/", {"files": [pdf_upload()]}
            )
            assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/basvuru/{application.reference}/onay/", {})
    assert response.status_code == 302
    assert Application.objects.get(pk=application.pk).status == "submitted"
    assert client.get(f"/basvuru/{application.reference}/").status_code == 200

    # 4. A password reset asked for meanwhile is recorded too.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/hesap/parola/sifirla/", {"email": user.email}).status_code == 302

    # Nothing was sent, nothing was lost: three messages wait in the database.
    assert mail.outbox == []
    waiting = OutboxEmail.objects.filter(state="pending")
    assert sorted(waiting.values_list("template", flat=True)) == [
        "application_submitted",
        "confirm_email",
        "password_reset",
    ]

    # 5. Redis is back: the sweep sends every one of them.
    waiting.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert delivery.send_due_emails() == 3
    assert len(mail.outbox) == 3


class RefusingRedis(socketserver.StreamRequestHandler):
    """A Redis that answers every command with an error (out of memory, as when a full broker queue fills it)."""

    def handle(self) -> None:
        while line := self.rfile.readline():
            if line.startswith(b"*"):  # the start of a command; its arguments follow and are ignored
                self.wfile.write(b"-OOM command not allowed when used memory > 'maxmemory'.\r\n")


def test_a_redis_that_answers_with_errors_is_a_cache_miss_not_a_500(settings, client, applicant):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), RefusingRedis)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.CACHES = {
        "default": {
            **django_settings.CACHES["default"],
            "LOCATION": f"redis://127.0.0.1:{server.server_address[1]}/0",
        }
    }
    resilient_cache.resume()
    try:
        assert cache.add("a-key", 1) is True
        assert cache.get("a-key", "missing") == "missing"
        client.force_login(applicant)
        assert client.get("/").status_code == 200
    finally:
        server.shutdown()
        server.server_close()
        resilient_cache.resume()


def test_a_redis_that_accepts_connections_but_never_answers_delays_mail_and_holds_no_request(redis_down, settings):
    with SilentServer() as silent:
        url = f"redis://127.0.0.1:{silent.port}/0"
        settings.CACHES = {"default": {**django_settings.CACHES["default"], "LOCATION": url}}
        app.conf.update(broker_url=url)
        app._pool = None
        app.amqp._producer_pool = None
        outcome: list = []
        worker = threading.Thread(target=lambda: outcome.append((services.publish(1), cache.get("x", "miss"))))
        worker.start()
        worker.join(timeout=60)

    # Bounded by the socket timeouts, not hung: the message waits for the sweep, the cache misses.
    assert not worker.is_alive()
    assert outcome == [(False, "miss")]
