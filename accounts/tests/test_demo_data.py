import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from onboarding import due
from onboarding.models import Application
from reminders.models import Reminder
from reminders.services import ISTANBUL, send_reminders


@override_settings(DEBUG=True)
def test_demo_data_creates_the_three_roles_and_is_idempotent(db, capsys):
    call_command("load_demo_data")
    call_command("load_demo_data")

    output = capsys.readouterr().out
    assert "basvuru@demo.local" in output and "inceleme@demo.local" in output and "muhasebe@demo.local" in output
    # The four roles, one account not confirmed, and one more billing customer (billing/demo.py).
    assert User.objects.filter(email__endswith="@demo.local").count() == 6
    reviewer = User.objects.get(email="inceleme@demo.local")
    assert reviewer.is_staff and reviewer.groups.filter(name="Reviewers").exists()
    assert reviewer.check_password("Inceleme-Demo-2026")


@override_settings(DEBUG=False)
def test_demo_data_refuses_to_run_outside_debug(db):
    with pytest.raises(CommandError):
        call_command("load_demo_data")
    assert not User.objects.exists()


@override_settings(DEBUG=True)
def test_the_demo_data_is_due_for_every_kind_of_reminder_once(db):
    call_command("load_demo_data")
    call_command("load_demo_data")  # idempotent: nothing added, nothing moved
    assert Application.objects.exclude(status=Application.Status.ACTIVE).count() == 4
    # A daytime sweep (the demo's timestamps are days old; noon today is at most half a day away from now).
    noon = timezone.now().astimezone(ISTANBUL).replace(hour=12, minute=0, second=0, microsecond=0)

    first = send_reminders(now=noon)
    again = send_reminders(now=noon)

    reviewer = User.objects.get(email="inceleme@demo.local")
    recorded = Reminder.objects.values_list("recipient", "kind")
    assert {kind for person, kind in recorded if person != reviewer.pk} == set(due.APPLICANT_KINDS)
    assert {kind for person, kind in recorded if person == reviewer.pk} == set(due.REVIEWER_KINDS)
    # One digest each: the demo applicant, the unconfirmed account and the reviewer.
    assert first.emails == 3 and first.reminders == len(recorded)
    assert (again.emails, again.reminders) == (0, 0)
