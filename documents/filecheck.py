"""Judge an uploaded document by its bytes and produce a safe file to store.

Nothing here trusts the file name or the content type the browser sent: the
type is sniffed from the first bytes (PDF, JPEG and PNG only), images are fully
decoded within a fixed memory budget and re-encoded without metadata at an
archival size (which also drops EXIF/GPS and any bytes appended after the image,
e.g. a PNG+HTML polyglot), PDFs are parsed with pypdf, refused when they carry
active content (JavaScript, launch/submit/import actions, embedded files, XFA,
rich media, automatic actions other than "go to a page") and otherwise stored
as their original bytes.

Images: a JPEG is decoded at 1/2, 1/4 or 1/8 scale when it is larger than the
archival size (``ARCHIVE_LONG_SIDE``); a PNG cannot be, so its pixels times
Pillow's bytes per pixel must fit ``DECODE_BUDGET_BYTES``; a decode above
``LARGE_DECODE_BYTES`` waits for one of ``LARGE_DECODES_AT_ONCE`` slots per
process (and is refused as busy after ``LARGE_DECODE_WAIT_SECONDS``).

``check_upload`` streams the upload in chunks into a temporary file, so memory
stays bounded whatever the upload's size. On success the caller owns
``CheckedFile.path`` and must delete it; on rejection no temporary file is left.

Process-wide state of the libraries, and how it is handled:

* ``PIL.ImageFile.LOAD_TRUNCATED_IMAGES`` is a module global, and WeasyPrint
  sets it to ``True`` when ``weasyprint.images`` is imported. With it on, Pillow
  silently fills a truncated image with grey. The image check therefore forces
  it to ``False`` for the duration of the decode and restores the previous value
  afterwards, under a module lock (so concurrent checks in one process decode
  one at a time). Another thread decoding images in that window is merely
  stricter than it asked for.
* ``PIL.Image.MAX_IMAGE_PIXELS`` is never changed. ``max_pixels`` and the decode
  budget are checked on the header before decoding. Pillow's
  ``DecompressionBombWarning`` (above 89.5 MP, below the phone photos we accept)
  is silenced while we open an image; its ``DecompressionBombError`` (above
  twice that) still applies, so ``max_pixels`` above ~178 MP has no effect.
* glibc's mmap threshold is pinned at 4 MiB when this module is imported (see
  ``_large_allocations_straight_from_the_os``), so that freed image memory goes
  back to the OS instead of staying in each thread's malloc arena.
* pypdf logs warnings about damaged files through the ``pypdf`` logger; while a
  PDF is checked that logger's level is raised to ERROR (reference-counted
  under a lock) and restored afterwards.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import logging
import os
import re
import tempfile
import threading
import unicodedata
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import filetype
from django.core.files.base import File
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.utils import formats
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageFile
from pypdf import PasswordType, PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

__all__ = [
    "DEFAULT_MAX_PAGES",
    "CheckedFile",
    "FileRejected",
    "check_upload",
    "safe_display_name",
]

DEFAULT_MAX_PAGES = 200

# How many leading bytes decide the type (filetype looks at no more than 8 KiB).
_SNIFF_BYTES = 8192
# PDFs must carry ``%%EOF`` within this many bytes of the end.
_EOF_WINDOW = 1024
_HASH_CHUNK = 1024 * 1024
_TEMP_PREFIX = "upload-"

_PDF_MAGIC = b"%PDF-"
_JPEG_MAGIC = b"\xff\xd8\xff"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

EMPTY = "empty"
TOO_LARGE = "too_large"
UNSUPPORTED_TYPE = "unsupported_type"
PIXEL_BOMB = "pixel_bomb"
DAMAGED_IMAGE = "damaged_image"
ENCRYPTED_PDF = "encrypted_pdf"
DAMAGED_PDF = "damaged_pdf"
TOO_MANY_PAGES = "too_many_pages"
ACTIVE_PDF = "active_pdf"
UNINSPECTABLE_PDF = "uninspectable_pdf"
BUSY = "busy"

MESSAGES = {
    EMPTY: _("Dosya boş."),
    TOO_LARGE: _("Dosya çok büyük; en fazla %(mb)s MB yükleyebilirsiniz."),
    UNSUPPORTED_TYPE: _("Yalnızca PDF, JPEG veya PNG dosyaları kabul edilir."),
    PIXEL_BOMB: _(
        "Görüntü çok büyük: en fazla %(megapixels)s megapiksel kabul edilir. Fotoğrafı daha düşük çözünürlükte "
        "çekin ya da belgeyi tarayıp PDF olarak yükleyin."
    ),
    BUSY: _("Sunucu şu anda başka büyük görüntüleri işliyor; lütfen bir dakika sonra yeniden yükleyin."),
    DAMAGED_IMAGE: _("Görüntü dosyası bozuk veya eksik."),
    ENCRYPTED_PDF: _("Şifreli PDF dosyaları kabul edilmez; lütfen şifresiz bir kopya yükleyin."),
    DAMAGED_PDF: _("PDF dosyası bozuk veya okunamıyor."),
    TOO_MANY_PAGES: _("PDF dosyası çok fazla sayfa içeriyor; en fazla %(max_pages)s sayfa kabul edilir."),
    ACTIVE_PDF: _(
        "Bu PDF çalıştırılabilir içerik (JavaScript, otomatik eylem, gömülü dosya veya etkileşimli form) taşıdığı "
        "için güvenlik nedeniyle kabul edilmiyor. Lütfen belgeyi açıp “PDF olarak yazdır” ile yeni bir PDF "
        "oluşturun ya da kâğıt belgeyi yeniden tarayıp yükleyin."
    ),
    UNINSPECTABLE_PDF: _(
        "Bu PDF'in içeriği denetlenemediği için kabul edilmiyor. Lütfen belgeyi açıp “PDF olarak yazdır” ile yeni "
        "bir PDF oluşturun ya da kâğıt belgeyi yeniden tarayıp yükleyin."
    ),
}


def _render(message: Any, params: dict[str, Any]) -> str:
    return str(message) % {key: formats.localize(value) for key, value in params.items()}


_render_lazy = lazy(_render, str)


class FileRejected(Exception):
    """The upload is refused. ``code`` is stable; ``message`` is lazy Turkish text.

    ``message`` is already interpolated (lazily, so it renders in the language
    active when it is shown); ``params`` holds the raw values for callers that
    want them.
    """

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        template = MESSAGES[code]
        self.message: Promise = _render_lazy(template, params) if params else template
        super().__init__(code)

    def __str__(self) -> str:
        return str(self.message)

    def __repr__(self) -> str:
        return f"FileRejected({self.code!r})"


@dataclass(frozen=True)
class CheckedFile:
    content_type: str  # "application/pdf" | "image/jpeg" | "image/png"
    extension: str  # "pdf" | "jpg" | "png"
    size: int  # bytes of the file to store
    pages: int  # page count for PDFs, 1 for images
    sha256: str  # hex digest of the bytes to store
    path: str  # temp file holding the bytes to store; the caller deletes it
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class _Kind:
    content_type: str
    extension: str
    magic: bytes
    pil_format: str | None  # None for PDF
    pil_formats_seen: tuple[str, ...] = ()


_PDF = _Kind("application/pdf", "pdf", _PDF_MAGIC, None)
_JPEG = _Kind("image/jpeg", "jpg", _JPEG_MAGIC, "JPEG", ("JPEG", "MPO"))
_PNG = _Kind("image/png", "png", _PNG_MAGIC, "PNG", ("PNG",))
_KINDS = (_PDF, _JPEG, _PNG)


# --------------------------------------------------------------------------- public API


def check_upload(
    uploaded: Any,
    *,
    max_bytes: int,
    max_pixels: int,
    max_pages: int = DEFAULT_MAX_PAGES,
) -> CheckedFile:
    """Check ``uploaded`` (a Django ``UploadedFile``) and return the file to store.

    Raises ``FileRejected`` with one of the codes ``empty``, ``too_large``,
    ``unsupported_type``, ``pixel_bomb``, ``busy``, ``damaged_image``,
    ``encrypted_pdf``, ``damaged_pdf``, ``too_many_pages``, ``active_pdf`` or
    ``uninspectable_pdf``.
    """
    declared = getattr(uploaded, "size", None)
    if isinstance(declared, int) and declared > max_bytes:
        raise _too_large(max_bytes)

    raw_path, raw_size, raw_sha256, kind, tail = _spool(uploaded, max_bytes)
    try:
        if kind is _PDF:
            pages = _check_pdf(raw_path, tail, max_pages)
            return CheckedFile(
                content_type=kind.content_type,
                extension=kind.extension,
                size=raw_size,
                pages=pages,
                sha256=raw_sha256,
                path=raw_path,
            )
        out_path, width, height = _reencode_image(raw_path, kind, max_pixels)
        _unlink(raw_path)
        try:
            size, sha256 = _hash_file(out_path)
        except BaseException:
            _unlink(out_path)
            raise
        return CheckedFile(
            content_type=kind.content_type,
            extension=kind.extension,
            size=size,
            pages=1,
            sha256=sha256,
            path=out_path,
            width=width,
            height=height,
        )
    except BaseException:
        _unlink(raw_path)
        raise


_UNSAFE_NAME_CHARS = frozenset('<>:"/\\|?*')
_WHITESPACE = re.compile(r"\s+")
_MAX_KEPT_EXTENSION = 16
_FALLBACK_NAME = "belge"


def safe_display_name(name: str, *, max_length: int = 120) -> str:
    """A file name fit to show and to offer in a download, never a storage path.

    Keeps the basename only (``/`` and ``\\`` both count as separators), NFC
    normalises, turns any run of whitespace into one space, drops control and
    format characters (NUL, bidi overrides, zero-width marks), ``<>:"/\\|?*`` and
    leading dots, and truncates to ``max_length`` characters keeping the
    extension. Turkish letters are kept as they are. Falls back to ``"belge"``.
    """
    if max_length < 1:
        raise ValueError("max_length must be at least 1")
    text = unicodedata.normalize("NFC", str(name or ""))
    text = re.split(r"[/\\]", text)[-1]
    text = _WHITESPACE.sub(" ", text)
    text = "".join(ch for ch in text if ch not in _UNSAFE_NAME_CHARS and not unicodedata.category(ch).startswith("C"))
    text = unicodedata.normalize("NFC", _WHITESPACE.sub(" ", text))
    text = text.lstrip(". ").rstrip(". ")
    if len(text) > max_length:
        stem, dot, ext = text.rpartition(".")
        if dot and stem and len(ext) <= _MAX_KEPT_EXTENSION and len(ext) + 2 <= max_length:
            stem = stem[: max_length - len(ext) - 1].rstrip(". ")
            text = f"{stem}.{ext}" if stem else text[:max_length].rstrip(". ")
        else:
            text = text[:max_length].rstrip(". ")
    return text or _FALLBACK_NAME


# --------------------------------------------------------------------------- streaming


def _spool(uploaded: Any, max_bytes: int) -> tuple[str, int, str, _Kind, bytes]:
    """Copy the upload into a temp file in chunks; return path, size, sha256, kind, tail."""
    hasher = hashlib.sha256()
    size = 0
    head = b""
    tail = b""
    kind: _Kind | None = None
    tmp = tempfile.NamedTemporaryFile(prefix=_TEMP_PREFIX, suffix=".part", delete=False)  # noqa: SIM115
    try:
        with tmp:
            for chunk in _chunks(uploaded):
                if not chunk:
                    continue
                size += len(chunk)
                if size > max_bytes:
                    raise _too_large(max_bytes)
                if kind is None:
                    head += chunk[: _SNIFF_BYTES - len(head)]
                    if len(head) >= _SNIFF_BYTES:
                        kind = _sniff(head)
                hasher.update(chunk)
                tmp.write(chunk)
                tail = (tail + chunk[-_EOF_WINDOW:])[-_EOF_WINDOW:]
        if size == 0:
            raise FileRejected(EMPTY)
        if kind is None:
            kind = _sniff(head)
    except BaseException:
        _unlink(tmp.name)
        raise
    return tmp.name, size, hasher.hexdigest(), kind, tail


def _chunks(uploaded: Any) -> Iterator[bytes]:
    # InMemoryUploadedFile.chunks() yields the whole file from a single read(); File.chunks()
    # reads DEFAULT_CHUNK_SIZE (64 KiB) at a time from the same file object.
    if isinstance(uploaded, InMemoryUploadedFile):
        return File.chunks(uploaded)
    return uploaded.chunks()


def _sniff(head: bytes) -> _Kind:
    """The allowed kind the first bytes prove, by our magic check and filetype's agreeing."""
    for kind in _KINDS:
        if head.startswith(kind.magic):
            if filetype.guess_mime(head) == kind.content_type:
                return kind
            break
    raise FileRejected(UNSUPPORTED_TYPE)


def _too_large(max_bytes: int) -> FileRejected:
    mb = max_bytes / (1024 * 1024)
    return FileRejected(TOO_LARGE, mb=int(mb) if mb == int(mb) else round(mb, 1))


def _hash_file(path: str) -> tuple[int, str]:
    hasher = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while block := fh.read(_HASH_CHUNK):
            hasher.update(block)
            size += len(block)
    return size, hasher.hexdigest()


def _new_temp_path(extension: str) -> str:
    with tempfile.NamedTemporaryFile(prefix=_TEMP_PREFIX, suffix=f".{extension}", delete=False) as tmp:
        return tmp.name


def _unlink(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


# --------------------------------------------------------------------------- PDF

_pypdf_logger = logging.getLogger("pypdf")
_pypdf_quiet_lock = threading.Lock()
_pypdf_quiet_depth = 0
_pypdf_saved_level = logging.NOTSET


@contextlib.contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """Raise the ``pypdf`` logger to ERROR while any check is parsing a PDF."""
    global _pypdf_quiet_depth, _pypdf_saved_level
    with _pypdf_quiet_lock:
        if _pypdf_quiet_depth == 0:
            _pypdf_saved_level = _pypdf_logger.level
            _pypdf_logger.setLevel(max(_pypdf_saved_level, logging.ERROR))
        _pypdf_quiet_depth += 1
    try:
        yield
    finally:
        with _pypdf_quiet_lock:
            _pypdf_quiet_depth -= 1
            if _pypdf_quiet_depth == 0:
                _pypdf_logger.setLevel(_pypdf_saved_level)


# What makes a PDF act rather than show. An action of one of these types is refused wherever it sits (document,
# page, annotation, form field, outline item, or the /Next of another action).
_ACTING_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/SubmitForm",
        "/ImportData",
        "/GoToR",
        "/GoToE",
        "/GoToDp",
        "/Rendition",
        "/Movie",
        "/Sound",
        "/RichMediaExecute",
    }
)
# Actions that only move the reader around the document. Everything else, URI included, is refused when it runs by
# itself (the document's /OpenAction, any /AA trigger); a link the reader clicks may open an http(s) or mailto URI.
_MOVING_ACTIONS = frozenset({"/GoTo", "/Named", "/Thread", "/Trans", "/SetOCGState", "/GoTo3DView", "/Hide"})
_SAFE_URI = re.compile(r"(?:https?://|mailto:)", re.IGNORECASE)
# Dictionary keys that are active content by their mere presence.
_ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/RichMedia", "/XFA", "/Launch"})
_ACTIVE_ANNOTATIONS = frozenset({"/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen", "/3D"})
# Keys never followed: page content, fonts, images, appearance streams, metadata and the structure tree hold no
# actions, and some are large streams that pypdf would read whole. /Parent and /P point back up.
_SKIPPED_KEYS = frozenset(
    {
        "/Contents",
        "/Resources",
        "/Font",
        "/XObject",
        "/AP",
        "/Metadata",
        "/Thumb",
        "/StructTreeRoot",
        "/DestOutputProfile",
        "/Parent",
        "/P",
        "/Dest",
        "/D",
        "/Dests",
        "/PieceInfo",
    }
)
# A bigger object graph than this is not inspected but refused (a 200-page scan is a few thousand objects).
_MAX_INSPECTED_OBJECTS = 200_000


class _ActiveContent(Exception):
    pass


def _name(value: Any) -> str:
    return str(value) if isinstance(value, NameObject) else ""


def _check_action(action: DictionaryObject, *, automatic: bool) -> None:
    kind = _name(action.get("/S"))
    if kind in _ACTING_ACTIONS:
        raise _ActiveContent(kind)
    if kind == "/URI":
        uri = action.get("/URI")  # get() resolves an indirect value
        if isinstance(uri, bytes):
            uri = uri.decode("latin-1")
        if automatic or not isinstance(uri, str) or not _SAFE_URI.match(uri.strip()):
            raise _ActiveContent("/URI")
    elif automatic and kind and kind not in _MOVING_ACTIONS:
        raise _ActiveContent(kind)


def _find_active_content(reader: PdfReader) -> None:
    """Walk every dictionary reachable from the catalogue (skipping content) and raise ``_ActiveContent`` on the first
    thing that could act: see ``_ACTIVE_KEYS``, ``_ACTIVE_ANNOTATIONS`` and ``_check_action``.

    ``automatic`` marks what hangs under /OpenAction or /AA: it runs without the reader clicking anything. An
    /OpenAction that is a plain destination (an array: "open at page 1, fit width", as Word writes) is harmless.
    """
    root = reader.trailer["/Root"]
    stack: list[tuple[Any, bool]] = [(root, False)]
    seen: set[tuple[int, int]] = set()
    inspected = 0
    while stack:
        node, automatic = stack.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        inspected += 1
        if inspected > _MAX_INSPECTED_OBJECTS:
            raise ValueError("too many objects to inspect")
        if isinstance(node, ArrayObject):
            stack.extend((item, automatic) for item in node)
            continue
        if not isinstance(node, DictionaryObject):
            continue
        keys = set(node.keys())
        if found := keys & _ACTIVE_KEYS:
            raise _ActiveContent(min(found))
        if _name(node.get("/Subtype")) in _ACTIVE_ANNOTATIONS:
            raise _ActiveContent(_name(node.get("/Subtype")))
        if "/S" in keys and ("/Type" not in keys or _name(node.get("/Type")) == "/Action"):
            _check_action(node, automatic=automatic)
        for dict_key in keys - _SKIPPED_KEYS:
            child = node.raw_get(dict_key)
            if dict_key == "/OpenAction" and isinstance(node[dict_key], ArrayObject):
                continue  # a destination, not an action
            stack.append((child, automatic or dict_key in ("/OpenAction", "/AA")))


def _check_pdf(path: str, tail: bytes, max_pages: int) -> int:
    # pypdf copes with a missing %%EOF (and so with many truncations); we do not.
    if b"%%EOF" not in tail:
        raise FileRejected(DAMAGED_PDF)
    encrypted = False
    pages = 0
    with _quiet_pypdf(), open(path, "rb") as fh:  # a file object: pypdf reads a path whole into memory
        try:
            reader = PdfReader(fh, strict=False)
            encrypted = bool(reader.is_encrypted)
            # Owner-password-only PDFs (common for e-Devlet and e-signed documents) open with an empty password:
            # they are readable, so they are accepted. Only a PDF that needs a password to open is refused.
            if encrypted and reader.decrypt("") != PasswordType.NOT_DECRYPTED:
                encrypted = False
            if not encrypted:
                pages = len(reader.pages)
        except Exception:  # pypdf raises many kinds on hostile input
            raise FileRejected(DAMAGED_PDF) from None
        if encrypted:
            raise FileRejected(ENCRYPTED_PDF)
        if pages < 1:
            raise FileRejected(DAMAGED_PDF)
        if pages > max_pages:
            raise FileRejected(TOO_MANY_PAGES, max_pages=max_pages)
        try:
            _find_active_content(reader)
        except _ActiveContent:
            raise FileRejected(ACTIVE_PDF) from None
        except Exception:  # a PDF we cannot walk is not known to be inert
            raise FileRejected(UNINSPECTABLE_PDF) from None
    return pages


# --------------------------------------------------------------------------- images

# Stored images are at most this many pixels on their longest side. A4 scanned at 300 dpi is 3508 × 2480 px, so such
# scans are kept exactly as they are; a phone photo of a page comes out at 4000 × 3000 (about 290 dpi across A4),
# which keeps stamps and signatures legible and costs 2-4 MB as JPEG.
ARCHIVE_LONG_SIDE = 4000
# The pixel memory one decode may take. Pillow keeps 1, L and P images at one byte a pixel, I;16 at two, and
# everything else (RGB included) at four, so this admits an RGB PNG of 40 megapixels (6320 × 6320 is 152 MiB) and a
# greyscale one of the full pixel limit. JPEGs are decoded at 1/2, 1/4 or 1/8 scale (libjpeg's scale-on-decode), so a
# 108-megapixel phone photo needs 108 MiB; a progressive JPEG also holds all its coefficients (2 bytes each) at full
# size while it decodes.
DECODE_BUDGET_BYTES = 160 * 1024 * 1024
# Decodes needing more than this wait for one of LARGE_DECODES_AT_ONCE slots, so that a process holds at most that
# many large images (one decode plus its downscaled copy, about 230 MB at worst) at a time.
LARGE_DECODE_BYTES = 32 * 1024 * 1024
LARGE_DECODES_AT_ONCE = 1
LARGE_DECODE_WAIT_SECONDS = 30.0

_BYTES_PER_PIXEL = {"1": 2, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2}  # "1" is widened to L to downscale
_large_decodes = threading.BoundedSemaphore(LARGE_DECODES_AT_ONCE)

_pillow_lock = threading.Lock()


def _large_allocations_straight_from_the_os() -> None:
    """Have glibc serve allocations of 4 MiB and more with mmap, so a decoded image's memory is returned when freed.

    By default glibc raises its mmap threshold after the first large free, and each request thread's malloc arena
    then keeps the high-water mark of the images that thread decoded: a worker with four threads ended up holding
    four images' worth (+716 MB, measured) although only one large decode runs at a time. With the threshold pinned
    it is one image's worth. Elsewhere than glibc (musl, macOS) this does nothing.
    """
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    m_mmap_threshold = -3
    mallopt(ctypes.c_int(m_mmap_threshold), ctypes.c_int(4 * 1024 * 1024))


_large_allocations_straight_from_the_os()


@contextlib.contextmanager
def _strict_pillow() -> Iterator[None]:
    """Decode with truncation refused; Pillow's bomb *warning* silenced (our own limits below are stricter).

    Pillow warns above ``MAX_IMAGE_PIXELS`` (89.5 MP), below the phone photos we accept; its
    ``DecompressionBombError`` (twice that) still stops anything larger at ``Image.open``.
    """
    with _pillow_lock:
        saved = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = saved


@contextlib.contextmanager
def _decode_slot(cost: int) -> Iterator[None]:
    """Hold one of the few large-decode slots while a large image is in memory; small ones pass freely."""
    if cost <= LARGE_DECODE_BYTES:
        yield
        return
    if not _large_decodes.acquire(timeout=LARGE_DECODE_WAIT_SECONDS):
        raise FileRejected(BUSY)
    try:
        yield
    finally:
        _large_decodes.release()


def _pixel_bomb(max_pixels: int) -> FileRejected:
    megapixels = max(1, max_pixels // 1_000_000)
    return FileRejected(PIXEL_BOMB, megapixels=megapixels)


def _archive_size(size: tuple[int, int]) -> tuple[int, int]:
    width, height = size
    longest = max(width, height)
    if longest <= ARCHIVE_LONG_SIDE:
        return size
    ratio = ARCHIVE_LONG_SIDE / longest
    return max(1, round(width * ratio)), max(1, round(height * ratio))


def _jpeg_coefficient_bytes_per_pixel(img: Image.Image) -> float:
    """Bytes of DCT coefficients per full-size pixel that libjpeg keeps for a progressive JPEG (0 for baseline)."""
    if not img.info.get("progressive"):
        return 0.0
    layers = getattr(img, "layer", None) or [(0, 1, 1, 0)] * 3
    h_max = max(layer[1] for layer in layers) or 1
    v_max = max(layer[2] for layer in layers) or 1
    return sum(2 * layer[1] * layer[2] / (h_max * v_max) for layer in layers)


def _allowed_pixels(kind: _Kind, mode: str, coefficients: float, max_pixels: int) -> int:
    """How many pixels an image of this kind and mode may have within the decode budget (for the message)."""
    per_pixel = _BYTES_PER_PIXEL.get(mode, 4)
    if kind is not _JPEG:
        return min(max_pixels, DECODE_BUDGET_BYTES // per_pixel)
    return min(max_pixels, int(DECODE_BUDGET_BYTES / (coefficients + per_pixel / 64)))


def _plan_decode(img: Image.Image, kind: _Kind, max_pixels: int) -> int:
    """Shrink the decode where the format allows and return its cost in bytes, or refuse it.

    1. Cost: the decoded pixels at Pillow's bytes per pixel, plus a progressive JPEG's coefficients.
    2. JPEG: libjpeg decodes at 1/2, 1/4 or 1/8 scale. Take the largest decode that still covers the archival size,
       or a smaller one when that would not fit the budget (a lower-resolution copy beats a refusal).
    3. Over the budget even so: refused, naming how many megapixels this kind of image may have.
    """
    width, height = img.size
    per_pixel = _BYTES_PER_PIXEL.get(img.mode, 4)
    coefficients = _jpeg_coefficient_bytes_per_pixel(img) if kind is _JPEG else 0.0
    fixed = int(width * height * coefficients)

    def cost(scale: int) -> int:
        return -(-width // scale) * -(-height // scale) * per_pixel + fixed

    scale = 1
    if kind is _JPEG:
        longest = max(width, height)
        while scale < 8 and (longest // (scale * 2) >= ARCHIVE_LONG_SIDE or cost(scale) > DECODE_BUDGET_BYTES):
            scale *= 2
        if scale > 1:
            img.draft(None, (max(1, width // scale), max(1, height // scale)))
    if cost(scale) > DECODE_BUDGET_BYTES:
        raise _pixel_bomb(_allowed_pixels(kind, img.mode, coefficients, max_pixels))
    return img.width * img.height * per_pixel + fixed


_BOMB_ERRORS = (Image.DecompressionBombError, Image.DecompressionBombWarning)
_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _open(path: str, kind: _Kind, max_pixels: int) -> Image.Image:
    """Open the image and read its header only; refuse bombs and strangers before any pixel is decoded."""
    with _strict_pillow():
        try:
            img = Image.open(path, formats=[kind.pil_format or ""])
        except _BOMB_ERRORS:
            raise _pixel_bomb(max_pixels) from None
        except Exception:
            raise FileRejected(DAMAGED_IMAGE) from None
    width, height = img.size
    if img.format not in kind.pil_formats_seen or width < 1 or height < 1:
        img.close()
        raise FileRejected(DAMAGED_IMAGE)
    if width * height > max_pixels:
        img.close()
        raise _pixel_bomb(max_pixels)
    return img


def _load(img: Image.Image) -> None:
    with _strict_pillow():
        try:
            img.load()  # verify() lets truncated JPEGs through; a full decode does not
        except Exception:
            raise FileRejected(DAMAGED_IMAGE) from None


def _orientation(img: Image.Image) -> Image.Transpose | None:
    try:
        return _ORIENTATION.get(img.getexif().get(ExifTags.Base.Orientation, 1))
    except Exception:  # broken EXIF: keep the pixels as stored
        return None


def _has_transparency(img: Image.Image) -> bool:
    return "A" in img.getbands() or "transparency" in img.info


def _for_output(img: Image.Image, kind: _Kind) -> Image.Image:
    """Convert to a mode the output format stores plainly (JPEG: L or RGB)."""
    mode = img.mode
    if kind is _JPEG:
        if mode in ("L", "RGB"):
            return img
        return img.convert("L" if mode == "1" else "RGB")  # CMYK, YCbCr, ...
    if mode in ("1", "P", "L", "RGB") and "transparency" in img.info:
        return img.convert("LA" if mode in ("1", "L") else "RGBA")
    if mode in ("1", "P", "L", "LA", "RGB", "RGBA", "I;16"):
        return img
    return img.convert("RGBA" if _has_transparency(img) else "RGB")


_BAND_ROWS = 256


def _downscale(img: Image.Image) -> Image.Image:
    """The image at archival size (the same object when it already fits), resampled a band of rows at a time.

    One ``resize`` of the whole image would first build a full-height intermediate (new width × old height, 100 MB
    for a 6320 × 6320 PNG). Bands resized with ``box`` read the filter's neighbours outside the box, so the result is
    the same as a single resize, and the extra memory is one band.
    """
    target_width, target_height = _archive_size(img.size)
    if (target_width, target_height) == img.size:
        return img
    if img.mode == "1":  # nearest-neighbour would drop thin strokes of a bi-level scan
        img = img.convert("L")
    scale = img.height / target_height
    out = Image.new(img.mode, (target_width, target_height))
    if img.mode == "P":
        out.putpalette(img.getpalette() or [])
    for top in range(0, target_height, _BAND_ROWS):
        rows = min(_BAND_ROWS, target_height - top)
        box = (0, top * scale, img.width, (top + rows) * scale)
        out.paste(img.resize((target_width, rows), Image.Resampling.LANCZOS, box=box), (0, top))
    return out


def _reencode_image(path: str, kind: _Kind, max_pixels: int) -> tuple[str, int, int]:
    """Decode within the memory budget, downscale to archival size, turn upright, re-encode without metadata."""
    img = _open(path, kind, max_pixels)
    try:
        try:
            cost = _plan_decode(img, kind, max_pixels)
        except FileRejected:
            raise
        except Exception:  # draft() on a malformed JPEG header
            raise FileRejected(DAMAGED_IMAGE) from None
        with _decode_slot(cost):
            _load(img)
            transpose = _orientation(img)
            info = dict(img.info)
            try:
                out = _downscale(img)
                if out is not img:
                    img.close()  # frees the full-size pixels before the copies below
                    out.info = info
                if transpose is not None:
                    out = out.transpose(transpose)
                    out.info = info
                out = _for_output(out, kind)
            except Exception:
                raise FileRejected(DAMAGED_IMAGE) from None
            # Save without metadata: PNG would copy icc_profile/transparency from info, JPEG the comment.
            out.info = {}
            out_path = _new_temp_path(kind.extension)
            try:
                with open(out_path, "wb") as fh:
                    if kind is _JPEG:
                        out.save(fh, format="JPEG", quality=90, optimize=True)
                    else:
                        out.save(fh, format="PNG", optimize=True)
            except BaseException:
                _unlink(out_path)
                raise
            return out_path, out.width, out.height
    finally:
        img.close()
