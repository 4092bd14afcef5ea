"""Gives Reviewers and Finance the permissions of the review back office (applications, documents, reasons)."""

from django.db import migrations

from accounts.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles"),
        ("onboarding", "0004_alter_application_options_application_cargo_company_and_more"),
        ("documents", "0004_load_rejection_reasons"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
