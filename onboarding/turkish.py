"""Turkish as Turks read it: alphabetical order, province names and phone numbers — each in this one place."""

import phonenumbers
from localflavor.tr.tr_provinces import PROVINCE_CHOICES

# The Turkish alphabet (29 letters); ı and i, ğ, ş, ç, ö, ü are letters of their own, not accented Latin ones.
_ALPHABET = "abcçdefgğhıijklmnoöprsştuüvyz"
_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}
# Upper case the Turkish way: I is dotless ı's capital, İ is i's (str.lower() would make "I" an "i").
_LOWER = str.maketrans({"I": "ı", "İ": "i"})


def collation_key(text: str) -> tuple:
    """Sort key for Turkish alphabetical order: Çanakkale after Bursa, Iğdır before İstanbul, Şanlıurfa before
    Tekirdağ.

    Letters outside the Turkish alphabet (q, w, x, â, digits …) sort after z by code point; case is ignored.
    """
    lowered = str(text).translate(_LOWER).lower()
    return tuple((_RANK.get(char, len(_RANK)), char) for char in lowered)


def sorted_turkish(items, *, key=lambda item: item):
    """Items in Turkish alphabetical order of key(item)."""
    return sorted(items, key=lambda item: collation_key(str(key(item))))


# (plate code, name), in Turkish alphabetical order of the name: what the province select offers.
PROVINCES: list[tuple[str, str]] = sorted_turkish(PROVINCE_CHOICES, key=lambda choice: choice[1])
_PROVINCE_NAMES = dict(PROVINCE_CHOICES)


def province_name(code: str) -> str:
    """The province's name for its plate code ("41" → "Kocaeli"); an unknown code as it is."""
    return str(_PROVINCE_NAMES.get(code, code or ""))


def format_phone(value: str) -> str:
    """A Turkish number as Turks write it: "+902623731000" → "0262 373 10 00", "+905321234567" → "0532 123 45 67".

    Anything that is not a Turkish number (or not a number) is returned unchanged.
    """
    if not value:
        return ""
    try:
        number = phonenumbers.parse(str(value), "TR")
    except phonenumbers.NumberParseException:
        return value
    national = str(number.national_number)
    if number.country_code != 90 or len(national) != 10:
        return value
    return f"0{national[:3]} {national[3:6]} {national[6:8]} {national[8:]}"


# phonenumbers' carrier data names the operator a mobile range was allocated to, in ASCII.
_OPERATOR_NAMES = {"Turk Telekom": "Türk Telekom"}


def range_operator(number: str) -> str:
    """The operator the number's range was allocated to ("Vodafone"), or "" when unknown.

    Numbers move between operators (number portability), so this says where a number started, not where it is now.
    """
    from phonenumbers import carrier

    if not number:
        return ""
    try:
        parsed = phonenumbers.parse(str(number), "TR")
    except phonenumbers.NumberParseException:
        return ""
    name = carrier.name_for_number(parsed, "en")
    return _OPERATOR_NAMES.get(name, name)


def other_operator(number: str) -> str:
    """The other operator a corporate line's number range belongs to ("" when it is the portal's operator's range
    or unknown): the applicant is warned, never refused."""
    from django.conf import settings

    operator = range_operator(number)
    ours = settings.PORTAL_OPERATOR_NAME
    return operator if operator and operator.casefold() != ours.casefold() else ""


def line_operator_warning(number: str) -> str:
    """What to tell an applicant whose corporate line's number is in another operator's range ("" otherwise)."""
    from django.conf import settings
    from django.utils.translation import gettext

    carrier = other_operator(number)
    if not carrier:
        return ""
    return gettext(
        "%(number)s numarası ilk olarak %(carrier)s operatörüne ayrılmış bir aralıkta. Numaralar operatörler "
        "arasında taşınabildiği için kabul ettik; ancak toplu SMS hesabı için hattın bugün bir %(operator)s hattı "
        "olması gerekir. Numarayı %(operator)s operatörüne taşıdıysanız bir şey yapmanız gerekmez; taşımadıysanız "
        "taşıyın veya yeni bir kurumsal %(operator)s hattı edinin."
    ) % {"number": format_phone(number), "carrier": carrier, "operator": settings.PORTAL_OPERATOR_NAME}
