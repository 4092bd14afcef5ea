"""The wizard's billing step and every price an applicant sees: net, KDV, ÖİV and the total; the sample message's
parts without script (the "Hesapla" button); the e-Fatura question; and one source of truth for the numbers."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.models import BillingType, CreditPackage
from billing.tests.customers import active_account
from onboarding import services
from onboarding.models import Application
from onboarding.tests.helpers import complete_draft, draft_with_answers

SAMPLE = "Sayın velimiz, yarın okulumuz saat 10:00'da açılacaktır. Şişli Belediyesi"  # Turkish table, 1 part


def step(application: Application, slug: str = "odeme") -> str:
    return f"/basvuru/{application.reference}/{slug}/"


@pytest.fixture
def logged_in(client, applicant):
    client.force_login(applicant)
    return client


def fragment(page: str, element_id: str) -> str:
    """The inner HTML of the element with this id, nested elements of the same tag included."""
    opening = re.search(rf'<(\w+)[^>]*\sid="{element_id}"[^>]*>', page)
    assert opening, element_id
    tag, depth, position = opening.group(1), 1, opening.end()
    for match in re.compile(rf"<(/?){tag}\b[^>]*>").finditer(page, position):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return page[position : match.start()]
    raise AssertionError(f"#{element_id} is not closed")


def squeeze(html: str) -> str:
    return re.sub(r"\s+", " ", html).strip()


def test_hesapla_without_script_keeps_the_sample_and_counts_its_parts(logged_in, applicant, settings):
    settings.PORTAL_SMS_OPERATOR_RESERVE = 0
    application = draft_with_answers(applicant)
    long_sample = "Ş" + "a" * 154  # 156 on the Turkish table: two parts

    response = logged_in.post(
        step(application),
        {
            "billing_type": "invoiced",
            "e_invoice_user": "no",
            "expected_monthly_messages": "1000",
            "sample_message": long_sample,
            "estimate": "1",
        },
    )

    assert response.status_code == 200  # the page itself, so the sample stays in its box
    page = response.content.decode()
    assert long_sample in page
    assert 'data-parts="2"' in page and 'data-encoding="turkish"' in page
    # 1,000 messages × 2 parts = 2,000 parts × 0.45 = 900.00 net + 180.00 KDV + 90.00 ÖİV = 1,170.00.
    assert 'data-monthly-parts="2000"' in page
    invoiced = fragment(page, "estimate")
    assert "900,00" in invoiced and "180,00" in invoiced and "90,00" in invoiced and "1.170,00" in invoiced
    # The choice is saved as "Kaydet" would; the sample is not stored anywhere.
    application.refresh_from_db()
    assert application.billing_type.code == "invoiced"
    assert application.expected_monthly_messages == 1000
    assert long_sample not in str(Application.objects.filter(pk=application.pk).values().get())


def test_the_page_and_the_endpoint_render_the_same_numbers(logged_in, applicant):
    application = draft_with_answers(applicant)
    for messages, sample in [("2000", ""), ("12345", SAMPLE), ("40000", SAMPLE * 3), ("7", "😀 Merhaba")]:
        page = logged_in.post(
            step(application),
            {
                "billing_type": "prepaid",
                "credit_package": CreditPackage.objects.get(credits=5_000).pk,
                "expected_monthly_messages": messages,
                "sample_message": sample,
                "estimate": "1",
            },
        ).content.decode()
        answer = logged_in.post(
            "/basvuru/sms-parca/", {"expected_monthly_messages": messages, "sample_message": sample}
        ).json()

        assert squeeze(fragment(page, "estimate")) == squeeze(answer["estimate_html"])
        assert squeeze(fragment(page, "sample-parts")) == squeeze(answer["parts_html"])


def test_invoiced_needs_the_e_fatura_answer_and_it_is_saved(logged_in, applicant):
    application = draft_with_answers(applicant)

    refused = logged_in.post(step(application), {"billing_type": "invoiced"})
    assert "e_invoice_user" in refused.context["form"].errors

    saved = logged_in.post(step(application), {"billing_type": "invoiced", "e_invoice_user": "yes"})
    assert saved.headers["Location"] == step(application, "kurumsal-hat")
    application.refresh_from_db()
    assert application.e_invoice_user is True


def test_prepaid_may_leave_the_e_fatura_question_open(logged_in, applicant):
    application = draft_with_answers(applicant)
    package = CreditPackage.objects.get(credits=10_000)

    response = logged_in.post(step(application), {"billing_type": "prepaid", "credit_package": package.pk})

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.e_invoice_user is None
    # The answer given earlier shows again when the step is reopened.
    services.choose_billing(
        application,
        billing_type=BillingType.objects.get(code="prepaid"),
        credit_package=package,
        expected_monthly_messages=None,
        e_invoice_user=False,
    )
    page = logged_in.get(step(application)).content.decode()
    assert re.search(r'value="no"[^>]*id="id_e_invoice_user_1"\s+checked', page)


@pytest.mark.parametrize(("answer", "profile"), [(True, "e_fatura"), (False, "e_arsiv"), (None, "e_arsiv")])
def test_the_answer_decides_e_fatura_or_e_arsiv_on_the_account(applicant, reviewer, answer, profile):
    account = active_account(applicant, reviewer, plan="prepaid", e_invoice_user=answer)

    assert account.document_profile == profile


def test_package_cards_show_net_each_tax_and_the_total(logged_in, applicant):
    application = draft_with_answers(applicant)

    page = logged_in.get(step(application)).content.decode()

    card = fragment(page, "packages")
    # 5,000 credits at 2,000.00 net: KDV %20 400.00, ÖİV %10 200.00, 2,600.00 in all.
    for text in ("2.000,00 TL", "400,00 TL", "200,00 TL", "2.600,00 TL", "KDV %20", "ÖİV %10", "Toplam"):
        assert text in card


def test_the_home_page_price_table_shows_net_each_tax_and_the_total(client, db):
    page = client.get("/").content.decode()

    row = re.search(r"<tr>\s*<th[^>]*>5\.000 kontör</th>(.*?)</tr>", page, re.S).group(1)
    assert re.findall(r">([\d.,]+)<", row) == ["2.000,00", "400,00", "200,00", "2.600,00"]
    assert "KDV %20" in page and "ÖİV %10" in page


def test_the_summary_shows_the_package_price_with_taxes_and_the_invoice_kind(logged_in, applicant):
    application = complete_draft(applicant)
    services.choose_billing(
        application,
        billing_type=BillingType.objects.get(code="prepaid"),
        credit_package=CreditPackage.objects.get(credits=1_000),
        expected_monthly_messages=None,
        e_invoice_user=True,
    )

    page = logged_in.get(step(application, "onay")).content.decode()

    line = squeeze(re.search(r"<span[^>]*data-package-amounts>(.*?)</span>\s", page, re.S).group(1))
    assert line == "Net 450,00 TL + KDV %20 90,00 TL + ÖİV %10 45,00 TL = <strong>585,00 TL</strong>"
    assert "faturalar e-Fatura olarak düzenlenir" in page


def test_the_summary_shows_the_invoiced_estimate_with_taxes(logged_in, applicant):
    application = complete_draft(applicant)
    services.choose_billing(
        application,
        billing_type=BillingType.objects.get(code="invoiced"),
        credit_package=None,
        expected_monthly_messages=10_000,
        e_invoice_user=False,
    )

    page = logged_in.get(step(application, "onay")).content.decode()

    line = squeeze(re.search(r"<span[^>]*data-invoiced-estimate>(.*?)</span>\s", page, re.S).group(1))
    assert line == (
        "Ayda 10.000 mesaj (mesaj başına bir parça) için tahmini: "
        "Net 4.500,00 TL + KDV %20 900,00 TL + ÖİV %10 450,00 TL = <strong>5.850,00 TL</strong>"
    )
    assert "faturalar e-Arşiv olarak düzenlenir" in page


def test_the_english_pages_write_the_rate_after_the_number(client, applicant):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    page = client.get("/").content.decode()

    assert "VAT 20%" in page
    assert "2,600.00" in page


def test_the_billing_step_keeps_a_constant_query_count_with_an_estimate(logged_in, applicant, other_applicant):
    application = complete_draft(applicant)
    with CaptureQueriesContext(connection) as few:
        logged_in.get(step(application))
    for credits in range(300_000, 300_020):
        CreditPackage.objects.create(credits=credits).prices.create(price="10.00", valid_from="2026-01-01")
    for _ in range(3):
        complete_draft(other_applicant)
    with CaptureQueriesContext(connection) as many:
        page = logged_in.get(step(application)).content.decode()

    assert "300.019" in page  # the new packages are on the page
    assert len(many.captured_queries) == len(few.captured_queries) <= 14
