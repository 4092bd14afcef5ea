"""Tests for onboarding.identifiers: pure functions, no database."""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from stdnum.tr import tckimlik, vkn

from onboarding.identifiers import (
    GENERIC_SENDER_IDS,
    TURKISH_TRANSLITERATION,
    SenderIdProblem,
    lint_sender_id,
    normalize_digits,
    normalize_mobile,
    normalize_text,
    transliterate_tr,
    validate_sender_id,
    validate_tax_number,
    validate_tckn,
    validate_vkn,
)

ARABIC_INDIC_VKN = "٤٥٤٠٥٣٦٩٢٠"  # 4540536920 in Arabic-Indic digits
PERSIAN_VKN = "۴۵۴۰۵۳۶۹۲۰"  # 4540536920 in Extended Arabic-Indic (Persian) digits
FULL_WIDTH_VKN = "４５４０５３６９２０"


@pytest.fixture(autouse=True)
def _turkish_messages() -> Iterator[None]:
    """Render messages in Turkish (the msgids) whatever the settings' default language or .po files say."""
    with translation.override("tr"):
        yield


def refusal(func: Callable[..., Any], *args: Any, **kwargs: Any) -> ValidationError:
    """Call func, assert it raises ValidationError, and return the error."""
    with pytest.raises(ValidationError) as excinfo:
        func(*args, **kwargs)
    return excinfo.value


def codes(error: ValidationError) -> list[str | None]:
    return [item.code for item in error.error_list]


def sender_codes(value: str) -> set[str]:
    return {problem.code for problem in lint_sender_id(value)}


# --- normalize_digits -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("4540536920", "4540536920"),
        ("  4540536920\n", "4540536920"),
        ("454 053 69 20", "4540536920"),
        ("454-053-6920", "4540536920"),
        ("454.053.6920", "4540536920"),
        ("454\u00a0053\u00a06920", "4540536920"),  # no-break spaces from a copied document
        ("454\u2013053\u20136920", "4540536920"),  # en dashes substituted by a word processor
        (FULL_WIDTH_VKN, "4540536920"),
        ("４５４－０５３．６９２０", "4540536920"),  # full-width separators too
    ],
)
def test_digits_with_separators_and_full_width_digits_are_normalised_to_ascii(raw: str, expected: str) -> None:
    assert normalize_digits(raw) == expected


@pytest.mark.parametrize("raw", [ARABIC_INDIC_VKN, PERSIAN_VKN, "४५४०५३६९२०", "45405369٢٠"])
def test_digits_of_other_scripts_are_refused(raw: str) -> None:
    error = refusal(normalize_digits, raw)
    assert error.code == "non_ascii_digits"
    assert error.messages == ["Yalnızca 0-9 rakamları kullanılabilir."]


def test_nul_byte_in_a_number_is_refused() -> None:
    error = refusal(normalize_digits, "45405\x0036920")
    assert error.code == "null_characters_not_allowed"
    assert "NUL" in error.messages[0]


@pytest.mark.parametrize("raw", ["45405\x0736920", "45405\u200b36920", "\u202e4540536920", "45405\t36920"])
def test_control_and_invisible_characters_in_a_number_are_refused(raw: str) -> None:
    error = refusal(normalize_digits, raw)
    assert error.code == "control_character"
    assert "U+" in error.messages[0]


@pytest.mark.parametrize("raw", ["45405A6920", "4540536920x", "+4540536920", "4540/536920"])
def test_letters_and_other_signs_in_a_number_are_refused(raw: str) -> None:
    assert refusal(normalize_digits, raw).code == "invalid_characters"


@pytest.mark.parametrize("raw", ["", "   ", " - . "])
def test_a_number_with_no_digits_at_all_is_required(raw: str) -> None:
    assert refusal(normalize_digits, raw).code == "required"


# --- VKN --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("4540536920", "4540536920"),
        ("1234567890", "1234567890"),
        (" 454 053 69 20 ", "4540536920"),
        (FULL_WIDTH_VKN, "4540536920"),
    ],
)
def test_valid_vkn_is_returned_normalised(raw: str, expected: str) -> None:
    assert validate_vkn(raw) == expected


def test_vkn_with_wrong_checksum_is_refused() -> None:
    error = refusal(validate_vkn, "4540536921")
    assert error.code == "invalid_checksum"
    assert error.messages == ["Vergi kimlik numarasının kontrol hanesi tutmuyor; lütfen numarayı kontrol edin."]


@pytest.mark.parametrize(("raw", "length"), [("454053692", 9), ("45405369201", 11), ("4", 1)])
def test_vkn_with_wrong_length_is_refused_with_the_length_entered(raw: str, length: int) -> None:
    error = refusal(validate_vkn, raw)
    assert error.code == "invalid_length"
    assert error.messages == [f"Vergi kimlik numarası 10 haneli olmalıdır; girilen numara {length} haneli."]


def test_vkn_in_arabic_indic_digits_is_refused() -> None:
    assert refusal(validate_vkn, ARABIC_INDIC_VKN).code == "non_ascii_digits"


def test_vkn_with_letters_is_refused_as_non_digit() -> None:
    assert refusal(validate_vkn, "45405369AB").code == "invalid_characters"


def test_vkn_made_of_one_repeated_digit_is_refused_although_its_checksum_passes() -> None:
    assert vkn.is_valid("4444444444")  # why the explicit rule exists
    assert refusal(validate_vkn, "4444444444").code == "repeated_digits"


# --- TCKN -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["17291716060", "10000000146", "12345678950"])
def test_valid_tckn_is_accepted(raw: str) -> None:
    assert validate_tckn(raw) == raw


def test_tckn_is_returned_normalised() -> None:
    assert validate_tckn(" 172 917 160 60 ") == "17291716060"
    assert validate_tckn("１７２９１７１６０６０") == "17291716060"


def test_tckn_with_wrong_check_digits_is_refused() -> None:
    error = refusal(validate_tckn, "17291716050")
    assert error.code == "invalid_checksum"
    assert "kontrol haneleri tutmuyor" in error.messages[0]


def test_tckn_starting_with_zero_is_refused() -> None:
    error = refusal(validate_tckn, "07291716092")
    assert error.code == "leading_zero"
    assert error.messages == ["T.C. kimlik numarası 0 ile başlayamaz."]


@pytest.mark.parametrize("raw", ["11111111110", "99999999990", "22222222220"])
def test_tckn_made_of_repeated_digits_is_refused_although_its_checksum_passes(raw: str) -> None:
    assert tckimlik.is_valid(raw)  # why the explicit rule exists
    error = refusal(validate_tckn, raw)
    assert error.code == "repeated_digits"
    assert "Tekrarlanan rakam" in error.messages[0]


@pytest.mark.parametrize(("raw", "length"), [("1729171606", 10), ("172917160600", 12)])
def test_tckn_with_wrong_length_is_refused(raw: str, length: int) -> None:
    error = refusal(validate_tckn, raw)
    assert error.code == "invalid_length"
    assert "11 haneli" in error.messages[0]
    assert f"girilen numara {length} haneli" in error.messages[0]


def test_tckn_in_arabic_indic_digits_is_refused() -> None:
    assert refusal(validate_tckn, "١٧٢٩١٧١٦٠٦٠").code == "non_ascii_digits"


# --- tax number (VKN or TCKN) -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("4540536920", ("4540536920", "vkn")),
        ("454 053 69 20", ("4540536920", "vkn")),
        ("17291716060", ("17291716060", "tckn")),
        ("１７２９１７１６０６０", ("17291716060", "tckn")),
    ],
)
def test_tax_number_accepts_a_vkn_or_a_sole_proprietors_tckn(raw: str, expected: tuple[str, str]) -> None:
    assert validate_tax_number(raw) == expected


@pytest.mark.parametrize(("raw", "length"), [("454053692", 9), ("172917160600", 12)])
def test_tax_number_of_neither_length_is_refused(raw: str, length: int) -> None:
    error = refusal(validate_tax_number, raw)
    assert error.code == "invalid_length"
    assert "10 haneli" in error.messages[0]
    assert "11 haneli" in error.messages[0]
    assert f"girilen numara {length} haneli" in error.messages[0]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("4540536921", "invalid_checksum"),
        ("17291716050", "invalid_checksum"),
        ("07291716092", "leading_zero"),
        ("11111111110", "repeated_digits"),
        (ARABIC_INDIC_VKN, "non_ascii_digits"),
        ("", "required"),
    ],
)
def test_tax_number_reports_the_underlying_vkn_or_tckn_problem(raw: str, code: str) -> None:
    assert refusal(validate_tax_number, raw).code == code


# --- mobile numbers ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "0532 123 45 67",
        "+90 532 123 4567",
        "5321234567",
        "05321234567",
        "905321234567",
        "00905321234567",
        "0 (532) 123-45-67",
        "0532.123.45.67",
        "０５３２ １２３ ４５ ６７",
        "＋９０５３２１２３４５６７",
        " 0532 123 45 67\n",
    ],
)
def test_turkish_mobile_numbers_in_common_forms_become_e164(raw: str) -> None:
    assert normalize_mobile(raw) == "+905321234567"


@pytest.mark.parametrize(
    "raw",
    [
        "0212 123 45 67",  # İstanbul landline
        "0312 123 45 67",  # Ankara landline
        "0850 123 45 67",
        "+90 850 123 45 67",
        "0800 123 45 67",
        "0444 1 444",
    ],
)
def test_landline_and_non_geographic_numbers_are_refused(raw: str) -> None:
    error = refusal(normalize_mobile, raw)
    assert error.code == "not_mobile"
    assert error.messages == ["Lütfen bir cep telefonu numarası girin; sabit hat ve 0850 numaraları kabul edilmez."]


@pytest.mark.parametrize("raw", ["+44 7911 123456", "+49 151 23456789", "0044 7911 123456", "+1 202 555 0143"])
def test_foreign_numbers_are_refused(raw: str) -> None:
    error = refusal(normalize_mobile, raw)
    assert error.code == "foreign_number"
    assert "+90" in error.messages[0]


@pytest.mark.parametrize("raw", ["0532 123", "0532 123 45 67 89", "0561 123 45 67", "+90"])
def test_impossible_turkish_numbers_are_refused(raw: str) -> None:
    assert refusal(normalize_mobile, raw).code == "invalid_phone"


def test_mobile_in_arabic_indic_digits_is_refused() -> None:
    assert refusal(normalize_mobile, "٠٥٣٢١٢٣٤٥٦٧").code == "non_ascii_digits"


@pytest.mark.parametrize("raw", ["0532 ABC 45 67", "0532 123 45 67 ext. 5", "0532/1234567"])
def test_mobile_with_letters_or_unusual_signs_is_refused(raw: str) -> None:
    assert refusal(normalize_mobile, raw).code == "invalid_characters"


def test_mobile_with_nul_byte_is_refused() -> None:
    assert refusal(normalize_mobile, "0532\x001234567").code == "null_characters_not_allowed"


@pytest.mark.parametrize("raw", ["", "   "])
def test_empty_mobile_is_required(raw: str) -> None:
    assert refusal(normalize_mobile, raw).code == "required"


# --- free text --------------------------------------------------------------------------------------------------


def test_decomposed_turkish_letters_become_exactly_the_composed_string() -> None:
    composed = "İĞŞıöüç"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed  # the input really is decomposed
    assert normalize_text(decomposed) == composed


def test_turkish_letters_and_their_case_are_kept_exactly() -> None:
    text = "IĞDIR ılık İzmir istanbul Çağlayan Şişli Ödemiş Üsküdar"
    assert normalize_text(f"  {text}  ") == text


def test_inner_spacing_is_not_collapsed() -> None:
    assert normalize_text("Acme  Ltd.  Şti.") == "Acme  Ltd.  Şti."


def test_nul_byte_in_text_is_refused() -> None:
    assert refusal(normalize_text, "Acme\x00 A.Ş.").code == "null_characters_not_allowed"


@pytest.mark.parametrize("raw", ["Acme\x07", "Ac\u200bme", "Acme \u202eŞ.A", "Acme\tLtd", "Acme\ufeff"])
def test_control_and_invisible_characters_in_text_are_refused(raw: str) -> None:
    assert refusal(normalize_text, raw).code == "control_character"


@pytest.mark.parametrize("raw", ["Birinci satır\nİkinci satır", "Acme\r\nLtd", "Acme\u2028Ltd"])
def test_single_line_text_refuses_line_breaks(raw: str) -> None:
    assert refusal(normalize_text, raw).code == "line_break"


def test_multiline_text_keeps_line_breaks_and_unifies_crlf() -> None:
    assert (
        normalize_text("Atatürk Cd. No:1\r\nÇankaya\rAnkara\n", multiline=True) == "Atatürk Cd. No:1\nÇankaya\nAnkara"
    )


def test_multiline_text_still_refuses_other_control_characters() -> None:
    assert refusal(normalize_text, "Satır\tbir\nSatır iki", multiline=True).code == "control_character"
    assert refusal(normalize_text, "Satır\x00", multiline=True).code == "null_characters_not_allowed"


def test_text_within_max_length_is_accepted_counting_turkish_letters_once() -> None:
    assert normalize_text(unicodedata.normalize("NFD", "Işığı"), max_length=5) == "Işığı"


def test_text_over_max_length_is_refused() -> None:
    error = refusal(normalize_text, "Çok uzun şirket adı", max_length=5)
    assert error.code == "max_length"
    assert error.messages == ["Bu alan en fazla 5 karakter olabilir; şu an 19 karakter."]


# --- transliteration --------------------------------------------------------------------------------------------


def test_every_turkish_letter_is_transliterated_to_ascii() -> None:
    assert transliterate_tr("ÇĞİÖŞÜçğıöşü") == "CGIOSUcgiosu"


def test_transliteration_leaves_other_characters_alone() -> None:
    assert transliterate_tr("ACME 2024 a.b-c*") == "ACME 2024 a.b-c*"
    assert transliterate_tr("Café") == "Café"


def test_transliteration_handles_decomposed_letters_and_circumflex_vowels() -> None:
    assert transliterate_tr(unicodedata.normalize("NFD", "İSTANBUL Şişli")) == "ISTANBUL Sisli"
    assert transliterate_tr("i\u0307") == "i"  # what str.lower() makes of "İ"
    assert transliterate_tr("KÂĞIT hâl") == "KAGIT hal"


def test_transliteration_table_is_read_only() -> None:
    with pytest.raises(TypeError):
        TURKISH_TRANSLITERATION[ord("x")] = "y"  # type: ignore[index]


# --- sender ID --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ACME", "ACME"),
        ("Acme", "Acme"),
        ("ABC", "ABC"),
        ("ABCDEFGHIJK", "ABCDEFGHIJK"),
        ("ACME A.S.", "ACME A.S."),
        ("ACME-TEKNO", "ACME-TEKNO"),
        ("ACME*2024", "ACME*2024"),
        ("LTD.STI", "LTD.STI"),
        ("ECZ.MEHMET", "ECZ.MEHMET"),
        ("INFOTECH", "INFOTECH"),
        ("ISTANBULBLD", "ISTANBULBLD"),
        ("  ACME  ", "ACME"),
        ("ＡＣＭＥ", "ACME"),
    ],
)
def test_acceptable_sender_ids_have_no_problems(raw: str, expected: str) -> None:
    assert lint_sender_id(raw) == []
    assert validate_sender_id(raw) == expected


@pytest.mark.parametrize("raw", ["", "   "])
def test_empty_sender_id_is_required(raw: str) -> None:
    assert [problem.code for problem in lint_sender_id(raw)] == ["required"]


@pytest.mark.parametrize("raw", ["A", "AB", " AB "])
def test_sender_id_shorter_than_three_characters_is_refused(raw: str) -> None:
    assert sender_codes(raw) == {"too_short"}


def test_sender_id_longer_than_eleven_characters_is_refused() -> None:
    (problem,) = lint_sender_id("ABCDEFGHIJKL")
    assert problem.code == "too_long"
    assert "en fazla 11 karakter" in problem.message
    assert "şu an 12 karakter" in problem.message


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("ACME_SMS", "_"),
        ("ACME!", "!"),
        ("ACME/TR", "/"),
        ("ÉCOLE", "É"),
        ("AC\x00ME", "U+0000"),
        ("AC\tME", "U+0009"),
    ],
)
def test_sender_id_with_characters_outside_the_allowed_set_is_refused(raw: str, shown: str) -> None:
    (problem,) = lint_sender_id(raw)
    assert problem.code == "invalid_characters"
    assert shown in problem.message


@pytest.mark.parametrize("raw", ["12345", "0850123", "123.456", "***"])
def test_sender_id_without_any_letter_is_refused(raw: str) -> None:
    assert sender_codes(raw) == {"no_letters"}


@pytest.mark.parametrize(
    ("raw", "suggestion"),
    [
        ("İSTANBUL", "ISTANBUL"),
        ("İST BLD", "IST BLD"),
        ("ŞEKER A.Ş.", "SEKER A.S."),
        ("Çağrı Ltd", "Cagri Ltd"),
        ("ÖZGÜR", "OZGUR"),
        ("ığdır", "igdir"),
    ],
)
def test_sender_id_with_turkish_letters_is_refused_with_an_ascii_suggestion(raw: str, suggestion: str) -> None:
    (problem,) = lint_sender_id(raw)
    assert problem.code == "turkish_characters"
    assert problem.message == f"Türkçe karakter kullanılamaz; öneri: {suggestion}"


def test_turkish_letter_suggestion_matches_the_brief_example() -> None:
    problems = {problem.code: problem.message for problem in lint_sender_id("İSTANBUL BLD")}
    assert problems["turkish_characters"] == "Türkçe karakter kullanılamaz; öneri: ISTANBUL BLD"
    assert set(problems) == {"turkish_characters", "too_long"}  # 12 characters


def test_decomposed_turkish_letters_in_a_sender_id_are_still_recognised() -> None:
    assert sender_codes(unicodedata.normalize("NFD", "ŞEKER")) == {"turkish_characters"}


def test_sender_id_with_double_space_is_refused() -> None:
    assert sender_codes("ACME  TEK") == {"double_space"}


@pytest.mark.parametrize(
    "raw",
    ["www.x.com", "abc.com.tr", "http", "HTTPS", "WWW ACME", "ACME.NET", "Acme.Com", "X.IO", "ACME.CO", "BLD.TR"],
)
def test_sender_id_that_looks_like_a_web_address_is_refused(raw: str) -> None:
    assert "url_or_domain" in sender_codes(raw)


@pytest.mark.parametrize("raw", ["ACME A.S.", "LTD.STI", "SAN.TIC", "ECZ.MEHMET", "ORG.SAN"])
def test_company_abbreviations_with_dots_are_not_mistaken_for_domains(raw: str) -> None:
    assert "url_or_domain" not in sender_codes(raw)


@pytest.mark.parametrize(
    "raw", ["INFO", "info", "Sms", "BILGI", "Bilgi", "DUYURU", "TEST", "OTP", "S.M.S", "SMS INFO", "Test*", "VERIFY"]
)
def test_generic_sender_ids_are_refused_case_insensitively(raw: str) -> None:
    assert sender_codes(raw) == {"generic"}


def test_generic_sender_id_over_the_length_limit_gets_both_problems() -> None:
    assert sender_codes("bilgilendirme") == {"generic", "too_long"}


def test_generic_word_written_with_turkish_letters_is_refused_for_both_reasons() -> None:
    assert sender_codes("BİLGİ") == {"turkish_characters", "generic"}


def test_generic_sender_id_message_names_the_value() -> None:
    (problem,) = lint_sender_id("Duyuru")
    assert problem.message.startswith("“Duyuru” genel bir ifade")


def test_every_listed_generic_sender_id_is_refused() -> None:
    for word in GENERIC_SENDER_IDS:
        assert "generic" in sender_codes(word), word


def test_lint_returns_every_problem_at_once() -> None:
    assert sender_codes("WWW.ÇİÇEK.COM  !") == {
        "too_long",
        "turkish_characters",
        "invalid_characters",
        "double_space",
        "url_or_domain",
    }


def test_validate_sender_id_raises_with_all_problems_and_codes() -> None:
    error = refusal(validate_sender_id, "ş!")
    assert codes(error) == ["too_short", "turkish_characters", "invalid_characters"]
    assert len(error.messages) == 3
    assert "öneri: s!" in error.messages[1]


def test_sender_id_problem_is_an_immutable_value() -> None:
    problem = SenderIdProblem("too_short", "x")
    assert problem == SenderIdProblem("too_short", "x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        problem.code = "other"  # type: ignore[misc]


def test_percent_sign_typed_by_the_user_does_not_break_message_rendering() -> None:
    error = refusal(validate_sender_id, "AC%(x)sME")
    assert codes(error) == ["invalid_characters"]
    assert "%" in error.messages[0]
