"""Loads the whole requirement catalogue of the membership guide (see onboarding/catalogue_seed.py)."""

from django.db import migrations


def load_catalogue(apps, schema_editor):
    from onboarding import catalogue_seed as seed

    LetterTemplate = apps.get_model("onboarding", "LetterTemplate")
    InstitutionType = apps.get_model("onboarding", "InstitutionType")
    DocumentKind = apps.get_model("onboarding", "DocumentKind")
    Condition = apps.get_model("onboarding", "Condition")
    Requirement = apps.get_model("onboarding", "Requirement")
    ReviewerRule = apps.get_model("onboarding", "ReviewerRule")

    # The seed has since grown fields this historical model lacks (migration 0009 adds them and their texts).
    known = {field.name for field in LetterTemplate._meta.get_fields()}
    templates = {
        t["code"]: LetterTemplate.objects.create(**{key: value for key, value in t.items() if key in known})
        for t in seed.LETTER_TEMPLATES
    }
    kinds = {
        code: DocumentKind.objects.create(code=code, name=name, name_en=name_en)
        for code, name, name_en in seed.DOCUMENT_KINDS
    }
    conditions = {c["code"]: Condition.objects.create(**c) for c in seed.CONDITIONS}

    for type_position, spec in enumerate(seed.INSTITUTION_TYPES, start=1):
        institution_type = InstitutionType.objects.create(
            code=spec["code"],
            name=spec["name"],
            name_en=spec["name_en"],
            description=spec["description"],
            description_en=spec["description_en"],
            letter_template=templates.get(spec["template"]),
            position=type_position * 10,
        )
        for position, (status, kind, label, label_en, note, note_en, condition) in enumerate(
            spec["requirements"], start=1
        ):
            Requirement.objects.create(
                institution_type=institution_type,
                document_kind=kinds[kind],
                label=label,
                label_en=label_en,
                note=note,
                note_en=note_en,
                status=status,
                condition=conditions[condition] if condition else None,
                uses_letter_template=kind in ("sms_letter", "sms_decision") and spec["template"] is not None,
                position=position * 10,
            )
        for position, (text, text_en) in enumerate(spec["rules"], start=1):
            ReviewerRule.objects.create(
                institution_type=institution_type, text=text, text_en=text_en, position=position * 10
            )


def unload_catalogue(apps, schema_editor):
    for model in ("ReviewerRule", "Requirement", "InstitutionType", "Condition", "DocumentKind", "LetterTemplate"):
        apps.get_model("onboarding", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("onboarding", "0001_initial")]

    operations = [migrations.RunPython(load_catalogue, unload_catalogue)]
