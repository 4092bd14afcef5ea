"""Loads the two billing types, the five prepaid packages and a placeholder invoiced tariff."""

from decimal import Decimal

from django.db import migrations


def load(apps, schema_editor):
    from onboarding import catalogue_seed as seed

    BillingType = apps.get_model("billing", "BillingType")
    CreditPackage = apps.get_model("billing", "CreditPackage")
    TariffTier = apps.get_model("billing", "TariffTier")
    for position, spec in enumerate(seed.BILLING_TYPES, start=1):
        BillingType.objects.create(position=position * 10, **spec)
    for position, (credits, price) in enumerate(seed.CREDIT_PACKAGES, start=1):
        CreditPackage.objects.create(credits=credits, price=Decimal(price), position=position * 10)
    for min_messages, price in seed.TARIFF_TIERS:
        TariffTier.objects.create(min_messages=min_messages, price_per_message=Decimal(price))


def unload(apps, schema_editor):
    for model in ("TariffTier", "CreditPackage", "BillingType"):
        apps.get_model("billing", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
