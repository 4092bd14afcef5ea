from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import EMAIL_TAKEN_MESSAGE, queue_password_reset_email
from onboarding.identifiers import normalize_mobile, normalize_text


class LoginForm(AuthenticationForm):
    """Django's login form, labelled for an e-mail login."""

    username = forms.EmailField(
        label=_("E-posta adresi"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("E-posta adresi veya parola hatalı. Lütfen tekrar deneyin."),
    }


class RegistrationForm(auth_forms.SetPasswordMixin, forms.Form):
    """A new applicant's account: validation only; `accounts.services.register_applicant` writes."""

    email = forms.EmailField(
        label=_("E-posta adresi"),
        max_length=254,
        help_text=_("Doğrulama bağlantısını bu adrese göndereceğiz; giriş yaparken de bu adresi kullanacaksınız."),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    full_name = forms.CharField(
        label=_("Ad soyad"),
        max_length=300,  # the real limit (150) is checked after normalisation, with a clearer message
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    mobile = forms.CharField(
        label=_("Cep telefonu"),
        max_length=32,
        help_text=_("Örneğin 0532 123 45 67. Sabit hat ve 0850 numaraları kabul edilmez."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    password1, password2 = auth_forms.SetPasswordMixin.create_password_fields(
        label1=_("Parola"), label2=_("Parola (tekrar)")
    )
    # The version of the KVKK notice the page showed, recorded with the account.
    notice_version = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(EMAIL_TAKEN_MESSAGE, code="email_taken")
        return email

    def clean_full_name(self) -> str:
        return normalize_text(self.cleaned_data["full_name"], max_length=150)

    def clean_mobile(self) -> str:
        return normalize_mobile(self.cleaned_data["mobile"])

    def clean(self):
        cleaned_data = super().clean()
        self.validate_passwords()
        # The password validators compare against the person's own details (UserAttributeSimilarityValidator).
        candidate = User(email=cleaned_data.get("email") or "", full_name=cleaned_data.get("full_name") or "")
        self.validate_password_for_user(candidate)
        return cleaned_data


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-posta adresi"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class PortalPasswordResetForm(PasswordResetForm):
    """Django's reset form, whose e-mail is rendered by our templates and sent through Celery after commit."""

    email = forms.EmailField(
        label=_("E-posta adresi"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        # Django's context holds the user object; the outbox gets only what the templates print.
        queue_password_reset_email(
            context["user"],
            reset_path=reverse("accounts:password-reset-confirm", args=[context["uid"], context["token"]]),
            language=translation.get_language(),
        )


class StaffUserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class StaffUserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
