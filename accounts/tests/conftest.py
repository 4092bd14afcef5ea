import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    # The resend throttle lives in the cache, which outlives a test's database transaction.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def applicant(unconfirmed_applicant):
    # The account tests start from a freshly registered, not yet confirmed applicant.
    unconfirmed_applicant.email = "ayse@ornek-belediye.test"
    unconfirmed_applicant.full_name = "Ayşe Yılmaz"
    unconfirmed_applicant.save(update_fields=["email", "full_name"])
    return unconfirmed_applicant
