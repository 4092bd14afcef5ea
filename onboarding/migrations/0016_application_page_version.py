"""An application's page version: a counter the database raises on every change to what its pages show.

The applicant's status page is served again from a stored rendering while nothing it shows has changed
(onboarding.page_cache). "Nothing has changed" must hold whoever writes — a service, the admin, the reminder sweep's
bulk inserts, a queryset update — so the database keeps the count: any update of the application's row, and any
insert, update or delete of its documents, their files, its events, reminders, sender IDs, consents and issued
contracts, raises `page_version`.

On PostgreSQL the child tables' triggers run once per statement over the changed rows (transition tables), so the
reminder sweep's bulk insert of thousands of reminders raises each application once, not once per row.

The same writes, and an application added or deleted, also advance one counter for all applications (the review
queue's pages are kept under it): a sequence on PostgreSQL, which takes no lock, and a one-row table on SQLite,
whose writers are serialized anyway.
"""

from django.db import migrations, models

# Each child table, and how its changed rows name their application.
CHILDREN = {
    "documents_document": "SELECT application_id FROM changed",
    "documents_documentfile": (
        "SELECT d.application_id FROM changed c JOIN documents_document d ON d.id = c.document_id"
    ),
    "onboarding_applicationevent": "SELECT application_id FROM changed",
    "reminders_reminder": "SELECT application_id FROM changed WHERE application_id IS NOT NULL",
    "onboarding_senderid": "SELECT application_id FROM changed",
    "onboarding_consent": "SELECT application_id FROM changed WHERE application_id IS NOT NULL",
    "onboarding_issuedcontract": "SELECT application_id FROM changed",
    "documents_documentevent": (
        "SELECT d.application_id FROM changed c JOIN documents_document d ON d.id = c.document_id"
    ),
}
EVENTS = {"INSERT": "NEW", "UPDATE": "NEW", "DELETE": "OLD"}
# The statements below are built from the constant table and trigger names above, never from input.


def _postgresql() -> tuple[list[str], list[str]]:
    create = [
        "CREATE SEQUENCE onboarding_change_seq",
        """
        CREATE FUNCTION onboarding_page_version_own() RETURNS trigger AS $$
        BEGIN
            NEW.page_version := OLD.page_version + 1;
            PERFORM nextval('onboarding_change_seq');
            RETURN NEW;
        END $$ LANGUAGE plpgsql
        """,
        """
        CREATE TRIGGER onboarding_page_version_own BEFORE UPDATE ON onboarding_application
        FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION onboarding_page_version_own()
        """,
        """
        CREATE FUNCTION onboarding_change_count() RETURNS trigger AS $$
        BEGIN
            PERFORM nextval('onboarding_change_seq');
            RETURN NULL;
        END $$ LANGUAGE plpgsql
        """,
        """
        CREATE TRIGGER onboarding_change_count AFTER INSERT OR DELETE ON onboarding_application
        FOR EACH STATEMENT EXECUTE FUNCTION onboarding_change_count()
        """,
    ]
    drop = [
        "DROP TRIGGER IF EXISTS onboarding_page_version_own ON onboarding_application",
        "DROP FUNCTION IF EXISTS onboarding_page_version_own()",
        "DROP TRIGGER IF EXISTS onboarding_change_count ON onboarding_application",
        "DROP FUNCTION IF EXISTS onboarding_change_count()",
        "DROP SEQUENCE IF EXISTS onboarding_change_seq",
    ]
    for table, applications in CHILDREN.items():
        function = f"onboarding_page_version_{table}"
        create.append(
            f"""
            CREATE FUNCTION {function}() RETURNS trigger AS $$
            BEGIN
                UPDATE onboarding_application SET page_version = page_version + 1
                WHERE id IN ({applications});
                RETURN NULL;
            END $$ LANGUAGE plpgsql
            """
        )
        for event, row in EVENTS.items():
            trigger = f"{function}_{event.lower()}"
            create.append(
                f"CREATE TRIGGER {trigger} AFTER {event} ON {table} REFERENCING {row} TABLE AS changed "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            )
            drop.append(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        drop.append(f"DROP FUNCTION IF EXISTS {function}()")
    return create, drop


def _sqlite() -> tuple[list[str], list[str]]:
    # Row triggers; SQLite does not run a trigger from its own program again (recursive_triggers is off). The WHEN
    # lets the children's raise stand, and raises past both an update that kept the count and one that wrote an
    # older count back (a save() of a row read before a child changed).
    count = "UPDATE onboarding_change_counter SET value = value + 1;"
    create = [
        "CREATE TABLE onboarding_change_counter (value integer NOT NULL)",
        "INSERT INTO onboarding_change_counter (value) VALUES (0)",
        f"""
        CREATE TRIGGER onboarding_page_version_own AFTER UPDATE ON onboarding_application
        FOR EACH ROW WHEN NEW.page_version <= OLD.page_version
        BEGIN UPDATE onboarding_application SET page_version = OLD.page_version + 1 WHERE id = NEW.id; {count} END
        """,
        f"CREATE TRIGGER onboarding_change_count_insert AFTER INSERT ON onboarding_application BEGIN {count} END",
        f"CREATE TRIGGER onboarding_change_count_delete AFTER DELETE ON onboarding_application BEGIN {count} END",
    ]
    drop = [
        "DROP TRIGGER IF EXISTS onboarding_page_version_own",
        "DROP TRIGGER IF EXISTS onboarding_change_count_insert",
        "DROP TRIGGER IF EXISTS onboarding_change_count_delete",
        "DROP TABLE IF EXISTS onboarding_change_counter",
    ]
    for table in CHILDREN:
        for event, row in EVENTS.items():
            trigger = f"onboarding_page_version_{table}_{event.lower()}"
            if table in ("documents_documentfile", "documents_documentevent"):
                target = f"(SELECT application_id FROM documents_document WHERE id = {row}.document_id)"
            else:
                target = f"{row}.application_id"
            create.append(
                f"CREATE TRIGGER {trigger} AFTER {event} ON {table} FOR EACH ROW "
                f"BEGIN UPDATE onboarding_application SET page_version = page_version + 1 WHERE id = {target}; "
                f"{count} END"
            )
            drop.append(f"DROP TRIGGER IF EXISTS {trigger}")
    return create, drop


def _statements(schema_editor, which: int) -> list[str]:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        return _postgresql()[which]
    if vendor == "sqlite":
        return _sqlite()[which]
    raise NotImplementedError(f"page version triggers for {vendor}")


def create_triggers(apps, schema_editor):
    for statement in _statements(schema_editor, 0):
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    for statement in _statements(schema_editor, 1):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("onboarding", "0015_rendered_pdf_store"),
        ("documents", "0004_load_rejection_reasons"),
        ("reminders", "0002_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="page_version",
            field=models.PositiveBigIntegerField(default=0, editable=False, verbose_name="sayfa sürümü"),
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
