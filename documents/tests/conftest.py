"""Fixtures of the documents tests: a draft whose steps before the documents are done, and one of its items."""

import pytest

from onboarding.models import Requirement
from onboarding.tests.helpers import draft_with_answers


@pytest.fixture
def draft(applicant):
    return draft_with_answers(applicant)


@pytest.fixture
def requirement(draft):
    """The municipality's council decision: a required item of the draft's checklist."""
    return Requirement.objects.get(institution_type=draft.institution_type, label="Encümen Kararı")
