"""The KVKK pages: the notice in force, and the data subject's request form with its confirmation."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from privacy import services
from privacy.forms import DataSubjectRequestForm
from privacy.models import PrivacyText


@require_GET
def notice(request: HttpRequest) -> HttpResponse:
    text = PrivacyText.objects.in_force(PrivacyText.Kind.NOTICE)
    if text is None:
        raise Http404
    return render(request, "privacy/notice.html", {"notice": text})


def _client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: a forwarded header is typed by the client, and would let anyone dodge the limit. Behind a
    # proxy that is the proxy's address, and the per-e-mail limit still holds.
    return request.META.get("REMOTE_ADDR") or None


@require_http_methods(["GET", "POST"])
def request_form(request: HttpRequest) -> HttpResponse:
    initial = {}
    if request.user.is_authenticated:
        initial = {"full_name": request.user.full_name, "email": request.user.email}
    form = DataSubjectRequestForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.send_data_subject_request(**form.cleaned_data, user=request.user, ip_address=_client_ip(request))
        except services.RequestLimitError as error:
            form.add_error(None, error.message)
            status = 429
        else:
            return redirect("privacy:request-done")
    return render(request, "privacy/request_form.html", {"form": form}, status=status)


@require_GET
def request_done(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/request_done.html")
