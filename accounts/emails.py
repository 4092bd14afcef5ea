"""Every e-mail the portal sends: one template triple per message, rendered in the recipient's language.

A message named ``"confirm_email"`` is three templates under ``templates/emails/``:

- ``confirm_email.subject.txt`` — one line (line breaks are folded into spaces);
- ``confirm_email.txt`` — the plain-text body (extend ``emails/base.txt``);
- ``confirm_email.html`` — the HTML alternative (extend ``emails/base.html``).

Other apps send their notifications with :func:`queue_email`, never by calling the mail API directly, so every
message is rendered the same way, goes out through Celery, and only once the transaction that caused it commits.
"""

import json
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def email_language(language: str | None = None) -> str:
    """Return a language the portal speaks: `language` (or the active one) reduced to a code of LANGUAGES."""
    try:
        return translation.get_supported_language_variant(language or translation.get_language() or "")
    except LookupError:
        return settings.LANGUAGE_CODE


def send_templated_email(*, to: list[str], template: str, context: dict, language: str = "tr") -> None:
    """Render `templates/emails/<template>.*` in `language` and send it now as text with an HTML alternative."""
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
    message = EmailMultiAlternatives(subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=list(to))
    message.attach_alternative(html, "text/html")
    message.send()


def queue_email(*, to: list[str], template: str, context: dict, language: str | None = None) -> None:
    """Send a templated e-mail through Celery once the current transaction commits (at once outside one).

    `context` must be JSON-serialisable (str, int, float, bool, None, lists and dicts of them): the task crosses the
    broker. Pass the values the templates print — names, URLs built from ``settings.SITE_URL``, dates as text — and
    never model instances or lazy translations; translate inside the template instead. A context that cannot be
    serialised raises ``TypeError`` here, in the caller, rather than later in a worker.

    `language` is the recipient's language; ``None`` means the language active now (the request's language inside a
    view). Celery tasks and sweeps have no request, so they should pass it explicitly.

    If the transaction rolls back, nothing is sent. If the broker cannot be reached when the transaction commits, the
    failure is logged and the caller's work stands: e-mail is a notification, not part of the commit.
    """
    if isinstance(to, str):
        raise TypeError("to must be a list of addresses, not a single string.")
    to = list(to)
    # A JSON round trip fails fast, in the caller, on what the broker could not carry, and copies the context so
    # later changes by the caller cannot alter a message already queued.
    context = json.loads(json.dumps(context))
    language = email_language(language)

    from accounts.tasks import send_email_task  # the task module imports this one

    transaction.on_commit(
        lambda: send_email_task.delay(to=to, template=template, context=context, language=language),
        robust=True,
    )
