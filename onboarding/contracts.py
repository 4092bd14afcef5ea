"""The end-user SMS contract handed to an applicant: which version, filled with what.

An application keeps the version it was first given: the scan it uploads and the original it ships must be the same
text, so a later version comes into force for new applications only (staff add versions in the admin).
"""

from __future__ import annotations

from django.conf import settings

from onboarding.models import Application, ContractTemplate, IssuedContract
from onboarding.turkish import format_phone, province_name


def contract_for(application: Application) -> ContractTemplate | None:
    """The version this application was given, or (recorded now) the version in force; None if staff wrote none."""
    issued = IssuedContract.objects.filter(application=application).select_related("contract").order_by("id").first()
    if issued is not None:
        return issued.contract
    contract = ContractTemplate.current()
    if contract is not None:
        IssuedContract.objects.get_or_create(application=application, contract=contract)
    return contract


def issued_version(application: Application) -> str:
    """The version number printed next to the contract on the cover sheet ("" if none was handed out)."""
    issued = IssuedContract.objects.filter(application=application).select_related("contract").order_by("id").first()
    return issued.contract.version if issued else ""


def contract_values(application: Application) -> dict[str, str]:
    """The contract's blanks, from the application and the settings; an empty one stays a dotted line."""
    place = " / ".join(part for part in (application.district, province_name(application.province)) if part)
    address = " ".join((application.address or "").split())
    return {
        "institution": application.legal_name,
        "tax_office": application.tax_office,
        "tax_number": application.tax_number,
        "address": f"{address}, {place}" if address and place else address or place,
        "phone": format_phone(application.phone),
        "email": application.email,
        "signatory_name": application.signatory_name,
        "signatory_title": application.signatory_title,
        "reseller": settings.PORTAL_RESELLER_NAME,
        "reseller_address": " ".join(settings.PORTAL_CARGO_ADDRESS.split()),
        "operator": settings.PORTAL_OPERATOR_NAME,
    }
