"""The help, KVKK and error pages fit a 360-px phone without horizontal scrolling (footer included)."""

import os

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAGES = ["/yardim/", "/kvkk/", "/kvkk/basvuru/", "/kvkk/basvuru/alindi/", "/hesap/kayit/", "/boyle-bir-sayfa-yok/"]
SCREENSHOTS = os.environ.get("PORTAL_SCREENSHOTS")  # a folder, to look at the pages by eye


@pytest.mark.parametrize("path", PAGES)
def test_the_page_fits_a_360_px_phone(browser, live_server, path):
    page = browser.new_page(viewport={"width": 360, "height": 780})

    page.goto(live_server.url + path)

    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow == 0
    assert page.locator("footer").get_by_role("link", name="KVKK başvurusu (ilgili kişi hakları)").is_visible()
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, path.strip("/").replace("/", "_") + ".png"), full_page=True)
