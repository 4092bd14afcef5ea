"""Billing accounts for tests, without going through the wizard: an active application and its opened account."""

import itertools

from billing.accounts import open_account
from billing.models import BillingAccount, BillingType
from onboarding.models import Application

_numbers = itertools.count(1)


def make_account(
    owner, *, plan: str = "prepaid", legal_name: str = "Örnek Şirketi A.Ş.", **profile
) -> BillingAccount:
    """An activated application of `owner` and its billing account on `plan` (no first order)."""
    number = next(_numbers)
    application = Application.objects.create(
        applicant=owner,
        status=Application.Status.ACTIVE,
        legal_name=legal_name,
        tax_number=profile.pop("tax_number", "4540536920"),
        tax_number_kind="vkn",
        tax_office=profile.pop("tax_office", "Şişli"),
        address=profile.pop("address", f"Halaskargazi Cad. No: {number}"),
        province="34",
        district="Şişli",
        email=profile.pop("email", f"fatura{number}@ornek.test"),
        billing_type=BillingType.objects.get(code=plan),
        e_invoice_user=profile.pop("e_invoice_user", False),
    )
    account = open_account(application)
    if profile:
        BillingAccount.objects.filter(pk=account.pk).update(**profile)
        account.refresh_from_db()
    return account
