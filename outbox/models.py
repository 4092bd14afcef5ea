"""The outbox: every e-mail the portal sends is first a row here, written in the transaction that caused it."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


# Outside the model so that its index and constraint are built from it; the model names it OutboxEmail.State.
class OutboxState(models.TextChoices):
    PENDING = "pending", _("Gönderilecek")
    SENDING = "sending", _("Gönderiliyor")
    SENT = "sent", _("Gönderildi")
    FAILED = "failed", _("Gönderilemedi")
    UNCERTAIN = "uncertain", _("Belirsiz")


class OutboxEmail(models.Model):
    """One templated e-mail to send; the Celery task and the sweep carry only its id.

    The lifecycle: pending → sending → sent; a refusal the server may lift (a busy or unreachable server) goes back to
    pending with a later `next_attempt_at`; a permanent refusal, a template that cannot render or too many attempts
    end in failed; a message whose delivery cannot be known (the connection dropped after the message was handed to
    the server) ends in uncertain and is not retried by itself (see `outbox.delivery`).
    """

    State = OutboxState

    to = models.JSONField(_("alıcılar"), help_text=_("Adres listesi."))
    template = models.CharField(_("şablon"), max_length=100)
    language = models.CharField(_("dil"), max_length=8)
    # The values the templates print. Cleared once the message is sent: a sent message keeps no links or tokens.
    context = models.JSONField(_("İçerik"), default=dict, blank=True)
    # Extra headers (List-Unsubscribe on reminders); Message-ID is the outbox's own.
    headers = models.JSONField(_("ek başlıklar"), default=dict, blank=True)
    about_type = models.CharField(_("İlgili kayıt türü"), max_length=100, blank=True)
    about_id = models.BigIntegerField(_("İlgili kayıt no"), null=True, blank=True)
    state = models.CharField(_("durum"), max_length=16, choices=State, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("deneme"), default=0)
    created_at = models.DateTimeField(_("oluşturulma"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("sonraki deneme"))
    claimed_at = models.DateTimeField(_("son deneme başlangıcı"), null=True, blank=True)
    # Set, and committed, once the SMTP server has accepted the connection and is about to receive the message:
    # an attempt that stops after this point may have been delivered.
    handed_over_at = models.DateTimeField(_("sunucuya teslim başlangıcı"), null=True, blank=True)
    sent_at = models.DateTimeField(_("gönderilme"), null=True, blank=True)
    subject = models.CharField(_("konu"), max_length=300, blank=True)
    last_error = models.TextField(_("son hata"), blank=True)

    class Meta:
        verbose_name = _("giden e-posta")
        verbose_name_plural = _("giden e-postalar")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweep's query: open messages by due time. Sent ones, the vast majority, stay out of the index.
            models.Index(
                fields=["next_attempt_at"],
                name="outboxemail_due_idx",
                condition=Q(state__in=[OutboxState.PENDING, OutboxState.SENDING]),
            ),
            models.Index(fields=["about_type", "about_id"], name="outboxemail_about_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=OutboxState.values),
                name="outboxemail_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} → {', '.join(self.to)}"
