"""Every page fits a 360-pixel-wide phone: nothing makes the page scroll sideways, for the public, the applicant
(the wizard's steps, the status page, the customer account) in Turkish and in English."""

import pytest

from config.tests.pages import PUBLIC, build_world, session_cookie

pytestmark = [pytest.mark.browser]

PHONE = {"width": 360, "height": 740}

# How wide the page is, and which elements stick out past the right edge outside any scrolling box (to say what
# overflows when it does).
MEASURE = """
() => {
  const width = document.documentElement.clientWidth;
  const clipped = (element) => {
    for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") return true;
    }
    return false;
  };
  const culprits = [];
  for (const element of document.querySelectorAll("body *")) {
    const box = element.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1 && !clipped(element)) {
      const classes = String(element.className).trim().replace(/\\s+/g, ".");
      const name = element.tagName.toLowerCase() + (classes ? "." + classes : "");
      culprits.push(name + " right=" + Math.round(box.right));
    }
  }
  return [document.documentElement.scrollWidth, culprits.slice(0, 5)];
}
"""


def _too_wide(page, url: str) -> list[str]:
    page.goto(url)
    scroll_width, culprits = page.evaluate(MEASURE)
    return [] if scroll_width <= PHONE["width"] else [f"{url}: scrollWidth {scroll_width}: {culprits}"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("language", ["tr", "en"])
def test_every_page_fits_a_360_pixel_phone(live_server, browser, applicant, reviewer, language):
    world = build_world(applicant, reviewer)
    context = browser.new_context(viewport=PHONE, locale=language)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)

    problems = [problem for url in PUBLIC for problem in _too_wide(page, live_server.url + url)]
    context.add_cookies([session_cookie(live_server, applicant)])
    problems += [problem for url in world.applicant_pages() for problem in _too_wide(page, live_server.url + url)]

    assert len(world.applicant_pages()) >= 14
    assert problems == []
    context.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_measure_sees_a_page_that_scrolls_sideways(live_server, browser, applicant, reviewer):
    """The check itself can fail: a page with something wider than the phone is reported."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.evaluate(
        "() => { const wide = document.createElement('div'); wide.className = 'w'; wide.style.width = '500px';"
        " wide.style.height = '10px'; document.querySelector('main').append(wide); }"
    )
    scroll_width, culprits = page.evaluate(MEASURE)
    assert scroll_width > PHONE["width"]
    assert any(culprit.startswith("div.w") for culprit in culprits), culprits
    context.close()
