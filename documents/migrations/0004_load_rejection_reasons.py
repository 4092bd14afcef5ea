"""The common reasons reviewers give for refusing a document; staff edit the list in the admin."""

from django.db import migrations

REASONS = [
    ("Mühür / kaşe eksik", "Seal or stamp missing"),
    ("İmza eksik", "Signature missing"),
    ("Belge okunaksız veya eksik taranmış", "Illegible or incompletely scanned"),
    ("Belgenin geçerlilik süresi dolmuş", "The document has expired"),
    ("Unvan vergi levhasıyla uyuşmuyor", "The name does not match the tax plate"),
    ("Karar SMS hizmetinden söz etmiyor", "The decision does not mention SMS"),
    ("İmzalayan kişinin yetkisi belgelenmemiş", "The signatory's authority is not documented"),
    ("Yanlış belge yüklenmiş", "Wrong document uploaded"),
    ("Noter onayı eksik", "Notarisation missing"),
    ("Kimlik fotokopisinin ön ve arka yüzü birlikte olmalı", "Both sides of the ID card are needed"),
]


def load(apps, schema_editor):
    RejectionReason = apps.get_model("documents", "RejectionReason")
    for position, (text, text_en) in enumerate(REASONS, start=1):
        RejectionReason.objects.get_or_create(text=text, defaults={"text_en": text_en, "position": position * 10})


def unload(apps, schema_editor):
    apps.get_model("documents", "RejectionReason").objects.filter(text__in=[t for t, _ in REASONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0003_rejectionreason_alter_document_options_and_more")]

    operations = [migrations.RunPython(load, unload)]
