"""The large data set for the reminder benchmark, and the sweep's queries over it at two sizes."""

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from documents.models import Document
from onboarding import due
from onboarding.models import Application
from reminders import services
from reminders.management.commands.build_reminder_dataset import Builder
from reminders.models import Reminder

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Europe/Istanbul"))


def fingerprint() -> list[tuple]:
    """What the data set is, without the ids a database hands out."""
    return [
        *Application.objects.order_by("reference").values_list(
            "reference", "status", "applicant__email", "created_at", "submitted_at", "cargo_recorded_at"
        ),
        *Document.objects.order_by("application__reference", "requirement_id").values_list(
            "application__reference", "requirement_id", "status", "decided_at", "original_received_at"
        ),
        *User.objects.order_by("email").values_list("email", "email_confirmed_at", "reminders_opted_out_at"),
    ]


def test_the_data_set_is_the_same_for_the_same_seed_and_moment_and_refuses_a_database_that_has_applications():
    arguments = {"applications": 300, "seed": 3, "now": NOW.isoformat(), "verbosity": 0}
    call_command("build_reminder_dataset", **arguments)
    first = fingerprint()
    with pytest.raises(CommandError, match="scratch database"):
        call_command("build_reminder_dataset", **arguments)

    Application.objects.all().delete()
    User.objects.all().delete()
    call_command("build_reminder_dataset", **arguments)

    assert fingerprint() == first
    assert Application.objects.count() == 300
    assert set(Application.objects.values_list("status", flat=True)) == set(Application.Status.values)


def test_every_kind_of_reminder_is_due_in_the_data_set_and_a_second_sweep_right_after_sends_nothing():
    call_command("build_reminder_dataset", applications=300, seed=3, now=NOW.isoformat(), verbosity=0)

    first = services.send_reminders(now=NOW)
    second = services.send_reminders(now=NOW)

    assert set(Reminder.objects.values_list("kind", flat=True)) == set(due.APPLICANT_KINDS + due.REVIEWER_KINDS)
    assert first.emails > 0
    assert (second.reminders, second.emails) == (0, 0)


def test_the_sweeps_queries_are_the_same_for_40_and_400_applications_of_every_kind():
    """Within one chunk of people (500) the count is constant; each further chunk adds the same few queries."""
    builder = Builder(NOW, random.Random(3))
    builder.reviewers(2)

    def queries_of_a_sweep(at: datetime) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert services.send_reminders(now=at).emails
        return len(queries.captured_queries)

    builder.batch(0, 40)
    builder.loose_users(4)
    small = queries_of_a_sweep(NOW)
    builder.batch(40, 360)
    builder.loose_users(36)
    # Fourteen days later every item is at another step of its cadence: everyone is reminded again.
    large = queries_of_a_sweep(NOW + timedelta(days=14))

    assert User.objects.filter(applications__isnull=False).distinct().count() < 500
    assert small == large
