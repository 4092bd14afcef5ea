"""The billing step's endpoint: a sample message's SMS parts and a month's cost under each option, net and taxed.

The parts come from billing.sms.count_parts (its own tests cover the alphabet); these check what the endpoint answers,
at the boundaries an applicant meets, and that the estimate multiplies messages by parts and adds each tax.
"""

from decimal import Decimal

import pytest
from django.utils import timezone

from billing.models import Tariff, TariffTier

URL = "/basvuru/sms-parca/"


@pytest.fixture
def logged_in(client, applicant):
    client.force_login(applicant)
    return client


def ask(client, text: str = "", messages: int | str = "") -> dict:
    response = client.post(URL, {"sample_message": text, "expected_monthly_messages": messages})
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize(
    ("text", "encoding", "length", "parts"),
    [
        ("a" * 160, "gsm", 160, 1),
        ("a" * 161, "gsm", 161, 2),
        ("a" * 306, "gsm", 306, 2),
        ("a" * 307, "gsm", 307, 3),
        # Ç, Ö and Ü are in the GSM default alphabet: no Turkish table needed.
        ("ÇÖÜöü" + "a" * 155, "gsm", 160, 1),
        ("ç" + "a" * 153, "turkish", 155, 1),  # but lower-case ç is not
        # ş is in the Turkish single-shift table: 155 in one part, and it takes two characters itself.
        ("ş" + "a" * 153, "turkish", 155, 1),
        ("ş" + "a" * 154, "turkish", 156, 2),
        ("İstanbul'da ışık " * 10, "turkish", 210, 2),
        # Anything else is Unicode: 70 in one part, 67 per part.
        ("â" + "a" * 69, "unicode", 70, 1),
        ("â" + "a" * 70, "unicode", 71, 2),
        ("😀" + "a" * 68, "unicode", 70, 1),  # outside the BMP: two UCS-2 units
        # Extension characters count twice, and a part never ends between the two halves of one.
        ("{" + "a" * 158, "gsm", 160, 1),
        ("€" + "a" * 159, "gsm", 161, 2),
        ("a" * 152 + "{" + "a" * 152, "gsm", 306, 3),
        # A textarea sends CR LF: a message sends one line feed.
        ("a\r\nb", "gsm", 3, 1),
    ],
)
def test_the_endpoint_counts_parts_as_the_operator_does(logged_in, settings, text, encoding, length, parts):
    settings.PORTAL_SMS_OPERATOR_RESERVE = 0

    answer = ask(logged_in, text)

    assert (answer["encoding"], answer["length"], answer["parts"]) == (encoding, length, parts)
    assert f'data-parts="{parts}"' in answer["parts_html"]


@pytest.mark.parametrize(("reserve", "characters", "parts"), [(5, 155, 1), (5, 156, 2), (0, 160, 1), (8, 153, 2)])
def test_the_operators_appended_code_is_counted(logged_in, settings, reserve, characters, parts):
    settings.PORTAL_SMS_OPERATOR_RESERVE = reserve

    answer = ask(logged_in, "a" * characters)

    assert answer["length"] == characters + reserve
    assert answer["parts"] == parts
    assert f"{reserve} karakterlik kod dahil" in answer["parts_html"]


def test_without_a_sample_each_message_is_one_part(logged_in):
    answer = ask(logged_in, "", 1_000)

    assert answer["encoding"] is None and answer["parts"] == 0
    assert answer["parts_per_message"] == 1
    assert answer["monthly_parts"] == 1_000
    assert answer["parts_html"].strip() == ""


@pytest.fixture
def half_lira_tariff(db):
    """A tariff from today: 0.50 TL per delivered part at any volume."""
    tariff = Tariff.objects.create(valid_from=timezone.localdate(), note="test")
    TariffTier.objects.create(tariff=tariff, min_messages=0, price_per_message=Decimal("0.5000"))
    return tariff


def test_the_estimate_prices_messages_times_parts_with_kdv_and_oiv(logged_in, settings, half_lira_tariff):
    settings.PORTAL_SMS_OPERATOR_RESERVE = 0

    answer = ask(logged_in, "a" * 200, 100)  # two parts a message

    assert answer["parts_per_message"] == 2
    assert answer["monthly_parts"] == 200
    # 200 parts × 0.50 = 100.00 net; KDV 20 % and ÖİV 10 % both on the net: 130.00.
    assert answer["invoiced"] == {"net": "100.00", "kdv": "20.00", "oiv": "10.00", "total": "130.00"}
    html = answer["estimate_html"]
    assert 'data-monthly-parts="200"' in html
    assert "100,00" in html and "20,00" in html and "10,00" in html and "130,00" in html
    assert "%20" in html and "%10" in html


def test_rounding_is_half_up_to_the_kurus(logged_in):
    # One part on the first tariff (0.45 TL): ÖİV 0.045 rounds up to 0.05 (half-even would give 0.04).
    answer = ask(logged_in, "", 1)

    assert answer["invoiced"] == {"net": "0.45", "kdv": "0.09", "oiv": "0.05", "total": "0.59"}

    # 333 parts from the 1,000 package (450.00 TL, 0.45 a credit): 149.85 net, ÖİV 14.985 → 14.99.
    answer = ask(logged_in, "", 333)
    package = next(row for row in answer["packages"] if row["credits"] == 1_000)
    assert package["monthly"] == {"net": "149.85", "kdv": "29.97", "oiv": "14.99", "total": "194.81"}
    assert all(Decimal(row["monthly"]["total"]).as_tuple().exponent == -2 for row in answer["packages"])


def test_the_volume_tier_is_reached_by_parts_not_messages(logged_in, settings):
    settings.PORTAL_SMS_OPERATOR_RESERVE = 0

    single = ask(logged_in, "a" * 100, 25_000)
    double = ask(logged_in, "a" * 200, 25_000)

    # 25,000 one-part messages stay in the first tier (0.45); two parts each are 50,000 parts, the second (0.38).
    assert single["invoiced"]["net"] == "11250.00"
    assert double["invoiced"]["net"] == "19000.00"


def test_oiv_is_left_out_when_the_reseller_does_not_charge_it(logged_in, settings):
    settings.PORTAL_CHARGE_OIV = False

    answer = ask(logged_in, "", 1_000)

    assert answer["invoiced"] == {"net": "450.00", "kdv": "90.00", "oiv": "0.00", "total": "540.00"}


@pytest.mark.parametrize(
    "data",
    [
        {"expected_monthly_messages": "-1"},
        {"expected_monthly_messages": "çok"},
        {"expected_monthly_messages": "100000001"},
        {"sample_message": "a" * 1601},
    ],
)
def test_bad_input_is_refused_with_the_reason(logged_in, data):
    response = logged_in.post(URL, data)

    assert response.status_code == 400
    assert set(response.json()["errors"]) == set(data)


def test_the_endpoint_is_for_logged_in_users_and_posts_only(client, applicant):
    assert client.post(URL, {"sample_message": "x"}).status_code == 302
    client.force_login(applicant)
    assert client.get(URL, {"sample_message": "x"}).status_code == 405


def test_the_endpoint_checks_the_csrf_token(applicant):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(applicant)

    assert strict.post(URL, {"sample_message": "x"}).status_code == 403
