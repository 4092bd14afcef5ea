"""The billing step in Chromium: as the applicant types a volume and pastes a sample message, the page shows the
sample's SMS parts and the estimate the server computes, identical to what the page renders without script."""

import re

import pytest
from django.conf import settings as django_settings

from billing.models import CreditPackage
from onboarding.tests.helpers import draft_with_answers

pytestmark = [pytest.mark.browser]

# (messages a month, sample message, its parts, its encoding)
CASES = [
    ("1000", "a" * 155, 1, "gsm"),  # 155 + the operator's 5 = 160: one part
    ("1000", "a" * 156, 2, "gsm"),
    ("12345", "Sayın velimiz, yarın okulumuz açılacaktır. Şişli Belediyesi", 1, "turkish"),
    ("40000", "Ş" + "a" * 150, 2, "turkish"),
    ("7", "Kampanya 😀 bugün son gün!", 1, "unicode"),
    ("250000", "{yeni} " * 20, 2, "gsm"),  # braces count twice: 180 + 5
]


@pytest.fixture
def browser_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def rows_in_browser(page) -> list[list[str]]:
    return page.eval_on_selector_all(
        "#estimate-table tbody tr",
        "rows => rows.map(r => [r.dataset.option].concat("
        "Array.from(r.querySelectorAll('td')).map(td => td.textContent.trim())))",
    )


def rows_in_html(html: str) -> list[list[str]]:
    rows = []
    for option, body in re.findall(r'<tr data-option="([^"]+)">(.*?)</tr>', html, re.S):
        rows.append([option, *[cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)]])
    return rows


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_live_count_and_estimate_are_the_servers(live_server, browser_page, client, applicant):
    assert django_settings.PORTAL_SMS_OPERATOR_RESERVE == 5
    application = draft_with_answers(applicant)
    client.force_login(applicant)
    page = browser_page
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    step = f"/basvuru/{application.reference}/odeme/"
    page.goto(live_server.url + step)

    for messages, sample, parts, encoding in CASES:
        page.fill("#id_expected_monthly_messages", messages)
        page.fill("#id_sample_message", sample)
        monthly_parts = int(messages) * parts
        page.wait_for_selector(f'#sample-parts [data-parts="{parts}"][data-encoding="{encoding}"]')
        page.wait_for_selector(f'#estimate-table[data-monthly-parts="{monthly_parts}"]')

        shown = rows_in_browser(page)
        # The same inputs through "Hesapla" without script: the page the server renders itself.
        rendered = client.post(
            step,
            {
                "billing_type": "prepaid",
                "credit_package": CreditPackage.objects.get(credits=5_000).pk,
                "expected_monthly_messages": messages,
                "sample_message": sample,
                "estimate": "1",
            },
        ).content.decode()
        assert shown == rows_in_html(rendered), (messages, sample)
        assert len(shown) == 1 + CreditPackage.objects.filter(is_active=True).count()

    # The last case: 250,000 × 2 = 500,000 parts on the second tier (0.38): 190,000.00 net, 247,000.00 in all.
    invoiced = {row[0]: row[1:] for row in rows_in_browser(page)}["invoiced"]
    assert invoiced == ["190.000,00", "38.000,00", "19.000,00", "247.000,00"]

    # Emptying the sample goes back to one part a message.
    page.fill("#id_sample_message", "")
    page.wait_for_selector('#estimate-table[data-monthly-parts="250000"]')
    assert page.inner_text("#sample-parts").strip() == ""

    # "Hesapla" still works as a plain submit: the sample comes back in its box, counted.
    page.fill("#id_sample_message", "Ş" + "a" * 150)
    page.locator("label[for=billing-prepaid]").click()
    page.locator("label[for^=package-]").first.click()
    with page.expect_navigation():
        page.get_by_role("button", name="Hesapla").click()
    assert page.url.endswith("#tahmin")
    assert page.input_value("#id_sample_message") == "Ş" + "a" * 150
    assert page.locator('#sample-parts [data-parts="2"]').count() == 1
    assert problems == []
