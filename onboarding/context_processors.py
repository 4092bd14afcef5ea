from django.conf import settings


def portal(request) -> dict:
    """The reseller's facts every page may show (header, footer, cover texts)."""
    return {
        "PORTAL_RESELLER_NAME": settings.PORTAL_RESELLER_NAME,
        "PORTAL_OPERATOR_NAME": settings.PORTAL_OPERATOR_NAME,
        "PORTAL_CARGO_ADDRESS": settings.PORTAL_CARGO_ADDRESS,
    }
