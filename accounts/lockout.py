"""The two hooks django-axes calls (see AXES_* in settings): the failure counter's key and the lockout page.

An interface like a view: it may use forms and services, and nothing below it imports it.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.forms import LoginForm
from accounts.services import login_key


def login_failure_key(request: HttpRequest, credentials: dict | None) -> str | None:
    """The address a login attempt counts against: trimmed and case-folded, as login itself matches it."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = getattr(request, "POST", {}).get("username")
    if not value:
        return None
    return login_key(str(value))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """The login page again, status 429, with one message that is the same whether or not the account exists."""
    cooloff = settings.AXES_COOLOFF_TIME
    context = {
        # Unbound: binding the posted data would authenticate again and count another failure.
        "form": LoginForm(request),
        "locked_out": True,
        "next": request.POST.get("next", ""),  # LoginView checks it is safe before redirecting to it
        "lockout_minutes": int(cooloff.total_seconds() // 60) if cooloff else None,
    }
    return render(request, "accounts/login.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
