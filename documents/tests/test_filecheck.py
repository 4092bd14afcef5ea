"""documents.filecheck: every file is built here from real bytes, good and hostile alike."""

from __future__ import annotations

import hashlib
import io
import logging
import os
import struct
import subprocess
import sys
import tempfile
import tracemalloc
import unicodedata
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile, UploadedFile
from django.utils import translation
from django.utils.functional import Promise
from PIL import ExifTags, Image, ImageFile
from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript, PageTrigger
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    RectangleObject,
    TextStringObject,
)

from documents import filecheck
from documents.filecheck import CheckedFile, FileRejected, check_upload, safe_display_name

MB = 1024 * 1024
LIMITS = {"max_bytes": 10 * MB, "max_pixels": 40_000_000}


# --------------------------------------------------------------------------- helpers


@pytest.fixture(autouse=True)
def temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every temp file (ours and Django's TemporaryUploadedFile) lands in a folder we can count."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def upload(content: bytes, name: str = "belge.bin", content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def rejected(content: bytes, *, name: str = "belge.bin", content_type: str = "application/octet-stream", **kw):
    limits = {**LIMITS, **kw}
    with pytest.raises(FileRejected) as info:
        check_upload(upload(content, name, content_type), **limits)
    return info.value


def accepted(uploaded, **kw) -> CheckedFile:
    return check_upload(uploaded, **{**LIMITS, **kw})


def stored_bytes(result: CheckedFile) -> bytes:
    return Path(result.path).read_bytes()


def pdf_bytes(pages: int = 2, *, password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(img: Image.Image, fmt: str, **save) -> bytes:
    out = io.BytesIO()
    img.save(out, fmt, **save)
    return out.getvalue()


def noisy_jpeg(size: tuple[int, int] = (300, 300)) -> bytes:
    """Random pixels, so the JPEG has plenty of entropy-coded data to cut."""
    img = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    return image_bytes(img, "JPEG", quality=95)


def two_tone(size: tuple[int, int], first: str, second: str) -> Image.Image:
    """Left half ``first``, right half ``second``."""
    img = Image.new("RGB", size, second)
    img.paste(first, (0, 0, size[0] // 2, size[1]))
    return img


def near(pixel, colour, tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


# --------------------------------------------------------------------------- accepted files


def test_a_valid_pdf_is_stored_as_its_original_bytes_with_pages_counted(temp_dir):
    content = pdf_bytes(3)
    result = accepted(upload(content, "sözleşme.pdf", "application/pdf"))

    assert result.content_type == "application/pdf"
    assert result.extension == "pdf"
    assert result.pages == 3
    assert result.size == len(content)
    assert result.sha256 == hashlib.sha256(content).hexdigest()
    assert result.width is None and result.height is None
    assert stored_bytes(result) == content
    assert leftovers(temp_dir) == [Path(result.path).name]
    os.unlink(result.path)


def test_a_jpeg_is_turned_upright_by_its_exif_orientation_and_stored_without_exif(temp_dir):
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # shown rotated 90° clockwise
    exif[ExifTags.Base.Make] = "GizliKamera"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (41.0, 0.0, 36.0)
    content = image_bytes(two_tone((40, 20), "red", "blue"), "JPEG", exif=exif, comment=b"gizli not")
    assert b"GizliKamera" in content

    result = accepted(upload(content, "kimlik.jpg", "image/jpeg"))

    assert (result.content_type, result.extension, result.pages) == ("image/jpeg", "jpg", 1)
    assert (result.width, result.height) == (20, 40)
    data = stored_bytes(result)
    assert result.size == len(data)
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert b"Exif" not in data and b"GizliKamera" not in data and b"gizli not" not in data
    with Image.open(result.path) as img:
        assert img.format == "JPEG" and img.size == (20, 40)
        assert len(img.getexif()) == 0
        assert "comment" not in img.info
        img = img.convert("RGB")
        # The left (red) half is on top once turned 90° clockwise.
        assert near(img.getpixel((10, 5)), (255, 0, 0))
        assert near(img.getpixel((10, 35)), (0, 0, 255))
    assert leftovers(temp_dir) == [Path(result.path).name]
    os.unlink(result.path)


def test_a_valid_png_is_re_encoded_without_its_text_chunks(temp_dir):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "gizli yazar")
    img = Image.new("RGBA", (64, 32), (0, 128, 0, 200))
    content = image_bytes(img, "PNG", pnginfo=info)
    assert b"gizli yazar" in content

    result = accepted(upload(content, "imza.png", "image/png"))

    assert (result.content_type, result.extension, result.pages) == ("image/png", "png", 1)
    assert (result.width, result.height) == (64, 32)
    data = stored_bytes(result)
    assert b"gizli yazar" not in data
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    with Image.open(result.path) as stored:
        assert stored.mode == "RGBA"
        assert stored.getpixel((5, 5)) == (0, 128, 0, 200)
    os.unlink(result.path)


def test_a_png_with_html_appended_is_accepted_but_the_payload_is_not_stored():
    payload = b"<html><script>alert(document.cookie)</script></html>"
    content = image_bytes(Image.new("RGB", (16, 16), "white"), "PNG") + payload

    result = accepted(upload(content, "logo.png", "image/png"))

    data = stored_bytes(result)
    assert b"<script>" not in data and b"<html>" not in data
    assert data.endswith(b"IEND\xaeB`\x82")
    assert result.sha256 != hashlib.sha256(content).hexdigest()
    os.unlink(result.path)


def test_the_type_comes_from_the_bytes_not_the_name_or_browser_type():
    content = image_bytes(Image.new("RGB", (8, 8), "white"), "PNG")
    result = accepted(upload(content, "fatura.pdf", "application/pdf"))
    assert (result.content_type, result.extension) == ("image/png", "png")
    os.unlink(result.path)


def test_a_cmyk_jpeg_is_stored_as_rgb():
    content = image_bytes(Image.new("CMYK", (12, 12), (0, 255, 255, 0)), "JPEG")
    result = accepted(upload(content, "tarama.jpg"))
    with Image.open(result.path) as img:
        assert img.mode == "RGB"
        assert near(img.getpixel((6, 6)), (255, 0, 0), tolerance=60)
    os.unlink(result.path)


def test_a_palette_png_with_transparency_keeps_its_transparency():
    img = Image.new("P", (10, 10), 1)
    img.putpalette([0, 0, 0, 255, 255, 255] + [0, 0, 0] * 254)
    content = image_bytes(img, "PNG", transparency=1)
    result = accepted(upload(content, "kase.png"))
    with Image.open(result.path) as stored:
        assert stored.mode == "RGBA"
        assert stored.getpixel((0, 0))[3] == 0
    os.unlink(result.path)


def test_a_temporary_uploaded_file_is_read_from_disk(temp_dir):
    content = pdf_bytes(2)
    with TemporaryUploadedFile("vergi-levhası.pdf", "application/pdf", len(content), None) as uploaded:
        uploaded.write(content)
        uploaded.seek(0)
        result = accepted(uploaded)
        assert result.pages == 2
        assert result.sha256 == hashlib.sha256(content).hexdigest()
        assert result.path != uploaded.temporary_file_path()
    assert leftovers(temp_dir) == [Path(result.path).name]
    os.unlink(result.path)


def test_a_rejected_temporary_uploaded_file_leaves_no_temp_file_of_ours(temp_dir):
    content = noisy_jpeg()
    content = content[: len(content) // 2]
    with TemporaryUploadedFile("foto.jpg", "image/jpeg", len(content), None) as uploaded:
        uploaded.write(content)
        uploaded.seek(0)
        with pytest.raises(FileRejected) as info:
            accepted(uploaded)
        assert info.value.code == "damaged_image"
        assert leftovers(temp_dir) == [Path(uploaded.temporary_file_path()).name]
    assert leftovers(temp_dir) == []


class ChunkOnlyFile(io.BytesIO):
    """A file that refuses to be read whole."""

    def read(self, size: int | None = -1) -> bytes:
        assert size is not None and 0 < size <= 4 * MB, "read the upload in chunks"
        return super().read(size)


def test_the_upload_is_only_ever_read_in_chunks():
    content = pdf_bytes(1)
    uploaded = SimpleUploadedFile("a.pdf", b"")
    uploaded.file = ChunkOnlyFile(content)
    uploaded.size = len(content)
    result = accepted(uploaded)
    assert result.sha256 == hashlib.sha256(content).hexdigest()
    os.unlink(result.path)


def test_a_large_pdf_is_checked_with_bounded_memory():
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    stream = DecodedStreamObject()
    stream.set_data(os.urandom(20 * MB))  # an uncompressed 20 MB content stream
    page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    content = buffer.getvalue()
    del writer, stream, buffer
    assert len(content) > 20 * MB

    with TemporaryUploadedFile("büyük.pdf", "application/pdf", len(content), None) as uploaded:
        uploaded.write(content)
        uploaded.seek(0)
        expected = hashlib.sha256(content).hexdigest()
        del content
        tracemalloc.start()
        try:
            result = accepted(uploaded, max_bytes=50 * MB)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert result.pages == 1 and result.sha256 == expected
    assert peak < 4 * MB, f"peak {peak / MB:.1f} MB"
    os.unlink(result.path)


# --------------------------------------------------------------------------- rejected files


def test_an_empty_file_is_refused(temp_dir):
    error = rejected(b"", name="boş.pdf", content_type="application/pdf")
    assert error.code == "empty"
    with translation.override("tr"):
        assert str(error.message) == "Dosya boş."
    assert leftovers(temp_dir) == []


def test_an_oversize_file_is_refused_and_the_limit_is_named_in_mb(temp_dir):
    content = pdf_bytes(1) + b"%" + b"x" * (2 * MB)
    error = rejected(content, name="büyük.pdf", max_bytes=1 * MB)
    assert error.code == "too_large"
    with translation.override("tr"):
        assert str(error.message) == "Dosya çok büyük; en fazla 1 MB yükleyebilirsiniz."
    assert leftovers(temp_dir) == []


def test_a_fractional_limit_is_written_the_turkish_way():
    error = rejected(b"%PDF-" + b"0" * 600_000, max_bytes=512 * 1024)
    with translation.override("tr"):
        assert "en fazla 0,5 MB" in str(error.message)


class EndlessStream(io.RawIOBase):
    """A PDF header, then spaces for ever."""

    def __init__(self) -> None:
        self.reads = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        assert 0 < size <= 4 * MB, "read the upload in chunks"
        self.reads += 1
        return b"%PDF-1.7\n".ljust(size, b"%") if self.reads == 1 else b" " * size


def test_reading_stops_as_soon_as_the_limit_is_passed(temp_dir):
    stream = EndlessStream()
    uploaded = UploadedFile(stream, "sonsuz.pdf", "application/pdf", size=10)  # a size that lies
    with pytest.raises(FileRejected) as info:
        check_upload(uploaded, max_bytes=1 * MB, max_pixels=1000)
    assert info.value.code == "too_large"
    assert stream.reads == 17  # 16 chunks of 64 KiB fill the limit; the 17th passes it
    assert leftovers(temp_dir) == []


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


UNSUPPORTED = {
    "svg": (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "x.svg",
        "image/svg+xml",
    ),
    "exe named pdf": (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120 + b"PE\x00\x00", "fatura.pdf", "application/pdf"),
    "html named png": (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "logo.png", "image/png"),
    "gif": (None, "anim.gif", "image/gif"),
    "docx": (None, "dilekçe.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "html before the pdf header": (b"<html><body>%PDF-1.4\n" + pdf_bytes(1), "x.pdf", "application/pdf"),
    "webp": (None, "foto.webp", "image/webp"),
    "animated png": (None, "hareketli.png", "image/png"),
    "plain text": (b"merhaba d\xc3\xbcnya\n", "not.txt", "text/plain"),
}


@pytest.mark.parametrize("case", list(UNSUPPORTED))
def test_anything_but_pdf_jpeg_or_png_is_refused_whatever_it_claims(case, temp_dir):
    content, name, content_type = UNSUPPORTED[case]
    if case == "gif":
        content = image_bytes(Image.new("RGB", (4, 4), "red"), "GIF")
    elif case == "webp":
        content = image_bytes(Image.new("RGB", (4, 4), "red"), "WEBP")
    elif case == "animated png":
        frames = [Image.new("RGB", (4, 4), colour) for colour in ("red", "blue")]
        content = image_bytes(frames[0], "PNG", save_all=True, append_images=frames[1:])
    elif case == "docx":
        content = zip_bytes()
    error = rejected(content, name=name, content_type=content_type)
    assert error.code == "unsupported_type"
    with translation.override("tr"):
        assert str(error.message) == "Yalnızca PDF, JPEG veya PNG dosyaları kabul edilir."
    assert leftovers(temp_dir) == []


def test_a_truncated_jpeg_is_refused(temp_dir):
    content = noisy_jpeg()
    error = rejected(content[: len(content) // 2], name="foto.jpg", content_type="image/jpeg")
    assert error.code == "damaged_image"
    with translation.override("tr"):
        assert str(error.message) == "Görüntü dosyası bozuk veya eksik."
    assert leftovers(temp_dir) == []


def test_a_truncated_jpeg_is_refused_even_after_weasyprint_allowed_truncated_images(monkeypatch):
    # weasyprint.images sets ImageFile.LOAD_TRUNCATED_IMAGES = True on import.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    content = noisy_jpeg()
    assert rejected(content[: len(content) // 2]).code == "damaged_image"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # put back as it was


def test_a_truncated_png_is_refused():
    img = Image.frombytes("RGB", (200, 200), os.urandom(200 * 200 * 3))
    content = image_bytes(img, "PNG")
    assert rejected(content[: len(content) // 2]).code == "damaged_image"


def test_an_image_with_only_a_valid_header_is_refused():
    assert rejected(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64).code == "damaged_image"
    assert rejected(b"\xff\xd8\xff\xe0" + b"\x00" * 64).code == "damaged_image"


def test_a_pixel_bomb_png_is_refused_before_it_is_decoded(temp_dir):
    content = image_bytes(Image.new("1", (20000, 20000)), "PNG")  # 400 Mpx in ~48 KB
    assert len(content) < 100_000
    error = rejected(content, name="bomba.png", content_type="image/png", max_pixels=120_000_000)
    assert error.code == "pixel_bomb"
    with translation.override("tr"):
        assert str(error.message) == (
            "Görüntü çok büyük: en fazla 120 megapiksel kabul edilir. Fotoğrafı daha düşük çözünürlükte çekin ya da "
            "belgeyi tarayıp PDF olarak yükleyin."
        )
    assert leftovers(temp_dir) == []


def test_an_image_over_our_own_pixel_limit_is_refused_below_pillows_limit():
    content = image_bytes(Image.new("L", (2000, 1000)), "PNG")
    assert rejected(content, max_pixels=1_999_999).code == "pixel_bomb"
    result = accepted(upload(content), max_pixels=2_000_000)
    assert (result.width, result.height) == (2000, 1000)
    os.unlink(result.path)


def test_a_pdf_cut_in_half_is_refused(temp_dir):
    content = pdf_bytes(4)
    error = rejected(content[: len(content) // 2], name="yarım.pdf", content_type="application/pdf")
    assert error.code == "damaged_pdf"
    with translation.override("tr"):
        assert str(error.message) == "PDF dosyası bozuk veya okunamıyor."
    assert leftovers(temp_dir) == []


def test_a_pdf_whose_eof_marker_is_cut_short_is_refused_though_pypdf_would_read_it():
    content = pdf_bytes(3)
    assert content.endswith(b"%%EOF\n")
    for cut in (content[:-2], content[:-6]):  # "...%%EO", and no marker at all
        assert rejected(cut).code == "damaged_pdf"


def test_a_pdf_header_followed_by_garbage_is_refused():
    assert rejected(b"%PDF-1.4\n" + os.urandom(4000) + b"\n%%EOF\n").code == "damaged_pdf"


def hand_made_pdf(*objects: bytes) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_a_pdf_whose_page_tree_points_at_itself_is_refused():
    content = hand_made_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>",
    )
    assert rejected(content).code == "damaged_pdf"


def test_a_hand_made_pdf_is_read_like_any_other():
    content = hand_made_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>",
    )
    result = accepted(upload(content))
    assert result.pages == 1
    os.unlink(result.path)


def test_a_pdf_with_no_pages_is_refused():
    out = io.BytesIO()
    PdfWriter().write(out)
    assert rejected(out.getvalue()).code == "damaged_pdf"


def test_an_encrypted_pdf_is_refused(temp_dir):
    error = rejected(pdf_bytes(1, password="gizli"), name="şifreli.pdf", content_type="application/pdf")
    assert error.code == "encrypted_pdf"
    with translation.override("tr"):
        assert str(error.message) == ("Şifreli PDF dosyaları kabul edilmez; lütfen şifresiz bir kopya yükleyin.")
    assert leftovers(temp_dir) == []


def test_a_pdf_over_the_page_limit_is_refused(temp_dir):
    error = rejected(pdf_bytes(3), max_pages=2)
    assert error.code == "too_many_pages"
    assert error.params == {"max_pages": 2}
    with translation.override("tr"):
        assert "en fazla 2 sayfa" in str(error.message)
    assert leftovers(temp_dir) == []


def test_pypdf_warnings_do_not_reach_the_log_and_the_logger_is_restored(caplog):
    content = pdf_bytes(2)
    tail = content[-40:]
    assert b"startxref\n" in tail
    # A wrong startxref offset: pypdf warns, repairs, and reads the file.
    repaired = content[:-40] + tail.replace(b"startxref\n", b"startxref\n9")
    caplog.set_level(logging.DEBUG, logger="pypdf")  # the project's LOGGING already sets ERROR
    pypdf_logger = logging.getLogger("pypdf")

    result = accepted(upload(repaired))
    assert rejected(b"%PDF-1.4\n" + b"1 0 obj\n<<" * 50 + b"\n%%EOF\n").code == "damaged_pdf"

    assert result.pages == 2
    os.unlink(result.path)
    assert [r for r in caplog.records if r.name.startswith("pypdf")] == []
    assert pypdf_logger.level == logging.DEBUG
    # The same file read outside the check does log, so the test above is not vacuous.
    assert len(PdfReader(io.BytesIO(repaired), strict=False).pages) == 2
    assert [r for r in caplog.records if r.name.startswith("pypdf")]


def test_concurrent_checks_each_get_the_right_verdict_and_leave_the_globals_as_they_were(monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    pypdf_logger = logging.getLogger("pypdf")
    level = pypdf_logger.level
    jpeg = noisy_jpeg((200, 200))
    cases = [
        (jpeg[: len(jpeg) // 2], "damaged_image"),
        (jpeg, "image/jpeg"),
        (pdf_bytes(2), "application/pdf"),
        (pdf_bytes(1)[:300], "damaged_pdf"),
        (pdf_bytes(1, password="x"), "encrypted_pdf"),
    ] * 4

    def verdict(content: bytes) -> str:
        try:
            result = accepted(upload(content))
        except FileRejected as error:
            return error.code
        os.unlink(result.path)
        return result.content_type

    with ThreadPoolExecutor(max_workers=6) as pool:
        verdicts = list(pool.map(verdict, [content for content, _ in cases]))
    assert verdicts == [expected for _, expected in cases]
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    assert pypdf_logger.level == level


def test_a_rejection_carries_a_code_and_a_lazy_message():
    error = rejected(b"")
    assert isinstance(error.message, Promise)
    assert repr(error) == "FileRejected('empty')"
    with translation.override("tr"):
        assert str(error) == "Dosya boş."


# --------------------------------------------------------------------------- display names


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\evil.pdf", "evil.pdf"),
        ("<script>alert(1)</script>.pdf", "script.pdf"),
        ("fat\x00ura\x00.pdf", "fatura.pdf"),
        ("vergi\tlevhası \n\n  2024.pdf", "vergi levhası 2024.pdf"),
        ("İmza Sirküleri – Şişli Çağrı Öğüt.PDF", "İmza Sirküleri – Şişli Çağrı Öğüt.PDF"),
        ("...gizli.pdf", "gizli.pdf"),
        ('a:b*c?d"e|f.png', "abcdef.png"),
        ("kimlik\u202egpj.exe", "kimlikgpj.exe"),  # right-to-left override dropped
        ("", "belge"),
        ("../..", "belge"),
        ("\x00\x01\x02", "belge"),
        ("/", "belge"),
    ],
)
def test_hostile_file_names_are_made_safe_to_display(raw, expected):
    assert safe_display_name(raw) == expected


def test_decomposed_turkish_letters_are_composed():
    decomposed = unicodedata.normalize("NFD", "Şirket Ünvanı Çizelgesi Ğ.pdf")
    assert decomposed != "Şirket Ünvanı Çizelgesi Ğ.pdf"
    assert safe_display_name(decomposed) == "Şirket Ünvanı Çizelgesi Ğ.pdf"


def test_a_long_name_is_cut_to_the_limit_keeping_its_extension():
    name = safe_display_name("ş" * 500 + ".pdf")
    assert len(name) == 120
    assert name == "ş" * 116 + ".pdf"
    assert safe_display_name("a" * 500, max_length=10) == "a" * 10
    assert safe_display_name("x" * 50 + "." + "y" * 50, max_length=20) == "x" * 20
    with pytest.raises(ValueError):
        safe_display_name("a.pdf", max_length=0)


def test_a_pdf_locked_only_by_an_owner_password_is_accepted(temp_dir):
    # e-Devlet and e-signed PDFs often restrict editing but open without a password: they are readable scans.
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="", owner_password="sahip-parolasi", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)

    result = check_upload(upload(out.getvalue(), "imzali.pdf"), max_bytes=10_000_000, max_pixels=10_000_000)

    assert result.pages == 1
    Path(result.path).unlink()


# --------------------------------------------------------------------------- active content in PDFs

ACTIVE_PDF_MESSAGE = (
    "Bu PDF çalıştırılabilir içerik (JavaScript, otomatik eylem, gömülü dosya veya etkileşimli form) taşıdığı için "
    "güvenlik nedeniyle kabul edilmiyor. Lütfen belgeyi açıp “PDF olarak yazdır” ile yeni bir PDF oluşturun ya da "
    "kâğıt belgeyi yeniden tarayıp yükleyin."
)


def built_pdf(build) -> bytes:
    """A one-page PDF written by pypdf after ``build(writer)`` has added to it."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    build(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def action(kind: str, **entries) -> DictionaryObject:
    result = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        result[NameObject(f"/{key}")] = value
    return result


def javascript(code: str = "app.alert('merhaba')") -> DictionaryObject:
    return action("/JavaScript", JS=TextStringObject(code))


def on_open(act):
    return lambda writer: writer.root_object.__setitem__(NameObject("/OpenAction"), act)


def annotation(subtype: str, **entries):
    def build(writer: PdfWriter) -> None:
        annot = DictionaryObject(
            {NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject(subtype)}
        )
        annot[NameObject("/Rect")] = RectangleObject([10, 10, 200, 60])
        for key, value in entries.items():
            annot[NameObject(f"/{key}")] = value
        writer.add_annotation(0, annot)

    return build


def outline_running_javascript(writer: PdfWriter) -> None:
    item = writer.add_outline_item(title="Başlık", page_number=0)
    item.get_object()[NameObject("/A")] = javascript()


def xfa_form(writer: PdfWriter) -> None:
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): ArrayObject([TextStringObject("template")])}
    )


def document_level_actions(writer: PdfWriter) -> None:
    writer.root_object[NameObject("/AA")] = DictionaryObject({NameObject("/WC"): javascript()})


def first_page_dest(writer: PdfWriter) -> ArrayObject:
    return ArrayObject([writer.pages[0].indirect_reference, NameObject("/Fit")])


ACTIVE_PDFS = {
    "document-level JavaScript (names tree)": lambda w: w.add_open_action(JavaScript("app.alert(1)")),
    "OpenAction running JavaScript": on_open(javascript()),
    "OpenAction launching a program": on_open(action("/Launch", F=TextStringObject("cmd.exe"))),
    "OpenAction submitting a form": on_open(action("/SubmitForm", F=TextStringObject("https://kotu.example/"))),
    "OpenAction importing data": on_open(action("/ImportData", F=TextStringObject("veri.fdf"))),
    "OpenAction opening another file": on_open(action("/GoToR", F=TextStringObject("diger.pdf"))),
    "OpenAction opening a web address by itself": on_open(
        action("/URI", URI=TextStringObject("https://kotu.example/"))
    ),
    "harmless GoTo chained to JavaScript": lambda w: on_open(
        action("/GoTo", D=first_page_dest(w), Next=javascript())
    )(w),
    "document additional actions": document_level_actions,
    "page open action": lambda w: w.pages[0].add_action(PageTrigger.OPEN, JavaScript("app.alert(1)")),
    "link to a javascript: address": lambda w: w.add_uri(0, "javascript:alert(1)", RectangleObject([0, 0, 99, 99])),
    "link launching a program": annotation("/Link", A=action("/Launch", F=TextStringObject("calc.exe"))),
    "form button submitting the form": annotation(
        "/Widget", FT=NameObject("/Btn"), A=action("/SubmitForm", F=TextStringObject("https://kotu.example/"))
    ),
    "field with a keystroke script": annotation(
        "/Widget", FT=NameObject("/Tx"), AA=DictionaryObject({NameObject("/K"): javascript()})
    ),
    "outline item running JavaScript": outline_running_javascript,
    "embedded file": lambda w: w.add_attachment("ek.exe", b"MZ\x90\x00"),
    "file attachment annotation": annotation("/FileAttachment", FS=TextStringObject("ek.exe")),
    "rich media annotation": annotation("/RichMedia"),
    "XFA form": xfa_form,
}


@pytest.mark.parametrize("case", list(ACTIVE_PDFS))
def test_a_pdf_carrying_active_content_is_refused_with_advice_to_print_it_again(case, temp_dir):
    error = rejected(built_pdf(ACTIVE_PDFS[case]), name="etkin.pdf", content_type="application/pdf")
    assert error.code == "active_pdf"
    with translation.override("tr"):
        assert str(error.message) == ACTIVE_PDF_MESSAGE
    assert leftovers(temp_dir) == []


def test_javascript_named_with_an_escape_is_still_found():
    content = hand_made_pdf(
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>",
    )
    assert rejected(content).code == "active_pdf"


HARMLESS_PDFS = {
    "OpenAction that is a destination (as Word writes it)": lambda w: on_open(first_page_dest(w))(w),
    "OpenAction that goes to the first page": lambda w: on_open(action("/GoTo", D=first_page_dest(w)))(w),
    "link to a web site": lambda w: w.add_uri(0, "https://www.turkiye.gov.tr/", RectangleObject([0, 0, 99, 99])),
    "e-mail link": lambda w: w.add_uri(0, "mailto:bilgi@belediye.bel.tr", RectangleObject([0, 0, 99, 99])),
    "outline item going to a page": lambda w: w.add_outline_item(title="Başlık", page_number=0),
}


@pytest.mark.parametrize("case", list(HARMLESS_PDFS))
def test_a_pdf_whose_actions_only_move_around_the_document_is_accepted(case):
    content = built_pdf(HARMLESS_PDFS[case])
    result = accepted(upload(content, "karar.pdf", "application/pdf"))
    assert result.pages == 1 and stored_bytes(result) == content
    os.unlink(result.path)


UNINSPECTABLE_MESSAGE = (
    "Bu PDF'in içeriği denetlenemediği için kabul edilmiyor. Lütfen belgeyi açıp “PDF olarak yazdır” ile yeni bir "
    "PDF oluşturun ya da kâğıt belgeyi yeniden tarayıp yükleyin."
)


def test_a_pdf_that_cannot_be_inspected_is_refused_not_accepted():
    nested = b"[" * 5000 + b"]" * 5000  # pypdf's parser runs out of stack on it
    content = hand_made_pdf(
        b"<< /Type /Catalog /Pages 2 0 R /Names 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>",
        b"<< /Dests " + nested + b" >>",
    )
    error = rejected(content)
    assert error.code == "uninspectable_pdf"
    with translation.override("tr"):
        assert str(error.message) == UNINSPECTABLE_MESSAGE


def test_a_pdf_with_more_objects_than_we_inspect_is_refused(monkeypatch):
    monkeypatch.setattr(filecheck, "_MAX_INSPECTED_OBJECTS", 3)
    assert (
        rejected(built_pdf(lambda w: w.add_outline_item(title="Başlık", page_number=0))).code == "uninspectable_pdf"
    )


# --------------------------------------------------------------------------- large images within a memory budget


def flat_png(width: int, height: int, *, bands: int = 3) -> bytes:
    """A one-colour PNG written row by row (no image of that size is ever held here): tiny on disk, huge decoded."""
    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\xf0" * (width * bands)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    colour_type = {1: 0, 3: 2, 4: 6}[bands]
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def phone_photo(size: tuple[int, int], *, orientation: int = 1, **save) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    img = Image.new("RGB", size, (210, 200, 185))
    img.paste((20, 20, 20), (0, 0, size[0] // 2, size[1] // 4))  # a dark band across the top-left
    content = image_bytes(img, "JPEG", quality=90, exif=exif, **save)
    img.close()
    return content


@pytest.fixture(scope="module")
def photo_108mp() -> bytes:
    """12000 × 9000, as a 108-megapixel phone saves it, held sideways (EXIF orientation 6)."""
    return phone_photo((12000, 9000), orientation=6)


PHONE_LIMITS = {"max_bytes": 20 * MB, "max_pixels": 120_000_000}


def test_a_40_kb_png_of_6320_by_6320_pixels_is_accepted_at_archival_size():
    content = flat_png(6320, 6320)
    assert len(content) < 200_000
    result = accepted(upload(content, "tarama.png"), **PHONE_LIMITS)
    assert (result.width, result.height) == (4000, 4000)
    with Image.open(result.path) as stored:
        assert stored.format == "PNG" and stored.size == (4000, 4000)
        assert near(stored.getpixel((2000, 2000)), (240, 240, 240), 2)
    os.unlink(result.path)


def test_a_108_megapixel_phone_photo_is_accepted_upright_at_archival_size(photo_108mp):
    assert len(photo_108mp) < PHONE_LIMITS["max_bytes"]
    result = accepted(upload(photo_108mp, "IMG_0001.jpg", "image/jpeg"), **PHONE_LIMITS)
    assert (result.width, result.height) == (3000, 4000)  # turned upright, longest side 4000
    with Image.open(result.path) as stored:
        assert stored.format == "JPEG" and stored.size == (3000, 4000)
        assert not stored.getexif()
        # The dark band was across the top-left of the sensor; held sideways it ends up along the right edge's top.
        assert near(stored.getpixel((2900, 100)), (20, 20, 20))
        assert near(stored.getpixel((100, 3900)), (210, 200, 185))
    os.unlink(result.path)


def test_the_50_megapixel_photo_that_used_to_be_refused_is_accepted():
    result = accepted(upload(phone_photo((8160, 6120)), "IMG_0002.jpg"), **PHONE_LIMITS)
    assert (result.width, result.height) == (4000, 3000)
    os.unlink(result.path)


def test_an_a4_page_scanned_at_300_dpi_is_stored_at_its_own_size():
    result = accepted(upload(flat_png(2480, 3508, bands=1), "tarama.png"), **PHONE_LIMITS)
    assert (result.width, result.height) == (2480, 3508)
    os.unlink(result.path)


PIXEL_LIMIT_MESSAGE = (
    "Görüntü çok büyük: en fazla %s megapiksel kabul edilir. Fotoğrafı daha düşük çözünürlükte çekin ya da belgeyi "
    "tarayıp PDF olarak yükleyin."
)


def test_a_png_that_would_not_fit_the_decode_budget_is_refused_naming_the_limit_and_what_to_do(temp_dir):
    content = flat_png(7000, 7000)  # 49 MP at four bytes a pixel: 196 MB decoded
    error = rejected(content, name="ekran.png", **PHONE_LIMITS)
    assert error.code == "pixel_bomb"
    with translation.override("tr"):
        assert str(error.message) == PIXEL_LIMIT_MESSAGE % 41
    assert leftovers(temp_dir) == []


def test_a_progressive_jpeg_whose_coefficients_would_not_fit_is_refused():
    img = Image.new("L", (10000, 9000), 128)
    content = image_bytes(img, "JPEG", progressive=True, quality=80)
    img.close()
    error = rejected(content, **PHONE_LIMITS)
    assert error.code == "pixel_bomb"
    with translation.override("tr"):
        assert str(error.message) == PIXEL_LIMIT_MESSAGE % 83


def test_a_large_decode_waits_for_a_slot_and_is_refused_as_busy_when_none_frees(monkeypatch):
    monkeypatch.setattr(filecheck, "LARGE_DECODE_WAIT_SECONDS", 0.05)
    large = flat_png(3000, 3000)  # 36 MB decoded: over LARGE_DECODE_BYTES
    small = image_bytes(Image.new("RGB", (64, 64), "white"), "PNG")
    assert filecheck._large_decodes.acquire(timeout=5)  # another request is decoding a large image
    try:
        error = rejected(large)
        os.unlink(accepted(upload(small)).path)  # small images do not wait
    finally:
        filecheck._large_decodes.release()
    assert error.code == "busy"
    with translation.override("tr"):
        assert str(error.message) == (
            "Sunucu şu anda başka büyük görüntüleri işliyor; lütfen bir dakika sonra yeniden yükleyin."
        )
    os.unlink(accepted(upload(large)).path)


# VmHWM, not ru_maxrss: Linux carries the parent's peak into a child's ru_maxrss across fork and exec.
MEASURE_PEAK = """
import os, re, sys
from concurrent.futures import ThreadPoolExecutor
from django.core.files import File
from documents.filecheck import check_upload

def peak_mb():
    with open("/proc/self/status") as status:
        return int(re.search(r"VmHWM:\\s+(\\d+) kB", status.read()).group(1)) // 1024

def check(path):
    with open(path, "rb") as fh:
        result = check_upload(File(fh, name="x"), max_bytes=20 * 1024 * 1024, max_pixels=120_000_000)
    os.unlink(result.path)

warm_png, warm_jpeg, png, jpeg = sys.argv[1:]
# Like a web worker's request threads: long-lived, each taking whichever upload comes next.
with ThreadPoolExecutor(max_workers=4) as pool:
    list(pool.map(check, [warm_png, warm_jpeg] * 2))
    before = peak_mb()
    list(pool.map(check, [png]))
    list(pool.map(check, [jpeg]))
    list(pool.map(check, [png, png, png, jpeg]))
print(peak_mb() - before)
"""

# What one large image may cost: DECODE_BUDGET_BYTES (160 MiB) for the decode plus its archival copy (4000 × 4000 at
# four bytes a pixel, 61 MiB), with some room for the encoder.
PEAK_BUDGET_MB = 256


def test_the_worst_images_one_after_another_and_four_at_once_stay_within_one_decode_budget(tmp_path, photo_108mp):
    warm_png, warm_jpeg = tmp_path / "a.png", tmp_path / "a.jpg"
    warm_png.write_bytes(image_bytes(Image.new("RGB", (64, 64)), "PNG"))
    warm_jpeg.write_bytes(image_bytes(Image.new("RGB", (64, 64)), "JPEG"))
    png = tmp_path / "6320.png"
    png.write_bytes(flat_png(6320, 6320))
    jpeg = tmp_path / "108mp.jpg"
    jpeg.write_bytes(photo_108mp)
    run = subprocess.run(
        [sys.executable, "-c", MEASURE_PEAK, str(warm_png), str(warm_jpeg), str(png), str(jpeg)],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    grew_mb = int(run.stdout.split()[0])
    assert grew_mb < PEAK_BUDGET_MB, f"peak memory grew {grew_mb} MB"
