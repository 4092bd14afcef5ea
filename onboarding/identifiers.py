"""Validators and normalisers for the identifiers a corporate customer types during onboarding.

Pure functions (no models, no database, no network) that Django forms call from `clean_<field>()`. Each one either
returns the normalised value or raises `django.core.exceptions.ValidationError` with a specific `code`, so forms and
views can react to the kind of problem and not only show the text.

User-facing messages are Turkish gettext msgids (Turkish is the project's source language; English comes from the
.po file). Turkish text is never passed through `str.upper()`/`str.lower()`: Python applies the Unicode default
case mapping, which gets the dotted/dotless I pair wrong (`"i".upper()` is "I", not "İ").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidChecksum
from stdnum.tr import tckimlik, vkn

__all__ = [
    "GENERIC_SENDER_IDS",
    "SENDER_ID_MAX_LENGTH",
    "SENDER_ID_MIN_LENGTH",
    "SENDER_ID_URL_TLDS",
    "TURKISH_LETTERS",
    "TURKISH_TRANSLITERATION",
    "SenderIdProblem",
    "TaxNumberKind",
    "lint_sender_id",
    "normalize_digits",
    "normalize_mobile",
    "normalize_text",
    "transliterate_tr",
    "validate_sender_id",
    "validate_tax_number",
    "validate_tckn",
    "validate_vkn",
]

TaxNumberKind = Literal["vkn", "tckn"]

VKN_LENGTH: Final = 10
TCKN_LENGTH: Final = 11
SENDER_ID_MIN_LENGTH: Final = 3
SENDER_ID_MAX_LENGTH: Final = 11

# Turkish letters that have no ASCII form, with their circumflexed vowels (kâğıt, hâl, Kâzım) included because
# they appear in company names and are equally impossible in an SMS sender ID.
TURKISH_LETTERS: Final = frozenset("ÇĞİÖŞÜÂÎÛçğıöşüâîû")

# Letter-by-letter ASCII transliteration. U+0307 (combining dot above) is dropped: it is what remains of "İ" after
# a wrong lower-casing ("i̇"), and NFC cannot recompose it onto an "i" that already has a dot.
TURKISH_TRANSLITERATION: Final = MappingProxyType(str.maketrans("ÇĞİÖŞÜÂÎÛçğıöşüâîû", "CGIOSUAIUcgiosuaiu", "\u0307"))

# Sender IDs so generic that the recipient cannot tell who is writing; operators refuse them, so we refuse early.
# Upper-case ASCII; compared after transliteration and ASCII-only case folding.
GENERIC_SENDER_IDS: Final = frozenset(
    {
        "INFO",
        "SMS",
        "BILGI",
        "BILGILENDIRME",
        "DUYURU",
        "TEST",
        "ADMIN",
        "OTP",
        "HABER",
        "KAMPANYA",
        "REKLAM",
        "MESAJ",
        "NOTICE",
        "ALERT",
        "VERIFY",
    }
)

# Top-level domains that make "label.tld" read as a web address. Kept short on purpose: Turkish company
# abbreviations ("A.S.", "LTD.STI", "SAN.TIC") must not collide with it.
SENDER_ID_URL_TLDS: Final = frozenset(
    {"com", "net", "org", "tr", "gov", "edu", "info", "io", "biz", "co", "me", "app", "tv", "xyz", "shop", "online"}
)

# Only ASCII digits: `\d` would also accept Arabic-Indic and other Unicode decimal digits.
_ASCII_DIGITS_RE: Final = re.compile(r"[0-9]+")
# Separators people type inside numbers: spaces, hyphens (incl. the Unicode dashes word processors substitute),
# dots. NFKC has already turned no-break and other compatibility spaces into " ".
_DIGIT_SEPARATORS_RE: Final = re.compile(r"[ \-.\u2010-\u2015\u2212]+")
_PHONE_CHARACTERS_RE: Final = re.compile(r"\+?[0-9()\-. ]+")
_SENDER_ID_ALLOWED: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .-*")
_SENDER_ID_SEPARATORS_RE: Final = re.compile(r"[ .*\-]+")
_URL_MARKER_RE: Final = re.compile(r"(?<![a-z0-9])(?:https?|www)(?![a-z0-9])")
_DOMAIN_RE: Final = re.compile(
    r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.(?:" + "|".join(sorted(SENDER_ID_URL_TLDS)) + r")(?![a-z0-9])"
)

# Invisible characters: controls (NUL, BEL, tab...), format characters (zero-width space, bidi overrides that can
# make a name display differently from what is stored), lone surrogates, and Unicode line/paragraph separators.
_FORBIDDEN_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
# Everything str.splitlines() treats as a line boundary, so a "single-line" value really has one line.
_LINE_BREAKS: Final = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_ASCII_UPPER: Final = MappingProxyType(str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
_ASCII_LOWER: Final = MappingProxyType(str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"))


@dataclass(frozen=True, slots=True)
class SenderIdProblem:
    """One reason a sender ID (SMS başlığı) is not acceptable, already rendered in the active language."""

    code: str
    message: str


def _describe_char(char: str) -> str:
    """Show a character so a user can see it: itself if visible, otherwise its U+ code point."""
    if char.isprintable() and not char.isspace():
        return char
    return f"U+{ord(char):04X}"


def _refuse_invisible_characters(value: str, *, allowed: frozenset[str] = frozenset()) -> None:
    """Raise if the value contains NUL or another control/format character not in `allowed`."""
    # NUL gets its own code (Django's own) because databases such as PostgreSQL cannot store it at all.
    if "\x00" in value:
        raise ValidationError(
            _("Girilen değer geçersiz bir NUL (U+0000) karakteri içeriyor."), code="null_characters_not_allowed"
        )
    for char in value:
        if char not in allowed and unicodedata.category(char) in _FORBIDDEN_CATEGORIES:
            raise ValidationError(
                _("Girilen değerde izin verilmeyen görünmez bir karakter var (%(char)s); lütfen yeniden yazın."),
                code="control_character",
                params={"char": _describe_char(char)},
            )


def normalize_digits(value: str) -> str:
    """Return the ASCII digits of a number typed with optional spaces, hyphens or dots as separators."""
    # NFKC folds full-width (０-９), mathematical and other compatibility digits to ASCII and no-break spaces to " ";
    # it deliberately does not touch Arabic-Indic digits, which are real digits of another script and refused below.
    value = unicodedata.normalize("NFKC", value).strip()
    _refuse_invisible_characters(value)
    digits = _DIGIT_SEPARATORS_RE.sub("", value)
    if not digits:
        raise ValidationError(_("Lütfen bir numara girin."), code="required")
    if _ASCII_DIGITS_RE.fullmatch(digits):
        return digits
    if any(unicodedata.decimal(char, None) is not None and not char.isascii() for char in digits):
        raise ValidationError(_("Yalnızca 0-9 rakamları kullanılabilir."), code="non_ascii_digits")
    raise ValidationError(
        _("Numara yalnızca rakamlardan oluşmalıdır; harf ve başka işaretler kullanılamaz."),
        code="invalid_characters",
    )


def validate_vkn(value: str) -> str:
    """Return the normalised 10-digit vergi kimlik numarası (VKN), checked offline with python-stdnum."""
    number = normalize_digits(value)
    if len(number) != VKN_LENGTH:
        raise ValidationError(
            _("Vergi kimlik numarası 10 haneli olmalıdır; girilen numara %(length)d haneli."),
            code="invalid_length",
            params={"length": len(number)},
        )
    # Numbers like 4444444444 satisfy the check digit but are placeholders, never real registrations.
    if len(set(number)) == 1:
        raise ValidationError(
            _("Vergi kimlik numarası tek bir rakamın tekrarından oluşamaz; lütfen numarayı kontrol edin."),
            code="repeated_digits",
        )
    try:
        return vkn.validate(number)
    except InvalidChecksum:
        # Format and length were checked above, so the check digit is the only thing left that can fail.
        raise ValidationError(
            _("Vergi kimlik numarasının kontrol hanesi tutmuyor; lütfen numarayı kontrol edin."),
            code="invalid_checksum",
        ) from None


def validate_tckn(value: str) -> str:
    """Return the normalised 11-digit T.C. kimlik numarası, checked offline (never through the KPS service)."""
    number = normalize_digits(value)
    if len(number) != TCKN_LENGTH:
        raise ValidationError(
            _("T.C. kimlik numarası 11 haneli olmalıdır; girilen numara %(length)d haneli."),
            code="invalid_length",
            params={"length": len(number)},
        )
    if number[0] == "0":
        raise ValidationError(_("T.C. kimlik numarası 0 ile başlayamaz."), code="leading_zero")
    # Nine equal leading digits always produce a "valid" checksum (dddddddddd0, e.g. 11111111110), so the
    # checksum alone lets these obvious placeholders through.
    if len(set(number[:9])) == 1:
        raise ValidationError(
            _("Tekrarlanan rakamlardan oluşan T.C. kimlik numaraları kabul edilmez; lütfen numarayı kontrol edin."),
            code="repeated_digits",
        )
    try:
        return tckimlik.validate(number)
    except InvalidChecksum:
        # Format, length and the leading digit were checked above; only the two check digits can still fail.
        raise ValidationError(
            _("T.C. kimlik numarasının kontrol haneleri tutmuyor; lütfen numarayı kontrol edin."),
            code="invalid_checksum",
        ) from None


def validate_tax_number(value: str) -> tuple[str, TaxNumberKind]:
    """Return (number, "vkn"|"tckn"): a company's VKN, or a sole proprietor's T.C. kimlik numarası."""
    number = normalize_digits(value)
    # Sole proprietorships (şahıs şirketleri) are taxed under the owner's T.C. kimlik numarası, so both are valid
    # answers to "vergi numarası"; the length tells them apart.
    if len(number) == VKN_LENGTH:
        return validate_vkn(number), "vkn"
    if len(number) == TCKN_LENGTH:
        return validate_tckn(number), "tckn"
    raise ValidationError(
        _(
            "Vergi numarası 10 haneli vergi kimlik numarası ya da şahıs şirketleri için 11 haneli T.C. kimlik "
            "numarası olmalıdır; girilen numara %(length)d haneli."
        ),
        code="invalid_length",
        params={"length": len(number)},
    )


def normalize_mobile(value: str) -> str:
    """Return a Turkish mobile number in E.164 form ("+905321234567"); landlines and 0850/0800 are refused."""
    return normalize_phone(value, mobile_only=True)


def normalize_phone(value: str, *, mobile_only: bool = False) -> str:
    """Return a Turkish phone number in E.164 form; with mobile_only, landlines and 0850/0800 are refused."""
    # NFKC turns full-width digits and "＋" into ASCII before phonenumbers sees them.
    value = unicodedata.normalize("NFKC", value).strip()
    _refuse_invisible_characters(value)
    if not value:
        message = (
            _("Lütfen bir cep telefonu numarası girin.") if mobile_only else _("Lütfen bir telefon numarası girin.")
        )
        raise ValidationError(message, code="required")
    # phonenumbers would quietly accept Arabic-Indic digits and letters (vanity numbers, "ext."); we keep the same
    # ASCII-only rule as for every other number in the portal.
    if not _PHONE_CHARACTERS_RE.fullmatch(value):
        if any(unicodedata.decimal(char, None) is not None and not char.isascii() for char in value):
            raise ValidationError(_("Yalnızca 0-9 rakamları kullanılabilir."), code="non_ascii_digits")
        raise ValidationError(
            _("Telefon numarasında yalnızca rakam, boşluk, +, - ve parantez kullanılabilir."),
            code="invalid_characters",
        )
    try:
        number = phonenumbers.parse(value, "TR")
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and number.country_code != 90:
        raise ValidationError(
            _("Yalnızca Türkiye (+90) telefon numaraları kabul edilir."),
            code="foreign_number",
        )
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Geçerli bir cep telefonu numarası girin; örneğin 0532 123 45 67.")
            if mobile_only
            else _("Geçerli bir telefon numarası girin; örneğin 0212 123 45 67."),
            code="invalid_phone",
        )
    if not mobile_only:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    # SMS verification codes can only reach mobiles; 0850/0800/444 numbers and landlines cannot receive them.
    if phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE:
        raise ValidationError(
            _("Lütfen bir cep telefonu numarası girin; sabit hat ve 0850 numaraları kabul edilmez."),
            code="not_mobile",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_text(value: str, *, max_length: int | None = None, multiline: bool = False) -> str:
    """Return free text (names, addresses) NFC-normalised and stripped, refusing invisible characters."""
    # NFC only (not NFKC): it composes "I"+U+0307 into "İ" and "s"+U+0327 into "ş" so equal names compare equal,
    # without rewriting what the user typed the way compatibility folding would.
    value = unicodedata.normalize("NFC", value)
    if multiline:
        # Browsers submit textarea line breaks as CRLF; store a single convention.
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.strip()
    if not multiline and any(char in _LINE_BREAKS for char in value):
        raise ValidationError(_("Bu alan tek satır olmalıdır; satır sonu kullanılamaz."), code="line_break")
    _refuse_invisible_characters(value, allowed=frozenset("\n") if multiline else frozenset())
    if max_length is not None and len(value) > max_length:
        raise ValidationError(
            _("Bu alan en fazla %(limit_value)d karakter olabilir; şu an %(show_value)d karakter."),
            code="max_length",
            params={"limit_value": max_length, "show_value": len(value)},
        )
    return value


def transliterate_tr(value: str) -> str:
    """Replace Turkish letters with their ASCII counterparts (Ç→C, İ→I, ı→i, ş→s, …), leaving the rest as is."""
    # NFC first so decomposed input ("S"+U+0327) is recognised as the Turkish letter it displays as.
    return unicodedata.normalize("NFC", value).translate(TURKISH_TRANSLITERATION)


def _ascii_upper(value: str) -> str:
    """Upper-case ASCII letters only, so no Unicode/Turkish case rule is ever applied."""
    return value.translate(_ASCII_UPPER)


def _ascii_lower(value: str) -> str:
    """Lower-case ASCII letters only, so no Unicode/Turkish case rule is ever applied."""
    return value.translate(_ASCII_LOWER)


def _normalize_sender_id(value: str) -> str:
    """Return the sender ID as it will be checked and stored: NFKC-normalised and trimmed."""
    # NFKC: a sender ID ends up as plain ASCII, so full-width letters and no-break spaces should become their ASCII
    # forms rather than be reported as foreign characters.
    return unicodedata.normalize("NFKC", value).strip()


def _is_generic_sender_id(value: str) -> bool:
    """True if the sender ID is only a generic word ("INFO", "S.M.S", "SMS INFO") that names no organisation."""
    folded = _ascii_upper(transliterate_tr(value))
    tokens = [token for token in _SENDER_ID_SEPARATORS_RE.split(folded) if token]
    if not tokens:
        return False
    return "".join(tokens) in GENERIC_SENDER_IDS or all(token in GENERIC_SENDER_IDS for token in tokens)


def _looks_like_url(value: str) -> bool:
    """True if the sender ID contains a web address marker (http, www) or a "label.tld" domain."""
    folded = _ascii_lower(transliterate_tr(value))
    return bool(_URL_MARKER_RE.search(folded) or _DOMAIN_RE.search(folded))


def lint_sender_id(value: str) -> list[SenderIdProblem]:
    """Return every problem with a proposed sender ID (empty list if acceptable), for live feedback while typing."""
    value = _normalize_sender_id(value)
    if not value:
        return [SenderIdProblem("required", str(_("Lütfen bir SMS başlığı (gönderici adı) girin.")))]

    problems: list[SenderIdProblem] = []
    length = len(value)
    if length < SENDER_ID_MIN_LENGTH:
        problems.append(
            SenderIdProblem(
                "too_short",
                _("SMS başlığı en az %(min)d karakter olmalıdır; şu an %(length)d karakter.")
                % {"min": SENDER_ID_MIN_LENGTH, "length": length},
            )
        )
    elif length > SENDER_ID_MAX_LENGTH:
        problems.append(
            SenderIdProblem(
                "too_long",
                _("SMS başlığı en fazla %(max)d karakter olabilir; şu an %(length)d karakter.")
                % {"max": SENDER_ID_MAX_LENGTH, "length": length},
            )
        )

    if any(char in TURKISH_LETTERS for char in value):
        problems.append(
            SenderIdProblem(
                "turkish_characters",
                _("Türkçe karakter kullanılamaz; öneri: %(suggestion)s") % {"suggestion": transliterate_tr(value)},
            )
        )

    # Turkish letters already have their own problem (with a suggestion); list every other offending character once.
    invalid = dict.fromkeys(char for char in value if char not in _SENDER_ID_ALLOWED and char not in TURKISH_LETTERS)
    if invalid:
        problems.append(
            SenderIdProblem(
                "invalid_characters",
                _(
                    "SMS başlığında yalnızca A-Z harfleri, rakamlar, boşluk ve . - * kullanılabilir; "
                    "geçersiz karakterler: %(chars)s"
                )
                % {"chars": " ".join(_describe_char(char) for char in invalid)},
            )
        )

    if "  " in value:
        problems.append(SenderIdProblem("double_space", str(_("SMS başlığında art arda iki boşluk kullanılamaz."))))

    if not any(char.isalpha() for char in value):
        problems.append(
            SenderIdProblem(
                "no_letters",
                str(_("SMS başlığı yalnızca rakam ve işaretlerden oluşamaz; en az bir harf içermelidir.")),
            )
        )

    if _looks_like_url(value):
        problems.append(
            SenderIdProblem(
                "url_or_domain",
                str(_("SMS başlığı web adresi veya alan adı içeremez (ör. www, http, .com, .com.tr).")),
            )
        )

    if _is_generic_sender_id(value):
        problems.append(
            SenderIdProblem(
                "generic",
                _(
                    "“%(value)s” genel bir ifade olduğu için SMS başlığı olarak kullanılamaz; lütfen kurumunuzu "
                    "tanıtan bir başlık seçin."
                )
                % {"value": value},
            )
        )
    return problems


def validate_sender_id(value: str) -> str:
    """Return the trimmed sender ID, or raise one ValidationError carrying every problem lint_sender_id finds."""
    problems = lint_sender_id(value)
    if problems:
        raise ValidationError([ValidationError(problem.message, code=problem.code) for problem in problems])
    return _normalize_sender_id(value)
