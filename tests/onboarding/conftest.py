import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Course outlines and rate-limit counters live in the cache."""
    cache.clear()
    yield
    cache.clear()
