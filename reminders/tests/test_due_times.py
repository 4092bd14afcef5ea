"""The sweep's stored due times: an application is read again only when it changed or a reminder may have come due."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.models import Document
from onboarding import services, workflow
from onboarding.models import Application
from reminders.tests.test_sweep import T0, a_draft, a_submission, kinds_reminded, sweep

pytestmark = pytest.mark.django_db


def applications_read(at) -> int:
    """How many times the sweep read applications in full (the applicants' pass; the reviewers' reads few columns)."""
    with CaptureQueriesContext(connection) as queries:
        sweep(at)
    return sum(
        '"condition_answers"' in query["sql"] and 'FROM "onboarding_application" WHERE' in query["sql"]
        for query in queries.captured_queries
    )


def test_a_second_sweep_right_after_reads_no_application_and_a_step_coming_due_is_read_again(applicant):
    application = a_draft(applicant)

    assert applications_read(T0 + timedelta(days=1, minutes=1)) == 1
    assert applications_read(T0 + timedelta(days=1, minutes=2)) == 0
    assert applications_read(T0 + timedelta(days=2, hours=23)) == 0

    application.refresh_from_db()
    assert application.reminders_due_at == T0 + timedelta(days=3)
    assert applications_read(T0 + timedelta(days=3, minutes=1)) == 1
    assert kinds_reminded(applicant) == [("draft", 1), ("draft", 2)]


def test_a_step_missed_while_no_sweep_ran_is_found_by_the_next_one(applicant):
    a_draft(applicant)
    sweep(T0 + timedelta(days=1, minutes=1))

    sweep(T0 + timedelta(days=8))  # no sweep on day 3: the stored time (day 3) has passed, the latest step is sent

    assert kinds_reminded(applicant) == [("draft", 1), ("draft", 3)]


def test_a_change_request_makes_the_next_sweep_read_the_application_again(applicant, reviewer):
    application = a_submission(applicant)
    sweep(T0 + timedelta(days=1, minutes=1))
    assert kinds_reminded(applicant) == [("cargo", 1)]
    assert applications_read(T0 + timedelta(days=1, minutes=2)) == 0

    rejected, *others = Document.objects.filter(application=application, is_live=True).order_by("pk")
    workflow.reject_document(rejected, actor=reviewer, note="Kaşe okunmuyor.")
    for document in others:
        workflow.approve_document(document, actor=reviewer)
    services.request_changes(application, actor=reviewer)
    Document.objects.filter(pk=rejected.pk).update(decided_at=T0)

    assert applications_read(T0 + timedelta(days=1, minutes=3)) == 1
    assert ("rejected", 1) in kinds_reminded(applicant)


def test_a_new_draft_is_read_by_the_next_sweep(applicant):
    a_submission(applicant)
    sweep(T0 + timedelta(days=1, minutes=1))

    a_draft(applicant)

    assert applications_read(T0 + timedelta(days=1, minutes=2)) == 1
    assert kinds_reminded(applicant) == [("cargo", 1), ("draft", 1)]


def test_recorded_cargo_is_read_again_and_the_originals_are_looked_for_when_they_should_have_arrived(applicant):
    application = a_submission(applicant)
    sweep(T0 + timedelta(days=1, minutes=1))

    services.record_cargo(application, company="Yurtiçi Kargo", tracking_number="123456789")
    assert applications_read(T0 + timedelta(days=1, minutes=2)) == 1
    Application.objects.filter(pk=application.pk).update(
        cargo_recorded_at=T0 + timedelta(days=2), reminders_due_at=None
    )
    sweep(T0 + timedelta(days=2, minutes=1))

    application.refresh_from_db()
    assert application.reminders_due_at == T0 + timedelta(days=9)  # the week the cargo was given ends
    assert applications_read(T0 + timedelta(days=8, hours=23)) == 0
    assert applications_read(T0 + timedelta(days=9, minutes=1)) == 1
    application.refresh_from_db()
    assert application.reminders_due_at == T0 + timedelta(days=10)
    sweep(T0 + timedelta(days=10, minutes=1))
    assert ("originals", 1) in kinds_reminded(applicant)


def test_removing_a_new_version_brings_the_rejected_one_back_and_the_next_sweep_reads_it(applicant, reviewer):
    from documents.models import DocumentFile
    from documents.services import add_document_file, remove_document_file
    from onboarding.tests.helpers import pdf_upload

    application = a_submission(applicant)
    rejected, *others = Document.objects.filter(application=application, is_live=True).order_by("pk")
    workflow.reject_document(rejected, actor=reviewer, note="Kaşe okunmuyor.")
    for document in others:
        workflow.approve_document(document, actor=reviewer)
    services.request_changes(application, actor=reviewer)
    add_document_file(application, rejected.requirement, uploaded=pdf_upload(), actor=applicant)
    sweep(T0 + timedelta(days=1, minutes=1))
    assert "rejected" not in [kind for kind, _step in kinds_reminded(applicant)]

    remove_document_file(
        DocumentFile.objects.get(document__application=application, document__version=2), actor=applicant
    )

    assert applications_read(T0 + timedelta(days=1, minutes=2)) == 1
    assert "rejected" in [kind for kind, _step in kinds_reminded(applicant)]
