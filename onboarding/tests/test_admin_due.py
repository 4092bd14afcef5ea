"""Staff's view of what is due: the application page's list and reminders, the past-due filter, the reminders list."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from documents.models import Document, RejectionReason
from onboarding import services
from onboarding.models import Application
from onboarding.tests.helpers import draft_with_answers, submitted, upload_required
from onboarding.workflow import approve_document, reject_document
from reminders.models import Reminder
from reminders.services import send_reminders

DAY = timedelta(days=1)
QUEUE = reverse("admin:onboarding_application_changelist")
REMINDERS = reverse("admin:reminders_reminder_changelist")


def page(application: Application) -> str:
    return reverse("admin:onboarding_application_change", args=[application.pk])


@pytest.fixture
def as_reviewer(client, reviewer):
    client.force_login(reviewer)
    return client


def line_to_come(applicant) -> Application:
    draft = draft_with_answers(applicant)
    draft = services.save_corporate_line(draft, has_corporate_line=False, plan=Application.LinePlan.NEW_LINE)
    return services.submit_application(upload_required(draft, applicant), actor=applicant)


def remind(days_later: int) -> None:
    """One sweep at noon in Istanbul (outside the quiet hours), `days_later` days from now."""
    moment = (timezone.now() + days_later * DAY).astimezone(timezone.UTC).replace(hour=9, minute=0)
    send_reminders(now=moment)


def late(application: Application, days: int) -> Application:
    Application.objects.filter(pk=application.pk).update(submitted_at=timezone.now() - days * DAY)
    return Application.objects.get(pk=application.pk)


def references(response) -> list[str]:
    return [application.reference for application in response.context["cl"].result_list]


def test_the_application_page_lists_what_is_due_with_deadlines_and_the_reminders_sent(as_reviewer, applicant):
    application = line_to_come(applicant)
    remind(2)
    email = Reminder.objects.filter(application=application).first().email

    response = as_reviewer.get(page(application))

    html = response.content.decode()
    assert "Başvuru sahibinden beklenenler" in html
    assert "Kurumsal hat numaranızı bildirin" in html
    deadline = timezone.localtime(application.submitted_at + timedelta(days=30))
    assert f"{deadline:%d.%m.%Y}" in html
    assert "Gönderilen hatırlatmalar" in html
    assert applicant.email in html
    assert reverse("admin:outbox_outboxemail_change", args=[email.pk]) in html
    assert "süresi geçti" not in html


def test_the_application_page_marks_a_past_due_item_and_leaves_the_decision_to_staff(as_reviewer, applicant):
    application = late(line_to_come(applicant), 31)

    html = as_reviewer.get(page(application)).content.decode()

    assert "süresi geçti" in html
    assert "sizin kararınızdır" in html
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_finance_sees_the_due_list_but_not_the_reminders(client, finance, applicant):
    application = line_to_come(applicant)
    remind(2)
    client.force_login(finance)

    html = client.get(page(application)).content.decode()

    assert "Kurumsal hat numaranızı bildirin" in html
    assert "Gönderilen hatırlatmalar" not in html


def test_the_past_due_filter_lists_only_past_due_applications(as_reviewer, applicant):
    overdue = late(line_to_come(applicant), 31)
    on_time = line_to_come(applicant)
    old_draft = draft_with_answers(applicant)
    Application.objects.filter(pk=old_draft.pk).update(updated_at=timezone.now() - 31 * DAY)
    new_draft = draft_with_answers(applicant)  # never submitted: no submission time to compare

    past = as_reviewer.get(QUEUE, {"sure": "gecmis", "status__exact": "tumu"})
    not_past = as_reviewer.get(QUEUE, {"sure": "gecmemis", "status__exact": "tumu"})
    queue = as_reviewer.get(QUEUE, {"sure": "gecmis"})

    assert sorted(references(past)) == sorted([overdue.reference, old_draft.reference])
    assert sorted(references(not_past)) == sorted([on_time.reference, new_draft.reference])
    assert references(queue) == [overdue.reference]  # the work queue leaves drafts out, as always
    assert "Süresi geçmiş" in past.content.decode()
    assert past.content.decode().count("review-badge--rejected") == 2  # the column marks both rows


def test_the_past_due_column_sorts_past_due_applications_first(as_reviewer, applicant, reviewer):
    on_time = late(submitted(applicant), 20)  # the cargo is due tomorrow
    overdue = submitted(applicant)
    documents = list(Document.objects.filter(application=overdue, is_live=True))
    reject_document(documents[0], actor=reviewer, reason=RejectionReason.objects.first(), note="Okunmuyor.")
    for document in documents[1:]:
        approve_document(document, actor=reviewer)
    services.request_changes(overdue, actor=reviewer)
    Document.objects.filter(pk=documents[0].pk).update(decided_at=timezone.now() - 15 * DAY)

    by_submission = as_reviewer.get(QUEUE)
    column = list(response_columns(by_submission)).index("past_due")
    past_due_first = as_reviewer.get(QUEUE, {"o": str(column)})

    assert references(by_submission) == [on_time.reference, overdue.reference]
    assert references(past_due_first) == [overdue.reference, on_time.reference]


def response_columns(response):
    return response.context["cl"].list_display


def test_the_filtered_queue_takes_the_same_number_of_queries_for_3_and_30_applications(as_reviewer, applicant):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert as_reviewer.get(QUEUE, {"sure": "gecmis", "status__exact": "tumu"}).status_code == 200
        return len(captured.captured_queries)

    for _ in range(3):
        late(line_to_come(applicant), 31)
    small = queries()
    for index in range(27):
        application = submitted(applicant)
        if index % 2:
            late(application, 25)

    assert queries() == small
    assert len(as_reviewer.get(QUEUE, {"sure": "gecmis"}).context["cl"].result_list) == 3 + 13


# --- The reminders list -------------------------------------------------------------------------------------------


def test_reviewers_read_the_reminders_sent(as_reviewer, reviewer, applicant):
    application = line_to_come(applicant)
    remind(2)
    reminder = Reminder.objects.filter(application=application).first()

    response = as_reviewer.get(REMINDERS)

    assert reviewer.has_perm("reminders.view_reminder")
    html = response.content.decode()
    assert response.status_code == 200
    assert applicant.email in html
    assert "Kurumsal hat numaranızı bildirin" in html
    assert f'href="{page(application)}"' in html and application.reference in html
    assert reverse("admin:outbox_outboxemail_change", args=[reminder.email_id]) in html
    assert as_reviewer.get(REMINDERS, {"q": application.reference}).context["cl"].result_count >= 1


def test_the_reminders_list_is_read_only_even_for_a_superuser(client, superuser, applicant):
    application = line_to_come(applicant)
    remind(2)
    reminder = Reminder.objects.filter(application=application).first()
    client.force_login(superuser)

    change = client.get(reverse("admin:reminders_reminder_change", args=[reminder.pk]))
    delete = client.post(reverse("admin:reminders_reminder_delete", args=[reminder.pk]), {"post": "yes"})

    assert change.status_code == 200
    assert 'type="submit"' not in change.content.decode().split('id="reminder_form"')[-1].split("</form>")[0]
    assert client.get(reverse("admin:reminders_reminder_add")).status_code == 403
    assert delete.status_code == 403
    assert Reminder.objects.filter(pk=reminder.pk).exists()


def test_finance_does_not_see_the_reminders(client, finance):
    client.force_login(finance)

    assert client.get(REMINDERS).status_code == 403


def test_staff_withdraw_a_past_due_draft_with_a_reason_the_applicant_reads_and_reminders_stop(
    client, reviewer, finance, applicant, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.core import mail
    from django.urls import reverse
    from django.utils import timezone

    from onboarding import due
    from onboarding.models import Application, ApplicationEvent
    from onboarding.tests.helpers import draft_with_answers
    from reminders.services import send_reminders

    application = draft_with_answers(applicant)
    long_ago = timezone.now() - timedelta(days=40)
    Application.objects.filter(pk=application.pk).update(created_at=long_ago, updated_at=long_ago)
    url = reverse("admin:onboarding_application_withdraw", args=[application.pk])

    # Finance may look, not decide; a reviewer must give a reason.
    client.force_login(finance)
    assert client.post(url, {"note": "Süre doldu."}).status_code == 403
    client.force_login(reviewer)
    assert "Başvuruyu geri çekmek için gerekçe yazın." in client.post(url, {"note": ""}, follow=True).text
    assert Application.objects.get(pk=application.pk).status == "draft"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"note": "Eksik belgeler 30 gün içinde tamamlanmadı."})

    application.refresh_from_db()
    assert application.status == "withdrawn"
    event = ApplicationEvent.objects.get(application=application, to_status="withdrawn")
    assert (event.actor, event.reason) == (reviewer, "Eksik belgeler 30 gün içinde tamamlanmadı.")
    [message] = mail.outbox
    assert message.subject == f"Başvurunuz kapatıldı: {application.reference}"
    assert "Eksik belgeler 30 gün içinde tamamlanmadı." in message.body
    # Nothing is due any more, so nothing is reminded.
    assert [i.kind for i in due.items_for_application(application, now=timezone.now())] == []
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(now=timezone.now().replace(hour=9))
    assert [m for m in mail.outbox if applicant.email in m.to] == []
