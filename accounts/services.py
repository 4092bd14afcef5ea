"""Every write of the accounts app: registration, e-mail confirmation, and what follows a password reset."""

import unicodedata
from datetime import timedelta

from axes.utils import reset as reset_login_failures
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.models import User
from outbox.models import OutboxEmail
from outbox.rendering import email_language
from outbox.services import queue_email
from privacy import services as privacy_services
from privacy.models import PrivacyText

CONFIRM_EMAIL_SALT = "accounts.confirm-email"
# One resend per address per this many seconds, so the form cannot be used to flood someone's mailbox.
RESEND_INTERVAL_SECONDS = 60

# Registration says plainly that an address is taken. Hiding it would mean answering "check your e-mail" and mailing
# the owner instead, which leaves a returning officer (institutions apply again, months later) waiting for a message
# that explains nothing they could not have been told on the spot. What the answer reveals — that an address has an
# account on this portal — is worth little to an attacker: passwords are guarded by the per-address lockout, which
# behaves the same for unknown addresses, and password reset and resend answer generically (no second oracle).
EMAIL_TAKEN_MESSAGE = _("Bu e-posta adresiyle bir hesap zaten var; giriş yapın veya parolanızı sıfırlayın.")
INVALID_LINK_MESSAGE = _(
    "Bu doğrulama bağlantısı geçersiz. Lütfen e-postadaki bağlantıyı eksiksiz açın ya da yeni bir bağlantı isteyin."
)
EXPIRED_LINK_MESSAGE = _("Bu doğrulama bağlantısının süresi dolmuş. Size yeni bir bağlantı gönderebiliriz.")


def login_key(address: str) -> str:
    """The address a login attempt counts against (django-axes' key, via accounts.lockout): as login matches it."""
    # An e-mail address is an identifier, not display text: folding it is how login matches it (iexact), so every
    # spelling that reaches one account shares one counter. casefold() folds at least as much as the database does,
    # so a variant can only ever count against more, never escape the limit.
    return unicodedata.normalize("NFKC", address).strip().casefold()


class AccountError(Exception):
    """The accounts app's one domain error; `code` tells the cases apart, `user` is set when one is known."""

    def __init__(self, code: str, message, *, user: User | None = None):
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.user = user


def confirm_max_age() -> timedelta:
    """How long a confirmation link stays valid (ACCOUNT_CONFIRM_MAX_AGE_DAYS, 3 days by default)."""
    return timedelta(days=getattr(settings, "ACCOUNT_CONFIRM_MAX_AGE_DAYS", 3))


def make_confirmation_token(user: User, *, language: str) -> str:
    """A signed, timestamped token naming the user, the address it confirms and the language of the e-mail."""
    # The address is part of the token, so a link stops working if the account's address changes.
    return signing.dumps({"u": user.pk, "e": user.email, "l": language}, salt=CONFIRM_EMAIL_SALT)


def read_confirmation_token(token: str) -> dict | None:
    """The token's payload if its signature is ours, whatever its age; None if it was tampered with or made up."""
    try:
        payload = signing.loads(token, salt=CONFIRM_EMAIL_SALT)
    except signing.BadSignature:
        return None
    return payload if isinstance(payload, dict) else None


def queue_confirmation_email(user: User, *, language: str | None = None) -> None:
    """Queue the e-mail with a fresh confirmation link, in `language` (default: the active one), after commit."""
    language = email_language(language)
    token = make_confirmation_token(user, language=language)
    queue_email(
        to=[user.email],
        template="confirm_email",
        context={
            "full_name": user.get_full_name(),
            "confirm_url": settings.SITE_URL + reverse("accounts:confirm-email", args=[token]),
            "max_age_days": confirm_max_age().days,
        },
        language=language,
        about=user,
    )


@transaction.atomic
def register_applicant(
    *, email: str, password: str, full_name: str, mobile: str, language: str, notice_version: str | None = None
) -> User:
    """Create an applicant (group Applicants, e-mail unconfirmed), record the KVKK notice the form showed (the version
    in force if unknown), and queue the confirmation e-mail after commit.

    Expects values already validated by `RegistrationForm`; raises AccountError("email_taken") if the address is in
    use in any letter case, also when a concurrent registration wins the race.
    """
    email = User.objects.normalize_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise AccountError("email_taken", EMAIL_TAKEN_MESSAGE)
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email, password=password, full_name=full_name, mobile=mobile, language=email_language(language)
            )
    except IntegrityError:
        # The case-insensitive unique constraint caught a registration that committed after our check.
        raise AccountError("email_taken", EMAIL_TAKEN_MESSAGE) from None
    user.groups.add(Group.objects.get(name=roles.APPLICANTS))
    # Registration is where personal data is first collected, so the notice is shown there (KVKK art. 10).
    notice = privacy_services.text_shown(PrivacyText.Kind.NOTICE, notice_version)
    if notice is not None:
        privacy_services.record_privacy_text(notice, user=user)
    queue_confirmation_email(user, language=language)
    return user


@transaction.atomic
def confirm_email(token: str) -> User:
    """Record that the user controls the address in `token`; idempotent (a second click keeps the first time).

    Raises AccountError "link_invalid" for a tampered, unknown or outdated token and "link_expired" (with `user` set,
    so a new link can be offered) for one older than ACCOUNT_CONFIRM_MAX_AGE_DAYS, unless already confirmed.
    """
    payload = read_confirmation_token(token)
    user = None
    if payload is not None:
        user = User.objects.select_for_update().filter(pk=payload.get("u"), is_active=True).first()
    if user is None or user.email != payload.get("e"):
        raise AccountError("link_invalid", INVALID_LINK_MESSAGE)
    if user.email_confirmed_at is not None:
        return user
    try:
        signing.loads(token, salt=CONFIRM_EMAIL_SALT, max_age=confirm_max_age())
    except signing.SignatureExpired:
        raise AccountError("link_expired", EXPIRED_LINK_MESSAGE, user=user) from None
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["email_confirmed_at"])
    return user


def _first_in_interval(template: str, user: User) -> bool:
    """True unless an e-mail of this template went to this user in the last RESEND_INTERVAL_SECONDS.

    The forms that send account e-mail answer anyone, so each kind is limited per account: no form can be used to
    flood someone's mailbox. The outbox is the record of what was sent, so the limit holds with Redis down too; the
    account's row is locked first, so two requests at once cannot both pass. Call inside a transaction.
    """
    User.objects.select_for_update().filter(pk=user.pk).first()
    since = timezone.now() - timedelta(seconds=RESEND_INTERVAL_SECONDS)
    return not OutboxEmail.objects.filter(
        about_type=User._meta.label_lower, about_id=user.pk, template=template, created_at__gte=since
    ).exists()


@transaction.atomic
def resend_confirmation(user: User, *, language: str | None = None) -> bool:
    """Queue a new confirmation link unless the address is already confirmed or one was sent in the last minute.

    Returns whether an e-mail was queued. Callers facing anonymous visitors must not show the difference.
    """
    if user.email_confirmed_at is not None or not user.is_active:
        return False
    if not _first_in_interval("confirm_email", user):
        return False
    queue_confirmation_email(user, language=language)
    return True


@transaction.atomic
def queue_password_reset_email(user: User, *, reset_path: str, language: str | None = None) -> bool:
    """Queue the password-reset e-mail unless one went to this account in the last minute; returns whether it did.

    The reset form answers the same whatever this returns and whether or not the address has an account.
    """
    if not _first_in_interval("password_reset", user):
        return False
    queue_email(
        to=[user.email],
        template="password_reset",
        # The link is built from SITE_URL, never from the request's Host header, which a visitor controls.
        context={"full_name": user.get_full_name(), "reset_url": settings.SITE_URL + reset_path, "email": user.email},
        language=language,
        about=user,
    )
    return True


def request_confirmation_by_email(email: str, *, language: str | None = None) -> None:
    """Resend the confirmation link to `email` if it names an unconfirmed account; silent either way."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is not None:
        resend_confirmation(user, language=language)


@transaction.atomic
def record_password_reset(user: User) -> None:
    """After a password reset by e-mail link: the address is proven, and the login lockout for it is lifted."""
    # The reset link reached this mailbox, which is what confirming the address proves.
    User.objects.filter(pk=user.pk, email_confirmed_at__isnull=True).update(email_confirmed_at=timezone.now())
    # The lockout page suggests a reset; a reset must then actually let the owner in.
    reset_login_failures(username=login_key(user.email))
