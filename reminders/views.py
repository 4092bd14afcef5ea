from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from reminders import services
from reminders.forms import PreferencesForm


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """The notifications page: reminders on or off, and the language of the portal's e-mail."""
    user = request.user
    form = PreferencesForm(
        request.POST or None, initial={"reminders": user.reminders_opted_out_at is None, "language": user.language}
    )
    if request.method == "POST" and form.is_valid():
        services.save_preferences(
            user, reminders=form.cleaned_data["reminders"], language=form.cleaned_data["language"]
        )
        messages.success(request, _("Bildirim tercihleriniz kaydedildi."))
        return redirect("reminders:preferences")
    return render(
        request, "reminders/preferences.html", {"form": form, "reminders": services.recent_reminders_of(user)}
    )


# Mail programs POST the one-click stop (RFC 8058) without a CSRF token; the signed token in the address is the proof.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def stop(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every reminder. GET asks (link scanners open links); POST stops the reminders, no login needed."""
    user = services.user_for_unsubscribe_token(token)
    if user is None:
        raise Http404
    stopped = request.method == "POST"
    if stopped:
        services.set_reminders(user, enabled=False)
    context = {
        "stopped": stopped,
        "already": user.reminders_opted_out_at is not None,
        "email": user.email,
        "token": token,
    }
    return render(request, "reminders/stop.html", context)
