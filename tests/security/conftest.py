"""Shared pieces of the fuzz tests (tests/security/test_fuzz_*.py).

The Hypothesis profile ``fuzz`` keeps the set small and reproducible in CI
(derandomized, a few dozen examples per test, no deadline: a request takes
as long as it takes). ``LMS_FUZZ_PROFILE=fuzz-deep`` runs many more random
examples on a workstation.

Database tests use function-scoped fixtures with ``@given``: each example
runs inside ``rolled_back()`` (a transaction rolled back at its end), so
every example starts from the same rows.
"""

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "fuzz",
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "fuzz-deep",
    parent=settings.get_profile("fuzz"),
    max_examples=500,
    derandomize=False,
)

#: The settings every fuzz test is decorated with.
FUZZ = settings(settings.get_profile(os.environ.get("LMS_FUZZ_PROFILE", "fuzz")))


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and course outlines live in the cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def admin_es(db):
    """An administrator whose admin pages are in Spanish."""
    from wagtail.users.models import UserProfile

    from tests.factories import make_administrator

    admin = make_administrator(username="boss", language="es")
    profile = UserProfile.get_for_user(admin)
    profile.preferred_language = "es"
    profile.save()
    return admin
