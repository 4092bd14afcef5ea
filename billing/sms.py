"""How many SMS parts a message takes, counted as the operator counts them (3GPP TS 23.038).

- **GSM 03.38 default alphabet:** 160 characters in one part, 153 per part when split (the rest of each part holds
  the concatenation header). `^ { } \\ [ ] ~ | €` and form feed come from the extension table: two each.
- **Turkish national single-shift table:** needed only for `Ş ş Ğ ğ ç ı İ` (`Ö ö Ü ü Ç` are in the default alphabet).
  The shift header leaves 155 characters in one part and 149 per part when split; the Turkish letters and the
  extension characters take two each.
- **Unicode (UCS-2):** anything else, e.g. an emoji or `â`: 70 in one part, 67 per part; a character outside the
  Basic Multilingual Plane takes two.

A part never ends in the middle of a two-character symbol (an escape pair, a surrogate pair): splitters move it to
the next part, so the count walks the text rather than dividing its length. Since BTK's 2016 decision the operator
appends a short code (about five characters, e.g. " B038") to bulk messages; PORTAL_SMS_OPERATOR_RESERVE counts it.
Text is compared in NFC, so a decomposed "ş" (s + combining cedilla) counts as the letter it shows.
"""

import unicodedata
from dataclasses import dataclass

from django.conf import settings

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("\f^{}\\[]~|€")
TURKISH_SHIFT = frozenset("ŞşĞğçıİ")

# encoding: (one part, per part when split)
CAPACITY = {"gsm": (160, 153), "turkish": (155, 149), "unicode": (70, 67)}


@dataclass(frozen=True)
class SmsParts:
    encoding: str  # "gsm", "turkish" or "unicode"
    length: int  # characters as the operator counts them, the operator's code included
    parts: int


def _weight(character: str, encoding: str) -> int:
    if encoding == "unicode":
        return 2 if ord(character) > 0xFFFF else 1
    return 1 if character in GSM_BASIC else 2


def encoding_of(text: str) -> str:
    characters = set(text)
    if characters <= GSM_BASIC | GSM_EXTENSION:
        return "gsm"
    if characters <= GSM_BASIC | GSM_EXTENSION | TURKISH_SHIFT:
        return "turkish"
    return "unicode"


def count_parts(text: str, *, reserve: int | None = None) -> SmsParts:
    """The encoding, counted length and number of parts of `text`; an empty message takes no part."""
    text = unicodedata.normalize("NFC", text)
    if not text:
        return SmsParts("gsm", 0, 0)
    reserve = settings.PORTAL_SMS_OPERATOR_RESERVE if reserve is None else reserve
    encoding = encoding_of(text)
    single, per_part = CAPACITY[encoding]
    weights = [_weight(character, encoding) for character in text] + [1] * reserve
    length = sum(weights)
    if length <= single:
        return SmsParts(encoding, length, 1)
    parts, used = 1, 0
    for weight in weights:
        if used + weight > per_part:
            parts, used = parts + 1, 0
        used += weight
    return SmsParts(encoding, length, parts)
