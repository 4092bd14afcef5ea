"""The catalogue kept in memory and the status page served again: fewer queries, never stale.

These run outside a test transaction (the memo and the stored page are bypassed inside one, as in a request that
writes), so they commit and the database is restored after each.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from billing.models import CreditPackage, PackagePrice
from config.memo import Memo
from documents.models import Document, DocumentFile
from onboarding import catalogue, page_cache, workflow
from onboarding.models import Application, Requirement
from onboarding.tests.helpers import submitted
from reminders.models import Reminder

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def fresh_catalogue():
    catalogue.CATALOGUE.clear()
    yield
    catalogue.CATALOGUE.clear()


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


def _status(applicant):
    application = submitted(applicant)
    client = Client(enforce_csrf_checks=True)
    client.force_login(applicant)
    return application, client, f"/basvuru/{application.reference}/"


def test_the_home_page_reads_the_catalogue_once_and_sees_a_new_price_at_once():
    client = Client()
    first, first_queries = _get(client, "/")
    again, again_queries = _get(client, "/")
    assert TOKEN.sub("", again) == TOKEN.sub("", first)
    assert first_queries >= 3
    assert again_queries == 0

    package = CreditPackage.objects.get(credits=5_000)
    PackagePrice.objects.create(package=package, price="123456.00", valid_from=datetime.date(2026, 6, 1))
    changed, _ = _get(client, "/")
    assert "123.456,00" in changed


def test_another_process_change_is_seen_within_a_check(monkeypatch):
    client = Client()
    _get(client, "/")
    # Another process changed a package: it wrote a new token (its own memo cleared). Ours compares at the next check.
    package = CreditPackage.objects.get(credits=5_000)
    PackagePrice.objects.bulk_create(  # no signal in this process: as if written elsewhere
        [PackagePrice(package=package, price="654321.00", valid_from=datetime.date(2026, 6, 2))]
    )
    assert "654.321,00" not in _get(client, "/")[0]
    from django.core.cache import cache

    cache.set(catalogue.CATALOGUE.token_key, "written-by-another-process", None)
    monkeypatch.setattr(Memo, "CHECK_EVERY", 0.0)
    assert "654.321,00" in _get(client, "/")[0]


def test_with_the_cache_down_nothing_is_kept(monkeypatch):
    from django.core.cache import cache

    monkeypatch.setattr(Memo, "CHECK_EVERY", 0.0)
    monkeypatch.setattr(cache, "get", lambda key, default=None: default)
    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: True)
    client = Client()
    _, first = _get(client, "/")
    _, again = _get(client, "/")
    assert again == first > 0


def test_the_status_page_is_served_again_with_the_visitors_own_csrf_token(applicant):
    _, client, url = _status(applicant)
    first, first_queries = _get(client, url)
    again, again_queries = _get(client, url)

    # Session, user, application: the content came from the store.
    assert again_queries == 3 < first_queries
    assert TOKEN.sub("", again) == TOKEN.sub("", first)
    assert page_cache.CSRF_PLACEHOLDER not in again
    # The token in the stored content is this visitor's: the cargo form posts with it.
    token = TOKEN.search(again).group(1)
    response = client.post(
        f"{url}kargo/", {"company": "yurtici", "tracking_number": "123456789012", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    # ... and the page shows the cargo it recorded (the application's row changed: a new page version).
    assert "123456789012" in _get(client, url)[0]

    other = Client(enforce_csrf_checks=True)
    other.force_login(applicant)
    other_page, _ = _get(other, url)
    assert TOKEN.search(other_page).group(1) != token


def test_a_reviewers_decision_shows_at_once(applicant, reviewer):
    application, client, url = _status(applicant)
    _get(client, url)
    document = Document.objects.filter(application=application, is_live=True).first()
    workflow.reject_document(document, actor=reviewer, note="Kaşe okunmuyor, İmza eksik")
    page, queries = _get(client, url)
    assert "Kaşe okunmuyor, İmza eksik" in page
    assert queries > 3


def test_a_reminder_written_in_bulk_shows_at_once(applicant):
    application, client, url = _status(applicant)
    before, _ = _get(client, url)
    assert "hatırlattık" not in before
    Reminder.objects.bulk_create(
        [Reminder(recipient=applicant, application=application, item_key="cargo:x", kind="cargo", step=1)]
    )
    assert "hatırlattık" in _get(client, url)[0]


def test_a_catalogue_change_shows_at_once(applicant):
    application, client, url = _status(applicant)
    _get(client, url)
    requirement = Requirement.objects.filter(institution_type=application.institution_type).first()
    requirement.label = "Yeni adıyla İmza sirküleri (ığüşöç)"
    requirement.save()
    assert "Yeni adıyla İmza sirküleri (ığüşöç)" in _get(client, url)[0]


def test_every_write_to_what_the_page_shows_raises_the_version(applicant):
    application, _, _ = _status(applicant)

    def version():
        return Application.objects.values_list("page_version", flat=True).get(pk=application.pk)

    seen = [version()]

    def raised():
        seen.append(version())
        return seen[-1] > seen[-2]

    Application.objects.filter(pk=application.pk).update(cargo_company="aras")
    assert raised()
    Document.objects.filter(application=application).update(rejection_note="queryset update")
    assert raised()
    DocumentFile.objects.filter(document__application=application).first().delete()
    assert raised()
    Reminder.objects.create(recipient=applicant, application=application, item_key="k", kind="cargo", step=1)
    assert raised()
    # A save() of a row read before those changes does not bring an older version back.
    stale = Application.objects.get(pk=application.pk)
    Reminder.objects.create(recipient=applicant, application=application, item_key="k2", kind="cargo", step=2)
    raised()
    stale.save()
    assert raised()


def test_content_holds_until_the_next_deadline_or_an_hour():
    now = timezone.now()
    soon = now + datetime.timedelta(minutes=5)
    assert page_cache.holds_until(now, [soon, now - datetime.timedelta(days=1), None]) == soon
    later = page_cache.holds_until(now, [now + datetime.timedelta(days=3)])
    assert now < later <= now + page_cache.LONGEST


def test_a_wizard_step_is_served_again_and_shows_a_change_at_once(applicant):
    from onboarding.tests.helpers import draft_with_answers

    application = draft_with_answers(applicant)
    client = Client(enforce_csrf_checks=True)
    client.force_login(applicant)
    url = f"/basvuru/{application.reference}/sms-basligi/"
    first, first_queries = _get(client, url)
    again, again_queries = _get(client, url)
    assert again_queries == 3 < first_queries
    assert TOKEN.sub("", again) == TOKEN.sub("", first)
    assert 'value="SISLIBLD"' in again

    # The applicant changes the sender IDs (in another tab): only the sender ID rows are written.
    from onboarding import services

    services.save_sender_ids(Application.objects.get(pk=application.pk), values=["YENIBASLIK"])
    page, _ = _get(client, url)
    assert 'value="YENIBASLIK"' in page
    assert 'value="SISLIBLD"' not in page


NONCE = re.compile(r"'nonce-([^']+)'")


def _without_nonces(page: str) -> str:
    return re.sub(r'nonce="[^"]+"', "", page)


def _staff(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_the_review_queue_is_served_again_until_an_application_changes(applicant, other_applicant, reviewer):
    first_application = submitted(applicant)
    client = _staff(reviewer)
    queue = "/admin/onboarding/application/"
    first, first_queries = _get(client, queue)
    again, again_queries = _get(client, queue)
    assert again_queries < first_queries
    assert _without_nonces(TOKEN.sub("", again)) == _without_nonces(TOKEN.sub("", first))
    assert first_application.reference in again

    # Another applicant submits: the queue shows it at once.
    second = submitted(other_applicant)
    page, queries = _get(client, queue)
    assert second.reference in page
    assert queries > again_queries


def test_a_stored_review_page_carries_this_requests_token_and_nonce_and_a_decision_shows_at_once(applicant, reviewer):
    application = submitted(applicant)
    client = _staff(reviewer)
    url = f"/admin/onboarding/application/{application.pk}/change/"
    client.get(url)
    response = client.get(url)
    page = response.content.decode()
    assert page_cache.CSRF_PLACEHOLDER not in page and page_cache.NONCE_PLACEHOLDER not in page
    nonce = NONCE.search(response.headers["Content-Security-Policy"]).group(1)
    assert f'nonce="{nonce}"' in page

    document = Document.objects.filter(application=application, is_live=True).first()
    token = TOKEN.search(page).group(1)
    approved = client.post(f"/admin/documents/document/{document.pk}/onayla/", {"csrfmiddlewaretoken": token})
    assert approved.status_code == 302
    assert Document.objects.get(pk=document.pk).status == Document.Status.APPROVED
    # The redirect's page has a message to show: rendered for this request, with the decision on it; the next
    # visit, without a message, is not the page stored before the decision either.
    after, _ = _get(client, approved["Location"].split("#")[0])
    later, _ = _get(client, url)
    for shown in (after, later):
        assert shown.count("review-item--approved") == page.count("review-item--approved") + 1


def test_a_viewer_with_other_permissions_never_gets_anothers_stored_page(applicant, reviewer, finance):
    application = submitted(applicant)
    url = f"/admin/onboarding/application/{application.pk}/change/"
    reviewer_page, _ = _get(_staff(reviewer), url)
    finance_page, _ = _get(_staff(finance), url)
    assert "review-file" in reviewer_page or "Belgeler" in reviewer_page
    assert TOKEN.sub("", finance_page) != TOKEN.sub("", reviewer_page)


def test_with_the_switch_off_every_page_is_rendered_for_its_request(applicant, reviewer, settings):
    settings.PORTAL_PAGE_CACHE = False
    _, client, url = _status(applicant)
    _get(client, url)
    _, again = _get(client, url)
    assert again > 3  # the checklist, the events and the reminder read again (only the catalogue stays in memory)
    staff = _staff(reviewer)
    _get(staff, "/admin/onboarding/application/")
    _, again = _get(staff, "/admin/onboarding/application/")
    assert again > 5
