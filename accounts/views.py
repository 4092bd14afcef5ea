from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts import services
from accounts.forms import PortalPasswordResetForm, RegistrationForm, ResendConfirmationForm
from privacy.models import PrivacyText

# The message for every resend request from a visitor who is not logged in: it must not tell whether an account with
# that address exists or is already confirmed.
RESEND_GENERIC_MESSAGE = gettext_lazy(
    "Bu adrese ait, e-postası henüz doğrulanmamış bir hesap varsa yeni bir doğrulama bağlantısı gönderdik. "
    "Birkaç dakika içinde gelmezse istenmeyen (spam) klasörünüzü de kontrol edin."
)


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    notice = PrivacyText.objects.in_force(PrivacyText.Kind.NOTICE)
    form = RegistrationForm(request.POST or None, initial={"notice_version": notice.version if notice else ""})
    if request.method == "POST" and form.is_valid():
        try:
            user = services.register_applicant(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                full_name=form.cleaned_data["full_name"],
                mobile=form.cleaned_data["mobile"],
                language=translation.get_language(),
                notice_version=form.cleaned_data.get("notice_version") or None,
            )
        except services.AccountError as error:
            form.add_error("email", error.message)
        else:
            # Logged in at once: confirming the address can wait; the banner keeps asking until it is done.
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("accounts:register-done")
    return render(request, "accounts/register.html", {"form": form, "notice": notice})


@require_GET
def register_done(request: HttpRequest) -> HttpResponse:
    """ "Check your e-mail": after registering, and after asking for a new link."""
    return render(
        request,
        "accounts/register_done.html",
        {"resend_form": ResendConfirmationForm(), "hide_confirmation_banner": True},
    )


@require_GET
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    # The link carries the language its e-mail was written in: answer in it, and keep it for the pages that follow.
    language = (services.read_confirmation_token(token) or {}).get("l")
    if language not in dict(settings.LANGUAGES):
        language = None
    if language:
        translation.activate(language)
        request.LANGUAGE_CODE = language

    try:
        services.confirm_email(token)
    except services.AccountError as error:
        expired_user = error.user if error.code == "link_expired" else None
        context = {
            "error": error,
            "resend_form": ResendConfirmationForm(initial={"email": expired_user.email} if expired_user else None),
            "hide_confirmation_banner": True,
        }
        response = render(request, "accounts/confirm_failed.html", context, status=400)
    else:
        messages.success(request, _("E-posta adresiniz doğrulandı. Teşekkürler!"))
        # Straight on to the application the officer came for; a visitor logs in first.
        response = redirect("onboarding:application-start" if request.user.is_authenticated else "accounts:login")
    if language:
        _remember_language(response, language)
    return response


def _remember_language(response: HttpResponse, language: str) -> None:
    """Set the language cookie, as the language switcher does."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@require_http_methods(["GET", "POST"])
def resend_confirmation(request: HttpRequest) -> HttpResponse:
    """A new confirmation link: for the logged-in user, or for an address typed in (answered generically)."""
    if request.method == "POST" and request.user.is_authenticated:
        if request.user.email_confirmed_at is not None:
            messages.info(request, _("E-posta adresiniz zaten doğrulanmış."))
        else:
            services.resend_confirmation(request.user)
            messages.success(
                request,
                _("Doğrulama bağlantısını %(email)s adresine gönderdik.") % {"email": request.user.email},
            )
        return redirect(_safe_next(request) or reverse("home"))

    form = ResendConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.request_confirmation_by_email(form.cleaned_data["email"])
        messages.success(request, RESEND_GENERIC_MESSAGE)
        return redirect("accounts:register-done")
    return render(request, "accounts/resend_confirmation.html", {"form": form, "hide_confirmation_banner": True})


def _safe_next(request: HttpRequest) -> str | None:
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return None


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.record_password_reset(form.user)
        return response


password_reset = auth_views.PasswordResetView.as_view(
    form_class=PortalPasswordResetForm,
    template_name="accounts/password_reset_form.html",
    success_url=reverse_lazy("accounts:password-reset-done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
password_change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/password_change_form.html",
    success_url=reverse_lazy("accounts:password-change-done"),
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")
