"""The reminder sweep with the clock given: when each kind becomes due, the cadence, quiet hours, never twice."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from conftest import run_at_once
from documents.models import Document
from onboarding import due, services, workflow
from onboarding.models import Application
from onboarding.tests.helpers import draft_with_answers, pdf_upload, submitted
from outbox.models import OutboxEmail
from reminders import services as reminders
from reminders.models import Reminder

pytestmark = pytest.mark.django_db

ISTANBUL = ZoneInfo("Europe/Istanbul")
# A Wednesday noon in Istanbul; every test's clock starts here.
T0 = datetime(2026, 12, 9, 12, 0, tzinfo=ISTANBUL)


def sweep(at: datetime) -> reminders.SweepResult:
    return reminders.send_reminders(now=at)


def digests(user: User) -> list[OutboxEmail]:
    return list(OutboxEmail.objects.filter(to=[user.email], template="applicant_reminder").order_by("pk"))


def kinds_reminded(user: User) -> list[tuple[str, int]]:
    return sorted(Reminder.objects.filter(recipient=user).values_list("kind", "step"))


def a_draft(applicant, *, at: datetime = T0) -> Application:
    application = draft_with_answers(applicant)
    Application.objects.filter(pk=application.pk).update(created_at=at, updated_at=at)
    return Application.objects.get(pk=application.pk)


def a_submission(applicant, *, at: datetime = T0) -> Application:
    application = submitted(applicant)
    Application.objects.filter(pk=application.pk).update(created_at=at, updated_at=at, submitted_at=at)
    return Application.objects.get(pk=application.pk)


def changes_requested(applicant, reviewer, *, rejected_at: datetime = T0) -> Application:
    application = a_submission(applicant, at=rejected_at - timedelta(days=2))
    rejected, *others = Document.objects.filter(application=application, is_live=True).order_by("pk")
    workflow.reject_document(rejected, actor=reviewer, note="Kaşe okunmuyor.")
    for document in others:
        workflow.approve_document(document, actor=reviewer)
    services.request_changes(application, actor=reviewer)
    Document.objects.filter(pk=rejected.pk).update(decided_at=rejected_at)
    return Application.objects.get(pk=application.pk)


# --- When each kind becomes due --------------------------------------------------------------------------------


def test_a_draft_is_reminded_a_day_after_it_was_started_with_its_missing_documents(applicant):
    application = a_draft(applicant)

    assert sweep(T0 + timedelta(hours=23)).reminders == 0
    result = sweep(T0 + timedelta(days=1, minutes=1))

    assert (result.reminders, result.emails) == (1, 1)
    [email] = digests(applicant)
    [item] = email.context["items"]
    assert (item["kind"], item["reference"], item["past_due"]) == ("draft", application.reference, False)
    assert "Encümen Kararı" in item["labels"]
    assert item["deadline"] == (T0 + timedelta(days=30)).strftime("%d.%m.%Y")
    assert item["url"].endswith(f"/basvuru/{application.reference}/belgeler/")


def test_an_unconfirmed_address_is_reminded_with_a_link_to_a_new_confirmation(unconfirmed_applicant):
    User.objects.filter(pk=unconfirmed_applicant.pk).update(date_joined=T0)

    sweep(T0 + timedelta(days=1, minutes=1))

    [email] = digests(unconfirmed_applicant)
    assert [item["kind"] for item in email.context["items"]] == ["confirm_email"]
    assert email.context["items"][0]["url"].endswith("/hesap/dogrulama/yeniden-gonder/")


def test_a_rejected_document_is_reminded_with_its_reason_until_it_is_uploaded_again(applicant, reviewer):
    application = changes_requested(applicant, reviewer)

    sweep(T0 + timedelta(days=1, minutes=1))
    [item] = [i for i in digests(applicant)[-1].context["items"] if i["kind"] == "rejected"]
    assert item["reasons"] == ["Kaşe okunmuyor."]
    assert item["deadline"] == (T0 + timedelta(days=14)).strftime("%d.%m.%Y")

    # The applicant uploads a new version: the item is resolved, and reminders of it stop.
    rejected = Document.objects.get(application=application, is_live=True, status="rejected")
    from documents.services import add_document_file

    add_document_file(application, rejected.requirement, uploaded=pdf_upload(), actor=applicant)
    sweep(T0 + timedelta(days=3, minutes=1))

    assert [kind for kind, _step in kinds_reminded(applicant)].count("rejected") == 1


def test_the_corporate_line_not_yet_given_is_reminded(applicant):
    application = a_draft(applicant)
    services.save_corporate_line(application, has_corporate_line=False, plan="new_line")
    Application.objects.filter(pk=application.pk).update(created_at=T0, updated_at=T0)

    sweep(T0 + timedelta(days=1, minutes=1))

    assert ("corporate_line", 1) in kinds_reminded(applicant)
    [item] = [i for i in digests(applicant)[-1].context["items"] if i["kind"] == "corporate_line"]
    assert item["url"].endswith(f"/basvuru/{application.reference}/kurumsal-hat/")


def test_after_submission_the_cargo_is_reminded_and_then_the_originals_a_week_after_shipping(applicant):
    application = a_submission(applicant)

    sweep(T0 + timedelta(days=1, minutes=1))
    assert kinds_reminded(applicant) == [("cargo", 1)]

    services.record_cargo(application, company="Yurtiçi Kargo", tracking_number="123456789")
    Application.objects.filter(pk=application.pk).update(cargo_recorded_at=T0 + timedelta(days=2))
    sweep(T0 + timedelta(days=8))  # six days after shipping: not yet
    assert kinds_reminded(applicant) == [("cargo", 1)]
    sweep(T0 + timedelta(days=10, minutes=1))  # a day after the week the cargo was given
    assert kinds_reminded(applicant) == [("cargo", 1), ("originals", 1)]


def test_an_item_past_its_deadline_is_marked_past_due(applicant):
    a_draft(applicant)

    sweep(T0 + timedelta(days=31))

    [item] = digests(applicant)[-1].context["items"]
    assert item["past_due"] is True
    assert digests(applicant)[-1].context["past_due_count"] == 1


# --- Cadence, maximum, quiet hours, opt-out ----------------------------------------------------------------------


def test_reminders_back_off_on_days_1_3_7_14_and_then_stop(applicant):
    a_draft(applicant)
    sent_on = []
    for day in range(0, 40):
        if sweep(T0 + timedelta(days=day, minutes=1)).emails:
            sent_on.append(day)

    assert sent_on == [1, 3, 7, 14]
    assert [step for _kind, step in kinds_reminded(applicant)] == [1, 2, 3, 4]


def test_a_missed_step_is_not_made_up_the_latest_due_one_is_sent(applicant):
    a_draft(applicant)

    sweep(T0 + timedelta(days=8))  # the sweep did not run on days 1 and 3

    assert kinds_reminded(applicant) == [("draft", 3)]
    assert len(digests(applicant)) == 1


@pytest.mark.parametrize(
    ("hour", "minute", "quiet"),
    [(20, 59, False), (21, 0, True), (23, 30, True), (0, 0, True), (7, 59, True), (8, 0, False)],
)
def test_nothing_is_sent_in_istanbuls_night_from_21_to_8(applicant, hour, minute, quiet):
    a_draft(applicant)
    at = (T0 + timedelta(days=2)).replace(hour=hour, minute=minute)

    result = sweep(at)

    assert result.quiet is quiet
    assert (result.emails == 0) is quiet


def test_quiet_hours_are_the_same_in_summer_and_winter_since_turkey_keeps_utc_plus_3():
    from datetime import UTC

    for month in (1, 7):
        assert reminders.in_quiet_hours(datetime(2026, month, 15, 18, 0, tzinfo=UTC)) is True  # 21:00 in Istanbul
        assert reminders.in_quiet_hours(datetime(2026, month, 15, 17, 59, tzinfo=UTC)) is False
        assert reminders.in_quiet_hours(datetime(2026, month, 15, 5, 0, tzinfo=UTC)) is False  # 08:00


def test_a_person_who_opted_out_gets_no_reminders_and_one_who_opts_in_again_does(applicant):
    a_draft(applicant)
    reminders.set_reminders(applicant, enabled=False)

    assert sweep(T0 + timedelta(days=1, minutes=1)).emails == 0

    reminders.set_reminders(applicant, enabled=True)
    assert sweep(T0 + timedelta(days=1, minutes=2)).emails == 1


def test_every_reminder_carries_the_one_click_stop_link_and_headers(applicant):
    a_draft(applicant)
    sweep(T0 + timedelta(days=1, minutes=1))

    [email] = digests(applicant)
    stop = email.context["unsubscribe_url"]
    assert email.headers == {"List-Unsubscribe": f"<{stop}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    token = stop.rstrip("/").rsplit("/", 1)[1]
    assert reminders.user_for_unsubscribe_token(token) == applicant
    assert reminders.user_for_unsubscribe_token(token + "x") is None


def test_the_digest_is_in_the_recipients_language(applicant):
    User.objects.filter(pk=applicant.pk).update(language="en")
    applicant.refresh_from_db()
    a_draft(applicant)

    sweep(T0 + timedelta(days=1, minutes=1))

    [email] = digests(applicant)
    assert email.language == "en"


# --- Never twice; one digest per person ---------------------------------------------------------------------------


def test_a_second_sweep_right_after_records_and_sends_nothing(applicant, other_applicant, reviewer):
    a_draft(applicant)
    a_submission(other_applicant)
    at = T0 + timedelta(days=1, minutes=1)

    first = sweep(at)
    second = sweep(at + timedelta(minutes=10))

    assert first.emails == 3  # two applicants and the reviewer
    assert (second.reminders, second.emails) == (0, 0)


def test_one_digest_per_person_lists_everything_open_for_them_and_nothing_of_anyone_else(applicant, other_applicant):
    first = a_draft(applicant)
    second = a_submission(applicant)
    other = a_draft(other_applicant)

    sweep(T0 + timedelta(days=1, minutes=1))

    [mine] = digests(applicant)
    [theirs] = digests(other_applicant)
    assert {item["reference"] for item in mine.context["items"]} == {first.reference, second.reference}
    assert {item["reference"] for item in theirs.context["items"]} == {other.reference}
    assert mine.to == [applicant.email] and theirs.to == [other_applicant.email]


def test_reviewers_hear_of_a_new_submission_once_and_of_a_document_past_the_sla_every_day(applicant, reviewer):
    application = a_submission(applicant)

    sweep(T0 + timedelta(minutes=1))
    sweep(T0 + timedelta(hours=1))
    reviewer_mail = OutboxEmail.objects.filter(to=[reviewer.email], template="reviewer_reminder")
    assert reviewer_mail.count() == 1
    [item] = reviewer_mail.get().context["items"]
    assert (item["kind"], item["reference"]) == ("new_submission", application.reference)
    assert item["url"].endswith(f"/admin/onboarding/application/{application.pk}/change/")

    # Two days on, nobody decided: one digest a day lists the waiting documents.
    sweep(T0 + timedelta(days=2, minutes=1))
    sweep(T0 + timedelta(days=2, hours=3))
    sweep(T0 + timedelta(days=3, minutes=2))
    assert reviewer_mail.count() == 3
    assert {item["kind"] for item in reviewer_mail.order_by("pk").last().context["items"]} == {
        "new_submission",
        "review_waiting",
    }
    # The applicant never sees the reviewers' items.
    assert all(i["kind"] in due.APPLICANT_KINDS for e in digests(applicant) for i in e.context["items"])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sweeps_at_once_send_each_person_one_digest(applicant, other_applicant):
    a_draft(applicant)
    a_draft(other_applicant)
    at = T0 + timedelta(days=1, minutes=1)

    results = run_at_once(lambda: sweep(at), lambda: sweep(at), lambda: sweep(at))

    assert not [result for result in results if isinstance(result, Exception)]
    assert sum(result.emails for result in results) == 2
    assert len(digests(applicant)) == len(digests(other_applicant)) == 1
    assert Reminder.objects.count() == 2


def test_the_sweeps_queries_do_not_grow_with_the_number_of_applications(applicant, reviewer):
    def applicants(count: int, start: int) -> None:
        for index in range(start, start + count):
            user = User.objects.create_user(
                email=f"kisi{index}@ornek.test", password="x", full_name=f"Kişi {index}", email_confirmed_at=T0
            )
            a_draft(user)
            a_submission(user)

    def count_queries(at: datetime) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert sweep(at).emails
        return len(queries.captured_queries)

    applicants(2, 0)
    small = count_queries(T0 + timedelta(days=1, minutes=1))
    applicants(8, 2)
    large = count_queries(T0 + timedelta(days=3, minutes=1))

    assert small == large


def test_a_reviewers_digest_lists_the_oldest_items_of_each_kind_up_to_the_limit_and_records_one_per_day(
    applicant, other_applicant, reviewer, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(reminders, "REVIEWER_DIGEST_LIMIT", 2)
    first = a_submission(applicant, at=T0 - timedelta(days=1))
    a_submission(other_applicant)
    waiting = Document.objects.filter(is_live=True, status="uploaded").count()

    with django_capture_on_commit_callbacks(execute=True):
        sweep(T0 + timedelta(days=3))

    [message] = [m for m in mailoutbox if m.to == [reviewer.email]]
    assert f"İnceleme süresini aşan belgeler ({waiting})" in message.body
    assert f"ve {waiting - 2} tane daha: tümü yönetim panelinde." in message.body
    assert first.reference in message.body  # the oldest are the ones shown
    # One record for the day's overdue documents, however many there are; one per new submission.
    assert sorted(Reminder.objects.filter(recipient=reviewer).values_list("kind", flat=True)) == [
        "new_submission",
        "new_submission",
        "review_waiting",
    ]
