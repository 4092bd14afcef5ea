"""The English checklist said "(template A)" — the catalogue's internal letter codes. Name the document instead."""

from django.db import migrations

RENAMED = {
    "The authorisation letter (template A)": "SMS authorisation letter (the portal's sample, on your letterhead)",
    "The authorisation letter (template D)": "SMS authorisation letter (the portal's sample, on your letterhead)",
    "Board decision about SMS (template B)": "Board decision on using SMS (the portal's sample)",
    "Decision about SMS (template C)": "Headman's decision on using SMS (the portal's sample)",
}


def rename(apps, schema_editor):
    Requirement = apps.get_model("onboarding", "Requirement")
    for old, new in RENAMED.items():
        Requirement.objects.filter(label_en=old).update(label_en=new)


class Migration(migrations.Migration):
    dependencies = [("onboarding", "0009_a11y10_turkish_labels")]

    # Backwards keeps the new English names: only the wording changes, and A and D now share theirs.
    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
