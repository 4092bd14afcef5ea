"""Groups and what each role may do in the admin."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from billing.models import CreditPackage
from conftest import PASSWORD


def test_the_three_groups_exist_after_migrations(db):
    assert set(Group.objects.values_list("name", flat=True)) >= {"Applicants", "Reviewers", "Finance"}


def test_reviewers_read_the_catalogue_but_cannot_change_prices(reviewer):
    assert reviewer.has_perm("onboarding.view_requirement")
    assert reviewer.has_perm("billing.view_creditpackage")
    assert not reviewer.has_perm("billing.change_creditpackage")
    assert not reviewer.has_perm("onboarding.change_requirement")


def test_finance_edits_prices_but_not_the_document_catalogue(finance):
    assert finance.has_perm("billing.change_creditpackage")
    assert finance.has_perm("billing.change_tarifftier")
    assert not finance.has_perm("onboarding.change_requirement")
    assert not finance.has_perm("onboarding.view_requirement")


def test_applicants_hold_no_model_permissions(applicant):
    assert not applicant.get_all_permissions()


def test_an_applicant_reaching_the_admin_gets_the_login_page(client, applicant):
    client.force_login(applicant)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login/")


def test_the_admin_speaks_turkish_and_lists_the_catalogue_for_a_reviewer(client, reviewer):
    client.force_login(reviewer)

    page = client.get("/admin/").content.decode()
    requirements = client.get("/admin/onboarding/requirement/").content.decode()

    assert "Başvuru kataloğu" in page
    assert "Kurum türleri" in page
    assert "Karar defterinin noterden onaylı ilk sayfası — karar defteri varsa" in requirements
    # The guide's 42, and the sender-ID proofs beyond it (three for each of the nine types).
    assert "69 gerekli belge" in requirements


def test_the_admin_searches_the_catalogue(client, reviewer):
    client.force_login(reviewer)

    page = client.get("/admin/onboarding/requirement/", {"q": "mazbata"}).content.decode()

    assert "Muhtar olduğuna dair belge (mazbata)" in page
    assert "Encümen Kararı" not in page


def _price_form(package, *, valid_from, price):
    """The package's change form with one new dated price (existing prices are read-only and not posted)."""
    existing = list(package.prices.all())
    data = {
        "credits": package.credits,
        "is_active": "on",
        "position": package.position,
        "prices-TOTAL_FORMS": len(existing) + 1,
        "prices-INITIAL_FORMS": len(existing),
        "prices-MIN_NUM_FORMS": 0,
        "prices-MAX_NUM_FORMS": 1000,
        f"prices-{len(existing)}-valid_from": valid_from.isoformat(),
        f"prices-{len(existing)}-price": price,
    }
    for index, row in enumerate(existing):
        data[f"prices-{index}-id"] = row.pk
        data[f"prices-{index}-package"] = package.pk
    return data


def test_finance_adds_a_package_price_from_a_date_in_the_admin(client, finance):
    package = CreditPackage.objects.get(credits=1_000)
    today = timezone.localdate()
    client.force_login(finance)

    response = client.post(
        f"/admin/billing/creditpackage/{package.pk}/change/",
        _price_form(package, valid_from=today + datetime.timedelta(days=10), price="499.90"),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    later = CreditPackage.objects.priced(on=today + datetime.timedelta(days=10)).get(pk=package.pk)
    now = CreditPackage.objects.priced(on=today).get(pk=package.pk)
    assert later.price == Decimal("499.90")
    assert now.price == Decimal("450.00")


def test_a_price_in_force_cannot_be_edited_or_backdated(client, finance):
    package = CreditPackage.objects.get(credits=1_000)
    client.force_login(finance)
    data = _price_form(package, valid_from=timezone.localdate() - datetime.timedelta(days=1), price="1.00")
    data["prices-0-price"] = "2.00"  # an attempt to rewrite the price in force

    response = client.post(f"/admin/billing/creditpackage/{package.pk}/change/", data)

    assert response.status_code == 200
    assert "en erken bugünden" in response.content.decode()
    assert list(package.prices.values_list("price", flat=True)) == [Decimal("450.00")]


def test_a_reviewer_cannot_change_a_package_price(client, reviewer):
    package = CreditPackage.objects.get(credits=1_000)
    client.force_login(reviewer)

    response = client.post(
        f"/admin/billing/creditpackage/{package.pk}/change/",
        _price_form(package, valid_from=timezone.localdate(), price="1.00"),
    )

    assert response.status_code == 403
    assert package.prices.count() == 1


def test_reviewers_see_neither_money_nor_the_ledger(client, reviewer):
    client.force_login(reviewer)
    for model in ("tariff", "taxrate", "billingaccount", "ledgerentry", "packageorder", "statement"):
        assert client.get(f"/admin/billing/{model}/").status_code in (403, 404), model


@pytest.mark.parametrize("email", ["AYSE@ornek-belediye.test", "ayse@ornek-belediye.test"])
def test_login_matches_the_email_without_regard_to_case(client, applicant, email):
    response = client.post("/hesap/giris/", {"username": email, "password": PASSWORD})

    assert response.status_code == 302


def test_a_wrong_password_gets_a_generic_message(client, applicant):
    response = client.post("/hesap/giris/", {"username": applicant.email, "password": "yanlis"})

    assert response.status_code == 200
    assert "E-posta adresi veya parola hatalı" in response.content.decode()
