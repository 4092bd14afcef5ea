"""Rendering a templated e-mail: one template triple per message, in the recipient's language.

A message named ``"confirm_email"`` is three templates under ``templates/emails/``:

- ``confirm_email.subject.txt`` — one line (line breaks are folded into spaces);
- ``confirm_email.txt`` — the plain-text body (extend ``emails/base.txt``);
- ``confirm_email.html`` — the HTML alternative (extend ``emails/base.html``).
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def email_language(language: str | None = None) -> str:
    """Return a language the portal speaks: `language` (or the active one) reduced to a code of LANGUAGES."""
    try:
        return translation.get_supported_language_variant(language or translation.get_language() or "")
    except LookupError:
        return settings.LANGUAGE_CODE


def render_email(
    *, to: list[str], template: str, context: dict, language: str = "tr", headers: dict | None = None
) -> EmailMultiAlternatives:
    """`templates/emails/<template>.*` rendered in `language`: text with an HTML alternative, ready to send."""
    context = {
        "SITE_URL": settings.SITE_URL,
        "PORTAL_RESELLER_NAME": settings.PORTAL_RESELLER_NAME,
        "PORTAL_OPERATOR_NAME": settings.PORTAL_OPERATOR_NAME,
        **context,
    }
    with translation.override(email_language(language)):
        subject = render_to_string(f"emails/{template}.subject.txt", context)
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    # A header cannot hold a line break; a template's trailing newline must not become one.
    subject = " ".join(subject.split())
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=list(to), headers=headers or {}
    )
    message.attach_alternative(html, "text/html")
    return message
