"""The lifecycle tables against the lifecycle as designed (DESIGN §5), written out here by hand, edge by edge.

Nothing below is derived from APPLICATION_TRANSITIONS or DOCUMENT_TRANSITIONS: a move added to or dropped from a table
without changing this statement fails a test, and so does a table that says one thing while the service does another.

DESIGN §5: `draft → submitted → in_review → changes_requested ⇄ submitted … → awaiting_originals → approved → active`,
with `rejected` and `withdrawn` as ends. Where DESIGN is shorthand, the intended behaviour is written out:
- "changes_requested ⇄ submitted" is the correction loop: the applicant resubmits (changes_requested → submitted) and
  review starts again through in_review; a reviewer never asks for changes on an application nobody has opened yet
  (no submitted → changes_requested).
- Withdrawing is the applicant's, while the application is in their hands or not yet opened by a reviewer: from draft,
  submitted and changes_requested. Once under review, or approved, it is the reviewer's decision that ends it.
- Rejecting is the reviewer's, after looking: from in_review and awaiting_originals (a forged original is a reason).
- Approval comes only with the last original (awaiting_originals → approved), the account only after approval.
"""

import itertools

import pytest

from documents import services as document_services
from documents.models import DOCUMENT_TRANSITIONS, Document, DocumentEvent
from onboarding import services, workflow
from onboarding.models import APPLICATION_TRANSITIONS, Application, ApplicationEvent
from onboarding.tests.helpers import submitted

APPLICATION_STATES = [
    "draft",
    "submitted",
    "in_review",
    "changes_requested",
    "awaiting_originals",
    "approved",
    "active",
    "rejected",
    "withdrawn",
]

APPLICATION_LIFECYCLE = {
    ("draft", "submitted"),  # the applicant submits a complete draft
    ("draft", "withdrawn"),
    ("submitted", "in_review"),  # a reviewer's first document decision
    ("submitted", "withdrawn"),
    ("in_review", "changes_requested"),
    ("in_review", "awaiting_originals"),  # every document approved
    ("in_review", "rejected"),
    ("changes_requested", "submitted"),  # the applicant resubmits
    ("changes_requested", "withdrawn"),
    ("awaiting_originals", "approved"),  # the last signed original arrived
    ("awaiting_originals", "rejected"),
    ("approved", "active"),  # the account is opened
}

DOCUMENT_STATES = ["uploaded", "approved", "rejected"]
DOCUMENT_LIFECYCLE = {("uploaded", "approved"), ("uploaded", "rejected")}


def table_edges(table: dict[str, set[str]]) -> set[tuple[str, str]]:
    return {(source, target) for source, targets in table.items() for target in targets}


def test_the_statuses_are_the_designed_ones():
    assert Application.Status.values == APPLICATION_STATES
    assert Document.Status.values == DOCUMENT_STATES


def test_the_application_table_is_the_designed_lifecycle():
    assert set(APPLICATION_TRANSITIONS) == set(APPLICATION_STATES)
    assert table_edges(APPLICATION_TRANSITIONS) == APPLICATION_LIFECYCLE


def test_the_document_table_is_the_designed_lifecycle():
    assert set(DOCUMENT_TRANSITIONS) == set(DOCUMENT_STATES)
    assert table_edges(DOCUMENT_TRANSITIONS) == DOCUMENT_LIFECYCLE


def test_the_ends_are_ends_and_every_state_is_reachable_from_a_draft():
    sources = {source for source, _ in APPLICATION_LIFECYCLE}
    assert {"active", "rejected", "withdrawn"}.isdisjoint(sources)
    reached, frontier = {"draft"}, ["draft"]
    while frontier:
        state = frontier.pop()
        for source, target in APPLICATION_LIFECYCLE:
            if source == state and target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(APPLICATION_STATES)


# --- Through the service: every pair of states, allowed or refused --------------------------------------------------


def in_status(applicant, status: str) -> Application:
    """An application standing in `status`: the move under test is the only one this test makes."""
    application = services.start_application(applicant)
    Application.objects.filter(pk=application.pk).update(status=status)
    return Application.objects.get(pk=application.pk)


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    sorted(APPLICATION_LIFECYCLE),
    ids=lambda value: value,
)
def test_a_designed_move_succeeds_and_writes_one_event(applicant, reviewer, from_status, to_status):
    application = in_status(applicant, from_status)

    moved = services.move_application(application, to=to_status, actor=reviewer, reason="Tablo denemesi")

    assert moved.status == to_status
    assert Application.objects.get(pk=application.pk).status == to_status
    assert list(
        ApplicationEvent.objects.filter(application=application).values_list(
            "from_status", "to_status", "actor", "reason"
        )
    ) == [(from_status, to_status, reviewer.pk, "Tablo denemesi")]
    if to_status == "submitted":
        assert moved.submitted_at is not None


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [pair for pair in itertools.product(APPLICATION_STATES, repeat=2) if pair not in APPLICATION_LIFECYCLE],
    ids=lambda value: value,
)
def test_a_move_outside_the_design_is_refused_and_writes_nothing(applicant, reviewer, from_status, to_status):
    application = in_status(applicant, from_status)
    history_before = application.history.count()

    with pytest.raises(services.ApplicationError) as refused:
        services.move_application(application, to=to_status, actor=reviewer)

    assert str(Application.Status(from_status).label) in str(refused.value.message)
    assert Application.objects.get(pk=application.pk).status == from_status
    assert not ApplicationEvent.objects.filter(application=application).exists()
    assert application.history.count() == history_before


def document_in_status(applicant, status: str) -> Document:
    """A live document of a submitted application, standing in `status`."""
    document = Document.objects.filter(application=submitted(applicant), is_live=True).first()
    Document.objects.filter(pk=document.pk).update(status=status)
    return Document.objects.get(pk=document.pk)


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    list(itertools.product(DOCUMENT_STATES, repeat=2)),
    ids=lambda value: value,
)
def test_a_document_decision_follows_the_designed_lifecycle(applicant, reviewer, from_status, to_status):
    document = document_in_status(applicant, from_status)

    if (from_status, to_status) in DOCUMENT_LIFECYCLE:
        workflow.decide_document(document, to=to_status, actor=reviewer, note="Tablo denemesi")
        assert Document.objects.get(pk=document.pk).status == to_status
        assert list(DocumentEvent.objects.filter(document=document).values_list("from_status", "to_status")) == [
            (from_status, to_status)
        ]
    else:
        with pytest.raises(document_services.DocumentError):
            workflow.decide_document(document, to=to_status, actor=reviewer, note="Tablo denemesi")
        assert Document.objects.get(pk=document.pk).status == from_status
        assert not DocumentEvent.objects.filter(document=document).exists()
