"""Judge an uploaded document by its bytes and produce a safe file to store.

Nothing here trusts the file name or the content type the browser sent: the
type is sniffed from the first bytes (PDF, JPEG and PNG only), images are fully
decoded and re-encoded without metadata (which also drops EXIF/GPS and any bytes
appended after the image, e.g. a PNG+HTML polyglot), PDFs are parsed with pypdf
and stored as their original bytes.

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
* ``PIL.Image.MAX_IMAGE_PIXELS`` is never changed. ``max_pixels`` is checked on
  the header before decoding; Pillow's own limit still applies on top, so the
  effective limit is the smaller of the two.
* pypdf logs warnings about damaged files through the ``pypdf`` logger; while a
  PDF is checked that logger's level is raised to ERROR (reference-counted
  under a lock) and restored afterwards.
"""

from __future__ import annotations

import contextlib
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
from PIL import Image, ImageFile, ImageOps
from pypdf import PasswordType, PdfReader

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

MESSAGES = {
    EMPTY: _("Dosya boş."),
    TOO_LARGE: _("Dosya çok büyük; en fazla %(mb)s MB yükleyebilirsiniz."),
    UNSUPPORTED_TYPE: _("Yalnızca PDF, JPEG veya PNG dosyaları kabul edilir."),
    PIXEL_BOMB: _("Görüntü çok büyük (piksel sayısı sınırı aşıldı)."),
    DAMAGED_IMAGE: _("Görüntü dosyası bozuk veya eksik."),
    ENCRYPTED_PDF: _("Şifreli PDF dosyaları kabul edilmez; lütfen şifresiz bir kopya yükleyin."),
    DAMAGED_PDF: _("PDF dosyası bozuk veya okunamıyor."),
    TOO_MANY_PAGES: _("PDF dosyası çok fazla sayfa içeriyor; en fazla %(max_pages)s sayfa kabul edilir."),
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
    ``unsupported_type``, ``pixel_bomb``, ``damaged_image``, ``encrypted_pdf``,
    ``damaged_pdf`` or ``too_many_pages``.
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
    return pages


# --------------------------------------------------------------------------- images

_pillow_lock = threading.Lock()


@contextlib.contextmanager
def _strict_pillow() -> Iterator[None]:
    """Decode with truncation refused and decompression-bomb warnings as errors."""
    with _pillow_lock:
        saved = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = saved


_BOMB_ERRORS = (Image.DecompressionBombError, Image.DecompressionBombWarning)


def _decode(path: str, kind: _Kind, max_pixels: int) -> Image.Image:
    """Open and fully load the image; refuse bombs before decoding pixels."""
    with _strict_pillow():
        try:
            img = Image.open(path, formats=[kind.pil_format or ""])
        except _BOMB_ERRORS:
            raise FileRejected(PIXEL_BOMB) from None
        except Exception:
            raise FileRejected(DAMAGED_IMAGE) from None
        with img:
            width, height = img.size
            if img.format not in kind.pil_formats_seen or width < 1 or height < 1:
                raise FileRejected(DAMAGED_IMAGE)
            if width * height > max_pixels:
                raise FileRejected(PIXEL_BOMB)
            try:
                img.load()  # verify() lets truncated JPEGs through; a full decode does not
            except _BOMB_ERRORS:
                raise FileRejected(PIXEL_BOMB) from None
            except Exception:
                raise FileRejected(DAMAGED_IMAGE) from None
            return img


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


def _reencode_image(path: str, kind: _Kind, max_pixels: int) -> tuple[str, int, int]:
    img = _decode(path, kind, max_pixels)
    try:
        oriented = ImageOps.exif_transpose(img)
    except Exception:  # broken EXIF: keep the pixels as stored
        oriented = img
    try:
        out = _for_output(oriented, kind)
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
