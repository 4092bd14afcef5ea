"""Every page of the portal, per persona, over a small but complete world: for the tests that visit them all.

The world is built with the services production uses: an applicant with a draft (every wizard step reachable), a
submitted application (its status page) and an active customer account (account, orders, statements); staff see
the admin and finance pages over that same data.
"""

from dataclasses import dataclass

from django.urls import reverse

from billing.models import BillingAccount
from billing.tests.customers import active_account
from documents.models import Document, RejectionReason
from finance.reports import REPORTS
from onboarding.models import Application, InstitutionType, LetterTemplate, Requirement
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
        application = self.under_review
        document = Document.objects.filter(application=application).first()
        pages = [
            reverse("admin:index"),
            reverse("admin:onboarding_application_changelist"),
            reverse("admin:onboarding_application_changelist") + "?q=Şişli",
            reverse("admin:onboarding_application_change", args=[application.pk]),
            reverse("admin:documents_document_changelist"),
            reverse("admin:documents_document_change", args=[document.pk]),
            reverse("admin:documents_rejectionreason_changelist"),
            reverse("admin:documents_rejectionreason_change", args=[RejectionReason.objects.first().pk]),
            reverse("admin:onboarding_institutiontype_changelist"),
            reverse("admin:onboarding_institutiontype_change", args=[InstitutionType.objects.first().pk]),
            reverse("admin:onboarding_requirement_change", args=[Requirement.objects.first().pk]),
            reverse("admin:onboarding_lettertemplate_changelist"),
            reverse("admin:onboarding_lettertemplate_change", args=[LetterTemplate.objects.first().pk]),
            reverse("admin:onboarding_reviewerrule_changelist"),
            reverse("admin:billing_billingtype_changelist"),
            reverse("admin:billing_creditpackage_changelist"),
            reverse("admin:billing_tariff_changelist"),
            reverse("admin:billing_billingaccount_changelist"),
            reverse("admin:billing_billingaccount_change", args=[self.account.pk]),
            reverse("admin:billing_statement_changelist"),
            reverse("admin:accounts_user_changelist"),
        ]
        return pages


def build_world(applicant, reviewer) -> World:
    account = active_account(applicant, reviewer)
    under_review = submitted(applicant, type_code="company")
    draft = draft_with_answers(applicant, type_code="municipality")
    return World(draft=draft, under_review=under_review, account=account)


def session_cookie(live_server, user) -> dict:
    """A logged-in session for the browser, without going through the login form on every test."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}
