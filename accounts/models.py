from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str):
        # E-mail addresses are matched without regard to case, as people type them.
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an e-mail address: an applicant's officer or a member of staff."""

    email = models.EmailField(_("e-posta adresi"), max_length=254, unique=True)
    full_name = models.CharField(_("ad soyad"), max_length=150, blank=True)
    mobile = models.CharField(
        _("cep telefonu"), max_length=16, blank=True, help_text=_("E.164 biçiminde, +905xxxxxxxxx")
    )
    is_staff = models.BooleanField(_("personel"), default=False, help_text=_("Yönetim paneline girebilir."))
    is_active = models.BooleanField(_("etkin"), default=True)
    email_confirmed_at = models.DateTimeField(_("e-posta doğrulandı"), null=True, blank=True)
    date_joined = models.DateTimeField(_("kayıt tarihi"), default=timezone.now)
    # The language of the person's e-mail (chosen at registration, changed on the notifications page).
    language = models.CharField(_("e-posta dili"), max_length=8, choices=settings.LANGUAGES, default="tr")
    # Set when the person refused reminders (one click in any reminder, or the notifications page).
    reminders_opted_out_at = models.DateTimeField(_("hatırlatmaları kapattı"), null=True, blank=True)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("kullanıcı")
        verbose_name_plural = _("kullanıcılar")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email
