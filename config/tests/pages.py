"""Every page of the portal, per persona, over a small but complete world: for the tests that visit them all.

The world is built with the services production uses: an applicant with a draft (every wizard step reachable), a
submitted application (its status page) and an active customer account (account, orders, statements); staff see
the admin and finance pages over that same data.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse

from billing.models import BillingAccount, StatementLine
from billing.tests.customers import active_account
from finance.reports import REPORTS
from finance.tests.helpers import issue
from onboarding.models import Application
from onboarding.tests.helpers import draft_with_answers, submitted
from onboarding.views import STEP_SLUGS

PUBLIC = [
    "/",
    reverse("accounts:login"),
    reverse("accounts:register"),
    reverse("accounts:password-reset"),
    reverse("accounts:resend-confirmation"),
    reverse("admin:login"),
]


@dataclass
class World:
    draft: Application
    under_review: Application
    account: BillingAccount

    def applicant_pages(self) -> list[str]:
        wizard = [
            reverse("onboarding:application-step", args=[self.draft.reference, slug]) for slug in STEP_SLUGS.values()
        ]
        code = self.account.code
        return [
            "/",
            reverse("onboarding:application-start"),
            *wizard,
            reverse("onboarding:application-status", args=[self.under_review.reference]),
            reverse("onboarding:application-status", args=[self.account.application.reference]),
            reverse("billing:account", args=[code]),
            reverse("billing:order-new", args=[code]),
            reverse("billing:statements", args=[code]),
            reverse("reminders:preferences"),
            reverse("accounts:password-change"),
        ]

    def finance_pages(self) -> list[str]:
        return [reverse("finance:dashboard"), *(reverse(f"finance:{report.name}") for report in REPORTS)]

    def admin_pages(self) -> list[str]:
        """The admin's index, then every registered model's list and the form of one of its rows (if it has any)."""
        from django.contrib import admin

        pages = [
            reverse("admin:index"),
            reverse("admin:onboarding_application_changelist") + "?q=Şişli",
            reverse("admin:onboarding_application_change", args=[self.under_review.pk]),
        ]
        for model in admin.site._registry:
            name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
            pages.append(reverse(f"{name}_changelist"))
            first = model._default_manager.order_by("pk").first()
            if first is not None and model is not Application:
                pages.append(reverse(f"{name}_change", args=[first.pk]))
        return pages


def build_world(applicant, reviewer) -> World:
    account = active_account(applicant, reviewer)
    # One issued statement with a line: the customer's list, its phone cards and the admin's statement form.
    statement = issue(account, datetime.date(2026, 11, 1), "250.00")
    StatementLine.objects.create(
        statement=statement,
        position=1,
        description="Kasım 2026 SMS gönderimi",
        quantity=Decimal("2500"),
        unit_price=Decimal("0.1000"),
        amount=Decimal("250.00"),
    )
    under_review = submitted(applicant, type_code="company")
    draft = draft_with_answers(applicant, type_code="municipality")
    return World(draft=draft, under_review=under_review, account=account)


def session_cookie(live_server, user) -> dict:
    """A logged-in session for the browser, without going through the login form on every test."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}
