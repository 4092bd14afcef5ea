from django.conf import settings

from onboarding.turkish import format_phone


def contacts(request) -> dict:
    """The footer's contacts on every page: the data controller (KVKK) and support."""
    return {
        "PORTAL_DATA_CONTROLLER": settings.PORTAL_DATA_CONTROLLER,
        "PORTAL_SUPPORT": {
            **settings.PORTAL_SUPPORT,
            "phone_display": format_phone(settings.PORTAL_SUPPORT["phone"]),
        },
    }
