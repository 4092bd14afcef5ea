"""The application lifecycle is a table: every move it allows succeeds with one event row, every other is refused
and writes nothing."""

import itertools

import pytest

from onboarding import services
from onboarding.models import APPLICATION_TRANSITIONS, Application, ApplicationEvent

STATUSES = Application.Status.values
PAIRS = list(itertools.product(STATUSES, STATUSES))


def in_status(applicant, status: str) -> Application:
    """An application standing in `status`: the move under test is the only one this test makes."""
    application = services.start_application(applicant)
    Application.objects.filter(pk=application.pk).update(status=status)
    return Application.objects.get(pk=application.pk)


def test_the_table_has_a_row_for_every_status_and_names_only_statuses():
    assert set(APPLICATION_TRANSITIONS) == set(STATUSES)
    assert set().union(*APPLICATION_TRANSITIONS.values()) <= set(STATUSES)
    assert all(status not in targets for status, targets in APPLICATION_TRANSITIONS.items())


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [(a, b) for a, b in PAIRS if b in APPLICATION_TRANSITIONS[a]],
    ids=lambda value: value,
)
def test_an_allowed_move_succeeds_and_writes_one_event(applicant, reviewer, from_status, to_status):
    application = in_status(applicant, from_status)

    moved = services.move_application(application, to=to_status, actor=reviewer, reason="Tablo denemesi")

    assert moved.status == to_status
    assert Application.objects.get(pk=application.pk).status == to_status
    assert list(
        ApplicationEvent.objects.filter(application=application).values_list(
            "from_status", "to_status", "actor", "reason"
        )
    ) == [(from_status, to_status, reviewer.pk, "Tablo denemesi")]
    if to_status == Application.Status.SUBMITTED:
        assert moved.submitted_at is not None


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [(a, b) for a, b in PAIRS if b not in APPLICATION_TRANSITIONS[a]],
    ids=lambda value: value,
)
def test_a_move_the_table_does_not_allow_is_refused_and_writes_nothing(applicant, reviewer, from_status, to_status):
    application = in_status(applicant, from_status)
    history_before = application.history.count()

    with pytest.raises(services.ApplicationError) as refused:
        services.move_application(application, to=to_status, actor=reviewer)

    assert str(Application.Status(from_status).label) in str(refused.value.message)
    assert Application.objects.get(pk=application.pk).status == from_status
    assert not ApplicationEvent.objects.filter(application=application).exists()
    assert application.history.count() == history_before
