"""The finance area in a real browser: a finance user logs in, opens the dashboard, sees every chart drawn (pixels on
the canvas) with no script error and no Content-Security-Policy violation, reads a chart's table and downloads an
export of a list."""

import csv
import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from finance.periods import add_months, this_month
from finance.tests.helpers import buy, grant, issue, make_account, usage

pytestmark = [pytest.mark.browser]

# Every violation the page meets is kept on the window (an init script runs outside the page's CSP).
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""

# Whether each chart's canvas has any painted pixel.
CANVAS_PAINTED = """
() => Array.from(document.querySelectorAll("canvas[data-chart]")).map((canvas) => {
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) painted++; }
  return [canvas.dataset.chart, canvas.width, painted];
})
"""


def some_history(finance) -> list:
    this = this_month()
    prepaid = make_account("Şişli Belediyesi")
    invoiced = make_account("Kadıköy Belediyesi", plan="invoiced")
    buy(prepaid, 5_000, paid_at=timezone.now(), actor=finance)
    buy(prepaid, 1_000, paid_at=timezone.now() - datetime.timedelta(days=40), actor=finance)
    grant(prepaid, 200, expires_at=timezone.now() + datetime.timedelta(days=7))
    for back in (3, 2, 1):
        month = add_months(this, -back)
        usage(prepaid, month, delivered=400 * back, undelivered=10)
        usage(invoiced, month, delivered=2_000 * back, pending=5)
        if back > 1:
            issue(invoiced, month, f"{900 * back}.00")
    return [prepaid, invoiced]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_finance_user_sees_the_charts_drawn_and_downloads_an_export(live_server, browser, finance):
    _prepaid, invoiced = some_history(finance)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)

    # 1. Log in on the portal and follow the site's navigation into the finance area.
    page.goto(live_server.url + "/hesap/giris/")
    page.get_by_label("E-posta adresi").fill(finance.email)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Giriş yap").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Finans", exact=True).click()
    page.get_by_role("heading", name="Finans özeti").wait_for()

    # 2. Every chart is drawn: Chart.js has rendered it and its canvas holds painted pixels.
    charts = page.locator("canvas[data-chart]")
    assert charts.count() == 5
    expect(page.locator("canvas[data-rendered=true]")).to_have_count(5)
    painted = page.evaluate(CANVAS_PAINTED)
    assert all(width > 0 and pixels > 500 for _chart, width, pixels in painted), painted
    revenue_labels = "Chart.getChart(document.querySelector('canvas[data-chart=revenue]')).data.labels.length"
    assert page.evaluate(revenue_labels) == 12
    # Each chart has a name, a description and the table of its numbers.
    revenue = page.locator("canvas[data-chart=revenue]")
    assert revenue.get_attribute("role") == "img"
    assert page.locator("#chart-revenue-description").inner_text().startswith("Her ayın net tutarı")
    page.get_by_text("Tablo olarak göster").first.click()
    assert page.locator("table").first.is_visible()
    assert "2.000,00" in page.locator("table").first.inner_text()  # this month's net, the Turkish way

    # 3. A list: filter it, then download its CSV and XLSX with the same filter.
    page.get_by_role("link", name="Plana göre hesaplar").click()
    page.get_by_label("Plan", exact=True).select_option("invoiced")
    with page.expect_navigation():
        page.get_by_role("button", name="Uygula").click()
    expect(page.locator("canvas[data-rendered=true]")).to_have_count(2)
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="CSV indir").click()
    text = Path(csv_download.value.path()).read_text(encoding="utf-8-sig")
    assert [row["Hesap kodu"] for row in csv.DictReader(io.StringIO(text))] == [invoiced.code]
    assert csv_download.value.suggested_filename.startswith("finans-hesaplar-")
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Excel (XLSX) indir").click()
    sheet = openpyxl.load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes())).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [invoiced.code]

    assert page.evaluate("window.__cspViolations") == []
    assert problems == []
    context.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_reduced_motion_the_charts_are_not_animated(live_server, browser, finance):
    some_history(finance)
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    page.set_default_timeout(15_000)
    context.add_cookies([{"name": "sessionid", "value": _session_for(finance), "url": live_server.url}])

    page.goto(live_server.url + "/finans/en-cok-gonderenler/")
    expect(page.locator("canvas[data-rendered=true]")).to_have_count(1)

    assert page.evaluate("Chart.getChart(document.querySelector('canvas[data-chart]')).options.animation") is False
    context.close()


def _session_for(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value
