"""The catalogue as pages read it: institution types, their requirements, billing types and priced packages.

Read on nearly every page and changed by staff a few times a year, so each list is read once per process and kept
until one of its rows changes (config.memo: cleared in this process at the commit, in the others within a second).
The objects handed out are shared by every request of the process: read them, never change them.
"""

from collections import defaultdict

from django.utils import timezone

from billing import estimates, pricing
from billing.models import BillingType, CreditPackage
from billing.taxes import rates_on
from config.memo import Memo
from onboarding.models import InstitutionType, Requirement

CATALOGUE = Memo(
    "catalogue",
    depends_on=[
        "onboarding.InstitutionType",
        "onboarding.LetterTemplate",
        "onboarding.Requirement",
        "onboarding.Condition",
        "onboarding.DocumentKind",
        "onboarding.SenderIdBasis",
        "onboarding.ReviewerRule",
        "documents.RejectionReason",
        "onboarding.ContractTemplate",
        "privacy.PrivacyText",
        "billing.BillingType",
        "billing.CreditPackage",
        "billing.PackagePrice",
        "billing.TaxRate",
        "billing.Tariff",
        "billing.TariffTier",
    ],
)


def _requirements_by_type() -> dict[int, list[Requirement]]:
    by_type: dict[int, list[Requirement]] = defaultdict(list)
    for requirement in Requirement.objects.select_related("condition", "document_kind"):
        by_type[requirement.institution_type_id].append(requirement)
    return dict(by_type)


def requirements_of(institution_type_id: int | None) -> list[Requirement]:
    """The type's requirements in checklist order, with their condition and document kind (one query per process)."""
    if institution_type_id is None:
        return []
    return CATALOGUE.get("requirements", _requirements_by_type).get(institution_type_id, [])


def institution_types() -> list[InstitutionType]:
    """The types open for applications, in their order."""
    return CATALOGUE.get("institution_types", lambda: list(InstitutionType.objects.filter(is_active=True)))


def billing_types() -> list[BillingType]:
    return CATALOGUE.get("billing_types", lambda: list(BillingType.objects.all()))


def priced_packages(rates=None) -> list[CreditPackage]:
    """The packages on sale with today's net price and its taxes (`price`, `amounts`); `rates` are today's when the
    caller holds them already (rates_today())."""
    today = timezone.localdate()

    def compute():
        return estimates.with_amounts(
            list(CreditPackage.objects.filter(is_active=True).priced(today)), rates or rates_today()
        )

    return CATALOGUE.get(("packages", today), compute)


def rates_today():
    """Today's KDV and ÖİV rates (billing.taxes.rates_on)."""
    today = timezone.localdate()
    return CATALOGUE.get(("rates", today), lambda: rates_on(today))


def tariff_tiers_today():
    """The invoiced tariff's tiers in force today (billing.pricing.tiers_on)."""
    today = timezone.localdate()
    return CATALOGUE.get(("tiers", today), lambda: pricing.tiers_on(today))


def package_amounts(package_id: int):
    """A package's price today with its taxes, or None (not priced, or no such package)."""
    return next((package.amounts for package in priced_packages_all() if package.pk == package_id), None)


def priced_packages_all() -> list[CreditPackage]:
    """Every package, on sale or not (an application may hold one taken off sale), priced as priced_packages()."""
    today = timezone.localdate()

    def compute():
        return estimates.with_amounts(list(CreditPackage.objects.priced(today)), rates_on(today))

    return CATALOGUE.get(("all packages", today), compute)


def version() -> str | None:
    """The catalogue's version today, for markup built from it (config.fragments); None when it is not known."""
    token = CATALOGUE.version()
    return None if token is None else f"{token}:{timezone.localdate()}"


def _by_id(rows) -> dict:
    return {row.pk: row for row in rows}


def institution_types_by_id() -> dict:
    """Every institution type (open for applications or not) by id, in their order, with their letter template."""
    return CATALOGUE.get("types by id", lambda: _by_id(InstitutionType.objects.select_related("letter_template")))


def billing_types_by_id() -> dict:
    return CATALOGUE.get("billing types by id", lambda: _by_id(BillingType.objects.all()))


def at_hand() -> bool:
    """Whether the catalogue can be read from memory now (not in a transaction, the cache reachable)."""
    return CATALOGUE.version() is not None


def attach(application) -> bool:
    """Give the application its institution type (with its letter template), billing type and package from the
    catalogue kept in memory, instead of joining them into its query; False when one is missing there."""
    packages = CATALOGUE.get("packages by id", lambda: _by_id(CreditPackage.objects.all()))
    for field, rows in (
        ("institution_type", institution_types_by_id()),
        ("billing_type", billing_types_by_id()),
        ("credit_package", packages),
    ):
        pk = getattr(application, f"{field}_id")
        if pk is not None:
            if pk not in rows:
                return False  # created since the catalogue was read (its clearing is on its way): join it
            setattr(application, field, rows[pk])
    return True


def rejection_reasons() -> list:
    """The reasons a reviewer picks from when rejecting a document (documents.RejectionReason), active ones."""
    from documents.models import RejectionReason

    return CATALOGUE.get("rejection reasons", lambda: list(RejectionReason.objects.filter(is_active=True)))


def reviewer_rules_of(institution_type_id: int | None) -> list:
    """What reviewers check for this institution type (onboarding.ReviewerRule)."""
    from onboarding.models import ReviewerRule

    def compute():
        by_type: dict[int, list] = defaultdict(list)
        for rule in ReviewerRule.objects.all():
            by_type[rule.institution_type_id].append(rule)
        return dict(by_type)

    return CATALOGUE.get("reviewer rules", compute).get(institution_type_id, [])
