"""PDFs the portal hands out: the authorisation letter now, the cargo cover sheet later.

A Django template under `templates/pdf/` becomes HTML, and WeasyPrint turns the HTML into PDF bytes. Promises:

1. The output does not depend on the machine's fonts: `pdf/base.html` loads the vendored DejaVu files through
   `@font-face`, and a font file that cannot be loaded stops the rendering instead of falling back silently.
2. Rendering reads nothing but those font files and `data:` URIs: no network, no other local file. Values in the
   context are autoescaped by the template, and the URL fetcher refuses everything else anyway (`PdfError`).
3. Importing this module does not import WeasyPrint: importing it sets Pillow's `ImageFile.LOAD_TRUNCATED_IMAGES`
   process-wide (see `documents/filecheck.py`), so that happens only once a PDF is actually rendered.
4. What applicants and customers download (letter, cover sheet, contract, statement) is rendered once per content
   version and then served from private storage (`stored_pdf`, onboarding/pdf_store.py). The content version is
   the digest of the HTML, which holds everything the PDF shows and nothing that changes by itself (no "now": the
   letter's date is the application's decision date, a statement's its issue date), plus what else makes the bytes:
   the language, WeasyPrint's version and the font files. The HTML names the fonts by placeholder, so the digest
   does not depend on the folder the portal runs from. The admin's previews render every time (`store=False`).
"""

from __future__ import annotations

import functools
import re
import string
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher

    from onboarding.models import LetterTemplate

FONT_FILES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}
# How the HTML names the font files until it is handed to WeasyPrint (see promise 4). A `<` never reaches the HTML
# from a value (autoescaped), so only the template's own references are replaced.
FONT_PLACEHOLDERS = {weight: f"<pdf-font {weight}>" for weight in FONT_FILES}
FONT_SUFFIXES = {".ttf", ".otf", ".woff", ".woff2"}

# What an unfilled blank looks like on paper; the same dotted line `LetterTemplate.render` leaves.
DOTS = "…………………"
DATE_DOTS = "……… / ……… / …………"


class PdfError(Exception):
    """A PDF could not be rendered: the template referred to a resource the fetcher refuses, or that is missing."""


class RefusedURL(ValueError):
    """The fetcher will not read this URL: only the vendored font files and `data:` URIs are allowed."""


def font_dir() -> Path:
    return (settings.BASE_DIR / "static" / "vendor" / "dejavu").resolve()


@functools.cache
def _fetcher_class() -> type[URLFetcher]:
    # Built on first use so that importing this module does not import WeasyPrint (see the module docstring).
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFontFetcher(URLFetcher):
        """Serves `file://` URLs of font files inside one folder and `data:` URIs; raises `RefusedURL` otherwise."""

        def __init__(self, allowed_dir: Path) -> None:
            # fail_on_errors: a refused or missing resource stops the rendering (WeasyPrint raises
            # FatalURLFetchingError, which render_pdf turns into PdfError) instead of a logged warning and a PDF
            # quietly set in a system font or missing an image.
            super().__init__(
                timeout=1, allowed_protocols={"file", "data"}, allow_redirects=False, fail_on_errors=True
            )
            self.allowed_dir = allowed_dir.resolve()

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
            scheme = url.partition(":")[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = self.allowed_path(url)
                return URLFetcherResponse(path.as_uri(), body=path.read_bytes(), headers={"Content-Type": "font/ttf"})
            raise RefusedURL(f"PDF rendering reads no URL of this kind: {url[:80]!r}")

        def allowed_path(self, url: str) -> Path:
            parts = urlsplit(url)
            if parts.netloc not in ("", "localhost"):
                raise RefusedURL(f"PDF rendering reads no remote file: {url[:80]!r}")
            # resolve() removes `..` and follows symlinks, so neither can lead out of the folder.
            path = Path(url2pathname(parts.path)).resolve()
            is_font = path.suffix.lower() in FONT_SUFFIXES and path.is_file()
            if not (path.is_relative_to(self.allowed_dir) and is_font):
                raise RefusedURL(f"PDF rendering reads only the vendored font files, not {url[:80]!r}")
            return path

    return LocalFontFetcher


def resource_fetcher() -> URLFetcher:
    """The URL fetcher every PDF is rendered with: vendored fonts and `data:` URIs only."""
    return _fetcher_class()(font_dir())


def render_html(template_name: str, context: dict[str, Any], *, language: str = "tr") -> str:
    """The HTML of a template under `templates/pdf/` in `language`: cheap, and what a content version is taken of."""
    font_urls = {weight: mark_safe(placeholder) for weight, placeholder in FONT_PLACEHOLDERS.items()}  # noqa: S308
    with translation.override(language):
        return render_to_string(
            template_name,
            {
                **context,
                "pdf_language": language,
                "pdf_font_urls": font_urls,
                "pdf_page_counter": _page_counter_css(),
            },
        )


def html_to_pdf(html: str, *, template_name: str = "") -> bytes:
    """WeasyPrint's part, the costly one: the HTML of `render_html` as PDF bytes."""
    # Imported here, not at the top: see the module docstring.
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    fonts = font_dir()
    for weight, name in FONT_FILES.items():
        html = html.replace(FONT_PLACEHOLDERS[weight], (fonts / name).as_uri())
    # No warnings filter here: WeasyPrint 70 emits no Python warning for these templates (the suite runs with
    # -W error and renders every one of them); its log messages go to the `weasyprint` logger, quieted in settings.
    try:
        # No base_url: a relative reference has nothing to resolve against and is dropped.
        return HTML(string=html, url_fetcher=resource_fetcher()).write_pdf(font_config=FontConfiguration())
    except FatalURLFetchingError as error:
        # WeasyPrint's fatal error derives from BaseException, which request handlers and workers do not catch.
        raise PdfError(f"{template_name}: {error}") from error.__cause__


def render_pdf(template_name: str, context: dict[str, Any], *, language: str = "tr") -> bytes:
    """Render a template under `templates/pdf/` (extending `pdf/base.html`) in `language` and return the PDF."""
    return html_to_pdf(render_html(template_name, context, language=language), template_name=template_name)


def stored_pdf(template_name: str, context: dict[str, Any], *, language: str = "tr") -> bytes:
    """`render_pdf`, rendered once per content version and then read from private storage (see promise 4)."""
    from onboarding import pdf_store

    html = render_html(template_name, context, language=language)
    digest = pdf_store.content_digest(_renderer_fingerprint(), language, html)
    return pdf_store.pdf_once(digest, lambda: html_to_pdf(html, template_name=template_name), template=template_name)


@functools.cache
def _renderer_fingerprint() -> str:
    """What makes the bytes besides the HTML: WeasyPrint's version and the font files (read once per process)."""
    import hashlib
    from importlib.metadata import version

    digest = hashlib.sha256(f"weasyprint {version('weasyprint')} pydyf {version('pydyf')}".encode())
    for name in sorted(FONT_FILES.values()):
        digest.update((font_dir() / name).read_bytes())
    return digest.hexdigest()


def _pdf(template_name: str, context: dict[str, Any], *, language: str, store: bool) -> bytes:
    return (stored_pdf if store else render_pdf)(template_name, context, language=language)


def letter_context(
    letter_template: LetterTemplate, *, values: dict[str, str], institution_name: str
) -> dict[str, Any]:
    """What the letter says, filled in: shared by the PDF and the .docx so both print the same words."""
    filled = letter_template.filled_values(values)
    is_decision = letter_template.kind == "decision"
    return {
        "letter_template": letter_template,
        "is_decision": is_decision,
        "institution_name": institution_name or DOTS,
        "title": letter_template.title,
        "subject": letter_template.render(values, letter_template.subject) if letter_template.subject else "",
        "addressee": (
            letter_template.render(values, letter_template.addressee)
            if letter_template.addressee and not is_decision
            else ""
        ),
        "date": values.get("date") or DATE_DOTS,
        "paragraphs": [part.strip() for part in letter_template.render(values).split("\n\n") if part.strip()],
        # Under the signature: the person and the title as the applicant entered them, dots for the pen otherwise.
        "signatory_name": values.get("authorised_person") or DOTS,
        "signatory_title": values.get("signatory_title") or DOTS,
        "board_members": range(letter_template.board_members if is_decision else 0),
        "filled": filled,
    }


def letter_pdf(
    letter_template: LetterTemplate,
    *,
    values: dict[str, str],
    institution_name: str,
    language: str = "tr",
    store: bool = True,
) -> bytes:
    """The filled authorisation letter (or decision), ready to put on letterhead, sign and stamp.

    Page 1 is the official page and is always Turkish, since the operator needs it in Turkish; page 2 tells the
    applicant what to do with it, in `language`. With `language="en"` a short English gloss of the body is added on
    that second page, never on the page that is signed.
    """
    context = {
        **letter_context(letter_template, values=values, institution_name=institution_name),
        "gloss": _english_gloss(letter_template, values) if language.startswith("en") else "",
    }
    return _pdf("pdf/letter.html", context, language=language, store=store)


class _Blanks(dict):
    def __missing__(self, key: str) -> str:
        return DOTS


def _english_gloss(letter_template: LetterTemplate, values: dict[str, str]) -> str:
    # body_en is staff-edited and, unlike body, not validated for its blanks: an unknown blank becomes dots, and
    # broken braces drop the gloss (a courtesy line) rather than the letter.
    try:
        known = {name: value for name, value in values.items() if value}
        if not known.get("signatory_title") and letter_template.default_signatory_title:
            known["signatory_title"] = letter_template.default_signatory_title
        return letter_template.body_en.format_map(_Blanks(known))
    except (ValueError, IndexError, AttributeError):
        return ""


def _page_counter_css() -> SafeString:
    """The CSS `content` value of the page footer, e.g. `"Sayfa " counter(page) " / " counter(pages)`."""
    # Translators get the whole phrase, so they can reorder it ("Page 1 of 2").
    phrase = gettext("Sayfa %(page)s / %(pages)s")
    parts = []
    for index, piece in enumerate(re.split(r"%\((page|pages)\)s", phrase)):
        if index % 2:
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(_css_string(piece))
    return mark_safe(" ".join(parts) or '""')  # noqa: S308 -- every piece is a counter() or an escaped CSS string


def _css_string(text: str) -> str:
    # Anything but ASCII letters, digits and harmless punctuation becomes a CSS hex escape, so no quote, backslash or
    # `<` (think `</style>`) from a translation can leave the string. The space after each escape ends it and is
    # swallowed by the CSS parser, so a real space that follows stays a space.
    safe = set(string.ascii_letters + string.digits + " .,:;/()-_#")
    return '"' + "".join(char if char in safe else f"\\{ord(char):06x} " for char in text) + '"'


def reference_qr_data_uri(reference: str) -> str:
    """The application reference as a QR code (SVG data URI): a USB scanner types it into the admin's search box."""
    import segno

    return segno.make(reference, error="m", micro=False).svg_data_uri(scale=6, border=2)


def cover_sheet_pdf(application, *, items: list, language: str = "tr", store: bool = True) -> bytes:
    """The cover sheet for the envelope of originals: where it goes, whose it is, and what it holds."""
    originals = [item for item in items if item.is_required or item.has_files]
    context = {
        "application": application,
        "qr": reference_qr_data_uri(application.reference),
        "originals": originals,
        "reseller": settings.PORTAL_RESELLER_NAME,
        "cargo_address": settings.PORTAL_CARGO_ADDRESS,
        "contract_version": _contract_version(application, originals),
    }
    return _pdf("pdf/cover_sheet.html", context, language=language, store=store)


def _contract_version(application, originals: list) -> str:
    """The SMS contract version for the cover sheet: the one handed out, else the one in force; "" if not shipped."""
    if not any(item.requirement.document_kind.code == "sms_contract" for item in originals):
        return ""
    from onboarding.contracts import issued_version
    from onboarding.models import ContractTemplate

    current = ContractTemplate.current()
    return issued_version(application) or (current.version if current else "")


def contract_pdf(
    contract, *, values: dict[str, str], reference: str = "", language: str = "tr", store: bool = True
) -> bytes:
    """The end-user SMS contract filled with the applicant's details, its version printed on every page."""
    from django.utils import formats

    version_line = f"Sözleşme sürümü {contract.version} ({formats.date_format(contract.effective_from, 'd.m.Y')})"
    if reference:
        version_line += f" · {reference}"
    context = {
        "contract": contract,
        "paragraphs": contract.paragraphs(values),
        "values": {name: value or DOTS for name, value in values.items()},
        "reference": reference,
        "version_footer": mark_safe(_css_string(f"Sürüm {contract.version} {reference}".strip())),  # noqa: S308
        "version_line": version_line,
    }
    return _pdf("pdf/contract.html", context, language=language, store=store)


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """A generated PDF as a private download (letters, cover sheets, contracts, statements)."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
