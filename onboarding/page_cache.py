"""An applicant's page content, rendered once and served again while nothing it shows has changed.

The status page reads the application's checklist, documents, files, events, reminders and the catalogue, and
renders all of it: most of its CPU time, for a page the applicant reloads far more often than anything on it
changes. Its content is stored in the shared cache under a key made of everything it depends on:

- the application's `page_version`, which the database raises on any change to the application's row, its
  documents, files, events, reminders, sender IDs, consents or contracts (migration onboarding 0016) — so no
  write path can forget it;
- the catalogue's version (requirement labels, the letter template; onboarding.catalogue);
- the language, and whether the applicant's address is confirmed (the due list says so);
- the portal's code, templates and translations (config.build): a deploy never serves content the previous code
  rendered (nor its CSRF placeholder);
- time: the stored content says until when it holds — the next deadline it shows (an item turns past due), the
  day the originals are due to arrive, the next midnight (dates), and an hour at most.

The CSRF token is the one thing that differs per visitor and session: the content is rendered with a placeholder,
and the request's own token replaces it on the way out. Without the cache (down) or the catalogue's version (in a
transaction), the content is rendered as before and not stored.
"""

import datetime
import hashlib
import re
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from config.build import source_version
from onboarding import catalogue

# The same in every process that shares the store (it is in the stored content), and secret (derived from
# SECRET_KEY), so no text an applicant types can contain it.
CSRF_PLACEHOLDER = (
    f"csrf-{salted_hmac('onboarding.page_cache', 'csrf placeholder', algorithm='sha256').hexdigest()[:32]}"
)
LONGEST = datetime.timedelta(hours=1)
TIMEOUT = 24 * 60 * 60

# render(csrf_token) -> (content, the instants at which what it shows changes by itself)
Render = Callable[[str | None], tuple[str, list[datetime.datetime]]]


def _key(name: str, request, application) -> str | None:
    version = catalogue.version()
    if version is None or not settings.PORTAL_PAGE_CACHE:
        return None
    confirmed = "c" if request.user.email_confirmed_at else "u"
    return (
        f"page:{name}:{application.pk}:{application.page_version}:{get_language()}:{confirmed}:{version}:"
        f"{source_version()}"
    )


def holds_until(now: datetime.datetime, changes: list[datetime.datetime]) -> datetime.datetime:
    """The earliest of: an hour from now, the next local midnight, and each future instant in `changes`."""
    local = timezone.localtime(now)
    midnight = (local + datetime.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return min([now + LONGEST, midnight, *(at for at in changes if at and at > now)])


def content(name: str, request, application, render: Render) -> SafeString:
    """The page's content for this request: stored while it holds, rendered (and stored) otherwise."""
    key = _key(name, request, application)
    now = timezone.now()
    if key is None:
        return mark_safe(render(None)[0])  # noqa: S308 - a template's own rendering
    stored = cache.get(key)
    if stored is None or stored[0] <= now:
        html, changes = render(CSRF_PLACEHOLDER)
        stored = (holds_until(now, changes), str(html))
        cache.set(key, stored, TIMEOUT)
    return mark_safe(stored[1].replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308


def arrival(application) -> datetime.datetime | None:
    """When the originals are due to have arrived (onboarding.due's ORIGINALS item appears then)."""
    if application.cargo_recorded_at is None:
        return None
    return application.cargo_recorded_at + datetime.timedelta(days=settings.PORTAL_ORIGINALS_TRANSIT_DAYS)


def fragment(name: str, application, render: Callable[[], str], *, variant: str = "") -> SafeString:
    """A part of a staff page about one application (no form, no CSRF token), stored like the applicant's pages'
    content: under the application's page version, the catalogue's and the code's, the language and `variant` (what
    else it depends on, such as the viewer's permissions)."""
    version = catalogue.version()
    if version is None or not settings.PORTAL_PAGE_CACHE:
        return mark_safe(render())  # noqa: S308 - a template's own rendering
    key = (
        f"fragment:{name}:{application.pk}:{application.page_version}:{get_language()}:{version}:"
        f"{source_version()}:{variant}"
    )
    html = cache.get(key)
    if html is None:
        html = str(render())
        cache.set(key, html, TIMEOUT)
    return mark_safe(html)  # noqa: S308


def permissions_key(user) -> str:
    """A short digest of what the user may do, for content that shows more or less by permission."""
    permissions = "superuser" if user.is_superuser else ",".join(sorted(user.get_all_permissions()))
    return hashlib.sha256(permissions.encode()).hexdigest()[:16]


# --- Whole staff pages -------------------------------------------------------------------------------------------

STAFF_PAGE_SECONDS = 60
CSRF_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]+)(")')
NONCE_PLACEHOLDER = (
    f"nonce-{salted_hmac('onboarding.page_cache', 'nonce placeholder', algorithm='sha256').hexdigest()[:32]}"
)


def applications_version() -> int | None:
    """A number that moves on every change to any application or what its pages show (migration onboarding 0016)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT last_value, is_called FROM onboarding_change_seq")
            value, called = cursor.fetchone()
            return value if called else 0
        cursor.execute("SELECT value FROM onboarding_change_counter")
        row = cursor.fetchone()
        return row[0] if row else None


def staff_page(request, name: str, version, render: Callable[[], "HttpResponse"]) -> "HttpResponse":
    """A whole admin page for a member of staff, served again for a minute at most while `version` (what its data
    depends on) is unchanged; the viewer, their permissions, the language, the address, the catalogue and the code
    are part of the key. The page's CSRF token and CSP nonce are this request's: stored as placeholders, swapped in
    on the way out. A page with messages to show, a page whose data version is unknown, and an answer that is not a
    plain 200 are never stored."""
    catalogue_version = catalogue.version()
    if (
        not settings.PORTAL_PAGE_CACHE
        or version is None
        or catalogue_version is None
        or request.method != "GET"
        or len(messages.get_messages(request))
    ):
        return render()
    user = request.user
    key = (
        "staff-page:"
        + hashlib.sha256(
            "|".join(
                map(
                    str,
                    (
                        name,
                        version,
                        user.pk,
                        user.get_full_name(),
                        permissions_key(user),
                        get_language(),
                        request.get_full_path(),
                        catalogue_version,
                        source_version(),
                    ),
                )
            ).encode()
        ).hexdigest()
    )
    stored = cache.get(key)
    if stored is not None:
        content_type, html = stored
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
        nonce = get_nonce(request)
        if nonce is not None:
            html = html.replace(NONCE_PLACEHOLDER, str(nonce))
        return HttpResponse(html, content_type=content_type)
    response = render()
    if response.status_code != 200 or getattr(response, "streaming", False):
        return response
    if hasattr(response, "render"):
        response.render()
    html = CSRF_FIELD.sub(rf"\g<1>{CSRF_PLACEHOLDER}\g<3>", response.content.decode())
    nonce = get_nonce(request)
    if nonce:  # generated while rendering
        html = html.replace(str(nonce), NONCE_PLACEHOLDER)
    cache.set(key, (response["Content-Type"], html), STAFF_PAGE_SECONDS)
    return response
