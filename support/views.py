"""The help page and the favicon's old address."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_GET, require_safe

from onboarding.models import InstitutionType


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links: send them to the SVG the pages link.

    Resolved per request, not at import: the hashed static name needs the manifest, which a bare import may lack.
    """
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@require_GET
def help_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "support/help.html",
        {
            "institution_types": InstitutionType.objects.filter(is_active=True),
            "due_days": settings.PORTAL_DUE_DAYS,
            "review_hours": settings.PORTAL_REVIEW_SLA_HOURS,
        },
    )
