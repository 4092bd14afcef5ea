"""The staff roles and the model permissions each one holds.

Groups are created by migrations (see `accounts/migrations`), and every later migration that adds models a role
needs calls `sync_roles` again, so a fresh database and an upgraded one end with the same permissions.
"""

APPLICANTS = "Applicants"
REVIEWERS = "Reviewers"
FINANCE = "Finance"
# Answers data subjects' requests (KVKK art. 11) and keeps the KVKK texts.
PRIVACY = "Privacy"

# role -> {app_label: {model: [actions]}}; "view" lets staff read the catalogue they work with.
ROLE_PERMISSIONS: dict[str, dict[str, dict[str, list[str]]]] = {
    # Applicants use the portal, never the admin: they hold no model permissions.
    APPLICANTS: {},
    REVIEWERS: {
        "onboarding": {
            "institutiontype": ["view"],
            "documentkind": ["view"],
            "condition": ["view"],
            "requirement": ["view"],
            "reviewerrule": ["view"],
            "lettertemplate": ["view"],
            "application": ["view", "review"],
            "applicationevent": ["view"],
            "historicalapplication": ["view"],
            "senderid": ["view"],
            "consent": ["view"],
        },
        "documents": {
            "document": ["view", "review"],
            "documentfile": ["view"],
            "documentevent": ["view"],
            "rejectionreason": ["view", "add", "change"],
        },
        # The billing types and packages an applicant chose; never prices, balances, the ledger or statements.
        "billing": {"billingtype": ["view"], "creditpackage": ["view"]},
        # Reviewers answer applicants who say "I never got the e-mail".
        "outbox": {"outboxemail": ["view"]},
        # Which reminders an applicant was sent, and when (the admin's reminders list and application page).
        "reminders": {"reminder": ["view"]},
        "privacy": {"privacytext": ["view"]},
    },
    FINANCE: {
        # Finance sees applications (billing plans), never their documents.
        "onboarding": {"institutiontype": ["view"], "application": ["view"]},
        # Prices and taxes are added as new versions from a date, never edited once in force (billing.admin).
        "billing": {
            "billingtype": ["view", "change"],
            "creditpackage": ["view", "add", "change"],
            "packageprice": ["view", "add", "change"],
            "tariff": ["view", "add", "change"],
            "tarifftier": ["view", "add", "change", "delete"],
            "taxrate": ["view", "add", "change"],
            "billingaccount": ["view", "change", "replan", "correct"],
            "planchange": ["view"],
            "ledgerentry": ["view"],
            "creditlot": ["view"],
            "ledgerallocation": ["view"],
            "packageorder": ["view", "confirm"],
            "deliveryreport": ["view", "add"],
            "deliveryrecord": ["view"],
            "usagemonth": ["view"],
            "statement": ["view", "creditnote"],
            "statementline": ["view"],
        },
    },
    PRIVACY: {
        "privacy": {"privacytext": ["view", "add", "change", "delete"], "datasubjectrequest": ["view", "change"]},
        "onboarding": {"consent": ["view"]},
    },
}


def sync_roles(apps, schema_editor=None) -> None:
    """Create the groups and give each exactly the permissions of ROLE_PERMISSIONS (usable in RunPython)."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; create them now so groups can reference them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, by_app in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for app_label, models in by_app.items():
            for model, actions in models.items():
                for action in actions:
                    try:
                        wanted.append(
                            Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
                        )
                    except Permission.DoesNotExist:
                        # The model arrives in a later migration, which calls sync_roles again.
                        continue
        group.permissions.set(wanted)
