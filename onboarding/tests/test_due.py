"""The past-due filter (a database condition) says what onboarding.due's rules say, application by application."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from documents.models import Document, RejectionReason
from onboarding import due, services
from onboarding.models import Application, ApplicationEvent
from onboarding.tests.helpers import draft_with_answers, submitted, upload_required
from onboarding.workflow import approve_document, mark_original_received, reject_document

DAY = timedelta(days=1)


def live_documents(application: Application):
    return Document.objects.filter(application=application, is_live=True).select_related("requirement")


def approve_all(application: Application, reviewer) -> Application:
    for document in live_documents(application):
        approve_document(document, actor=reviewer)
    return services.approve_documents(Application.objects.get(pk=application.pk), actor=reviewer)


def awaiting_originals(applicant, reviewer, **kwargs) -> Application:
    return approve_all(submitted(applicant, **kwargs), reviewer)


def line_to_come(applicant) -> Application:
    """A complete draft whose applicant will get a new corporate line (the number is not given yet)."""
    draft = draft_with_answers(applicant)
    draft = services.save_corporate_line(draft, has_corporate_line=False, plan=Application.LinePlan.NEW_LINE)
    return upload_required(draft, applicant)


def submit(application: Application) -> Application:
    return services.submit_application(application, actor=application.applicant)


def move(application: Application, **fields) -> None:
    Application.objects.filter(pk=application.pk).update(**fields)


def move_approval(application: Application, at) -> None:
    ApplicationEvent.objects.filter(application=application, to_status=Application.Status.AWAITING_ORIGINALS).update(
        created_at=at
    )


@pytest.fixture
def situations(applicant, unconfirmed_applicant, reviewer):
    """One application in each situation the rules know, its clocks moved back by different amounts."""
    t0 = timezone.now()
    built: dict[str, Application] = {}

    built["draft"] = draft_with_answers(applicant)
    move(built["draft"], updated_at=t0 - 20 * DAY)

    built["draft, line to come"] = line_to_come(applicant)
    move(built["draft, line to come"], created_at=t0 - 25 * DAY, updated_at=t0 - 2 * DAY)

    built["draft, address unconfirmed"] = draft_with_answers(unconfirmed_applicant)
    User.objects.filter(pk=unconfirmed_applicant.pk).update(date_joined=t0 - 3 * DAY)
    move(built["draft, address unconfirmed"], updated_at=t0 - DAY)

    built["submitted, no cargo"] = submitted(applicant)
    move(built["submitted, no cargo"], submitted_at=t0 - 15 * DAY)

    in_review = submitted(applicant)
    approve_document(live_documents(in_review).first(), actor=reviewer)
    built["in review, no cargo"] = in_review
    move(in_review, submitted_at=t0 - 18 * DAY)

    changes = submitted(applicant)
    documents = list(live_documents(changes))
    reject_document(documents[0], actor=reviewer, reason=RejectionReason.objects.first(), note="Kaşe yok.")
    for document in documents[1:]:
        approve_document(document, actor=reviewer)
    built["changes requested"] = services.request_changes(changes, actor=reviewer)
    Document.objects.filter(pk=documents[0].pk).update(decided_at=t0 - 10 * DAY)
    move(changes, submitted_at=t0 - 5 * DAY)

    # Submitted long ago, approved recently: the originals' clock starts at the approval.
    built["awaiting originals, no cargo"] = awaiting_originals(applicant, reviewer)
    move(built["awaiting originals, no cargo"], submitted_at=t0 - 30 * DAY)
    move_approval(built["awaiting originals, no cargo"], t0 - 12 * DAY)

    built["awaiting originals, cargo long ago"] = services.record_cargo(
        awaiting_originals(applicant, reviewer), company="Yurtiçi Kargo", tracking_number="123456789012"
    )
    move(built["awaiting originals, cargo long ago"], submitted_at=t0 - 40 * DAY, cargo_recorded_at=t0 - 16 * DAY)
    move_approval(built["awaiting originals, cargo long ago"], t0 - 25 * DAY)

    # A private hospital: every original arrived but the tax plate, which its answer makes required.
    hospital = awaiting_originals(applicant, reviewer, type_code="hospital", answers={"private_hospital": True})
    hospital = services.record_cargo(hospital, company="Aras Kargo", tracking_number="998877665544")
    for document in live_documents(hospital):
        if document.requirement.condition_id is None and document.requirement.status == "required":
            mark_original_received(document, actor=reviewer)
    built["private hospital, tax plate missing"] = hospital
    move(hospital, submitted_at=t0 - 30 * DAY, cargo_recorded_at=t0 - 20 * DAY)
    move_approval(hospital, t0 - 10 * DAY)

    # Every original arrived (so approved), the line's number never given.
    approved = approve_all(submit(line_to_come(applicant)), reviewer)
    for document in live_documents(approved):
        mark_original_received(document, actor=reviewer)
    built["approved, line to come"] = approved
    move(approved, submitted_at=t0 - 40 * DAY, cargo_recorded_at=None)

    built["submitted, line to come, cargo on its way"] = services.record_cargo(
        submit(line_to_come(applicant)), company="MNG Kargo", tracking_number="555444333222"
    )
    move(built["submitted, line to come, cargo on its way"], submitted_at=t0 - 29 * DAY, cargo_recorded_at=t0 - DAY)

    # In review, the cargo long arrived with every original the answers require (not the tax plate): nothing waits.
    complete = submitted(applicant, type_code="hospital", answers={"private_hospital": False})
    approve_document(live_documents(complete).first(), actor=reviewer)
    complete = services.record_cargo(complete, company="PTT Kargo", tracking_number="111222333444")
    for document in live_documents(complete):
        mark_original_received(document, actor=reviewer)
    built["in review, every original arrived"] = complete
    move(complete, submitted_at=t0 - 15 * DAY, cargo_recorded_at=t0 - 30 * DAY)

    withdrawn = draft_with_answers(applicant)
    services.move_application(withdrawn, to=Application.Status.WITHDRAWN, actor=applicant)
    built["withdrawn"] = withdrawn
    move(withdrawn, updated_at=t0 - 100 * DAY, created_at=t0 - 100 * DAY)

    fresh = {name: Application.objects.select_related("applicant").get(pk=a.pk) for name, a in built.items()}
    expected_statuses = {
        "approved, line to come": Application.Status.APPROVED,
        "private hospital, tax plate missing": Application.Status.AWAITING_ORIGINALS,
        "changes requested": Application.Status.CHANGES_REQUESTED,
        "in review, no cargo": Application.Status.IN_REVIEW,
        "in review, every original arrived": Application.Status.IN_REVIEW,
        "withdrawn": Application.Status.WITHDRAWN,
    }
    for name, status in expected_statuses.items():
        assert fresh[name].status == status, name
    return t0, fresh


def past_due_by_rules(applications: dict[str, Application], now) -> set[str]:
    return {
        name
        for name, application in applications.items()
        if any(item.is_past_due(now) for item in due.items_for_application(application, now=now))
    }


def past_due_by_query(applications: dict[str, Application], now) -> set[str]:
    found = set(Application.objects.filter(due.past_due_q(now)).values_list("pk", flat=True))
    return {name for name, application in applications.items() if application.pk in found}


def test_the_past_due_filter_agrees_with_the_rules_at_every_deadline(situations):
    t0, applications = situations
    # Every deadline of every item (a far "now" shows the items that appear only later), a moment before and at it.
    far = t0 + 400 * DAY
    deadlines = {item.deadline for a in applications.values() for item in due.items_for_application(a, now=far)}
    moments = sorted({t0, far} | deadlines | {deadline - timedelta(microseconds=1) for deadline in deadlines})

    everyone = {application.pk for application in applications.values()}
    for now in moments:
        assert past_due_by_query(applications, now) == past_due_by_rules(applications, now), now
        # Negated ("not past due"), NULL times (a draft was never submitted) count as not past due, not as unknown.
        late = set(Application.objects.filter(due.past_due_q(now)).values_list("pk", flat=True))
        assert set(Application.objects.filter(~due.past_due_q(now)).values_list("pk", flat=True)) == everyone - late


def test_each_situation_turns_past_due_at_its_own_deadline(situations):
    t0, applications = situations

    # Originals: 21 days after an approval 25 days ago; line: 30 days after a submission 40 days ago.
    assert past_due_by_query(applications, t0) == {"awaiting originals, cargo long ago", "approved, line to come"}
    # The originals' clock starts at the approval 12 days ago, not at the submission 30 days ago.
    assert "awaiting originals, no cargo" not in past_due_by_query(applications, t0 + 8 * DAY)
    assert "awaiting originals, no cargo" in past_due_by_query(applications, t0 + 9 * DAY)
    never = {"withdrawn", "in review, every original arrived"}
    assert past_due_by_query(applications, t0 + 30 * DAY) == set(applications) - never
    assert past_due_by_query(applications, t0 + 400 * DAY) == set(applications) - never


def test_resolving_the_item_takes_the_application_out_of_the_past_due_list(situations):
    t0, applications = situations
    late = applications["approved, line to come"]
    assert late.pk in Application.objects.filter(due.past_due_q(t0)).values_list("pk", flat=True)

    services.record_corporate_line(late, number="0532 765 43 21")

    assert not Application.objects.filter(due.past_due_q(t0), pk=late.pk).exists()
    assert due.items_for_application(Application.objects.get(pk=late.pk), now=t0) == []
