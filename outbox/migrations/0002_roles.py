"""Reviewers may see the outbox (what was sent to whom, and what could not be)."""

from django.db import migrations

from accounts.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0001_outbox"),
        ("accounts", "0003_review_roles"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
