"""Creates the groups Applicants, Reviewers and Finance with their model permissions."""

from django.db import migrations

from accounts.roles import sync_roles


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Applicants", "Reviewers", "Finance"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("onboarding", "0002_load_catalogue"),
        ("billing", "0002_load_billing_catalogue"),
    ]

    operations = [migrations.RunPython(sync_roles, remove_roles)]
