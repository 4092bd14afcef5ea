"""The KVKK texts the portal starts with (privacy/seed.py), and the Privacy role's permissions."""

from django.db import migrations

from accounts.roles import sync_roles


def load_texts(apps, schema_editor):
    from privacy import seed

    PrivacyText = apps.get_model("privacy", "PrivacyText")
    for text in seed.TEXTS:
        PrivacyText.objects.get_or_create(kind=text["kind"], version=text["version"], defaults=text)


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        ("onboarding", "0009_kvkk10_consent"),
        ("accounts", "0004_language_and_reminder_opt_out"),
    ]

    operations = [
        migrations.RunPython(load_texts, migrations.RunPython.noop),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
