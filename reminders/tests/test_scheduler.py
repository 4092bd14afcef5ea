"""The embedded mode's scheduler (`manage.py run_scheduler`): config/celery.py's beat schedule, run in process."""

from datetime import timedelta

import pytest
from celery import shared_task
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from config.celery import app
from outbox.models import OutboxEmail
from reminders.models import Reminder

pytestmark = pytest.mark.django_db

# The embedded mode (tests on PostgreSQL are not embedded), at an hour that is never quiet.
embedded = override_settings(EMBEDDED=True, CELERY_TASK_ALWAYS_EAGER=True, PORTAL_REMINDER_QUIET_HOURS=(0, 0))


@shared_task(name="reminders.tests.test_scheduler.broken")
def broken() -> None:
    raise RuntimeError("a task that always fails")


@pytest.fixture
def due_for_a_reminder(unconfirmed_applicant) -> User:
    """An account registered two days ago whose address is not confirmed: its first reminder is due."""
    User.objects.filter(pk=unconfirmed_applicant.pk).update(date_joined=timezone.now() - timedelta(days=2))
    return unconfirmed_applicant


@pytest.fixture
def lost_email() -> OutboxEmail:
    """A message waiting in the outbox whose task was lost: only the outbox sweep sends it."""
    return OutboxEmail.objects.create(
        to=["ayse@ornek-belediye.test"],
        template="password_reset",
        language="tr",
        context={"full_name": "Ayşe Yılmaz", "reset_url": "https://portal.example/sifre/abc/", "email": "a@o.test"},
        next_attempt_at=timezone.now() - timedelta(seconds=1),
    )


def assert_every_entry_ran(person: User, email: OutboxEmail) -> None:
    # The reminder sweep recorded the due reminder and queued its digest…
    [reminder] = Reminder.objects.filter(recipient=person)
    assert (reminder.kind, reminder.step) == ("confirm_email", 1)
    assert reminder.email.template == "applicant_reminder" and reminder.email.to == [person.email]
    # …and the outbox sweep sent the message whose task was lost.
    email.refresh_from_db()
    assert email.state == OutboxEmail.State.SENT
    assert [message.to for message in mail.outbox] == [["ayse@ornek-belediye.test"]]


@embedded
def test_once_runs_every_entry_of_the_beat_schedule_once(due_for_a_reminder, lost_email, caplog):
    caplog.set_level("INFO", logger="reminders.scheduler")

    call_command("run_scheduler", "--once")

    assert_every_entry_ran(due_for_a_reminder, lost_email)
    ran = [record.getMessage() for record in caplog.records if record.getMessage().startswith("scheduler: ran")]
    assert [line.split()[2] for line in ran] == list(app.conf.beat_schedule)


@embedded
def test_a_failing_task_is_logged_and_the_others_still_run(due_for_a_reminder, lost_email, monkeypatch, caplog):
    schedule = {
        "broken": {"task": "reminders.tests.test_scheduler.broken", "schedule": 60},
        "unknown": {"task": "no.such.task", "schedule": 60},
        **app.conf.beat_schedule,
    }
    monkeypatch.setitem(app.conf, "beat_schedule", schedule)

    call_command("run_scheduler", "--once")

    assert_every_entry_ran(due_for_a_reminder, lost_email)
    failures = [record for record in caplog.records if record.levelname == "ERROR" and "scheduler" in record.name]
    assert [record.getMessage().split()[1] for record in failures] == ["broken", "unknown"]
    assert "a task that always fails" in caplog.text


@pytest.mark.parametrize(
    "production",
    [{"EMBEDDED": False}, {"EMBEDDED": True, "CELERY_TASK_ALWAYS_EAGER": False}],
    ids=["database", "broker"],
)
def test_it_refuses_outside_the_embedded_mode_unless_forced(production, due_for_a_reminder, lost_email):
    with embedded, override_settings(**production):
        with pytest.raises(CommandError, match="celery -A config beat"):
            call_command("run_scheduler", "--once")
        assert not Reminder.objects.exists()
        lost_email.refresh_from_db()
        assert lost_email.state == OutboxEmail.State.PENDING

        call_command("run_scheduler", "--once", "--force")

    assert_every_entry_ran(due_for_a_reminder, lost_email)
