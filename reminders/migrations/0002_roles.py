"""Reviewers may see the reminders sent (who was reminded of what, and when)."""

from django.db import migrations

from accounts.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_reminders"),
        ("accounts", "0003_review_roles"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
