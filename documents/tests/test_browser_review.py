"""The review loop in a real browser: a reviewer in the Django admin and the applicant in the portal.

The reviewer finds the application by its reference, rejects one document with a reason and requests changes; the
applicant reads the reason and re-uploads that document and resubmits; the reviewer approves the new version,
approves the documents, ticks every original as arrived and activates the account. The history explains each step.
"""

import re

import pytest
from django.core import mail

from conftest import PASSWORD
from documents.models import Document, DocumentEvent
from onboarding.models import Application, ApplicationEvent
from onboarding.tests.helpers import submitted
from onboarding.tests.test_browser_journey import scanned_pdf

# The review page loads its previews in parallel; on SQLite the live server's threads share the in-memory test
# database's one connection, which SQLite refuses to use from two threads at once. PostgreSQL (CI) runs it.
pytestmark = [pytest.mark.browser, pytest.mark.postgres]

REJECTED_LABEL = "SMS yazı örneği"


def new_page(browser):
    page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def submit(page, button) -> None:
    """Press a form's button and wait for the page that answers (the same page comes back reloaded).

    With the keyboard, not the mouse: headless Chromium now and then routes a click near a PDF preview's
    out-of-process frame into the frame (elementFromPoint names the button; the page never sees the click).
    Keyboard use is what this page must support anyway.
    """
    with page.expect_navigation():
        button.press("Enter")


def item(page, label: str):
    return page.locator("article.review-item").filter(has=page.get_by_role("heading", name=label, exact=True))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reject_reupload_approve_originals_activate(live_server, browser, applicant, reviewer, settings, tmp_path):
    settings.SITE_URL = live_server.url
    application = submitted(applicant)
    errors: list[str] = []

    # 1. The reviewer scans the cover sheet's reference into the queue's search box and lands on the application.
    staff = new_page(browser)
    staff.on("pageerror", lambda error: errors.append(str(error)))
    staff.goto(live_server.url + "/admin/login/")
    staff.fill("#id_username", reviewer.email)
    staff.fill("#id_password", PASSWORD)
    submit(staff, staff.locator("input[type=submit]"))
    staff.goto(live_server.url + "/admin/onboarding/application/")
    staff.locator("#searchbar").fill(application.reference)
    staff.locator("#searchbar").press("Enter")
    staff.wait_for_url(re.compile(rf"/admin/onboarding/application/{application.pk}/change/"))

    # 2. One document is rejected with a reason from the catalogue and a note; the others are approved.
    labels = staff.locator("article.review-item h3").all_inner_texts()
    for label in labels:
        card = item(staff, label)
        if card.get_by_role("button", name="Onayla").count() == 0:
            continue  # nothing uploaded for an optional item
        if label == REJECTED_LABEL:
            card.locator("summary", has_text="Reddet").press("Enter")  # see submit()
            card.locator("select[name=reason]").select_option(label="Mühür / kaşe eksik")
            card.locator("textarea[name=note]").fill("Başkanın kaşesi görünmüyor.")
            submit(staff, card.get_by_role("button", name="Belgeyi reddet"))
        else:
            submit(staff, card.get_by_role("button", name="Onayla"))
    staff.locator("summary", has_text="Düzeltme iste").press("Enter")
    staff.locator("#review-changes-note").fill("Lütfen kaşeli yazıyı yükleyin.")
    submit(staff, staff.get_by_role("button", name="Düzeltme isteğini gönder"))
    assert Application.objects.get(pk=application.pk).status == "changes_requested"
    assert any("Mühür / kaşe eksik" in message.body for message in mail.outbox)

    # 3. The applicant reads the reason on the status page, re-uploads exactly that item and resubmits.
    portal = new_page(browser)
    portal.on("pageerror", lambda error: errors.append(str(error)))
    portal.goto(live_server.url + "/hesap/giris/")
    portal.get_by_label("E-posta adresi").fill(applicant.email)
    portal.locator("#id_password").fill(PASSWORD)
    submit(portal, portal.locator("main button[type=submit]"))
    portal.goto(live_server.url + f"/basvuru/{application.reference}/")
    portal.get_by_text("Mühür / kaşe eksik — Başkanın kaşesi görünmüyor.").first.wait_for()
    fix = portal.locator("[data-checklist-item]").filter(has_text=REJECTED_LABEL)
    fix.locator("input[type=file]").set_input_files(scanned_pdf(tmp_path / "kaseli-yazi.pdf"))
    fix.get_by_role("button", name="Yükle").click()
    portal.get_by_text("Yeni sürüm (2)").wait_for()
    submit(portal, portal.get_by_role("button", name="Başvuruyu yeniden gönder"))
    portal.get_by_text("yeniden incelemeye gönderildi").wait_for()

    # 4. The reviewer sees the new version, approves it and the documents, ticks the originals and activates.
    staff.reload()
    card = item(staff, REJECTED_LABEL)
    card.get_by_text("Son karardan sonra yeni sürüm").wait_for()
    submit(staff, card.get_by_role("button", name="Onayla"))
    submit(staff, staff.get_by_role("button", name="Belgeleri onayla"))
    while staff.get_by_role("button", name="Aslı ulaştı").count():
        submit(staff, staff.get_by_role("button", name="Aslı ulaştı").first)
    assert Application.objects.get(pk=application.pk).status == "approved"
    submit(staff, staff.get_by_role("button", name="Hesap açıldı"))

    application.refresh_from_db()
    assert application.status == "active"
    assert list(ApplicationEvent.objects.filter(application=application).values_list("to_status", flat=True)) == [
        "submitted",
        "in_review",
        "changes_requested",
        "submitted",
        "in_review",
        "awaiting_originals",
        "approved",
        "active",
    ]
    versions = Document.objects.filter(application=application, requirement__label=REJECTED_LABEL).order_by("version")
    assert [(d.version, d.status, d.is_live) for d in versions] == [(1, "rejected", False), (2, "approved", True)]
    assert DocumentEvent.objects.filter(document=versions[0], to_status="rejected").exists()
    history = staff.locator("body").inner_text()
    assert "Düzeltme istendi" in history and "Hesap açıldı" in history
    assert errors == []
