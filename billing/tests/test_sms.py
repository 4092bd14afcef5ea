"""SMS parts as the operator counts them: GSM 03.38, the Turkish single-shift table, UCS-2, the operator's code."""

import pytest

from billing.sms import count_parts


def parts(text: str) -> tuple[str, int, int]:
    counted = count_parts(text, reserve=0)
    return counted.encoding, counted.length, counted.parts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ("gsm", 0, 0)),
        ("a" * 160, ("gsm", 160, 1)),
        ("a" * 161, ("gsm", 161, 2)),
        ("a" * 306, ("gsm", 306, 2)),
        ("a" * 307, ("gsm", 307, 3)),
        # Ö ö Ü ü Ç are in the default alphabet.
        ("ÖöÜüÇ", ("gsm", 5, 1)),
        # The extension table: two characters each.
        ("€" * 80, ("gsm", 160, 1)),
        ("€" * 81, ("gsm", 162, 2)),
        ("{[~]}", ("gsm", 10, 1)),
    ],
)
def test_the_default_gsm_alphabet(text, expected):
    assert parts(text) == expected


def test_the_turkish_letters_need_the_national_table_with_its_own_part_sizes():
    assert parts("Şişli Belediyesi") == ("turkish", 18, 1)  # Ş and ş take two each
    assert parts("ı" * 77 + "a") == ("turkish", 155, 1)
    assert parts("ı" * 77 + "ab") == ("turkish", 156, 2)
    # Split parts hold 149; a two-character letter never straddles two parts.
    assert parts("a" * 148 + "ğ" + "a" * 148) == ("turkish", 298, 3)  # 298 = 2 × 149, but ğ cannot be split
    assert parts("a" * 149 + "ç" * 75)[2] == 3  # 149 | 148 (74 letters) | the last letter


@pytest.mark.parametrize("letter", list("ŞşĞğçıİ"))
def test_each_of_the_seven_letters_alone_selects_the_turkish_table(letter):
    assert parts(f"Merhaba {letter}") == ("turkish", 10, 1)


def test_anything_else_is_unicode_and_a_character_outside_the_bmp_takes_two():
    assert parts("â" * 70) == ("unicode", 70, 1)
    assert parts("â" * 71) == ("unicode", 71, 2)
    assert parts("Toplantı yarın 🙂") == ("unicode", 17, 1)
    assert parts("a" * 66 + "🙂" + "a" * 66) == ("unicode", 134, 3)  # 134 = 2 × 67, but the emoji moves whole


def test_a_decomposed_letter_counts_as_the_letter_it_shows():
    assert parts("s\u0327") == parts("ş") == ("turkish", 2, 1)


def test_the_operators_code_is_counted(settings):
    settings.PORTAL_SMS_OPERATOR_RESERVE = 5

    assert count_parts("a" * 155).parts == 1
    assert count_parts("a" * 156).parts == 2
    assert count_parts("a" * 156, reserve=0).parts == 1
