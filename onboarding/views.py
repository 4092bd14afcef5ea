from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from billing.models import BillingType, CreditPackage
from onboarding.models import InstitutionType


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """What the service is, the guide's three steps, and the way in."""
    return render(
        request,
        "onboarding/home.html",
        {
            "institution_types": InstitutionType.objects.filter(is_active=True),
            "billing_types": BillingType.objects.all(),
            "packages": CreditPackage.objects.filter(is_active=True),
        },
    )


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer: the process answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
