"""The applicant's view of what is due: the list on the status page and in the wizard, and the line given later."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from documents.models import Document, RejectionReason
from onboarding import due, services
from onboarding.models import Application
from onboarding.tests.helpers import draft_with_answers, submitted, upload_required
from onboarding.workflow import approve_document, reject_document
from reminders.models import Reminder
from reminders.services import send_reminders

DAY = timedelta(days=1)


@pytest.fixture
def logged_in(client, applicant):
    client.force_login(applicant)
    return client


def status_url(application: Application) -> str:
    return f"/basvuru/{application.reference}/"


def line_url(application: Application) -> str:
    return f"/basvuru/{application.reference}/hat-numarasi/"


def line_to_come(applicant, *, plan=Application.LinePlan.NEW_LINE) -> Application:
    """Submitted by an applicant who will get a corporate line and give its number later."""
    draft = draft_with_answers(applicant)
    draft = services.save_corporate_line(draft, has_corporate_line=False, plan=plan)
    return services.submit_application(upload_required(draft, applicant), actor=applicant)


def ids_in(html: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', html))


def at_noon_in_istanbul(moment):
    """A moment outside the reminders' quiet hours (12:00 Istanbul is 09:00 UTC)."""
    return moment.astimezone(timezone.UTC).replace(hour=9, minute=0, second=0, microsecond=0)


def test_the_status_page_lists_each_open_item_with_its_deadline_and_where_to_do_it(logged_in, applicant):
    application = line_to_come(applicant)

    html = logged_in.get(status_url(application)).content.decode()

    assert "Sizden beklenenler" in html
    assert "Kurumsal hat numaranızı bildirin" in html
    assert "Asıl evrakı kargoya verin ve takip numarasını girin" in html
    deadline = application.submitted_at + due.days(due.CORPORATE_LINE)
    assert f'datetime="{timezone.localtime(deadline).isoformat()}"' in html
    assert 'href="#kurumsal-hat"' not in html  # the links name the page, as the e-mails do
    assert f'href="{status_url(application)}#kurumsal-hat"' in html
    assert f'href="{status_url(application)}#kargo"' in html
    assert "süresi geçti" not in html


def test_an_item_past_its_deadline_is_marked_past_due(logged_in, applicant):
    application = line_to_come(applicant)
    Application.objects.filter(pk=application.pk).update(submitted_at=timezone.now() - 31 * DAY)

    html = logged_in.get(status_url(application)).content.decode()

    assert html.count('class="badge text-bg-danger">süresi geçti</span>') == 2  # the line and the cargo
    assert "2 işin süresi geçti." in html


def test_every_anchor_the_reminders_link_to_is_on_the_status_page(logged_in, applicant, reviewer):
    """#kurumsal-hat, #kargo, #asil-evrak and #belge-<requirement> (the reminder e-mails' links)."""
    application = line_to_come(applicant)
    documents = list(Document.objects.filter(application=application, is_live=True))
    reject_document(documents[0], actor=reviewer, reason=RejectionReason.objects.first(), note="Okunmuyor.")
    for document in documents[1:]:
        approve_document(document, actor=reviewer)
    services.request_changes(application, actor=reviewer)
    services.record_cargo(application, company="Yurtiçi Kargo", tracking_number="123456789012")

    html = logged_in.get(status_url(application)).content.decode()

    assert {"kurumsal-hat", "kargo", "asil-evrak", f"belge-{documents[0].requirement_id}"} <= ids_in(html)
    assert f'href="{status_url(application)}#belge-{documents[0].requirement_id}"' in html
    assert "Okunmuyor." in html


def test_the_page_says_when_we_last_reminded_the_applicant(logged_in, applicant):
    application = line_to_come(applicant)
    html = logged_in.get(status_url(application)).content.decode()
    assert "Size en son" not in html

    result = send_reminders(now=at_noon_in_istanbul(timezone.now() + 2 * DAY))

    assert result.emails == 1
    reminded_at = Reminder.objects.filter(application=application).latest("created_at").created_at
    html = logged_in.get(status_url(application)).content.decode()
    assert f"Size en son {date_format(timezone.localtime(reminded_at), 'DATETIME_FORMAT')} tarihinde" in html


def test_the_wizard_shows_the_draft_s_item_above_the_steps(logged_in, applicant):
    application = draft_with_answers(applicant)

    html = logged_in.get(f"/basvuru/{application.reference}/sms-basligi/").content.decode()

    assert html.index("Sizden beklenenler") < html.index("Başvuru adımları")
    assert "Başvurunuzu tamamlayıp gönderin" in html
    # The missing required documents are named, with a link to the documents step.
    first_missing = services.checklist(application)[0].requirement.label
    assert first_missing in html
    assert f'href="/basvuru/{application.reference}/belgeler/"' in html


def test_an_unconfirmed_address_is_the_first_item(client, unconfirmed_applicant):
    client.force_login(unconfirmed_applicant)
    application = draft_with_answers(unconfirmed_applicant)

    html = client.get(f"/basvuru/{application.reference}/belgeler/").content.decode()

    assert html.index("E-posta adresinizi doğrulayın") < html.index("Başvurunuzu tamamlayıp gönderin")
    assert 'href="/hesap/dogrulama/yeniden-gonder/"' in html


def test_the_status_page_uses_a_constant_number_of_queries(logged_in, applicant, reviewer):
    application = line_to_come(applicant)
    with CaptureQueriesContext(connection) as few:
        assert logged_in.get(status_url(application)).status_code == 200

    # More documents (an optional one, a re-upload), more reminders, more history.
    send_reminders(now=at_noon_in_istanbul(timezone.now() + 2 * DAY))
    send_reminders(now=at_noon_in_istanbul(timezone.now() + 4 * DAY))
    send_reminders(now=at_noon_in_istanbul(timezone.now() + 8 * DAY))
    assert Reminder.objects.filter(application=application).count() >= 6
    for _ in range(3):
        line_to_come(applicant)
    with CaptureQueriesContext(connection) as many:
        assert logged_in.get(status_url(application)).status_code == 200

    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(few.captured_queries) <= 10


# --- The corporate line after submission ------------------------------------------------------------------------


def test_the_line_section_explains_how_to_get_one_and_warns_about_fees(logged_in, applicant):
    application = line_to_come(applicant, plan=Application.LinePlan.CONVERT_PERSONAL)

    html = logged_in.get(status_url(application)).content.decode()

    section = html[html.index('id="kurumsal-hat"') :]
    assert "yetkili bayilerinde" in section
    assert "hat veya işlem ücreti dışında hiçbir ücret ödemeyin" in section
    assert "Bireysel hattımı kurumsal hatta çevireceğim" in section
    assert f'action="{line_url(application)}"' in section


def test_the_applicant_gives_the_line_number_after_submission(logged_in, applicant):
    application = line_to_come(applicant)

    response = logged_in.post(line_url(application), {"number": "0532 765 43 21"})

    assert response.status_code == 302
    assert response.url == f"{status_url(application)}#kurumsal-hat"
    application.refresh_from_db()
    assert application.corporate_line_number == "+905327654321"
    assert application.has_corporate_line is True
    assert application.line_plan == Application.LinePlan.NEW_LINE  # how they got it stays on record
    assert due.CORPORATE_LINE not in {
        item.kind for item in due.items_for_application(application, now=timezone.now())
    }
    assert application.history.first().corporate_line_number == "+905327654321"


def test_a_number_that_is_not_a_mobile_number_is_refused_next_to_the_field(logged_in, applicant):
    application = line_to_come(applicant)

    response = logged_in.post(line_url(application), {"number": "0212 123 45 67"})

    assert response.status_code == 400
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert 'id="line-error" role="alert"' in html
    application.refresh_from_db()
    assert application.corporate_line_number == ""


def test_the_number_given_in_the_wizard_is_not_changed_from_the_status_page(logged_in, applicant):
    application = submitted(applicant)  # the number was given on the line step

    html = logged_in.get(status_url(application)).content.decode()
    response = logged_in.post(line_url(application), {"number": "0532 765 43 21"})

    assert 'id="kurumsal-hat"' not in html
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.corporate_line_number == "+905321234567"


def test_another_applicant_gets_404_for_the_status_page_and_the_line_form(client, applicant, other_applicant):
    application = line_to_come(applicant)
    client.force_login(other_applicant)

    assert client.get(status_url(application)).status_code == 404
    assert client.post(line_url(application), {"number": "0532 765 43 21"}).status_code == 404
    application.refresh_from_db()
    assert application.corporate_line_number == ""


def test_the_line_form_answers_post_only(logged_in, applicant):
    application = line_to_come(applicant)
    assert logged_in.get(line_url(application)).status_code == 405


@pytest.mark.parametrize("status", [Application.Status.ACTIVE, Application.Status.REJECTED])
def test_recording_the_line_is_refused_once_the_application_is_closed(applicant, status):
    application = line_to_come(applicant)
    Application.objects.filter(pk=application.pk).update(status=status)

    with pytest.raises(services.ApplicationError):
        services.record_corporate_line(application, number="0532 765 43 21")

    application.refresh_from_db()
    assert application.corporate_line_number == ""


def test_recording_the_line_is_refused_on_a_draft(applicant):
    draft = draft_with_answers(applicant)
    draft = services.save_corporate_line(draft, has_corporate_line=False, plan=Application.LinePlan.NEW_LINE)

    with pytest.raises(services.ApplicationError):
        services.record_corporate_line(draft, number="0532 765 43 21")


def test_the_service_checks_the_number_as_the_wizard_does(applicant):
    application = line_to_come(applicant)

    with pytest.raises(services.ApplicationError, match="cep telefonu"):
        services.record_corporate_line(application, number="0850 123 45 67")

    corrected = services.record_corporate_line(application, number="+90 532 765 43 21")
    corrected = services.record_corporate_line(corrected, number="0533 111 22 33")
    assert corrected.corporate_line_number == "+905331112233"


def test_the_list_speaks_english_when_the_visitor_chose_it(logged_in, applicant, settings):
    application = line_to_come(applicant)
    Application.objects.filter(pk=application.pk).update(submitted_at=timezone.now() - 31 * DAY)
    logged_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = logged_in.get(status_url(application)).content.decode()

    assert "What we need from you" in html
    assert "2 items are past due." in html
    assert "Save the line number" in html
