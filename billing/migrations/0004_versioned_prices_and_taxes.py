"""Prices and taxes effective from a date: today's package prices and tariff become the first versions; the KDV and
ÖİV rates (billing-facts.md) are seeded with their dates. On PostgreSQL, insert-only tables refuse UPDATE and DELETE.
"""

import datetime
from decimal import Decimal

from django.db import migrations

FIRST_PRICES = datetime.date(2026, 1, 1)
TAX_RATES = [
    ("kdv", "0.1800", datetime.date(2000, 1, 1), "Önceki genel oran"),
    ("kdv", "0.2000", datetime.date(2023, 7, 10), "Cumhurbaşkanı Kararı 7346"),
    ("oiv", "0.0750", datetime.date(2000, 1, 1), "Önceki oran"),
    ("oiv", "0.1000", datetime.date(2021, 1, 30), "Cumhurbaşkanı Kararı 3469"),
]
INSERT_ONLY_TABLES = ["billing_ledgerentry", "billing_ledgerallocation", "billing_statement", "billing_statementline"]


def forwards(apps, schema_editor):
    CreditPackage = apps.get_model("billing", "CreditPackage")
    PackagePrice = apps.get_model("billing", "PackagePrice")
    Tariff = apps.get_model("billing", "Tariff")
    TariffTier = apps.get_model("billing", "TariffTier")
    TaxRate = apps.get_model("billing", "TaxRate")
    for package in CreditPackage.objects.all():
        if package.price is not None:
            PackagePrice.objects.create(package=package, price=package.price, valid_from=FIRST_PRICES)
    if TariffTier.objects.exists():
        tariff = Tariff.objects.create(valid_from=FIRST_PRICES, note="İlk tarife")
        TariffTier.objects.update(tariff=tariff)
    for code, rate, valid_from, basis in TAX_RATES:
        TaxRate.objects.create(code=code, rate=Decimal(rate), valid_from=valid_from, legal_basis=basis)


def backwards(apps, schema_editor):
    CreditPackage = apps.get_model("billing", "CreditPackage")
    PackagePrice = apps.get_model("billing", "PackagePrice")
    for package in CreditPackage.objects.all():
        latest = PackagePrice.objects.filter(package=package).order_by("-valid_from").first()
        package.price = latest.price if latest else None
        package.save(update_fields=["price"])
    apps.get_model("billing", "TaxRate").objects.all().delete()


TRIGGER = """
CREATE OR REPLACE FUNCTION billing_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = TG_TABLE_NAME || ' rows are insert-only: record a correction instead',
        ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
"""


def add_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(TRIGGER)
    for table in INSERT_ONLY_TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_insert_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION billing_refuse_change()"
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in INSERT_ONLY_TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_insert_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS billing_refuse_change()")


def sync_roles(apps, schema_editor):
    from accounts.roles import sync_roles as sync

    sync(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("billing", "0003_billing_accounts_ledger_statements")]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RunPython(add_triggers, drop_triggers),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
