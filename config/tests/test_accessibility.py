"""Every page passes axe-core with no violations, the admin included: a Chromium test logs in as each persona and
visits every page (the public pages, the applicant's wizard, status and customer pages, finance, the admin's index,
lists and forms, the admin login), runs axe on it and reports what it finds.

axe-core is vendored for the tests only (config/tests/vendor/, version in VERSIONS); the site never serves it.
"""

from pathlib import Path

import pytest

from config.tests.pages import PUBLIC, build_world, session_cookie

pytestmark = [pytest.mark.browser]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"

# What axe checks: WCAG 2.1 A and AA and its best practices.
#
# One exception, Django's own and narrow: the two-list permission/group picker (SelectFilter2.js) draws a magnifier
# <span class="search-label-icon"> with an aria-label inside the search box's <label>; axe's aria-prohibited-attr
# flags that span. The label itself names the box, so only that rule on only those spans is dropped.
RUN_AXE = """
async () => {
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    resultTypes: ["violations"],
  });
  const djangoInternal = (rule, node) =>
    rule === "aria-prohibited-attr" && node.target.every((selector) => selector.endsWith(".search-label-icon"));
  return results.violations
    .map((v) => [v.id, v.nodes.filter((node) => !djangoInternal(v.id, node))])
    .filter(([, nodes]) => nodes.length > 0)
    .map(([id, nodes]) => id + ": " + nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | "));
}
"""


def _violations(page, url: str) -> list[str]:
    page.goto(url)
    # The page's own CSP allows no injected script; the browser context bypasses it for axe alone.
    page.add_script_tag(path=str(AXE))
    return [f"{url} {violation}" for violation in page.evaluate(RUN_AXE)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_page_passes_axe(live_server, browser, applicant, reviewer, finance, superuser):
    world = build_world(applicant, reviewer)
    visits = [
        (None, PUBLIC),
        (applicant, world.applicant_pages()),
        (finance, world.finance_pages()),
        (reviewer, world.admin_pages()[:3]),
        (superuser, world.admin_pages()),
    ]
    problems = []
    pages = 0
    for person, urls in visits:
        context = browser.new_context(viewport={"width": 1366, "height": 900}, bypass_csp=True)
        if person:
            context.add_cookies([session_cookie(live_server, person)])
        page = context.new_page()
        page.set_default_timeout(20_000)
        for url in urls:
            problems += _violations(page, live_server.url + url)
            pages += 1
        context.close()

    assert pages >= 70
    assert problems == [], "\n".join(problems)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_axe_finds_a_violation_when_there_is_one(live_server, browser):
    """The check can fail: an input with no label on the home page is reported."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.evaluate("() => document.querySelector('main').append(document.createElement('input'))")
    page.add_script_tag(path=str(AXE))
    assert any(violation.startswith("label:") for violation in page.evaluate(RUN_AXE))
    context.close()
