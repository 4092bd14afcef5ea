"""The record of every reminder: one row per person, due item and step of the cadence, written before the e-mail."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Reminder(models.Model):
    """The `step`-th reminder of one due item to one person.

    The unique key (recipient, item, step) is what makes a reminder go out once: a second sweep, beat tick or
    delivery of the same task finds the row and sends nothing, and two sweeps at once cannot both insert it. The row
    and its e-mail (an outbox row) are written in one transaction.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("alıcı"), on_delete=models.CASCADE, related_name="reminders"
    )
    item_key = models.CharField(_("konu anahtarı"), max_length=120)
    kind = models.CharField(_("tür"), max_length=30)
    step = models.PositiveSmallIntegerField(_("kaçıncı hatırlatma"))
    application = models.ForeignKey(
        "onboarding.Application",
        verbose_name=_("başvuru"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    email = models.ForeignKey(
        "outbox.OutboxEmail", verbose_name=_("e-posta"), on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("zaman"), auto_now_add=True)

    class Meta:
        verbose_name = _("hatırlatma")
        verbose_name_plural = _("hatırlatmalar")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "item_key", "step"], name="reminder_once_per_step"),
        ]
        indexes = [models.Index(fields=["application", "-created_at"], name="reminder_application_idx")]

    def __str__(self) -> str:
        return f"{self.item_key} #{self.step} → {self.recipient}"

    @property
    def kind_label(self) -> str:
        from onboarding.due import KIND_LABELS

        return str(KIND_LABELS.get(self.kind, self.kind))
