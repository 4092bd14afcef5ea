"""Writes of the KVKK part: a data subject's request, limited against abuse and passed on to staff."""

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from onboarding.models import Application, Consent
from outbox.services import queue_email
from privacy.models import DataSubjectRequest, PrivacyText

if TYPE_CHECKING:
    from accounts.models import User

# What each consent kind records, by the kind of its text.
CONSENT_KIND = {
    PrivacyText.Kind.NOTICE: Consent.Kind.KVKK_NOTICE,
    PrivacyText.Kind.MARKETING_EMAIL: Consent.Kind.MARKETING_EMAIL,
}


def text_shown(kind: str, version: str | None) -> PrivacyText | None:
    """The version of `kind` a page showed (posted back with the form), or the one in force if that is unknown.

    A version that took effect counts even if a newer one came into force while the page was open: the record says
    what the reader saw. A future version or an unknown one does not.
    """
    if version:
        shown = PrivacyText.objects.filter(
            kind=kind, version=version, effective_from__lte=timezone.localdate()
        ).first()
        if shown is not None:
            return shown
    return PrivacyText.objects.in_force(kind)


def record_privacy_text(text: PrivacyText, *, user: "User", application: Application | None = None) -> Consent:
    """Record that `user` was shown the notice, or gave the consent, of `text` (with its version); idempotent."""
    kind = CONSENT_KIND[text.kind]
    if application is None:
        consent, _created = Consent.objects.get_or_create(
            application=None, user=user, kind=kind, text_version=text.version
        )
    else:
        consent, _created = Consent.objects.get_or_create(
            application=application, kind=kind, text_version=text.version, defaults={"user": user}
        )
    return consent


class RequestLimitError(Exception):
    """Too many requests from one address or e-mail in the last day."""

    message = _(
        "Son 24 saatte bu adresten çok sayıda başvuru aldık. Lütfen yarın yeniden deneyin ya da bize e-posta veya "
        "KEP ile yazın."
    )


@transaction.atomic
def send_data_subject_request(
    *,
    full_name: str,
    email: str,
    request_type: str,
    text: str,
    user: "User | None",
    ip_address: str | None,
) -> DataSubjectRequest:
    """Record a KVKK art. 11 request and queue its e-mail to the data controller's address after commit.

    At most PORTAL_KVKK_REQUESTS_PER_DAY requests a day from one IP address or one e-mail address, counted in the
    database (so every process sees the same count); over the limit raises RequestLimitError and records nothing.
    """
    since = timezone.now() - timedelta(days=1)
    same_sender = Q(email__iexact=email)
    if ip_address:
        same_sender |= Q(ip_address=ip_address)
    if DataSubjectRequest.objects.filter(same_sender, created_at__gte=since).count() >= (
        settings.PORTAL_KVKK_REQUESTS_PER_DAY
    ):
        raise RequestLimitError()
    request = DataSubjectRequest.objects.create(
        full_name=full_name,
        email=email,
        request_type=request_type,
        text=text,
        user=user if user is not None and user.is_authenticated else None,
        ip_address=ip_address or None,
    )
    queue_email(
        to=[settings.PORTAL_DATA_CONTROLLER["requests_email"]],
        template="kvkk_request",
        context={
            "full_name": full_name,
            "email": email,
            "request_type": str(DataSubjectRequest.Type(request_type).label),
            "text": text,
            "created_at": date_format(timezone.localtime(request.created_at), "d.m.Y H:i"),
            "answer_due": date_format(timezone.localtime(request.answer_due_at), "d.m.Y"),
            "admin_url": settings.SITE_URL + reverse("admin:privacy_datasubjectrequest_change", args=[request.pk]),
        },
        language="tr",
        about=request,
        headers={"Reply-To": email},
    )
    return request
